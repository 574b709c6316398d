"""Run the stages over a batch of input files and write every output.

Documents are read, processed and written one at a time (only per-document
summaries are kept for the index), in input order. A document that cannot be read
or processed is recorded as a failure with a one-line reason; the rest go on.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from . import __version__
from .baseline import compare, load_records
from .config import Settings, SettingsError
from .document import Document
from .exports import EXPORTS, WRITERS
from .outputs import SegmentsWriter, batch_summary, document_summary, to_json, write_atomic, write_cleaned
from .report import render_document, render_index
from .stages import build_stages, run_stages
from .stages.read import ReadFailure, discover, read_file


@dataclass
class BatchResult:
    summary: dict
    failures: list[dict] = field(default_factory=list)


def check_output_folder(inputs: Iterable[Path], out_dir: Path) -> None:
    """Refuse an output folder that is or lies inside an input folder, or that holds an input."""
    out = out_dir.resolve()
    for item in inputs:
        if not item.exists():
            raise SettingsError(f"{item}: no such file or folder")
        path = item.resolve()
        if path.is_dir() and (out == path or path in out.parents):
            raise SettingsError(f"--out {out_dir} is inside input folder {item}: choose another output folder")
        if out == path or out in path.parents:
            raise SettingsError(f"input {item} is inside the output folder {out_dir}: choose another output folder")


class DocumentIds:
    """File-name-safe document ids, unique within the batch (first come keeps the name)."""

    def __init__(self) -> None:
        self.taken: set[str] = set()

    def claim(self, wanted: str) -> str:
        base = re.sub(r"[^\w.-]+", "_", wanted).strip("._") or "doc"
        candidate, n = base, 1
        while candidate.lower() in self.taken:
            n += 1
            candidate = f"{base}-{n}"
        self.taken.add(candidate.lower())
        return candidate


def run_batch(inputs: list[str], out_dir: str | Path, settings: Settings,
              on_start: Callable[[int], None] | None = None,
              on_file: Callable[[Path], None] | None = None,
              report: Callable[[str], None] = lambda msg: print(msg, file=sys.stderr),
              baseline: str | Path | None = None) -> BatchResult:
    """Process every document under `inputs` and write the outputs to `out_dir`.

    `on_start(n)` is told how many input files were found, `on_file(path)` when each
    is done (a progress bar uses both); `report(message)` receives per-document errors.
    With `baseline` (an earlier output folder, possibly `out_dir` itself), the summary
    and index compare this run's flags with that run's.
    """
    out = Path(out_dir)
    check_output_folder([Path(i) for i in inputs], out)
    old_records = load_records(baseline) if baseline is not None else None  # before it is overwritten
    files = discover(inputs)
    if on_start:
        on_start(len(files))
    stages = build_stages(settings)
    ids = DocumentIds()
    documents: list[dict] = []
    failures: list[dict] = []
    written: set[Path] = set()

    out.mkdir(parents=True, exist_ok=True)
    segments = SegmentsWriter(out / "segments.jsonl")
    try:
        for path in files:
            for item in read_file(path, path.stem, settings.encoding):
                doc_id = ids.claim(item.doc if isinstance(item, ReadFailure) else item.id)
                if isinstance(item, ReadFailure):
                    failures.append({"doc": doc_id, "path": item.path, "reason": item.reason})
                    report(f"error: {item.path}: {item.reason}")
                    continue
                item.id = doc_id
                try:
                    doc = run_stages(item, stages)
                except Exception as exc:  # one bad document must not stop the batch
                    reason = f"internal error while processing: {type(exc).__name__}: {exc}"
                    failures.append({"doc": doc_id, "path": item.path, "reason": reason})
                    report(f"error: {item.path}: {reason}")
                    continue
                written |= _write_document(out, doc, segments, settings.export)
                documents.append(document_summary(doc))
            if on_file:
                on_file(path)
        segments.close()
    except BaseException:
        segments.abort()
        raise

    _remove_stale(out, written)
    resources = {stage.name: stage.describe() for stage in stages if hasattr(stage, "describe")}
    summary = batch_summary(documents, failures, settings.as_dict(), __version__, resources)
    if old_records is not None:
        summary["baseline"] = compare(old_records, load_records(out))
    write_atomic(out / "summary.json", to_json(summary))
    write_atomic(out / "index.html", render_index(summary))
    return BatchResult(summary, failures)


def _write_document(out: Path, doc: Document, segments: SegmentsWriter, exports: tuple[str, ...]) -> set[Path]:
    segments.write(doc)
    page = out / "docs" / f"{doc.id}.html"
    write_atomic(page, render_document(doc))
    written = {write_cleaned(out, doc).resolve(), page.resolve()}
    for fmt in exports:
        path = out / "export" / f"{doc.id}{EXPORTS[fmt]}"
        write_atomic(path, WRITERS[fmt](doc))
        written.add(path.resolve())
    return written


def _remove_stale(out: Path, written: set[Path]) -> None:
    """Drop cleaned texts, pages and exports an earlier run wrote for documents no longer in the batch."""
    for folder, suffix in (("cleaned", ".txt"), ("docs", ".html"), ("export", ".xlf"), ("export", ".tmx")):
        for path in (out / folder).glob(f"*{suffix}"):
            if path.resolve() not in written:
                path.unlink()
