"""Exports for CAT tools: `--export xliff` and `--export tmx` (written to DIR/export/).

XLIFF: when the input was XLIFF, its own tree is written back with the edits applied
to each unit's target as the file has it (its white space kept: `with_edits`) and the
flags added as notes; every other element, id and attribute is kept as it was. A target
holding inline markup, and a unit marked translate="no", approved="yes" or in a
finished state (final, signed-off), is left alone and gets a note saying so. Any other
input becomes a new XLIFF 2.1 file.
TMX: when the input was TMX, its own tree is written back the same way: the edits applied
to each unit's target <seg>, flags as <note>s before its <tuv>s, and everything else (units
judged boilerplate, further languages, properties, inline codes) kept as it was; a target
holding inline codes is left alone with a note. Any other input becomes a new TMX 1.4
file of source and cleaned target.
Aligned units are never dropped from an export, boilerplate ones included: the file a CAT
tool gets back has every unit it sent.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from lxml import etree

from ..document import BOILERPLATE, Document, Segment, unit_of
from ..formats.bilingual import XLIFF2, parse_po, parse_xml, po_units, tag, tmx_units, xliff_units, xliff_version
from ..formats.its import ITS, Issue, annotated_target
from ..formats.xmltools import NATIVE_CODES, XML_LANG, document_bytes, indented_bytes, local_name
from ..text.diffing import opcodes

PRIORITY = {"error": "1", "warning": "5", "info": "9"}  # XLIFF note priorities, 1 = highest
MDA = "urn:oasis:names:tc:xliff:metadata:2.0"  # XLIFF 2's Metadata module
XLIFF_TEXT = frozenset({"source", "target", "note"})  # elements whose content is text, inline markup and all


def _by_unit(doc: Document) -> dict[str, Segment]:
    return {doc.blocks[seg.block].unit: seg for seg in doc.segments
            if seg.block < len(doc.blocks) and doc.blocks[seg.block].unit is not None}


_NMTOKEN = re.compile(r"[\w.:-]+")


def unit_ids(doc: Document, fallback) -> dict[int, str]:
    """Segment index -> the id to export it under: its own unit id where it has one that is
    a valid, unique XML name token (a JSONL line's `id`, a TSV line number), else `fallback(seg)`."""
    segments = exported(doc)
    own = [unit_of(doc, seg) for seg in segments]
    counts = Counter(own)
    usable = {uid for uid in own if uid and _NMTOKEN.fullmatch(uid) and counts[uid] == 1}
    return {seg.index: uid if uid in usable else fallback(seg) for seg, uid in zip(segments, own)}


def exported(doc: Document) -> list[Segment]:
    """The segments a new export holds: all but boilerplate lines of a page; every aligned
    unit, boilerplate or not (a unit a CAT tool sent must come back)."""
    return [seg for seg in doc.segments if seg.kind != BOILERPLATE or unit_of(doc, seg) is not None]


def _note_text(flag) -> str:
    return xml_safe(f"{flag.severity} {flag.code}: {flag.message}")


def verdict_note(seg: Segment, doc: Document) -> str | None:
    """What a note says of a garbled segment (None for any other): the verdict, the score
    against the document's threshold, and why, so that a CAT tool's note filter finds it."""
    if not seg.garbled:
        return None
    threshold = f" (threshold {doc.garble_threshold:.2f})" if doc.garble_threshold is not None else ""
    reasons = f": {'; '.join(seg.garble_reasons)}" if seg.garble_reasons else ""
    return xml_safe(f"warning garbled: score {seg.garble_score:.4f}{threshold}{reasons}")


def _notes(seg: Segment, doc: Document) -> list[tuple[str, str]]:
    """A segment's notes as (priority, text): its verdict when garbled, then its flags."""
    verdict = verdict_note(seg, doc)
    return ([(PRIORITY["warning"], verdict)] if verdict else []) + [
        (PRIORITY.get(f.severity, "9"), _note_text(f)) for f in seg.flags]


_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_safe(text: str) -> str:
    """`text` less the characters no XML file may hold (the punctuation stage removes them
    from targets as edits; a source or a note can still carry one)."""
    return _NOT_XML.sub("", text)


def export_xliff(doc: Document) -> bytes:
    if doc.format == "xliff" and doc.raw is not None:
        return _xliff_write_back(doc)
    return _xliff_new(doc)


def _xliff_write_back(doc: Document) -> bytes:
    root = parse_xml(Path(doc.path), doc.raw)  # the bytes as read: the input file is never read again
    segments = _by_unit(doc)
    major, ns = xliff_version(root)
    v1 = major == 1
    for uid, _source, target, unit in xliff_units(root):
        seg = segments.get(uid)
        if seg is None:
            continue
        notes = _notes(seg, doc)
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


def with_edits(raw: str, read: str, cleaned: str) -> str:
    """`raw` (a target as the file has it) with the changes that turned `read` (the same
    text with its white space collapsed, as the pipeline read it) into `cleaned`. Only
    what the edits changed changes: newlines, tabs, non-breaking, thin and ideographic
    spaces elsewhere stay as they were."""
    if " ".join(raw.split()) != read:
        return cleaned  # not the text it was read from (never expected): the cleaned text as is
    starts, ends = [], []  # the raw span each character of `read` stands for
    for m in re.finditer(r"\S|\s+", raw.strip()):
        offset = len(raw) - len(raw.lstrip())
        starts.append(m.start() + offset)
        ends.append(m.end() + offset)
    out, last = [], 0
    for change, i1, i2, j1, j2 in opcodes(read, cleaned):
        if change == "equal":
            continue
        start = starts[i1] if i1 < len(starts) else (ends[-1] if ends else len(raw))
        end = ends[i2 - 1] if i2 > i1 else start
        out += [raw[last:start], cleaned[j1:j2]]
        last = end
    return "".join(out) + raw[last:]


def _text_slots(el, depth: int = 0) -> list[tuple[object, str, int]]:
    """Where a segment element's text lives, in reading order (as `segment_text` reads
    it): (element, "text" or "tail", how deep inside inline markup); the native code inside
    <bpt>, <ph> ... is not text."""
    slots = [(el, "text", depth)]
    for child in el:
        if isinstance(child.tag, str) and local_name(child) not in NATIVE_CODES:
            slots += _text_slots(child, depth + 1)
        slots.append((child, "tail", depth))
    return slots


_CLOSING = {"ept", "ex", "ec", "em"}  # inline codes that end a span their partner began


def _insertion_slot(slots, bounds, at: int) -> int:
    """The text node an insertion at a tag belongs in: outside the markup rather than in it
    ("people</g>, in", not "people,</g> in"; "people<ept/>, in" after a closing code),
    else the node before the tag."""
    touching = [k for k, (a, b) in enumerate(bounds) if a <= at <= b]
    shallowest = min(slots[k][2] for k in touching)
    touching = [k for k in touching if slots[k][2] == shallowest]
    for left, right in zip(touching, touching[1:]):
        node, side, _ = slots[right]
        if side == "tail" and local_name(node) in _CLOSING:
            return right
    return touching[0]


def edits_into_markup(el, read: str, cleaned: str) -> list[tuple[str, str]]:
    """Write the changes that turned `read` (the element's text as the pipeline read it,
    white space collapsed) into `cleaned` into the text around `el`'s inline markup, each
    change inside the one text node it falls in, so every element and attribute stays.
    A change that would cross a tag is left out: the (before, after) of each such change is
    returned, for a note. With no markup this is `with_edits` on the element's text."""
    slots = _text_slots(el)
    pieces = [getattr(node, side) or "" for node, side, _ in slots]
    raw = "".join(pieces)
    if " ".join(raw.split()) != read:
        return [(read, cleaned)]  # not the text it was read from (never expected): leave it be
    bounds, at = [], 0
    for piece in pieces:
        bounds.append((at, at + len(piece)))
        at += len(piece)
    starts, ends = [], []  # the raw span each character of `read` stands for
    offset = len(raw) - len(raw.lstrip())
    for m in re.finditer(r"\S|\s+", raw.strip()):
        starts.append(m.start() + offset)
        ends.append(m.end() + offset)
    changes: list[list[tuple[int, int, str]]] = [[] for _ in slots]
    left_out = []
    for change, i1, i2, j1, j2 in opcodes(read, cleaned):
        if change == "equal":
            continue
        start = starts[i1] if i1 < len(starts) else (ends[-1] if ends else len(raw))
        end = ends[i2 - 1] if i2 > i1 else start
        if start == end:
            k = _insertion_slot(slots, bounds, start)
        else:
            k = next((k for k, (a, b) in enumerate(bounds) if a <= start and end <= b), None)
        if k is None:
            left_out.append((read[i1:i2], cleaned[j1:j2]))
            continue
        changes[k].append((start - bounds[k][0], end - bounds[k][0], cleaned[j1:j2]))
    for (node, side, _), piece, edits in zip(slots, pieces, changes):
        for a, b, text in reversed(edits):
            piece = piece[:a] + text + piece[b:]
        if edits:
            setattr(node, side, piece)
    return left_out


def _languages(doc: Document) -> tuple[str, str]:
    has_source = any(s.source for s in doc.segments)
    target = doc.lang if doc.lang != "und" else "en"
    source = (doc.source_lang or "zh") if has_source else target
    return source, target


def _xliff_new(doc: Document) -> bytes:
    src_lang, trg_lang = _languages(doc)
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
        if notes_of_unit := _notes(seg, doc):
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


def export_tmx(doc: Document) -> bytes:
    if doc.format == "tmx" and doc.raw is not None:
        return _tmx_write_back(doc)
    return _tmx_new(doc)


def _tmx_write_back(doc: Document) -> bytes:
    root = parse_xml(Path(doc.path), doc.raw)  # the bytes as read: the input file is never read again
    header = root.find("header")
    segments = _by_unit(doc)
    for uid, tu, _source, target in tmx_units(root, header.get("srclang") if header is not None else None):
        seg = segments.get(uid)
        if seg is None:
            continue
        notes = [text for _priority, text in _notes(seg, doc)]
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


def export_po(doc: Document) -> bytes:
    if doc.format == "po" and doc.raw is not None:
        return _po_write_back(doc)
    return _po_new(doc)


PO_COMMENT = "# pipeline: "  # starts each translator comment a PO export adds (and a later export replaces)
_PO_KEYWORD = re.compile(r'(msgctxt|msgid|msgid_plural|msgstr(?:\[(\d+)\])?)\s+"')
_PO_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\t": "\\t", "\r": "\\r"}
PO_WIDTH = 79  # gettext's line width for wrapped strings


def _po_bytes(po) -> bytes:
    text = po.__unicode__()
    try:
        return text.encode(po.encoding)
    except (UnicodeEncodeError, LookupError):  # the cleaned text needs more than the file's charset
        po.metadata["Content-Type"] = "text/plain; charset=UTF-8"
        po.encoding = "utf-8"
        return po.__unicode__().encode("utf-8")


def _po_string(keyword: str, text: str, wrapped: bool, newline: str) -> list[str]:
    """`keyword "text"` as PO lines: one line when the file had it on one, else gettext's
    layout (an empty first string, then pieces broken after each \\n and at spaces)."""
    escaped = "".join(_PO_ESCAPES.get(c, c) for c in text)
    if not wrapped:
        return [f'{keyword} "{escaped}"{newline}']
    pieces = []
    for part in re.findall(r".*?\\n|.+$", escaped):  # after each escaped newline
        line = ""
        for word in re.findall(r"\S*\s*", part):
            if line and len(line) + len(word) + 2 > PO_WIDTH:
                pieces.append(line)
                line = ""
            line += word
        if line:
            pieces.append(line)
    return [f'{keyword} ""{newline}'] + [f'"{piece}"{newline}' for piece in pieces]


def _po_entry_lines(lines: list[str], new_strings: dict[str, str], comments: list[str], fuzzy: bool) -> list[str]:
    """An entry's lines with the msgstr lines named in `new_strings` (keyword -> text)
    rewritten, its earlier pipeline comments replaced by `comments`, and `#, fuzzy` added
    when `fuzzy`; every other line as it was."""
    newline = "\r\n" if lines and lines[0].endswith("\r\n") else "\n"
    out: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        keyword = _PO_KEYWORD.match(line)
        if keyword and keyword.group(1) in new_strings:
            j = i + 1
            while j < len(lines) and lines[j].lstrip().startswith('"'):
                j += 1
            wrapped = j > i + 1
            out += _po_string(keyword.group(1), new_strings[keyword.group(1)], wrapped, newline)
            i = j
            continue
        if not line.startswith(PO_COMMENT):
            out.append(line)
        i += 1
    # translator comments come first in an entry; ours go after the translator's own
    at = next((n for n, line in enumerate(out) if not (line.startswith("# ") or line.rstrip("\r\n") == "#")), len(out))
    out[at:at] = [f"{PO_COMMENT}{c}{newline}" for c in comments]
    if fuzzy and not any(line.startswith("#,") and "fuzzy" in line for line in out):
        flags = next((n for n, line in enumerate(out) if line.startswith("#,")), None)
        if flags is not None:
            out[flags] = out[flags].rstrip("\r\n") + ", fuzzy" + newline
        else:  # before the previous-msgid lines and the keywords, as gettext orders them
            at = next((n for n, line in enumerate(out) if line.startswith("#|") or _PO_KEYWORD.match(line)), len(out))
            out.insert(at, "#, fuzzy" + newline)
    return out


def _po_write_back(doc: Document) -> bytes:
    """The input PO file as it was, but for each entry the pipeline has something to say
    about: its msgstr edited as its segment was (laid out as the file had it), its flags
    as translator comments (`# pipeline: ...`, replacing an earlier export's) and `#,
    fuzzy` when it was found garbled. The header, every other entry and every other line
    stay byte for byte; polib only finds where each entry starts."""
    po = parse_po(Path(doc.path), doc.raw)  # the bytes as read: the input file is never read again
    encoding = po.encoding or "utf-8"
    lines = doc.raw.decode(encoding).splitlines(keepends=True)
    segments = _by_unit(doc)
    changes: dict[int, tuple[dict[str, str], list[str], bool]] = {}  # entry's first line -> what to do
    for uid, entry, form in po_units(po):
        seg = segments.get(uid)
        if seg is None:
            continue
        strings, comments, fuzzy = changes.setdefault(entry.linenum, ({}, [], False))
        if seg.cleaned != seg.original:
            raw = entry.msgstr if form is None else entry.msgstr_plural[form]
            strings["msgstr" if form is None else f"msgstr[{form}]"] = with_edits(raw, seg.original, seg.cleaned)
        prefix = f"[plural form {form}] " if form is not None else ""
        comments.extend(prefix + text for _priority, text in _notes(seg, doc))
        changes[entry.linenum] = (strings, comments, fuzzy or seg.garbled)
    starts = sorted(e.linenum for e in po) + [len(lines) + 1]
    out = lines[:starts[0] - 1]
    for start, end in zip(starts, starts[1:]):
        block = lines[start - 1:end - 1]
        if start in changes:
            strings, comments, fuzzy = changes[start]
            body_end = len(block)
            while body_end and not block[body_end - 1].strip():  # the blank lines after the entry stay
                body_end -= 1
            block = _po_entry_lines(block[:body_end], strings, comments, fuzzy) + block[body_end:]
        out += block
    text = "".join(out)
    try:
        return text.encode(encoding)
    except UnicodeEncodeError:  # the cleaned text needs more than the file's charset: say UTF-8
        return re.sub(r"(charset=)[\w.-]+", r"\1UTF-8", text, count=1).encode("utf-8")


def _po_new(doc: Document) -> bytes:
    """A PO file of the document's exported segments: the source (or the machine
    translation as read, when there is none) as msgid, the cleaned text as msgstr, the
    unit id as msgctxt (so a sentence said twice stays two entries)."""
    import polib

    src_lang, trg_lang = _languages(doc)
    po = polib.POFile(wrapwidth=78)
    po.metadata = {"Project-Id-Version": doc.id, "Language": trg_lang, "X-Source-Language": src_lang,
                   "MIME-Version": "1.0", "Content-Type": "text/plain; charset=UTF-8",
                   "Content-Transfer-Encoding": "8bit", "X-Generator": "pipeline"}
    ids = unit_ids(doc, lambda seg: f"{doc.id}/{seg.index}")
    for seg in exported(doc):
        msgid = xml_safe(seg.source or seg.original)
        if not msgid.strip():
            continue  # an entry with an empty msgid would read as a second header
        entry = polib.POEntry(msgctxt=ids[seg.index], msgid=msgid, msgstr=xml_safe(seg.cleaned),
                              flags=["fuzzy"] if seg.garbled else [])
        entry.tcomment = "\n".join(PO_COMMENT[2:] + text for _priority, text in _notes(seg, doc))  # polib adds "# "
        po.append(entry)
    return _po_bytes(po)


def _tmx_new(doc: Document) -> bytes:
    src_lang, trg_lang = _languages(doc)
    root = etree.Element("tmx", version="1.4")
    etree.SubElement(root, "header", {"creationtool": "pipeline", "creationtoolversion": "1", "segtype": "sentence",
                                      "o-tmf": "pipeline", "adminlang": "en", "srclang": src_lang,
                                      "datatype": "plaintext"})
    body = etree.SubElement(root, "body")
    ids = unit_ids(doc, lambda seg: f"{doc.id}/{seg.index}")
    for seg in exported(doc):
        tu = etree.SubElement(body, "tu", tuid=ids[seg.index])
        for _priority, text in _notes(seg, doc):
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

