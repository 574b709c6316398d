"""Characters that take no room on screen but change what text means or how it shows.

A right-to-left override (U+202E) makes "txt.exe" read "exe.txt"; a zero-width space
splits a word a search or a glossary then fails to find; tag characters (U+E0000 block)
carry text no reader sees. The checks flag them (`invisible-char`) and the review pages
draw each as a visible mark, never as itself.

Some have a use, and are left alone there: joiners (ZWNJ, ZWJ) between letters of scripts
that need them (Persian, Devanagari) or inside an emoji sequence; direction marks,
embeddings and isolates in text with right-to-left letters; a zero-width space between
letters of the scripts that write without spaces (Thai, Lao, Khmer, Myanmar, Tibetan).
Overrides and tag characters are always flagged.
"""

from __future__ import annotations

import re
import unicodedata
from typing import NamedTuple

# code point -> short label drawn in the review page
LABELS = {
    0x200B: "ZWSP", 0x200C: "ZWNJ", 0x200D: "ZWJ", 0x2060: "WJ", 0xFEFF: "BOM", 0x180E: "MVS",
    0x200E: "LRM", 0x200F: "RLM", 0x061C: "ALM",
    0x202A: "LRE", 0x202B: "RLE", 0x202C: "PDF", 0x202D: "LRO", 0x202E: "RLO",
    0x2066: "LRI", 0x2067: "RLI", 0x2068: "FSI", 0x2069: "PDI",
    0x2061: "FA", 0x2062: "IT", 0x2063: "IS", 0x2064: "IP",
}
INVISIBLE = re.compile("[" + "".join(map(chr, LABELS)) + "\U000E0000-\U000E007F]")
JOINERS = {0x200C, 0x200D}
DIRECTION = {0x200E, 0x200F, 0x061C, 0x202A, 0x202B, 0x202C, 0x2066, 0x2067, 0x2068, 0x2069}
# Scripts whose words are joined with ZWNJ/ZWJ, and scripts written without spaces.
JOINING_SCRIPTS = frozenset("ARABIC DEVANAGARI BENGALI GURMUKHI GUJARATI ORIYA TAMIL TELUGU KANNADA MALAYALAM "
                            "SINHALA SYRIAC MONGOLIAN".split())
UNSPACED_SCRIPTS = frozenset("THAI LAO KHMER MYANMAR TIBETAN".split())
_RTL = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc]")


class Invisible(NamedTuple):
    start: int
    end: int
    codes: tuple[int, ...]  # the code points of the run


def label(ch: str) -> str:
    """A short visible stand-in: "RLO", "ZWSP", "TAG a" for a tag character."""
    cp = ord(ch)
    if 0xE0000 <= cp <= 0xE007F:
        return "TAG " + chr(cp - 0xE0000) if 0xE0020 < cp < 0xE007F else "TAG"
    return LABELS.get(cp, f"U+{cp:04X}")


def describe(ch: str) -> str:
    """"U+202E RIGHT-TO-LEFT OVERRIDE"."""
    return f"U+{ord(ch):04X} {unicodedata.name(ch, 'invisible character')}"


def _script(ch: str) -> str:
    name = unicodedata.name(ch, "") if ch else ""
    return name.split(" ", 1)[0] if name else ""


def _has_a_use(text: str, i: int, rtl: bool) -> bool:
    cp = ord(text[i])
    before = text[i - 1] if i > 0 else ""
    after = text[i + 1] if i + 1 < len(text) else ""
    if cp in DIRECTION:
        return rtl
    if cp in JOINERS:
        if cp == 0x200D and (unicodedata.category(before or " ") == "So" or unicodedata.category(after or " ") == "So"
                             or "\ufe0f" in (before, after)):
            return True  # inside an emoji sequence
        return bool(before and after) and _script(before) in JOINING_SCRIPTS and _script(after) in JOINING_SCRIPTS
    if cp == 0x200B:
        return _script(before) in UNSPACED_SCRIPTS or _script(after) in UNSPACED_SCRIPTS
    return False


def find_invisible(text: str) -> list[Invisible]:
    """Runs of invisible characters that have no use where they stand."""
    if text.isascii():
        return []
    rtl = bool(_RTL.search(text))
    runs: list[Invisible] = []
    for m in INVISIBLE.finditer(text):
        i = m.start()
        if _has_a_use(text, i, rtl):
            continue
        if runs and runs[-1].end == i:
            last = runs[-1]
            runs[-1] = Invisible(last.start, i + 1, last.codes + (ord(text[i]),))
        else:
            runs.append(Invisible(i, i + 1, (ord(text[i]),)))
    return runs
