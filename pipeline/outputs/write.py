"""Writers for a batch's output folder (DESIGN.md section 3), all atomic.

    segments.jsonl      one record per segment, documents in input order
    cleaned/<doc>.txt   cleaned article text (boilerplate left out)
    summary.json        per-document counts, failures, settings

Every file is written to a temporary name in the same folder and then renamed, so
a reader never sees half a file and an interrupted run leaves the old one intact.
"""

from __future__ import annotations

import itertools
import json
import os
import secrets
from concurrent.futures import Future, ThreadPoolExecutor
from collections import Counter, deque
from collections.abc import Iterable, Iterator
from pathlib import Path

from ..decisions import Decisions
from ..document import BODY, BOILERPLATE, HEADING, Document, segment_record


def write_atomic(path: Path, text: str | bytes | Iterable[str]) -> None:
    """Write `text` (or text chunks, written as they come) to `path` all at once."""
    fd, tmp = _temporary(path)
    try:
        if isinstance(text, (str, bytes)):
            # os.write rather than a file object: a file costs four system calls, not nine
            # (cleaned texts are written on a thread, and each call hands the GIL over twice)
            try:
                data = memoryview(text.encode("utf-8") if isinstance(text, str) else text)
                while data:
                    data = data[os.write(fd, data):]
            finally:
                os.close(fd)
        else:
            with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
                fh.writelines(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


_TEMPORARIES = itertools.count()
_CREATE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)


def _temporary(path: Path) -> tuple[int, str]:
    """A new empty file beside `path`, to be renamed over it; its folder is made if need be.
    Made with os.open and mode 0o666, so the kernel applies the umask: outputs get the
    usual permissions (mkstemp would make them readable by their owner only)."""
    name = f".{path.name}.{os.getpid()}-{next(_TEMPORARIES)}.tmp"
    for _attempt in range(100):
        tmp = f"{path.parent}{os.sep}{name}"
        try:
            return os.open(tmp, _CREATE, 0o666), tmp
        except FileNotFoundError:
            path.parent.mkdir(parents=True, exist_ok=True)
        except FileExistsError:  # left behind by a killed run that had this process id
            name = f".{path.name}.{os.getpid()}-{secrets.token_hex(4)}.tmp"
    raise FileExistsError(f"no free temporary name beside {path}")


# json.dumps(value, ensure_ascii=False) for one line of JSONL: the encoder made once rather
# than per call, and no check for circular references (records and summaries are trees)
_json_line = json.JSONEncoder(ensure_ascii=False, check_circular=False).encode


def to_json(value) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2, sort_keys=False) + "\n"


def summary_json(summary: dict) -> Iterator[str]:
    """`to_json(summary)` in pieces, the per-document list read item by item, so a batch
    of any length is written without holding its summaries or its JSON in memory."""
    def dump(value, depth: int) -> str:
        return json.dumps(value, ensure_ascii=False, indent=2).replace("\n", "\n" + "  " * depth)

    yield "{"
    for i, (key, value) in enumerate(summary.items()):
        yield ("," if i else "") + f"\n  {dump(key, 1)}: "
        if isinstance(value, DocumentSummaries):
            yield "[" if len(value) else "[]"
            for k, item in enumerate(value):
                yield ("," if k else "") + "\n    " + dump(item, 2)
            yield "\n  ]" if len(value) else ""
        else:
            yield dump(value, 1)
    yield "\n}\n"


class DocumentSummaries:
    """The batch's per-document summaries, kept in a file as they come, with running totals.

    Iterating reads them back in order (the summary and the index are written from
    them), so memory does not grow with the number of documents.
    """

    TOTALS = ("segments", "body", "headings", "boilerplate", "edits", "flags", "garbled", "suppressed")

    def __init__(self, path: Path):
        self.path = path
        self.count = 0
        self.totals: Counter = Counter()
        self.by_rule: Counter = Counter()
        self.by_code: Counter = Counter()
        self.decisions_applied: set[int] = set()  # numbers of the reviewer decisions some document applied
        self.quality_totals: Counter = Counter()  # words and error points
        self.quality_errors: Counter = Counter()  # (error type, severity) -> count
        self.quality_failed = 0  # documents that fail: over the threshold, or a reviewer said so
        self.quality_overridden: Counter = Counter()  # reviewers' verdicts: "pass"/"fail" -> documents
        path.parent.mkdir(parents=True, exist_ok=True)
        self._fh = open(path, "w", encoding="utf-8", newline="\n")

    def add(self, summary: dict) -> None:
        self._fh.write(_json_line(summary) + "\n")
        self.count += 1
        for key in self.TOTALS:
            self.totals[key] += summary[key]
        self.by_rule.update(summary["edits_by_rule"])
        self.by_code.update(summary["flags_by_code"])
        self.decisions_applied.update(summary.get("decisions_applied", ()))
        quality = summary.get("quality")
        if quality is not None:
            self.quality_failed += not quality["passed"]
            if "override" in quality:  # judged by its reviewer, not by its points
                self.quality_overridden[quality["override"]["verdict"]] += 1
                return
            self.quality_totals.update({"words": quality["words"], "points": quality["points"]})
            self.quality_errors.update({(kind, severity): n for kind, by in quality["errors"].items()
                                        for severity, n in by.items()})

    def batch_quality(self, threshold: float) -> dict:
        """The batch's quality score: its documents' error points over their words. A
        document a reviewer gave a verdict counts by that verdict instead: its words and
        points leave the score, and one they failed fails the batch."""
        words, points = self.quality_totals["words"], round(self.quality_totals["points"], 2)
        score = round(points * 1000 / words, 2) if words else 0.0
        errors: dict[str, dict[str, int]] = {}
        for (kind, severity), n in sorted(self.quality_errors.items()):
            errors.setdefault(kind, {})[severity] = n
        overridden = dict(sorted(self.quality_overridden.items()))
        return {"words": words, "points": points, "score": score, "threshold": threshold,
                "passed": score <= threshold and not overridden.get("fail"),
                "documents_failed": self.quality_failed, "errors": errors,
                **({"overridden": overridden} if overridden else {})}

    def __len__(self) -> int:
        return self.count

    def __iter__(self) -> Iterator[dict]:
        self._fh.flush()
        with open(self.path, encoding="utf-8") as fh:
            for line in fh:
                yield json.loads(line)

    def discard(self) -> None:
        self._fh.close()
        self.path.unlink(missing_ok=True)


def find_record(out: Path, doc: str, index: int) -> dict | None:
    """The record of `doc`'s segment `index` in the output folder's segments.jsonl, or None;
    OSError when the file cannot be read, ValueError when a line is not a record."""
    with open(Path(out) / "segments.jsonl", encoding="utf-8") as fh:
        for line in fh:
            record = json.loads(line)
            if record.get("doc") == doc and record.get("index") == index:
                return record
    return None


def segment_records(doc: Document) -> bytes:
    """The document's lines of segments.jsonl."""
    return "".join(_json_line(segment_record(doc, seg)) + "\n" for seg in doc.segments).encode("utf-8")


class SegmentsWriter:
    """Streams segments.jsonl to a temporary file; `close()` renames it into place."""

    def __init__(self, path: Path):
        self.path = path
        fd, self.tmp = _temporary(path)
        self.fh = os.fdopen(fd, "wb")
        self.offset = 0

    def write_raw(self, records: bytes) -> tuple[int, bytes]:
        """Write a document's records (`segment_records`, or as an earlier run wrote them:
        see `pipeline.run.cache`); returns where they start and what was written."""
        at = self.offset
        self.fh.write(records)
        self.offset += len(records)
        return at, records

    def close(self) -> None:
        self.fh.close()
        os.replace(self.tmp, self.path)

    def abort(self) -> None:
        self.fh.close()
        Path(self.tmp).unlink(missing_ok=True)


class FileWriter:
    """`write_atomic` on a background thread, in order: the batch goes on processing while
    the file system creates each document's files (0.2 to 0.4 ms a file on this machine,
    a twentieth of a short article's processing). At most `limit` writes wait; an error
    is raised by the next `write` or by `close`."""

    def __init__(self, limit: int = 64):
        self.pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="pipeline-writer")
        self.pending: deque[Future] = deque()
        self.limit = limit

    def write(self, path: Path, text: str | bytes) -> None:
        self.pending.append(self.pool.submit(write_atomic, path, text))
        while len(self.pending) > self.limit or (self.pending and self.pending[0].done()):
            self.pending.popleft().result()

    def close(self) -> None:
        """Wait for every write; raise the first error."""
        try:
            while self.pending:
                self.pending.popleft().result()
        finally:
            self.abort()

    def abort(self) -> None:
        """Drop the writes not started; wait for the one under way."""
        self.pool.shutdown(wait=True, cancel_futures=True)


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
        "source_lang": doc.source_lang if any(seg.source for seg in doc.segments) else None,
        # segments a reviewer should look at: flagged or garbled, chrome aside
        "to_review": sum(1 for seg in doc.segments if seg.kind != BOILERPLATE and (seg.flags or seg.garbled)),
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
        "suppressed": len(doc.suppressed),  # findings the lasting suppressions silenced
        **({"quality": doc.quality.as_dict()} if doc.quality is not None else {}),
        **({"source_lang": doc.source_lang, "notes": doc.notes} if doc.notes else {}),
        **({"decisions_applied": sorted({d.number for _index, d in doc.decisions_applied})}
           if doc.decisions_applied else {}),
    }


def decisions_summary(decisions: Decisions, applied: set[int]) -> dict:
    """How many of the reviewer decisions were applied, and those that matched nothing
    (their sentence, or the text at their place, changed)."""
    stale = [d for d in decisions.all() if d.number not in applied]
    return {"total": len(decisions), "applied": len(decisions) - len(stale),
            "stale": [{**d.as_dict(), "why": d.lapsed()} for d in stale]}


def batch_summary(documents: DocumentSummaries, failures: list[dict], settings: dict, version: str,
                  resources: dict | None = None, decisions: Decisions | None = None) -> dict:
    """The batch's summary.json (write it with `summary_json`); `resources` names the data
    stages used (e.g. glossaries); `decisions`, the reviewer decisions the run was given."""
    return {
        "pipeline_version": version,
        "settings": settings,
        "resources": resources or {},
        "totals": {"documents": len(documents), "failed": len(failures),
                   **{key: documents.totals[key] for key in DocumentSummaries.TOTALS}},
        "edits_by_rule": dict(sorted(documents.by_rule.items())),
        "flags_by_code": dict(sorted(documents.by_code.items())),
        "quality": documents.batch_quality(settings["lqa_threshold"]),
        **({"decisions": decisions_summary(decisions, documents.decisions_applied)} if decisions else {}),
        "documents": documents,
        "failures": failures,
    }
