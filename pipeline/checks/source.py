"""Checks against the source text: numbers, length, untranslated output.

They run on each segment's aligned `source`; when the input has source text for the
whole document only (JSONL), they compare document with document and report on the
first body segment, saying so. They know Chinese sources only (number readings,
length ratios, "still Chinese"): for a source in another language they do nothing,
and the garble stage notes that on the document.

Numbers are compared both ways: a required source number the translation does not
give, and a figure in the translation (written in digits) that no source number
accounts for, are both `number-mismatch`. Equal means equal: only a number that says
it is approximate ("about 1.9 million" for 188.6万) may differ, within the precision
it is written to.
"""

from __future__ import annotations

import re

from ..document import HAN, Flag, Segment, unit_of
from .catalogue import Check, catalogued
from .context import Context, source_pairs
from .numbers import Number, chinese_numbers, english_numbers
from .verbatim import masked

CJK = re.compile(HAN)
# Characters of English per character of Chinese: typical news runs about 2.5 to 4.
RATIO_LOW, RATIO_HIGH = 1.0, 9.0
MIN_SOURCE_CHARS = 10


@catalogued(Check("empty-target", "error", "an aligned unit (XLIFF, TMX, TSV, JSONL) whose target is empty or missing",
                  "<target/>",
                  sample=("zh-en.tsv", "全县完成搬迁。\tThe county completed the relocation.\n新建学校3所。\t\n")))
def empty_target(seg: Segment, ctx: Context) -> list[Flag]:
    """An aligned unit whose target is empty or missing: nothing was translated."""
    if unit_of(ctx.doc, seg) is None or seg.cleaned.strip():
        return []
    return [Flag("empty-target", "error", "This unit has no translation.", 0, 0)]


@catalogued(
    Check("number-mismatch", "warning", "a number in the source is missing from the translation, or a figure in "
          "the translation has no source (exact, unless the translation says it is approximate)",
          "source 29.33万人, translation 239,300 people",
          sample=("zh-en.tsv", "铜仁市今年完成29.33万人搬迁。\tTongren relocated 239,300 people this year.\n")),
    Check("length-ratio", "warning", "the translation is far shorter or longer than its source",
          "a 60-character source translated as 4 words",
          sample=("zh-en.tsv", "铜仁市今年全面完成了易地扶贫搬迁任务，群众生活明显改善。\tDone.\n")),
    Check("untranslated-segment", "error", "the translation is the source, or mostly source script",
          "target = 全县易地扶贫搬迁任务全面完成",
          sample=("zh-en.tsv", "全县完成搬迁。\tThe county completed the relocation.\n群众满意。\tThe people are "
                  "satisfied.\n全县易地扶贫搬迁任务全面完成。\t全县易地扶贫搬迁任务全面完成。\n")),
)
def source_checks(segments: list[Segment], ctx: Context) -> None:
    for pair in source_pairs(segments, ctx.doc):
        pair.add(compare(pair.source, pair.target, ctx, pair.scope))


# Targets the source checks do not judge: written with Han characters or without spaces.
_HAN_OR_UNSPACED = {"zh", "ja", "ko", "th"}


def compare(source: str, target: str, ctx: Context, scope: str) -> list[Flag]:
    if ctx.source_lang != "zh" or ctx.lang in _HAN_OR_UNSPACED:
        return []  # a Japanese translation is written in Han characters too; its numbers and length differ
    flags = []
    cjk_share = len(CJK.findall(target)) / max(1, len(target.replace(" ", "")))
    if target.strip() == source.strip() or cjk_share > 0.3:
        flags.append(Flag("untranslated-segment", "error", f"The translation is still Chinese{scope}.",
                          0, len(target)))
        return flags
    flags += number_flags(chinese_numbers(masked(source)), english_numbers(masked(target)), len(target), scope)
    source_chars = len(source.strip())
    if source_chars >= MIN_SOURCE_CHARS:
        ratio = len(target.strip()) / source_chars
        if not RATIO_LOW <= ratio <= RATIO_HIGH:
            flags.append(Flag("length-ratio", "warning", f"The translation is {ratio:.1f} times the source's length "
                              f"(usually {RATIO_LOW:g} to {RATIO_HIGH:g}): something may be missing or added{scope}.",
                              0, len(target)))
    return flags


def _listing(numbers: list[Number]) -> str:
    """The numbers as written, with their value where the writing is not plain digits ("29.33万 (293,300)")."""
    def shown(n: Number) -> str:
        text = n.text.strip()
        return text if text.replace(",", "").replace(".", "").isdigit() else f"{text} ({n.value:,.10g})"
    return ", ".join(dict.fromkeys(map(shown, numbers)))


def number_flags(source: list[Number], target: list[Number], target_length: int, scope: str) -> list[Flag]:
    """`number-mismatch` for required source numbers the target lacks (spanning the whole
    target), and for each digit-written target figure no source number accounts for."""
    flags = []
    missing = [s for s in source if s.required and not any(s.matches(t) for t in target)]
    if missing:
        flags.append(Flag("number-mismatch", "warning", f"The source has {_listing(missing)}, which the "
                          f"translation does not give{scope}.", 0, target_length))
    extra = [t for t in target if not t.spelled and not t.month and not any(t.matches(s) for s in source)]
    for t in extra:
        flags.append(Flag("number-mismatch", "warning", f"The translation has {t.text.strip()}, which the source "
                          f"does not give{scope}.", t.start, t.end))
    return flags
