"""What the writers of the aligned formats share (XLIFF, TMX, PO): the segments a file gets
back, the notes its flags become, and the edits put into a unit's own text and markup.

A file written back is the input re-read (`Document.raw`) with only what the edits change
changed; a document of another format becomes a new file of the format asked for.
Aligned units are never dropped from an export, boilerplate ones included: the file a CAT
tool gets back has every unit it sent.
"""

from __future__ import annotations

import re
from collections import Counter

from ..document import BOILERPLATE, Document, Segment, unit_of
from ..text.diffing import opcodes
from .xmltools import NATIVE_CODES, local_name


PRIORITY = {"error": "1", "warning": "5", "info": "9"}  # XLIFF note priorities, 1 = highest


def by_unit(doc: Document) -> dict[str, Segment]:
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


def notes_of(seg: Segment, doc: Document) -> list[tuple[str, str]]:
    """A segment's notes as (priority, text): its verdict when garbled, then its flags."""
    verdict = verdict_note(seg, doc)
    return ([(PRIORITY["warning"], verdict)] if verdict else []) + [
        (PRIORITY.get(f.severity, "9"), _note_text(f)) for f in seg.flags]


_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_safe(text: str) -> str:
    """`text` less the characters no XML file may hold (the punctuation stage removes them
    from targets as edits; a source or a note can still carry one)."""
    return _NOT_XML.sub("", text)


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


def languages_of(doc: Document) -> tuple[str, str]:
    has_source = any(s.source for s in doc.segments)
    target = doc.lang if doc.lang != "und" else "en"
    source = (doc.source_lang or "zh") if has_source else target
    return source, target
