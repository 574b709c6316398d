"""Writers for a batch's output folder (DESIGN.md section 3), all atomic.

    segments.jsonl      one record per segment, documents in input order
    cleaned/<doc>.txt   cleaned article text (boilerplate left out)
    summary.json        per-document counts, failures, settings

Every file is written to a temporary name in the same folder and then renamed, so
a reader never sees half a file and an interrupted run leaves the old one intact.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections import Counter
from pathlib import Path

from .document import BODY, BOILERPLATE, HEADING, Document, cleaned_text, segment_record


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


# mkstemp makes files only their owner can read; outputs get the usual permissions.
FILE_MODE = 0o666 & ~_umask()


def write_atomic(path: Path, text: str | bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.chmod(tmp, FILE_MODE)
    try:
        if isinstance(text, bytes):
            with os.fdopen(fd, "wb") as fh:
                fh.write(text)
        else:
            with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
                fh.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def to_json(value) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2, sort_keys=False) + "\n"


class SegmentsWriter:
    """Streams segments.jsonl to a temporary file; `close()` renames it into place."""

    def __init__(self, path: Path):
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, self.tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        os.chmod(self.tmp, FILE_MODE)
        self.fh = os.fdopen(fd, "w", encoding="utf-8", newline="\n")

    def write(self, doc: Document) -> None:
        for seg in doc.segments:
            self.fh.write(json.dumps(segment_record(doc, seg), ensure_ascii=False) + "\n")

    def close(self) -> None:
        self.fh.close()
        os.replace(self.tmp, self.path)

    def abort(self) -> None:
        self.fh.close()
        Path(self.tmp).unlink(missing_ok=True)


def write_cleaned(out_dir: Path, doc: Document) -> Path:
    path = out_dir / "cleaned" / f"{doc.id}.txt"
    write_atomic(path, cleaned_text(doc))
    return path


def document_summary(doc: Document) -> dict:
    """Counts for one processed document, as stored in summary.json and shown in the index."""
    kinds = Counter(seg.kind for seg in doc.segments)
    rules = Counter(edit.rule for seg in doc.segments for edit in seg.edits)
    codes = Counter(flag.code for seg in doc.segments for flag in seg.flags)
    severities = Counter(flag.severity for seg in doc.segments for flag in seg.flags)
    return {
        "doc": doc.id,
        "path": doc.path,
        "format": doc.format,
        "encoding": doc.encoding,
        "lang": doc.lang,
        "lang_prob": doc.lang_prob,
        "chars": len(doc.text),
        "segments": len(doc.segments),
        "body": kinds.get(BODY, 0),
        "headings": kinds.get(HEADING, 0),
        "boilerplate": kinds.get(BOILERPLATE, 0),
        "edited_segments": sum(1 for seg in doc.segments if seg.edits),
        "edits": sum(rules.values()),
        "edits_by_rule": dict(sorted(rules.items())),
        "flags": sum(codes.values()),
        "flags_by_code": dict(sorted(codes.items())),
        "flags_by_severity": dict(sorted(severities.items())),
        "garbled": sum(1 for seg in doc.segments if seg.garbled),
    }


def batch_summary(documents: list[dict], failures: list[dict], settings: dict, version: str,
                  resources: dict | None = None) -> dict:
    """The batch's summary.json; `resources` names the data stages used (e.g. glossaries)."""
    totals: Counter = Counter()
    by_rule: Counter = Counter()
    by_code: Counter = Counter()
    for d in documents:
        for key in ("segments", "body", "headings", "boilerplate", "edits", "flags", "garbled"):
            totals[key] += d[key]
        by_rule.update(d["edits_by_rule"])
        by_code.update(d["flags_by_code"])
    return {
        "pipeline_version": version,
        "settings": settings,
        "resources": resources or {},
        "totals": {"documents": len(documents), "failed": len(failures), **totals},
        "edits_by_rule": dict(sorted(by_rule.items())),
        "flags_by_code": dict(sorted(by_code.items())),
        "documents": documents,
        "failures": failures,
    }
