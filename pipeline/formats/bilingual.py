"""What the aligned formats share (XLIFF, TMX, TSV, PO, JSONL segment lines, each read by
its own module): a `Unit` of source and target, and the document made of a file's units.

Each file becomes one Document whose text is the translations, one unit per
paragraph (separated by a blank line), with one Block per unit carrying the unit's
id and its source text. The segmenter keeps each aligned unit as one segment, so
source-aware checks compare unit with unit. XML is parsed with lxml (entities and
network access off); inside a unit, inline codes (`<bpt>`, `<ept>`, `<ph>`, `<it>`) are
left out of the text, since their content is the native markup they stand for, and
highlighted text (`<hi>`, `<g>`, `<mrk>`, `<pc>`) is read as text.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..document import Block, Document, primary_subtag
from .failures import BilingualError


@dataclass
class Unit:
    id: str
    source: str
    target: str
    # the inline markup of each side, in order (`xmltools.inline_tags`), for XML formats
    source_tags: tuple[str, ...] = ()
    target_tags: tuple[str, ...] = ()
    entities: tuple[str, ...] = ()  # entity references in it, kept as written (never expanded)


def aligned_document(doc_id: str, path: str, fmt: str, units: list[Unit], encoding: str | None = None,
                     source_lang: str | None = None, target_lang: str | None = None) -> Document:
    """A Document of aligned units: the targets as text, one Block per unit with its source.
    A unit with an empty or missing target is an empty block: it still becomes a segment
    (flagged `empty-target`), so no unit disappears from the outputs."""
    pieces, blocks, pos = [], [], 0
    for unit in units:
        target = " ".join(unit.target.split())  # one unit, one line
        if blocks:
            pieces.append("\n\n")
            pos += 2
        blocks.append(Block(pos, pos + len(target), source=unit.source.strip(), unit=unit.id,
                            source_tags=unit.source_tags, target_tags=unit.target_tags))
        pieces.append(target)
        pos += len(target)
    if not blocks:
        raise BilingualError("no translation units")
    doc = Document(doc_id, path, fmt, "".join(pieces) + "\n", encoding=encoding, hints=blocks)
    doc.source = "\n\n".join(u.source for u in units if u.source.strip())
    doc.source_lang = primary_subtag(source_lang)
    doc.declared_lang = primary_subtag(target_lang)
    with_entities = [u for u in units if u.entities]
    if with_entities:
        names = ", ".join(dict.fromkeys(e for u in with_entities for e in u.entities))
        doc.notes.append(f"{len(with_entities)} unit(s) ({', '.join(u.id for u in with_entities[:5])}"
                         f"{', ...' if len(with_entities) > 5 else ''}) hold entity references ({names}): none is "
                         f"expanded and nothing is read from outside the file; each is kept in the text as "
                         f"written, and a change next to one is not written back.")
    missing = [u.id for u in units if not u.source.strip()]
    if missing and len(missing) < len(units):
        doc.notes.append(f"{len(missing)} unit(s) have no source text ({', '.join(missing[:5])}"
                         f"{', ...' if len(missing) > 5 else ''}): the source checks pass them by.")
    return doc


def file_document(doc_id: str, path: Path, fmt: str, data: bytes, read_units) -> Document:
    """The document of an aligned file that declares its own encoding (XLIFF, TMX, PO):
    `read_units(path, data)` gives its units and languages; its bytes are kept
    (`Document.raw`) for the format's writer to write the file back."""
    units, source_lang, target_lang = read_units(path, data)
    doc = aligned_document(doc_id, str(path), fmt, units, source_lang=source_lang, target_lang=target_lang)
    doc.raw = data
    return doc
