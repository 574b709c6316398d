"""Checks against the source text: numbers, length, untranslated output.

They run on each segment's aligned `source`; when the input has source text for the
whole document only (JSONL), they compare document with document and report on the
first body segment, saying so.
"""

from __future__ import annotations

import re

from ..document import BOILERPLATE, HAN, Flag, Segment
from .context import Context
from .numbers import chinese_numbers_in, numbers_in, same_number

CJK = re.compile(HAN)
# Characters of English per character of Chinese: typical news runs about 2.5 to 4.
RATIO_LOW, RATIO_HIGH = 1.0, 9.0
MIN_SOURCE_CHARS = 10


def source_checks(segments: list[Segment], ctx: Context) -> None:
    body = [s for s in segments if s.kind != BOILERPLATE]
    aligned = [s for s in body if s.source]
    if aligned:
        for seg in aligned:
            seg.flags.extend(compare(seg.source, seg.cleaned, ctx, ""))
    elif ctx.doc.source and body:
        target = " ".join(s.cleaned for s in body)
        flags = compare(ctx.doc.source, target, ctx, " (document-level check: the source is not aligned to "
                                                     "sentences)")
        for flag in flags:
            flag.start, flag.end = 0, len(body[0].cleaned)
        body[0].flags.extend(flags)


def compare(source: str, target: str, ctx: Context, scope: str) -> list[Flag]:
    if ctx.source_lang != "zh" or ctx.lang == "zh":
        return []
    flags = []
    cjk_share = len(CJK.findall(target)) / max(1, len(target.replace(" ", "")))
    if target.strip() == source.strip() or cjk_share > 0.3:
        flags.append(Flag("untranslated-segment", "error", f"The translation is still Chinese{scope}.",
                          0, len(target)))
        return flags
    found = numbers_in(target)
    missing = [v for v in chinese_numbers_in(source) if not any(same_number(v, t) for t in found)]
    if missing:
        listing = ", ".join(f"{v:,.10g}" for v in missing)
        flags.append(Flag("number-mismatch", "warning", f"The source has {listing}, which the translation does "
                          f"not give{scope}.", 0, len(target)))
    source_chars = len(source.strip())
    if source_chars >= MIN_SOURCE_CHARS:
        ratio = len(target.strip()) / source_chars
        if not RATIO_LOW <= ratio <= RATIO_HIGH:
            flags.append(Flag("length-ratio", "warning", f"The translation is {ratio:.1f} times the source's length "
                              f"(usually {RATIO_LOW:g} to {RATIO_HIGH:g}): something may be missing or added{scope}.",
                              0, len(target)))
    return flags
