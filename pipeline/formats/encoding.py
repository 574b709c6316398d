"""Bytes to text: the encoding of a text file (TXT, HTML, JSONL, TSV) found or forced.

A byte-order mark wins, then UTF-16 without one (NULs on one side of the byte pairs), then
strict UTF-8, then charset-normalizer's detection (GB18030/GBK, Big5, ...), where a
one-byte code page is chosen by how well its text reads (`_most_readable`). Line endings
become "\\n".
"""

from __future__ import annotations

import codecs
import re
from typing import NamedTuple

from charset_normalizer import from_bytes

from .failures import ReadError


_BOMS = [
    (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"),
]


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


class Decoded(NamedTuple):
    text: str
    encoding: str
    warning: str | None = None  # the choice between encodings was close


def decode(data: bytes, forced: str | None = None, stray_nul: bool = False) -> Decoded:
    """Decode file bytes to text, with the encoding's name. With `stray_nul` (HTML, where
    browsers ignore the byte), a few NUL bytes are dropped instead of making the file
    binary; a file with many is still binary, unless it is UTF-16 without a byte-order
    mark (every NUL on one side of its byte pairs)."""
    if stray_nul and 0 < data.count(b"\x00") <= max(8, len(data) // 1000):
        data = data.replace(b"\x00", b"")
    if forced:
        try:
            return Decoded(newlines(data.decode(forced)), forced)
        except UnicodeDecodeError as exc:
            raise ReadError(f"not valid {forced} (byte {exc.start})") from None
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return Decoded(newlines(data.decode(encoding)), encoding)
            except UnicodeDecodeError as exc:
                raise ReadError(f"starts with a {encoding} byte-order mark but is not valid {encoding} (byte {exc.start})") from None
    if b"\x00" in data:
        utf16 = _utf16_without_bom(data)
        if utf16 is None:
            raise ReadError("binary file (contains NUL bytes)")
        return utf16
    try:
        return Decoded(newlines(data.decode("utf-8")), "utf-8")
    except UnicodeDecodeError:
        pass
    results = from_bytes(data)
    best = results.best()
    if best is None:
        raise ReadError("binary file or unknown encoding (no text encoding fits)")
    text, encoding, warning = str(best), best.encoding, None
    if _single_byte(encoding):
        text, encoding, warning = _most_readable(data, [m.encoding for m in results])
    if len(_CONTROL.findall(text)) > max(2, len(text) // 100):
        raise ReadError(f"binary file (control characters when decoded as {encoding})")
    return Decoded(newlines(text), encoding, warning)


def _utf16_without_bom(data: bytes) -> Decoded | None:
    """UTF-16 text with no byte-order mark: the NUL bytes (the high byte of every ASCII
    character) all stand on one side of the byte pairs, and the text decodes cleanly."""
    if len(data) % 2:
        return None
    even, odd = data[0::2].count(0), data[1::2].count(0)
    if even and odd:
        return None
    encoding = "utf-16-le" if odd else "utf-16-be"
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:
        return None
    if len(_CONTROL.findall(text)) > max(2, len(text) // 100):
        return None
    return Decoded(newlines(text), encoding)


def _single_byte(encoding: str) -> bool:
    try:
        return codecs.lookup(encoding).name not in _MULTI_BYTE
    except LookupError:
        return False


_MULTI_BYTE = {codecs.lookup(e).name for e in ("gb18030", "gbk", "gb2312", "big5", "big5hkscs", "shift_jis", "cp932",
                                               "euc_jp", "euc_kr", "cp949", "iso2022_jp", "hz", "utf_16", "utf_32")}


# Where the bytes are not UTF-8 and a one-byte code page fits, the candidates tried before
# charset-normalizer's: the Western ones, which short files are most often taken for others
# (and which name the encoding when another code page gives the same text).
_WESTERN = ("cp1252", "latin_1", "iso8859_15")


# The languages whose words tell a right decoding from a wrong one (wordfreq lists).
_READABLE_IN = ("en", "fr", "de", "es", "pt", "it", "nl", "pl", "cs", "hu", "ro", "tr", "ru", "el")
_NON_ASCII_WORD = re.compile(r"[^\W\d_]*(?![\x00-\x7f])[^\W\d_][^\W\d_]*")  # a word with a non-ASCII letter


# Non-ASCII characters that are not letters: in a right decoding of text, typography.
_NON_ASCII_MARK = re.compile(r"[^\x00-\x7f\w\s]")
_TYPOGRAPHY = set("“”‘’„‚‹›«»–—…•·€£¥§©®°¡¿№")


# A word at least this common (wordfreq Zipf; 2 is once in 100 million words) is a word of
# the language: below it, wordfreq's web text holds mojibake too ("săo" for "são").
_KNOWN_ZIPF = 2.0


def _most_readable(data: bytes, candidates: list[str]) -> tuple[str, str, str | None]:
    """Of the one-byte decodings of `data`, the one that reads best: the largest share of
    its words with non-ASCII letters that are words of the one language they read best in
    (wordfreq) and of its other non-ASCII characters that are typography (quotes, dashes,
    an ellipsis); on a tie, the Western code pages first, then charset-normalizer's order.
    A warning when another decoding, different in text, reads almost as well (within 5
    points)."""
    from ..language.words import languages, zipf

    langs = [lang for lang in _READABLE_IN if lang in languages()]
    scored, seen = [], set()
    for order, encoding in enumerate(dict.fromkeys([*_WESTERN, *candidates])):  # same text: the Western name
        if not _single_byte(encoding):
            continue
        try:
            text = data.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
        if text in seen:
            continue
        seen.add(text)
        words = [w.lower() for w in _NON_ASCII_WORD.findall(text)[:200]]
        marks = _NON_ASCII_MARK.findall(text)[:200]
        typography = sum(c in _TYPOGRAPHY for c in marks)
        # the words of the one language they read best in: a text is in one language
        words_known = max((sum(zipf(w, lang) >= _KNOWN_ZIPF for w in words) for lang in langs), default=0)
        known = (words_known + typography) / (len(words) + len(marks)) if words or marks else 0.0
        scored.append((-known, order, encoding, text))
    scored.sort()
    known, _, encoding, text = scored[0]
    warning = None
    if len(scored) > 1 and scored[1][0] - known <= 0.05:
        warning = (f"encoding: read as {encoding}, but {scored[1][2]} reads almost as well "
                   f"({-known:.0%} against {-scored[1][0]:.0%} of its accented words and marks read as text); "
                   f"give --encoding if the text looks wrong")
    return text, encoding, warning


def newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def nonempty(text: str) -> str:
    if not text.strip():
        raise ReadError("empty document (no text)")
    return text
