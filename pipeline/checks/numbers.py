"""Numbers: reading them in English and Chinese, and checking they agree.

`english_numbers(text)` reads digits with separators and scale words ("1.92 million",
"293,300", "75%"), spelled-out numbers ("three", "twenty-five", "two hundred") and
month names; `chinese_numbers(text)` reads Arabic digits with 万/亿 multipliers
("29.33万" = 293,300), Chinese numerals ("二十三万四千" = 234,000, "百分之三十" = 30)
and month ranges ("1至9月" = January to September).

Each `Number` knows how precisely it is written and whether the text says it is
approximate ("about 1.9 million", "约1.9万", "1000余人"): only such a number may
differ from its counterpart, and only within the precision it is written to.
A Chinese numeral with no measure word after it ("三保障", "两不愁", "十三五") is part
of a set phrase, not a count: it excuses a number in the translation ("three
guarantees", "13th Five-Year Plan") but is not required there.
"""

from __future__ import annotations

import bisect
import math
import re
from dataclasses import dataclass

from ..document import BOILERPLATE, Flag, Segment
from .catalogue import Check, catalogued
from .context import Context
from .verbatim import masked


@dataclass(frozen=True)
class Number:
    value: float
    text: str  # as written
    start: int
    end: int
    unit: float = 1.0  # the value of the last digit written: 0.1e6 for "1.9 million", 100 for "about 300"
    approximate: bool = False  # the text says so: "about", "more than", "约", "余"
    required: bool = True  # a quantity the other side must give (not a set phrase's numeral)
    spelled: bool = False  # written in words ("three"), not digits
    month: bool = False  # a month name read as 1-12

    def matches(self, other: Number) -> bool:
        """The same quantity: equal, or within the precision an approximate one is written to."""
        if math.isclose(self.value, other.value, rel_tol=1e-9, abs_tol=1e-9):
            return True
        return any(n.approximate and abs(self.value - other.value) <= n.unit / 2 for n in (self, other))


SCALES = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}
MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
          "november", "december"]
_EN_NUMBER = re.compile(r"(?<![\w.])(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?(?:\s*(thousand|million|billion|trillion)\b)?")
_MONTH = re.compile(r"\b(" + "|".join(MONTHS) + r")\b", re.I)
_EN_HEDGE = re.compile(r"\b(?:about|around|approximately|nearly|almost|roughly|some|over|more than|less than|"
                       r"fewer than|up to|at least|close to|in excess of|under|above|below)\s+$", re.I)
_WORD_VALUES = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
    "seventeen eighteen nineteen".split())}
_WORD_VALUES.update({w: 10 * (i + 2) for i, w in enumerate(
    "twenty thirty forty fifty sixty seventy eighty ninety".split())})
_NUMBER_WORD = "|".join(sorted(_WORD_VALUES, key=len, reverse=True))
_ORDINAL_VALUES = {w: i + 1 for i, w in enumerate(
    "first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth thirteenth fourteenth "
    "fifteenth sixteenth seventeenth eighteenth nineteenth twentieth".split())}
_ORDINAL = re.compile(r"\b(" + "|".join(_ORDINAL_VALUES) + r")\b", re.I)
_SPELLED = re.compile(rf"\b(?:{_NUMBER_WORD})(?:[- ](?:{_NUMBER_WORD}))?(?:\s+hundred(?:\s+(?:and\s+)?"
                      rf"(?:{_NUMBER_WORD})(?:-(?:{_NUMBER_WORD}))?)?)?(?:\s+(?:thousand|million|billion))?\b", re.I)


def _precision(digits: str, decimals: str, scale: float, approximate: bool) -> float:
    """The value of the last digit written; an approximate whole number's trailing zeros
    are rounding ("about 2,000" is written to the thousand)."""
    if decimals:
        return 10.0 ** -len(decimals) * scale
    zeros = len(digits) - len(digits.rstrip("0")) if approximate and digits.strip("0") else 0
    return 10.0 ** zeros * scale


def _spelled_value(text: str) -> float:
    total, current = 0.0, 0.0
    for word in re.split(r"[\s-]+", text.lower()):
        if word in _WORD_VALUES:
            current += _WORD_VALUES[word]
        elif word == "hundred":
            current *= 100
        elif word in SCALES:
            total += current * SCALES[word]
            current = 0.0
    return total + current


def english_numbers(text: str) -> list[Number]:
    """Numbers in English (or any Latin-script) text, in text order."""
    found = []
    for m in _EN_NUMBER.finditer(text):
        digits, decimals = m.group(1).replace(",", ""), (m.group(2) or "")[1:]
        scale = SCALES[m.group(3).lower()] if m.group(3) else 1.0
        approximate = bool(_EN_HEDGE.search(text, max(0, m.start() - 20), m.start()))
        found.append(Number(float(f"{digits}.{decimals}" if decimals else digits) * scale, m.group(0), m.start(),
                            m.end(), _precision(digits, decimals, scale, approximate), approximate))
    for m in _SPELLED.finditer(text):
        approximate = bool(_EN_HEDGE.search(text, max(0, m.start() - 20), m.start()))
        found.append(Number(_spelled_value(m.group(0)), m.group(0), m.start(), m.end(),
                            approximate=approximate, spelled=True))
    for m in _ORDINAL.finditer(text):
        found.append(Number(float(_ORDINAL_VALUES[m.group(1).lower()]), m.group(0), m.start(), m.end(), spelled=True))
    for m in _MONTH.finditer(text):
        found.append(Number(float(MONTHS.index(m.group(1).lower()) + 1), m.group(0), m.start(), m.end(), month=True))
    return sorted(found, key=lambda n: n.start)


_ZH_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_ZH_UNITS = {"十": 10, "百": 100, "千": 1000}
_ZH_BIG = {"万": 1e4, "亿": 1e8}
_ZH_ARABIC = re.compile(r"(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)\s*(万|亿)?")
# 百 before 分 is "percent" (百分之三十) or "percentage point" (3个百分点), never a hundred.
_ZH_NUMERAL = re.compile(r"(?:[零〇一二两三四五六七八九十千]|百(?!分))(?:[零〇一二两三四五六七八九十千万亿]|百(?!分))*")
_ZH_MONTHS = re.compile(r"(\d{1,2})(?:至|到|-|—|~)(\d{1,2})月")
# Measure words and units: a numeral before one of these counts something.
_ZH_MEASURE = re.compile(r"\s*(?!期间)(?:个|名|户|人|位|家|所|座|条|项|次|年|月|日|号|天|元|块|亩|平方|公里|千米|米|吨|岁|倍|成|批|"
                         r"期|届|栋|套|间|处|件|辆|台|只|头|匹|种|类|级|层|周|小时|分钟|秒|克|斤|公斤|千克|万|亿|%|％|"
                         r"多|余|左右|村|镇|乡|县|支|张|本|份|篇|部|场|起|例|床|片|轮|趟|道|笔|宗|幢|口)")
_ZH_HEDGE_BEFORE = re.compile(r"(?:约|近|超过|逾|将近|大约|接近|不到|不足|上)$")  # not 达: "reached" is exact
_ZH_HEDGE_AFTER = re.compile(r"\s*(?:万|亿)?\s*(?:多|余|左右|以上|以下|上下)")


def _zh_small(text: str) -> float:
    """A numeral below 万: "三千零五" = 3005, "十二" = 12, "二〇一九" = 2019 (digit by digit)."""
    if not any(ch in _ZH_UNITS for ch in text):
        return float("".join(str(_ZH_DIGITS[ch]) for ch in text)) if text else 0.0
    total, digit = 0.0, None
    for ch in text:
        if ch in _ZH_DIGITS:
            digit = _ZH_DIGITS[ch]
        elif ch in _ZH_UNITS:
            total += (digit if digit is not None else 1) * _ZH_UNITS[ch]
            digit = None
    return total + (digit or 0)


def _numeral_parts(numeral: str) -> list[str]:
    """A run of numerals that is one number, or several set side by side: "十三五" (the
    13th Five-Year Plan) is 十三 and 五, since a digit cannot follow a digit in a numeral
    that has units (a digit-by-digit one such as "二〇一九" has none)."""
    if not any(ch in _ZH_UNITS or ch in _ZH_BIG for ch in numeral):
        return [numeral]
    parts, current = [], ""
    for ch in numeral:
        if ch in _ZH_DIGITS and current[-1:] in _ZH_DIGITS and current[-1:] not in "零〇":
            parts.append(current)
            current = ""
        current += ch
    return parts + [current]


def zh_numeral(text: str) -> float:
    """The value of a Chinese numeral: 亿 over 万 over the rest ("三万亿" = 3e12, "二十三万四千" = 234,000)."""
    for big in ("亿", "万"):
        if big in text:
            high, _, low = text.rpartition(big)
            return (zh_numeral(high) if high else 1.0) * _ZH_BIG[big] + (zh_numeral(low) if low else 0.0)
    return _zh_small(text)


def _zh_approximate(text: str, start: int, end: int) -> bool:
    return bool(_ZH_HEDGE_BEFORE.search(text, max(0, start - 2), start) or _ZH_HEDGE_AFTER.match(text, end))


def chinese_numbers(text: str) -> list[Number]:
    """Numbers in Chinese text, in text order."""
    found, months = [], []
    for m in _ZH_MONTHS.finditer(text):  # 1至9月: January to September
        found += [Number(float(m.group(1)), m.group(1), m.start(1), m.end(1)),
                  Number(float(m.group(2)), m.group(2), m.start(2), m.end(2))]
        months.append(m.span())
    for m in _ZH_ARABIC.finditer(text):
        if any(a <= m.start() < b for a, b in months):
            continue
        digits, _, decimals = m.group(1).replace(",", "").partition(".")
        scale = _ZH_BIG[m.group(2)] if m.group(2) else 1.0
        approximate = _zh_approximate(text, m.start(), m.end())
        found.append(Number(float(m.group(1).replace(",", "")) * scale, m.group(0), m.start(), m.end(),
                            _precision(digits, decimals, scale, approximate), approximate))
    for m in _ZH_NUMERAL.finditer(text):
        numeral = m.group(0)
        parts = _numeral_parts(numeral)
        # A count needs a measure word, large units or 百分之. So 一 and 两 alone, mostly words
        # ("一站式", "两不愁") or names ("一中", No. 1 Middle School), only account for a 1 or 2.
        counted = len(parts) == 1 and (bool(_ZH_MEASURE.match(text, m.end())) or any(ch in "百千万亿" for ch in numeral)
                                       or text[max(0, m.start() - 3):m.start()] == "百分之")
        at = m.start()
        for part in parts:
            found.append(Number(zh_numeral(part), part, at, at + len(part),
                                approximate=_zh_approximate(text, m.start(), m.end()), required=counted))
            at += len(part)
    return sorted(found, key=lambda n: n.start)


_THREE_DIGITS = re.compile(r"\d\d\d")
_EXACT_COUNT = re.compile(r"(?<![\w.,])(\d{1,3}(?:,\d{3})+|\d{5,})(?![\d.,]*\d)(?!\s*(?:%|percent|thousand|million|billion))")


@catalogued(Check("number-inconsistent", "warning", "one document gives nearly the same quantity two different values",
                  "293,300 relocated people ... 283,000 relocated poor",
                  sample=("txt", "The county relocated 293,300 people. Of the 283,000 relocated people, most found "
                          "work.\n")))
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
        # (telephone numbers and other codes are not counts)
        for m in _EXACT_COUNT.finditer(masked(seg.cleaned)) if _THREE_DIGITS.search(seg.cleaned) else ():
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
