"""gettext PO (.po): read as aligned units (polib: msgid as source, msgstr as target), and
written back.

Written (`--export po`): when the input was PO, its own lines with only the msgstr of an
edited entry rewritten (in the file's wrapping and newlines) and the flags as translator
comments (each starting `PO_COMMENT`, which a later export replaces); any other input
becomes a new PO file.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from ..document import Document
from .bilingual import BilingualError, Unit, file_document
from .writeback import by_unit, exported, languages_of, notes_of, unit_ids, with_edits, xml_safe


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


def read(path: Path, doc_id: str, data: bytes, encoding: str | None):
    """One document of the file's entries (the header's charset decodes them)."""
    yield file_document(doc_id, path, "po", data, read_po)


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


def write_back(doc: Document) -> bytes:
    """The input PO file as it was, but for each entry the pipeline has something to say
    about: its msgstr edited as its segment was (laid out as the file had it), its flags
    as translator comments (`# pipeline: ...`, replacing an earlier export's) and `#,
    fuzzy` when it was found garbled. The header, every other entry and every other line
    stay byte for byte; polib only finds where each entry starts."""
    po = parse_po(Path(doc.path), doc.raw)  # the bytes as read: the input file is never read again
    encoding = po.encoding or "utf-8"
    lines = doc.raw.decode(encoding).splitlines(keepends=True)
    segments = by_unit(doc)
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
        comments.extend(prefix + text for _priority, text in notes_of(seg, doc))
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


def new(doc: Document) -> bytes:
    """A PO file of the document's exported segments: the source (or the machine
    translation as read, when there is none) as msgid, the cleaned text as msgstr, the
    unit id as msgctxt (so a sentence said twice stays two entries)."""
    import polib

    src_lang, trg_lang = languages_of(doc)
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
        entry.tcomment = "\n".join(PO_COMMENT[2:] + text for _priority, text in notes_of(seg, doc))  # polib adds "# "
        po.append(entry)
    return _po_bytes(po)
