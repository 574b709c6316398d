"""TMX 1.4 (.tmx): read as aligned units, and written back.

Read: each <tu>'s source and target <tuv> (the source language from the header, the
target the first other language). Written (`--export tmx`): when the input was TMX, its
own tree with the edits applied to each unit's target <seg>, flags as <note>s before its
<tuv>s, and everything else (units judged boilerplate, further languages, properties,
inline codes) kept as it was; a target holding inline codes is left alone with a note.
Any other input becomes a new TMX 1.4 file of source and cleaned target.
"""

from __future__ import annotations

from pathlib import Path

from lxml import etree

from ..document import Document
from .bilingual import BilingualError, Unit, file_document
from .writeback import by_unit, edits_into_markup, exported, languages_of, notes_of, unit_ids, xml_safe
from .xmltools import XML_LANG, document_bytes, entity_references, inline_tags, local_name, parse_xml, segment_text


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


def read(path: Path, doc_id: str, data: bytes, encoding: str | None):
    """One document of the file's units (the file declares its own encoding)."""
    yield file_document(doc_id, path, "tmx", data, read_tmx)


def write_back(doc: Document) -> bytes:
    root = parse_xml(Path(doc.path), doc.raw)  # the bytes as read: the input file is never read again
    header = root.find("header")
    segments = by_unit(doc)
    for uid, tu, _source, target in tmx_units(root, header.get("srclang") if header is not None else None):
        seg = segments.get(uid)
        if seg is None:
            continue
        notes = [text for _priority, text in notes_of(seg, doc)]
        seg_el = target.find("seg") if target is not None else None
        if seg_el is not None and seg.cleaned != seg.original:  # around its inline codes, which stay
            for before, after in edits_into_markup(seg_el, seg.original, seg.cleaned):
                notes.append(f"info pipeline: the change \u201c{before}\u201d \u2192 \u201c{after}\u201d "
                             f"was not written back because it would cross inline codes")
        # the DTD puts a unit's notes before its <tuv>s
        at = next((i for i, child in enumerate(tu) if isinstance(child.tag, str) and child.tag == "tuv"), len(tu))
        indent = tu.text if at == 0 else tu[at - 1].tail  # what stands before that <tuv>, for each note
        for n, text in enumerate(notes):
            note = etree.Element("note")
            note.text, note.tail = xml_safe(text), indent
            tu.insert(at + n, note)
    return document_bytes(root)


def new(doc: Document) -> bytes:
    src_lang, trg_lang = languages_of(doc)
    root = etree.Element("tmx", version="1.4")
    etree.SubElement(root, "header", {"creationtool": "pipeline", "creationtoolversion": "1", "segtype": "sentence",
                                      "o-tmf": "pipeline", "adminlang": "en", "srclang": src_lang,
                                      "datatype": "plaintext"})
    body = etree.SubElement(root, "body")
    ids = unit_ids(doc, lambda seg: f"{doc.id}/{seg.index}")
    for seg in exported(doc):
        tu = etree.SubElement(body, "tu", tuid=ids[seg.index])
        for _priority, text in notes_of(seg, doc):
            etree.SubElement(tu, "note").text = text
        if seg.garbled is not None:  # the verdict and score as properties, which TMX tools filter on
            etree.SubElement(tu, "prop", type="x-pipeline-garbled").text = "yes" if seg.garbled else "no"
            etree.SubElement(tu, "prop", type="x-pipeline-garble-score").text = f"{seg.garble_score:.4f}"
        variants = [(src_lang, seg.source or seg.original)] + ([(trg_lang, seg.cleaned)] if seg.cleaned else [])
        for lang, text in variants:
            tuv = etree.SubElement(tu, "tuv")
            tuv.set(XML_LANG, lang)
            etree.SubElement(tuv, "seg").text = xml_safe(text)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
