"""Two-column TSV (.tsv): source, tab, translation; a header line is recognised and skipped.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from ..document import Document
from .bilingual import BilingualError, Unit, aligned_document
from .encoding import decode


def read_tsv(path: Path, text: str) -> list[Unit]:
    """Two columns, source TAB target, one unit per line."""
    units = []
    for n, line in enumerate(text.split("\n"), 1):
        if not line.strip():
            continue
        cells = line.split("\t")
        if len(cells) == 1:
            cells.append("")  # a source with no translation yet
        if len(cells) != 2:
            raise BilingualError(f"line {n}: expected 2 tab-separated columns (source, target), found {len(cells)}")
        units.append(Unit(str(n), cells[0].strip(), cells[1].strip()))
    return units


def read(path: Path, doc_id: str, data: bytes, encoding: str | None) -> Iterator[Document]:
    text, used, _warning = decode(data, encoding)
    yield aligned_document(doc_id, str(path), "tsv", read_tsv(path, text), encoding=used)
