"""HTML review pages: one per document (original | cleaned) and a batch index.

Rendered with jinja2, autoescape on for every template, so document text can never
become markup. Pages are self-contained (inline CSS, no scripts loaded from
anywhere, no external requests) and open from file://.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from jinja2 import Environment, PackageLoader, StrictUndefined

from ..document import Document, Segment

_env = Environment(
    loader=PackageLoader("pipeline.report", "templates"),
    autoescape=True,  # every template, whatever its file name
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=True,
)
_TOKEN = re.compile(r"\w+|\s+|[^\w\s]")


@dataclass
class Piece:
    text: str
    change: str  # "" unchanged, "del" removed from the original, "ins" added in the cleaned text


def diff_pieces(original: str, cleaned: str) -> tuple[list[Piece], list[Piece]]:
    """Word-level difference: pieces of the original column and of the cleaned column."""
    a, b = _TOKEN.findall(original), _TOKEN.findall(cleaned)
    left: list[Piece] = []
    right: list[Piece] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if op == "equal":
            left.append(Piece("".join(a[i1:i2]), ""))
            right.append(Piece("".join(b[j1:j2]), ""))
            continue
        if i2 > i1:
            left.append(Piece("".join(a[i1:i2]), "del"))
        if j2 > j1:
            right.append(Piece("".join(b[j1:j2]), "ins"))
    return left, right


def _row(seg: Segment) -> dict:
    left, right = diff_pieces(seg.original, seg.cleaned)
    return {"seg": seg, "left": left, "right": right,
            "rules": sorted({e.rule for e in seg.edits})}


def render_document(doc: Document) -> str:
    return _env.get_template("document.html").render(
        doc=doc, rows=[_row(seg) for seg in doc.segments],
    )


def render_index(summary: dict) -> str:
    return _env.get_template("index.html").render(summary=summary)
