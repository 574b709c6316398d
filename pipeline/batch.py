"""Run the stages over a batch of input files and write every output.

Documents are read, processed and written one at a time (only per-document
summaries are kept for the index), in input order; with `jobs` > 1 a bounded number
of them are in flight in worker processes at once. A document that cannot be read
or processed is recorded as a failure with a one-line reason; the rest go on.
"""

from __future__ import annotations

import re
import sys
from collections import deque
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from . import __version__
from .baseline import compare, load_records
from .config import Settings, SettingsError
from .document import Document
from .exports import EXPORTS, WRITERS
from .outputs import SegmentsWriter, batch_summary, document_summary, to_json, write_atomic, write_cleaned
from .report import render_document, render_index
from .stages import build_stages, run_stages, settle_heap
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
              baseline: str | Path | None = None, jobs: int = 1, reports: bool = True) -> BatchResult:
    """Process every document under `inputs` and write the outputs to `out_dir`.

    `on_start(n)` is told how many input files were found, `on_file(path)` when each
    is done (a progress bar uses both); `report(message)` receives per-document errors.
    With `baseline` (an earlier output folder, possibly `out_dir` itself), the summary
    and index compare this run's flags with that run's. With `jobs` > 1, documents are
    processed in that many worker processes; the output is the same, in input order.
    `reports=False` skips the HTML pages (docs/ and index.html).
    """
    out = Path(out_dir)
    check_output_folder([Path(i) for i in inputs], out)
    old_records = load_records(baseline) if baseline is not None else None  # before it is overwritten
    files = discover(inputs)
    if on_start:
        on_start(len(files))
    stages = build_stages(settings)  # in this process too: it checks the glossaries before any work
    settle_heap()
    documents: list[dict] = []
    failures: list[dict] = []
    written: set[Path] = set()

    out.mkdir(parents=True, exist_ok=True)
    segments = SegmentsWriter(out / "segments.jsonl")
    try:
        for path, result in _process(_read(files, settings), stages, settings, jobs):
            if isinstance(result, ReadFailure):
                failures.append({"doc": result.doc, "path": result.path, "reason": result.reason})
                report(f"error: {result.path}: {result.reason}")
            elif result is not None:
                written |= _write_document(out, result, segments, settings.export, reports)
                documents.append(document_summary(result))
            elif on_file:  # None marks the end of a file
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
    if reports:
        write_atomic(out / "index.html", render_index(summary))
    return BatchResult(summary, failures)


def _read(files: list[Path], settings: Settings):
    """(path, Document or ReadFailure) in input order with unique ids; (path, None) ends a file."""
    ids = DocumentIds()
    for path in files:
        for item in read_file(path, path.stem, settings.encoding):
            if isinstance(item, ReadFailure):
                item.doc = ids.claim(item.doc)
            else:
                item.id = ids.claim(item.id)
            yield path, item
        yield path, None


def _run_one(doc: Document, stages: list) -> Document | ReadFailure:
    try:
        return run_stages(doc, stages)
    except Exception as exc:  # one bad document must not stop the batch
        return ReadFailure(doc.id, doc.path, f"internal error while processing: {type(exc).__name__}: {exc}")


_worker_stages: list = []


def _init_worker(settings: Settings) -> None:
    """Each worker builds its own stages from the (small, picklable) settings."""
    _worker_stages[:] = build_stages(settings)
    settle_heap()


def _work(doc: Document) -> Document | ReadFailure:
    return _run_one(doc, _worker_stages)


def _process(items, stages: list, settings: Settings, jobs: int):
    """Run the stages over `items`, yielding results in input order.

    With several jobs, documents go to a process pool through a bounded window
    (a few per worker), so memory stays flat however long the batch is.
    """
    if jobs <= 1:
        for path, item in items:
            yield path, _run_one(item, stages) if isinstance(item, Document) else item
        return
    window: deque = deque()
    with ProcessPoolExecutor(max_workers=jobs, initializer=_init_worker, initargs=(settings,)) as pool:
        for path, item in items:
            window.append((path, pool.submit(_work, item) if isinstance(item, Document) else item))
            while len(window) > WINDOW_PER_JOB * jobs:
                yield _settle(window.popleft())
        while window:
            yield _settle(window.popleft())


WINDOW_PER_JOB = 4


def _settle(entry):
    path, value = entry
    return path, value.result() if isinstance(value, Future) else value


def _write_document(out: Path, doc: Document, segments: SegmentsWriter, exports: tuple[str, ...],
                    reports: bool = True) -> set[Path]:
    segments.write(doc)
    written = {write_cleaned(out, doc).resolve()}
    if reports:
        page = out / "docs" / f"{doc.id}.html"
        write_atomic(page, render_document(doc))
        written.add(page.resolve())
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
