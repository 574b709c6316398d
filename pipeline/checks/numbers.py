"""Numbers: reading them in English and Chinese, and checking they agree.

`numbers_in(text)` reads digits with separators and scale words ("1.92 million",
"293,300", "75%") and month names; `chinese_numbers_in(text)` reads Arabic digits
with 万/亿 multipliers ("29.33万" = 293,300), Chinese numerals ("三十四") and month
ranges ("1至9月" = January to September).
"""

from __future__ import annotations

import bisect
import re

from ..document import BOILERPLATE, Flag, Segment
from .context import Context

SCALES = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}
MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
          "november", "december"]
_EN_NUMBER = re.compile(r"(?<![\w.])(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?(?:\s*(thousand|million|billion|trillion)\b)?")
_MONTH = re.compile(r"\b(" + "|".join(MONTHS) + r")\b", re.I)
_ZH_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_ZH_UNITS = {"十": 10, "百": 100, "千": 1000}
_ZH_BIG = {"万": 1e4, "亿": 1e8}
_ZH_ARABIC = re.compile(r"(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)\s*(万|亿)?")
_ZH_NUMERAL = re.compile(r"[零〇一二两三四五六七八九十百千]+[万亿]?")
_ZH_MONTHS = re.compile(r"(\d{1,2})(?:至|到|-|—|~)(\d{1,2})月")


def numbers_in(text: str) -> list[float]:
    """Numbers in English text, with scale words applied; month names count as 1-12."""
    values = []
    for m in _EN_NUMBER.finditer(text):
        value = float(m.group(1).replace(",", "") + (m.group(2) or ""))
        if m.group(3):
            value *= SCALES[m.group(3).lower()]
        values.append(value)
    values += [float(MONTHS.index(m.group(1).lower()) + 1) for m in _MONTH.finditer(text)]
    return values


def _zh_numeral(text: str) -> float | None:
    total, section, digit = 0.0, 0.0, None
    for ch in text:
        if ch in _ZH_DIGITS:
            digit = _ZH_DIGITS[ch]
        elif ch in _ZH_UNITS:
            section += (digit if digit is not None else 1) * _ZH_UNITS[ch]
            digit = None
        elif ch in _ZH_BIG:
            total += (section + (digit or 0)) * _ZH_BIG[ch]
            section, digit = 0.0, None
    value = total + section + (digit or 0)
    return value if value or "零" in text or "〇" in text else None


def chinese_numbers_in(text: str) -> list[float]:
    values = []
    for m in _ZH_MONTHS.finditer(text):  # 1至9月: January to September
        values += [float(m.group(1)), float(m.group(2))]
    text = _ZH_MONTHS.sub(" ", text)
    for m in _ZH_ARABIC.finditer(text):
        value = float(m.group(1).replace(",", ""))
        values.append(value * _ZH_BIG[m.group(2)] if m.group(2) else value)
    for m in _ZH_NUMERAL.finditer(text):
        if len(m.group(0)) == 1 and m.group(0) in "一两":
            continue  # 一 and 两 are mostly words ("一站式", "两不愁"), not quantities
        value = _zh_numeral(m.group(0))
        if value is not None:
            values.append(value)
    return values


def same_number(a: float, b: float) -> bool:
    return abs(a - b) <= max(1e-9, 0.005 * max(abs(a), abs(b)))  # "12.44 million" for 1,244万


_THREE_DIGITS = re.compile(r"\d\d\d")
_EXACT_COUNT = re.compile(r"(?<![\w.,])(\d{1,3}(?:,\d{3})+|\d{5,})(?![\d.,]*\d)(?!\s*(?:%|percent|thousand|million|billion))")


def number_inconsistent(segments: list[Segment], ctx: Context) -> None:
    """Two exact counts within 5% of each other but different: 293,300 vs 283,000 relocated people.

    Exact figures (not "1.9 million") that close are usually one quantity, mistyped or
    mistranslated once. Years are left out.
    """
    # earlier counts, kept sorted by value, so each lookup is a bisection (a long document
    # with thousands of figures must not cost the square of them); the message names the
    # nearest earlier figure
    values: list[float] = []
    seen: list[tuple[str, Segment]] = []  # (figure as written, segment), parallel to values
    for seg in segments:
        if seg.kind == BOILERPLATE:
            continue
        # every exact count has three digits in a row; the pattern is slow to rule out
        for m in _EXACT_COUNT.finditer(seg.cleaned) if _THREE_DIGITS.search(seg.cleaned) else ():
            value = float(m.group(1).replace(",", ""))
            if value < 10000:
                continue
            # the nearest different earlier figures sit on either side of where this one goes
            lo, hi = bisect.bisect_left(values, value), bisect.bisect_right(values, value)
            near = [j for j in (lo - 1, hi) if 0 <= j < len(values)]
            close = [j for j in near if abs(value - values[j]) <= 0.05 * max(value, values[j])]
            if close:
                j = min(close, key=lambda j: abs(value - values[j]))
                other_text, other_seg = seen[j]
                seg.flags.append(Flag("number-inconsistent", "warning",
                                      f"{m.group(1)} here but {other_text} in segment {other_seg.index}: "
                                      f"nearly the same quantity; check which is right.", m.start(), m.end()))
            values.insert(hi, value)
            seen.insert(hi, (m.group(1), seg))
