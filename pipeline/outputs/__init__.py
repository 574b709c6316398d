"""The files a document becomes in the output folder, declared once.

Each `DocumentOutput` names a file kind, where it goes for a document id and how it is
rendered. The batch renders the outputs a run asks for (`chosen`), the re-run cache
checks those same files before reusing a document, and the clean-up at the end of a run
removes any file of a declared kind that the run did not write. Adding an output is
one entry in `OUTPUTS`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ..document import Document, cleaned_text
from ..formats import WRITTEN
from .report import render_chrome, render_document


@dataclass(frozen=True)
class Wanted:
    """Which outputs a document gets besides its records and cleaned text."""

    reports: bool
    exports: tuple[str, ...]
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


def _page(doc: Document, wanted: Wanted) -> str:
    return render_document(doc, decisions=None if wanted.decisions is None else list(wanted.decisions))


OUTPUTS = (
    DocumentOutput("cleaned", "cleaned", ".txt", lambda doc, _w: cleaned_text(doc), lambda _w: True),
    DocumentOutput("page", "docs", ".html", _page, lambda w: w.reports),
    DocumentOutput("chrome", "chrome", ".html", lambda doc, _w: render_chrome(doc), lambda w: w.reports),
    # --export: each written format's file, the input written back where it was that format
    *(DocumentOutput(fmt.name, "export", fmt.export_suffix, lambda doc, _w, fmt=fmt: fmt.export(doc),
                     lambda w, fmt=fmt: fmt.name in w.exports) for fmt in WRITTEN),
)


def chosen(wanted: Wanted) -> list[DocumentOutput]:
    """The outputs a run writes for each document, in the order they are written."""
    return [output for output in OUTPUTS if output.wanted(wanted)]
