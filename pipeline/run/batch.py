"""Run the stages over a batch of input files and write every output.

Documents are read, processed and written one at a time (only per-document
summaries are kept for the index), in input order; with an executor of several
workers (`pipeline.run.executors`) a bounded number of them are in flight at once. A
document that cannot be read or processed is recorded as a failure with a one-line
reason; the rest go on.
"""

from __future__ import annotations

import gc
import hashlib
import json
import os
import re
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from .. import __version__
from ..config import PATH_SETTINGS, Settings, SettingsError
from ..document import Document
from ..formats.read import ReadFailure, discover, read_file
from ..glossary import shipped_glossaries
from ..outputs import BATCH_OUTPUTS, OUTPUTS, Batch, Wanted, chosen
from ..outputs.write import (DocumentSummaries, FileWriter, SegmentsWriter, batch_summary, document_summary,
                             segment_records, write_atomic)
from ..stages import Shared, build_language_stages, build_stages, describe_stages, run_stages
from ..stages.garble import prepare_judge
from ..text.variants import batch_groups
from .baseline import compare, load_records
from .cache import RunCache, content_hash, document_key, file_hash, named_content
from .executors import InProcess
from .outfolder import OutputFolder
from .recurring import RecurringLines, count_files, is_plain_text_page


@dataclass
class BatchResult:
    """What a run did. `summary` is summary.json less its per-document list, which can be
    long: `documents()` reads it from the output folder."""

    out: Path
    summary: dict
    failures: list[dict] = field(default_factory=list)
    reused: int = 0  # documents whose previous outputs stood (pipeline.run.cache)

    def documents(self) -> list[dict]:
        return json.loads((self.out / "summary.json").read_text(encoding="utf-8"))["documents"]


@dataclass(frozen=True)
class Progress:
    """Who is told how a run goes: `started(files)` the input files found, `file_done(path)`
    when each is done (`pipeline.run.terminal` shows both), `problem(message)` each document
    that failed."""

    started: Callable[[list[Path]], None] = lambda _files: None
    file_done: Callable[[Path], None] = lambda _path: None
    problem: Callable[[str], None] = lambda message: print(message, file=sys.stderr)


QUIET = Progress(problem=lambda _message: None)


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


# File systems allow 255 bytes a name; an id leaves room for the longest output name
# (".<id>.html.<random>.tmp" while it is written).
ID_BYTES = 160


class DocumentIds:
    """File-name-safe document ids, unique within the batch (first come keeps the name).
    An id too long for a file name is cut and given a hash of the whole, so two long ids
    that share their start stay two documents."""

    def __init__(self) -> None:
        self.taken: set[str] = set()

    def claim(self, wanted: str) -> str:
        base = re.sub(r"[^\w.-]+", "_", wanted).strip("._") or "doc"
        if len(base.encode("utf-8")) > ID_BYTES:
            digest = hashlib.sha256(wanted.encode("utf-8", "surrogatepass")).hexdigest()[:12]
            cut = base.encode("utf-8")[:ID_BYTES - 13].decode("utf-8", "ignore")
            base = f"{cut}-{digest}"
        candidate, n = base, 1
        while candidate.lower() in self.taken:
            n += 1
            candidate = f"{base}-{n}"
        self.taken.add(candidate.lower())
        return candidate


def run_batch(inputs: list[str], out_dir: str | Path, settings: Settings, *, executor=InProcess(),
              reports: bool = True, cache: bool = True, baseline: str | Path | None = None,
              progress: Progress = Progress(), profile: dict | None = None) -> BatchResult:
    """Process every document under `inputs` and write the outputs to `out_dir`.

    A run is its `STEPS`, in order, over one `Run`: a reader (`_read`), the re-run cache
    as a filter (`_read_or_reuse`), the stages (`DocumentWork`, run by `executor`, see
    `pipeline.run.executors`) and the writers (segments.jsonl, the registry of
    per-document outputs, the summary and index). The output is the same whatever the
    executor, in input order.
    `reports=False` skips the HTML pages (docs/ and index.html). With `cache`, documents
    whose input, glossary entries and settings are unchanged since the last run into
    `out_dir` are not processed again (see `pipeline.run.cache`); the outputs are the same.
    With `baseline` (an earlier output folder, possibly `out_dir` itself), the summary
    and index compare this run's flags with that run's. `profile` (`config.profile_record`)
    says which profile the settings came from, for the summary and the index.
    """
    out = Path(out_dir)
    check_output_folder([Path(i) for i in inputs], out)
    # The language-model judge is probed in a child process first: when it cannot be used
    # the run goes on with the rules judge and says why (summary.json, the index).
    settings, judge_note = prepare_judge(settings, executor.workers)
    plan = StagePlan.of(settings)
    # Built here too: it checks the glossaries before any work, and workers forked from
    # this process (a local pool on Linux) find them built.
    built = built_for(plan)
    carried = tuple(d.as_dict() for d in built.shared.decisions.all()) if settings.decisions else None
    with OutputFolder.claim(out) as folder:  # one run at a time; what a killed run left is removed
        run = Run(inputs, out, settings, plan, built, executor, progress, folder, reports, cache, baseline,
                  judge_note, wanted=Wanted(reports, settings.export, settings.report_formats, carried),
                  profile=profile)
        try:
            for step in STEPS:
                step(run)
            folder.finish()
        except BaseException:
            for opened in (run.writer, run.segments, run.previous):
                if opened is not None:
                    opened.abort()
            raise
        finally:
            if run.documents is not None:
                run.documents.discard()
        return BatchResult(out, {k: v for k, v in run.summary.items() if k != "documents"}, run.failures,
                           reused=run.previous.reused)


@dataclass
class Run:
    """What the steps of one run share: what it was given, and what the steps made so far."""

    inputs: list[str]
    out: Path
    settings: Settings
    plan: StagePlan
    built: BuiltStages
    executor: object
    progress: Progress
    folder: OutputFolder
    reports: bool
    cache: bool
    baseline: str | Path | None
    judge_note: str | None
    wanted: Wanted
    profile: dict | None = None  # the profile the settings came from (name, file, SHA-256)
    files: list[Path] = field(default_factory=list)
    failures: list[dict] = field(default_factory=list)
    written: set[str] = field(default_factory=set)  # ids of the documents written
    old_records: list | None = None  # the baseline's, read before this run overwrites them
    previous: RunCache | None = None
    documents: DocumentSummaries | None = None
    segments: SegmentsWriter | None = None
    writer: FileWriter | None = None  # cleaned texts, pages and exports
    summary: dict = field(default_factory=dict)

    @property
    def outputs(self) -> list:
        return chosen(self.wanted)


def mark_incomplete(run: Run) -> None:
    """The index says the folder is being written until the run has written everything."""
    if run.reports:
        pages = sorted(p.name[:-len(".html")] for p in (run.out / "docs").glob("*.html"))
        from ..outputs.report import render_incomplete  # jinja2: only for a run that writes pages
        write_atomic(run.out / "index.html", render_incomplete(run.folder.incomplete_message(), pages))


def read_baseline(run: Run) -> None:
    if run.baseline is not None:  # before it is overwritten (it may be this folder)
        run.old_records = load_records(run.baseline)


def find_inputs(run: Run) -> None:
    run.files, skipped = discover(run.inputs, run.settings.follow_symlinks)
    run.progress.started(run.files)
    for link in skipped:
        run.failures.append({"doc": link.doc, "path": link.path, "reason": link.reason})
        run.progress.problem(f"error: {link.path}: {link.reason}")


def open_cache_and_writers(run: Run) -> None:
    """The re-run cache, read before segments.jsonl is rewritten, and the writers."""
    run.previous = RunCache(run.out, run.settings, run.built.shared.glossaries.glossaries, enabled=run.cache)
    run.previous.start()
    run.documents = DocumentSummaries(run.out / f".documents.{os.getpid()}.jsonl.tmp")
    run.segments = SegmentsWriter(run.out / "segments.jsonl")
    run.writer = FileWriter()


def process_documents(run: Run) -> None:
    """Each document read (or its previous outputs, when they stand), run through the
    stages by the executor, and written, in input order."""
    keys: dict[str, str] = {}  # document id -> hash as read, while it is being processed
    outputs = run.outputs
    read = _read_or_reuse(run.files, run.settings, run.previous, keys,
                          lambda doc_id: [run.out / output.path(doc_id) for output in outputs])
    work = DocumentWork(run.plan, run.wanted, run.built)
    if run.executor.forks:
        work.prepare()
    for path, result in run.executor.map_in_order(work, read):
        if isinstance(result, ReadFailure):
            keys.pop(result.doc, None)
            run.failures.append({"doc": result.doc, "path": result.path, "reason": result.reason})
            run.progress.problem(f"error: {result.path}: {result.reason}")
        elif result is not None:  # a RenderedDocument, or a CachedDocument whose other outputs stand
            offset, records = run.segments.write_raw(result.records)
            for name, content in getattr(result, "files", ()):  # a CachedDocument's stand
                run.writer.write(run.out / name, content)
            run.previous.record(result.id, keys.pop(result.id), offset, records, result.summary,
                                result.file_hashes)
            run.written.add(result.id)
            run.documents.add(result.summary)
        else:  # None marks the end of a file
            run.progress.file_done(path)


def close_writers(run: Run) -> None:
    run.writer.close()
    run.segments.close()
    run.previous.commit()


def remove_stale(run: Run) -> None:
    _remove_stale(run.out, run.written, run.outputs)


def summarise(run: Run) -> None:
    """summary.json's content: totals, resources, decisions, the batch's inconsistent
    translations and, with a baseline, the comparison with it."""
    resources = describe_stages(run.built.stages)
    if run.judge_note:
        resources.setdefault("garble", {})["judge_note"] = run.judge_note
    decisions = run.built.shared.decisions if run.settings.decisions else None
    summary = batch_summary(run.documents, run.failures, run.settings.as_dict(), __version__, resources, decisions)
    groups = batch_groups(run.out / "segments.jsonl")
    if groups:
        summary["inconsistent_translations"] = groups
    if run.old_records is not None:
        summary["baseline"] = compare(run.old_records, load_records(run.out))
    if run.profile is not None:
        summary["profile"] = run.profile
    if run.settings.suppressions:
        entries = run.built.shared.suppressions.entries
        summary["suppressions"] = {"file": run.settings.suppressions, "entries": len(entries),
                                   "silenced": run.documents.totals["suppressed"],
                                   "listed": [entry.as_dict() for entry in entries]}
    run.summary = summary


def write_batch_files(run: Run) -> None:
    """The batch's files a run asks for (`outputs.BATCH_OUTPUTS`, in order: summary.json,
    the QA reports, the index); an earlier run's QA reports not asked for this time go."""
    batch = Batch(run.out, run.summary, [d["doc"] for d in run.documents], run.failures, __version__)
    for output in BATCH_OUTPUTS:
        if output.wanted(run.wanted):
            write_atomic(run.out / output.file, output.render(batch))
        elif output.removed_unwanted:
            (run.out / output.file).unlink(missing_ok=True)


# A run, in order. Each step reads and writes the `Run`; the folder is marked finished
# after the last, and what a step opened is aborted if any raises.
STEPS = (mark_incomplete, read_baseline, find_inputs, open_cache_and_writers, process_documents, close_writers,
         remove_stale, summarise, write_batch_files)


def _read(files: list[Path], settings: Settings):
    """(path, Document or ReadFailure) in input order with unique ids; (path, None) ends a
    file. A plain-text page carries the lines it shares with other pages of the batch
    (a first pass over them, `pipeline.run.recurring`)."""
    ids = DocumentIds()
    counted = settings.boilerplate and settings.recurring_lines
    recurring = count_files(files, settings.encoding) if counted else RecurringLines()
    for path in files:
        for item in read_file(path, path.stem, settings.encoding):
            if isinstance(item, ReadFailure):
                item.doc = ids.claim(item.doc)
            else:
                item.id = ids.claim(item.id)
                if is_plain_text_page(path):
                    item.recurring_lines = recurring.of(item)
            yield path, item
        yield path, None


def _read_or_reuse(files: list[Path], settings: Settings, previous: RunCache, keys: dict[str, str], outputs):
    """`_read`, with documents whose previous outputs stand replaced by those outputs."""
    for path, item in _read(files, settings):
        if isinstance(item, Document):
            keys[item.id] = key = document_key(item)
            cached = previous.lookup(item, key, outputs(item.id))
            if cached is not None:
                previous.reused += 1
                item = cached
        yield path, item


@dataclass
class RenderedDocument:
    """A processed document as its outputs, made where it was processed (a worker process,
    a cluster), so the main process only writes them and little crosses between the two."""

    id: str
    records: bytes  # its lines of segments.jsonl
    files: list[tuple[str, str | bytes]]  # (path in the output folder, content)
    summary: dict
    file_hashes: dict[str, str]  # path in the output folder -> SHA-256 of its content, for the cache


def _render(doc: Document, wanted: Wanted) -> RenderedDocument:
    files = [(output.path(doc.id), output.render(doc, wanted)) for output in chosen(wanted)]
    return RenderedDocument(doc.id, segment_records(doc), files, document_summary(doc),
                            {name: content_hash(content) for name, content in files})


def _run_one(doc: Document, built: BuiltStages, wanted: Wanted) -> RenderedDocument | ReadFailure:
    try:
        return _render(built.process(doc), wanted)
    except Exception as exc:  # one bad document must not stop the batch
        return ReadFailure(doc.id, doc.path, f"internal error while processing: {type(exc).__name__}: {exc}")


@dataclass(frozen=True)
class StagePlan:
    """What a process needs to build the run's stages: the settings, and a hash of the
    files they name (glossaries, decisions, line weights, rules), so that a worker outliving a run
    (a Dask worker) never reuses stages built from an older version of those files."""

    settings: Settings
    files_hash: str

    @classmethod
    def of(cls, settings: Settings) -> StagePlan:
        hashes = [f"{p}={file_hash(Path(p))}" for p in (list(settings.glossaries) or shipped_glossaries())]
        for name in PATH_SETTINGS:  # every other file a setting names, as its declaration says
            value = getattr(settings, name)
            if name != "glossaries" and value:
                hashes.append(f"{name}:{named_content(name, value)}")
        return cls(settings, content_hash("\0".join(hashes)))


def settle_heap() -> None:
    """Exempt everything loaded so far from garbage collection: glossary automata, word
    lists and tables, kept as long as the process. Otherwise each full collection walks
    them again, and a batch with a large glossary pays for its size on every document;
    in forked workers, the collector touching them would copy every shared page. Called
    by the run once its stages are built and, before forking workers, once more after
    the warm-up: the pipeline's only calls to the collector.

    No collection first (Python's documentation of `gc.freeze` does the same before a
    fork): it would walk every object once more (0.08 s with a 10,000-entry glossary) to
    find a few dozen garbage objects of start-up, which are then kept for the process."""
    gc.freeze()


@dataclass
class BuiltStages:
    """A process's stages and what they share (`stages.Shared`), built for a plan."""

    shared: Shared
    stages: list
    by_language: dict[str, list]  # the later stages of the languages given settings of their own

    @classmethod
    def of(cls, settings: Settings) -> BuiltStages:
        """The stages of `settings` and what they share, loaded, the heap settled after."""
        shared = Shared.load(settings)
        built = cls(shared, build_stages(settings, shared), build_language_stages(settings, shared))
        settle_heap()
        return built

    def process(self, doc: Document) -> Document:
        return run_stages(doc, self.stages, self.by_language)


@lru_cache(maxsize=2)
def built_for(plan: StagePlan) -> BuiltStages:
    """A process's stages for a plan, built once and kept: the run's, and a worker's for
    the chunks it is sent (a forked worker inherits the run's)."""
    return BuiltStages.of(plan.settings)


# A misspelt word ("resettelment") has the spelling stage load its English dictionaries
# (both the first and a variant) and the word tables its corrections ask, which forked
# workers then share.
WARM_UP_TEXT = ("The county government said on Monday that 1,200 families had moved into new homes.\n\n"
                "Officials visited the resettelment sites , and the residents were satisfied with their jobs.\n")


class DocumentWork:
    """What is done to documents wherever they are processed (an executor's `work`): the
    stages, then the outputs rendered. Sent to a worker, it carries only the plan and the
    outputs wanted, and the worker builds its own stages once; here, it uses the run's."""

    def __init__(self, plan: StagePlan, wanted: Wanted, built: BuiltStages | None = None):
        self.plan, self.wanted, self.built = plan, wanted, built

    def __getstate__(self):
        return self.plan, self.wanted  # the stages stay in the process that built them

    def __setstate__(self, state) -> None:
        self.plan, self.wanted = state
        self.built = None

    def prepare(self) -> None:
        """Run the stages once on a short English text, so that what they load on first
        use (spelling dictionaries, word tables) is loaded here, before workers are forked
        from this process and share it; then exempt it all from garbage collection, which
        would otherwise touch (and so copy) every shared page in every worker."""
        if self.built is not None:
            self.built.process(Document("warm-up", "warm-up.txt", "txt", WARM_UP_TEXT))
            settle_heap()

    def __call__(self, chunk: list[Document]) -> list[RenderedDocument | ReadFailure]:
        built = self.built if self.built is not None else built_for(self.plan)
        return [_run_one(doc, built, self.wanted) for doc in chunk]


def _remove_stale(out: Path, written: set[str], outputs: list) -> None:
    """Drop the files of every declared output kind (`outputs.OUTPUTS`) that this
    run did not write: an earlier run's, for documents no longer in the batch or for
    outputs not asked for this time."""
    for output in OUTPUTS:
        for path in (out / output.folder).glob(f"*{output.suffix}"):
            if output not in outputs or path.name[:-len(output.suffix)] not in written:
                path.unlink()


