"""The files a run writes into its output folder, declared once.

Each `DocumentOutput` names a file kind, where it goes for a document id and how it is
rendered. The batch renders the outputs a run asks for (`chosen`), the re-run cache
checks those same files before reusing a document, and the clean-up at the end of a run
removes any file of a declared kind that the run did not write. Adding an output is
one entry in `OUTPUTS`. The files of the whole batch (summary.json, the QA reports, the
index) are `BATCH_OUTPUTS`, written in that order once every document is written;
segments.jsonl is written as the documents come (`outputs.write.SegmentsWriter`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from ..document import Document, cleaned_text
from ..formats import WRITTEN
from .qa_reports import FILE_NAMES as QA_FILES, csv_report, junit_report, qa_rows, sarif_report, xlsx_report
from .write import summary_json


@dataclass(frozen=True)
class Wanted:
    """Which outputs a document gets besides its records and cleaned text."""

    reports: bool
    exports: tuple[str, ...]
    report_formats: tuple[str, ...] = ()  # the QA reports (--report-format)
    # The run's reviewer decisions (`Decision.as_dict()`), which each page's export carries;
    # None when the run has no decisions file.
    decisions: tuple[dict, ...] | None = None


@dataclass(frozen=True)
class DocumentOutput:
    name: str  # the output's name: "cleaned", "page", or an --export format
    folder: str  # its folder in the output folder
    suffix: str
    render: Callable[[Document, Wanted], str | bytes]
    wanted: Callable[[Wanted], bool]  # whether a run asks for it

    def path(self, doc_id: str) -> str:
        """Where it goes for a document, relative to the output folder."""
        return f"{self.folder}/{doc_id}{self.suffix}"


# The review pages' module (jinja2) is imported when a run first renders one: a run with
# --no-report never loads it.
def _page(doc: Document, wanted: Wanted) -> str:
    from .report import render_document
    return render_document(doc, decisions=None if wanted.decisions is None else list(wanted.decisions))



def _chrome(doc: Document) -> str:
    from .report import render_chrome
    return render_chrome(doc)


OUTPUTS = (
    DocumentOutput("cleaned", "cleaned", ".txt", lambda doc, _w: cleaned_text(doc), lambda _w: True),
    DocumentOutput("page", "docs", ".html", _page, lambda w: w.reports),
    DocumentOutput("chrome", "chrome", ".html", lambda doc, _w: _chrome(doc), lambda w: w.reports),
    # --export: each written format's file, the input written back where it was that format
    *(DocumentOutput(fmt.name, "export", fmt.export_suffix, lambda doc, _w, fmt=fmt: fmt.export(doc),
                     lambda w, fmt=fmt: fmt.name in w.exports) for fmt in WRITTEN),
)


def chosen(wanted: Wanted) -> list[DocumentOutput]:
    """The outputs a run writes for each document, in the order they are written."""
    return [output for output in OUTPUTS if output.wanted(wanted)]


@dataclass
class Batch:
    """What the batch files are written from: the output folder (its segments.jsonl is
    written), the summary, the documents written and the failures."""

    out: Path
    summary: dict
    documents: list[str]
    failures: list[dict]
    version: str

    @cached_property
    def qa_rows(self) -> list:
        """The QA reports' rows, read from segments.jsonl once for all of them."""
        return qa_rows(self.out / "segments.jsonl")


@dataclass(frozen=True)
class BatchOutput:
    name: str
    file: str  # in the output folder
    render: Callable[[Batch], str | bytes | Iterable[str]]
    wanted: Callable[[Wanted], bool]
    removed_unwanted: bool = field(default=False)  # an earlier run's copy goes when this run does not write it



def _index(summary: dict):
    from .report import render_index
    return render_index(summary)


def _document_quality(b) -> dict[str, dict]:
    return {d["doc"]: d["quality"] for d in b.summary["documents"] if "quality" in d}


_QA_RENDER = {"csv": lambda b: csv_report(b.qa_rows),
              "xlsx": lambda b: xlsx_report(b.qa_rows, _document_quality(b), b.summary.get("quality")),
              "junit": lambda b: junit_report(b.qa_rows, b.documents, b.failures, b.summary.get("quality"),
                                              _document_quality(b)),
              "sarif": lambda b: sarif_report(b.qa_rows, b.failures, b.version, b.summary.get("quality"))}

BATCH_OUTPUTS = (
    BatchOutput("summary", "summary.json", lambda b: summary_json(b.summary), lambda _w: True),
    # --report-format: a report in the folder always speaks of the run beside it
    *(BatchOutput(name, file, _QA_RENDER[name], lambda w, name=name: name in w.report_formats,
                  removed_unwanted=True) for name, file in QA_FILES.items()),
    BatchOutput("index", "index.html", lambda b: _index(b.summary), lambda w: w.reports),
)
