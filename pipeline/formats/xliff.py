"""XLIFF 1.2 and 2.x (.xlf, .xliff): read as aligned units, and written back.

Read: each unit's source and target (inline codes `<bpt>`, `<ept>`, `<ph>`, `<it>` left out
of the text, highlighted text `<g>`, `<mrk>`, `<pc>` read as text), with the file's
languages. Written (`--export xliff`): when the input was XLIFF, its own tree with the
edits applied to each unit's target as the file has it (its white space kept:
`writeback.with_edits`) and the flags added as notes; every other element, id and
attribute is kept as it was. A target holding inline markup, and a unit marked
translate="no", approved="yes" or in a finished state (final, signed-off), is left alone
and gets a note saying so. Any other input becomes a new XLIFF 2.1 file.
"""

from __future__ import annotations

from pathlib import Path

from lxml import etree

from ..document import Document
from .bilingual import BilingualError, Unit, file_document
from .its import ITS, Issue, annotated_target
from .writeback import PRIORITY, by_unit, edits_into_markup, exported, languages_of, notes_of, unit_ids, xml_safe
from .xmltools import (document_bytes, entity_references, indented_bytes, inline_tags, local_name, parse_xml,
                       segment_text)


XLIFF12 = "urn:oasis:names:tc:xliff:document:1.2"
XLIFF11 = "urn:oasis:names:tc:xliff:document:1.1"
XLIFF2 = "urn:oasis:names:tc:xliff:document:2.0"


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


def read(path: Path, doc_id: str, data: bytes, encoding: str | None):
    """One document of the file's units (the file declares its own encoding)."""
    yield file_document(doc_id, path, "xliff", data, read_xliff)


MDA = "urn:oasis:names:tc:xliff:metadata:2.0"  # XLIFF 2's Metadata module
XLIFF_TEXT = frozenset({"source", "target", "note"})  # elements whose content is text, inline markup and all


def write_back(doc: Document) -> bytes:
    root = parse_xml(Path(doc.path), doc.raw)  # the bytes as read: the input file is never read again
    segments = by_unit(doc)
    major, ns = xliff_version(root)
    v1 = major == 1
    for uid, _source, target, unit in xliff_units(root):
        seg = segments.get(uid)
        if seg is None:
            continue
        notes = notes_of(seg, doc)
        if target is not None and seg.cleaned != seg.original:
            locked = _locked(unit, target)
            if locked:  # a unit the CAT tool marks done or not to translate is checked, never rewritten
                notes.append((PRIORITY["info"], f"info pipeline: cleaned text not written back because {locked}; "
                                                f"cleaned: {seg.cleaned}"))
            else:  # around the target's inline markup, which stays as it is
                for before, after in edits_into_markup(target, seg.original, seg.cleaned):
                    notes.append((PRIORITY["info"], f"info pipeline: the change \u201c{before}\u201d \u2192 "
                                                    f"\u201c{after}\u201d was not written back because it would "
                                                    f"cross inline markup"))
        for priority, text in notes:
            if v1:
                note = etree.SubElement(unit, tag(ns, "note"), {"from": "pipeline", "priority": priority})
                note.tail = unit[-2].tail if len(unit) > 1 else None
            else:
                holder = unit.find(tag(ns, "notes"))
                if holder is None:
                    holder = etree.Element(tag(ns, "notes"))
                    # after the modules' elements (<mda:metadata> ...), which the schema puts first
                    at = next((i for i, child in enumerate(unit)
                               if isinstance(child.tag, str) and etree.QName(child).namespace == ns), len(unit))
                    holder.tail = unit.text if at == 0 else unit[at - 1].tail  # the indent of what follows
                    unit.insert(at, holder)
                note = etree.SubElement(holder, tag(ns, "note"), {"category": "pipeline", "priority": priority})
            note.text = xml_safe(text)
    return document_bytes(root)  # comments and processing instructions around the root kept


# Target states a CAT tool means as finished: XLIFF 1.2's final and signed-off, 2.x's final.
_DONE_STATES = {"final", "signed-off"}


def _locked(unit, target) -> str | None:
    """Why a unit's target must not be rewritten, or None: translate="no" (1.2, 2.x), an
    approved="yes" unit (1.2), a target or segment in a finished state."""
    if unit.get("translate") == "no":
        return 'the unit is translate="no"'
    if unit.get("approved") == "yes":
        return 'the unit is approved="yes"'
    for holder in (target, target.getparent()):  # 1.2: <target state>; 2.x: <segment state>
        if holder is not None and holder.get("state") in _DONE_STATES:
            return f'its state is "{holder.get("state")}"'
    return None


def new(doc: Document) -> bytes:
    src_lang, trg_lang = languages_of(doc)
    root = etree.Element(f"{{{XLIFF2}}}xliff", nsmap={None: XLIFF2, "its": ITS, "mda": MDA},
                         attrib={"version": "2.1", "srcLang": src_lang, "trgLang": trg_lang, f"{{{ITS}}}version": "2.0"})
    file_el = etree.SubElement(root, f"{{{XLIFF2}}}file", id=doc.id)
    if not any(s.source for s in doc.segments):
        notes = etree.SubElement(file_el, f"{{{XLIFF2}}}notes")
        etree.SubElement(notes, f"{{{XLIFF2}}}note", category="pipeline").text = (
            "No source text was given: <source> holds the machine translation as read, <target> the cleaned text.")
    ids = unit_ids(doc, lambda seg: f"s{seg.index}")
    for seg in exported(doc):
        unit = etree.SubElement(file_el, f"{{{XLIFF2}}}unit", id=ids[seg.index])
        if seg.garbled is not None:  # the verdict and score as the Metadata module's fields, for filters
            group = etree.SubElement(etree.SubElement(unit, f"{{{MDA}}}metadata"), f"{{{MDA}}}metaGroup",
                                     category="pipeline")
            etree.SubElement(group, f"{{{MDA}}}meta", type="garbled").text = "yes" if seg.garbled else "no"
            etree.SubElement(group, f"{{{MDA}}}meta", type="garble-score").text = f"{seg.garble_score:.4f}"
        if notes_of_unit := notes_of(seg, doc):
            notes = etree.SubElement(unit, f"{{{XLIFF2}}}notes")
            for priority, text in notes_of_unit:
                etree.SubElement(notes, f"{{{XLIFF2}}}note", category="pipeline", priority=priority).text = text
        segment = etree.SubElement(unit, f"{{{XLIFF2}}}segment", state="translated" if seg.cleaned else "initial")
        etree.SubElement(segment, f"{{{XLIFF2}}}source").text = xml_safe(seg.source or seg.original)
        if seg.cleaned:  # a unit not yet translated has no <target>; its flags mark the target's spans (ITS)
            annotated_target(etree.SubElement(segment, f"{{{XLIFF2}}}target"), seg.cleaned,
                             [Issue(f.code, f.severity, f.message, f.start, f.end, f.suggestion) for f in seg.flags],
                             XLIFF2, xml_safe)
    return indented_bytes(root, XLIFF_TEXT)
