"""Readers for aligned source + machine translation: XLIFF 1.2 and 2.x, TMX 1.4,
two-column TSV, gettext PO (polib: msgid as source, msgstr as target) and JSONL
segment lines.

Each file becomes one Document whose text is the translations, one unit per
paragraph (separated by a blank line), with one Block per unit carrying the unit's
id and its source text. The segmenter keeps each aligned unit as one segment, so
source-aware checks compare unit with unit. XML is parsed with lxml (entities and
network access off); inside a unit, inline codes (`<bpt>`, `<ept>`, `<ph>`, `<it>`) are
left out of the text, since their content is the native markup they stand for, and
highlighted text (`<hi>`, `<g>`, `<mrk>`, `<pc>`) is read as text.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from ..document import Block, Document, primary_subtag
from ..errors import EXIT_SOME_FAILED, PipelineError
from .xmltools import XML_LANG, entity_references, inline_tags, local_name, safe_parser, segment_text

XLIFF12 = "urn:oasis:names:tc:xliff:document:1.2"
XLIFF11 = "urn:oasis:names:tc:xliff:document:1.1"
XLIFF2 = "urn:oasis:names:tc:xliff:document:2.0"


class BilingualError(PipelineError, ValueError):
    """A bilingual file that cannot be read; the message says where. It fails alone."""

    exit_code = EXIT_SOME_FAILED


@dataclass
class Unit:
    id: str
    source: str
    target: str
    # the inline markup of each side, in order (`xmltools.inline_tags`), for XML formats
    source_tags: tuple[str, ...] = ()
    target_tags: tuple[str, ...] = ()
    entities: tuple[str, ...] = ()  # entity references in it, kept as written (never expanded)


def parse_xml(path: Path, data: bytes):
    try:
        return etree.fromstring(data, safe_parser())
    except etree.XMLSyntaxError as exc:
        raise BilingualError(f"invalid XML at line {exc.lineno}: {exc.msg}") from None


def xliff_units(root):
    """(unit key, source element, target element, unit element) for each unit of an
    XLIFF 1.2 or 2.x tree, in document order. Readers and writers both use it, so a
    unit's key is the same going in and coming out. The key is the unit's id (with its
    file's when the tree has several files); an id the tree has already used (two files
    with the same `original`, a duplicated id) gets its place in the tree after it
    ("u1@2"), so two units are never taken for one."""
    seen: dict[str, int] = {}
    for uid, source, target, unit in _xliff_units(root):
        seen[uid] = seen.get(uid, 0) + 1
        yield (uid if seen[uid] == 1 else f"{uid}@{seen[uid]}"), source, target, unit


def xliff_version(root) -> tuple[int, str | None]:
    """The XLIFF major version of a tree (1 or 2) and its namespace (None for XLIFF 1.0,
    which has none). A missing `version` is read from the namespace: 1.0 and 1.1 files
    are read as 1.2, their elements being the same."""
    namespace = etree.QName(root).namespace
    version = root.get("version", "")
    if version.startswith("2") or (not version and namespace == XLIFF2):
        return 2, namespace
    if version.startswith("1") or (not version and namespace in (None, XLIFF12, XLIFF11)):
        return 1, namespace
    raise BilingualError(f"unsupported XLIFF version {version!r} (1.0 to 1.2 and 2.x are read)")


def tag(namespace: str | None, name: str) -> str:
    return f"{{{namespace}}}{name}" if namespace else name


def _xliff_units(root):
    major, namespace = xliff_version(root)
    q = lambda name: tag(namespace, name)  # noqa: E731 - a short way to write the qualified names
    files = root.findall(q("file"))
    if major == 1:
        for f in files:
            for tu in f.iter(q("trans-unit")):
                yield _unit_id(f, tu, len(files)), tu.find(q("source")), tu.find(q("target")), tu
    else:
        for f in files:
            for unit in f.iter(q("unit")):
                segs = unit.findall(q("segment"))
                for i, seg in enumerate(segs):
                    uid = _unit_id(f, unit, len(files)) + (f"#{seg.get('id') or i}" if len(segs) > 1 else "")
                    yield uid, seg.find(q("source")), seg.find(q("target")), unit


def read_xliff(path: Path, data: bytes) -> tuple[list[Unit], str | None, str | None]:
    """Units of an XLIFF 1.2 or 2.x file, with its source and target languages."""
    root = parse_xml(path, data)
    if local_name(root) != "xliff":
        raise BilingualError(f"not an XLIFF file (root element <{local_name(root)}>)")
    major, namespace = xliff_version(root)
    if major == 1:
        first = root.find(tag(namespace, "file"))
        src_lang = first.get("source-language") if first is not None else None
        trg_lang = first.get("target-language") if first is not None else None
    else:
        src_lang, trg_lang = root.get("srcLang"), root.get("trgLang")
    units = [Unit(uid, segment_text(source), segment_text(target), inline_tags(source), inline_tags(target),
                  entity_references(source) + entity_references(target))
             for uid, source, target, _unit in xliff_units(root)]
    return units, src_lang, trg_lang


def _unit_id(file_el, unit_el, files: int) -> str:
    uid = unit_el.get("id") or str(unit_el.sourceline)
    return f"{file_el.get('id') or file_el.get('original')}/{uid}" if files > 1 else uid


def tmx_units(root, src_lang: str | None):
    """(unit key, <tu>, source <tuv> or None, target <tuv> or None) for each <tu> of a TMX
    tree, in order; readers and writers both use it. The source is the <tuv> in the
    header's source language, the target the first other one (further languages are
    kept in the file, untouched). The key is the tuid, or the unit's place for one
    without; a tuid used before gets its place after it ("7@2")."""
    seen: dict[str, int] = {}
    src_primary = (src_lang or "").lower().split("-")[0]
    for n, tu in enumerate(root.iterfind("body/tu"), 1):
        source = target = None
        for tuv in tu.findall("tuv"):
            lang = (tuv.get(XML_LANG) or tuv.get("lang") or "").lower()
            if source is None and src_primary and lang.split("-")[0] == src_primary:
                source = tuv
            elif target is None:
                target = tuv
        uid = tu.get("tuid") or str(n)
        seen[uid] = seen.get(uid, 0) + 1
        yield (uid if seen[uid] == 1 else f"{uid}@{seen[uid]}"), tu, source, target


def tuv_lang(tuv) -> str | None:
    return (tuv.get(XML_LANG) or tuv.get("lang")) if tuv is not None else None


def read_tmx(path: Path, data: bytes) -> tuple[list[Unit], str | None, str | None]:
    """Translation units of a TMX 1.4 file: the header's srclang against the other language.
    A <tu> with no source <tuv> is kept as a unit with an empty source (the source checks
    then pass it by), not a reason to refuse the file."""
    root = parse_xml(path, data)
    if local_name(root) != "tmx":
        raise BilingualError(f"not a TMX file (root element <{local_name(root)}>)")
    header = root.find("header")
    src_lang = header.get("srclang") if header is not None else None
    units, trg_lang = [], None
    for uid, _tu, source, target in tmx_units(root, src_lang):
        trg_lang = trg_lang or (tuv_lang(target) or "").lower() or None
        source_seg = source.find("seg") if source is not None else None
        target_seg = target.find("seg") if target is not None else None
        units.append(Unit(uid, segment_text(source_seg), segment_text(target_seg),
                          inline_tags(source_seg), inline_tags(target_seg),
                          entity_references(source_seg) + entity_references(target_seg)))
    return units, src_lang, trg_lang


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


def parse_po(path: Path, data: bytes):
    """A gettext PO file as polib reads it, in the charset its header names."""
    import polib  # only for PO files

    encoding = polib.detect_encoding(data, binary_mode=True)
    try:
        return polib.pofile(data.decode(encoding), wrapwidth=78)
    except UnicodeDecodeError as exc:
        raise BilingualError(f"not {encoding}, as the PO header says: {exc.reason} at byte {exc.start}") from None
    except (OSError, ValueError) as exc:  # polib reports a syntax error as an IOError naming the line
        raise BilingualError(f"not a PO file: {exc}") from None


def po_units(po) -> Iterator[tuple[str, object, int | None]]:
    """(unit id, entry, plural form or None) for each translation of a PO file, in file
    order: one per msgstr, so a plural entry gives one per form ("5.0", "5.1"). The header
    and obsolete (#~) entries are not units; an export keeps them as they were."""
    n = 0
    for entry in po:
        if entry.obsolete:
            continue
        n += 1
        if entry.msgid_plural:
            for form in sorted(entry.msgstr_plural):
                yield f"{n}.{form}", entry, form
        else:
            yield str(n), entry, None


def read_po(path: Path, data: bytes) -> tuple[list[Unit], str | None, str | None]:
    """msgid as source, msgstr as target; the languages from the header's Language (the
    translation's) and X-Source-Language (Poedit's, when present)."""
    po = parse_po(path, data)
    units = [Unit(uid, entry.msgid if not form else entry.msgid_plural,
                  entry.msgstr if form is None else entry.msgstr_plural[form])
             for uid, entry, form in po_units(po)]
    return units, po.metadata.get("X-Source-Language"), po.metadata.get("Language")


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
