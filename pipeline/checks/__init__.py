"""The catalogue of garble checks: small functions that measure and explain, never decide.

A segment check is `check(seg, ctx) -> list[Flag]`; a document check sees every
segment at once. `CATALOGUE` documents each code, filled by the decorator on each check
(`checks.catalogue`). The garble stage runs the checks; `score.py` is the one place that
turns flags and measurements into `garble_score` and `garbled`.
"""

from __future__ import annotations

# Each module's checks put their codes in CATALOGUE as they are defined (`checks.catalogue`).
from . import consistency
from . import grammar
from . import markup
from . import numbers
from . import score
from . import source
from . import surface
from . import verbatim
from .catalogue import CATALOGUE, Check, declare
from .context import Context

# Codes a stage raises itself, beside its own work (the stages sit above this layer).
declare(Check("calque", "warning", "a literal rendering of a Chinese set phrase (glossaries/calques.zh-en.yaml)",
              "One party cannot support one party with soil and water.",
              sample=("txt", "One party cannot support one party with soil and water.\n")), raised_by="stages.terms")
declare(Check("spelling", "info", "a word no Hunspell dictionary of its language knows, one edit from a much more "
              "common word (the suggestion); names, pinyin, terms, codes and foreign words excepted",
              "goverment (government)", languages="en, fr, de, es, pt",
              sample=("txt", "The county goverment built new roads for the villages.\n")), raised_by="stages.spelling")
CODES = {c.code: c for c in CATALOGUE}

# Every flag code the pipeline writes, with what it means (the terms stage's codes too),
# for the review pages' legend.
EXPLANATIONS = {
    **{c.code: c.catches for c in CATALOGUE},
    "term-variant": "a glossary variant left in place (the entry only flags it, or the words around it forbid a rewrite)",
    "term-discouraged": "a rendering the glossary discourages, with its suggestion",
    "term-forbidden": "a rendering the glossary forbids, with its suggestion",
    "term-inconsistent": "the document renders one glossary concept in more than one way",
    "term-missing": "the source has a glossary term whose preferred rendering the translation lacks",
}

# Checks of any segment's text, and checks of prose: a line that reads as code (a command,
# a program listing: `text.spans.reads_as_code`) is no sentence, and gets only the first.
SEGMENT_CHECKS = [surface.untranslated, surface.glued_words, surface.invisible_chars]
PROSE_CHECKS = [surface.wrong_language, grammar.fragment, grammar.comma_splice, grammar.broken_structure,
                surface.repetition, surface.too_long, surface.truncated, surface.stray_punct, grammar.low_fluency,
                grammar.missing_space]
# A segment with no text (an aligned unit not yet translated) gets only these.
EMPTY_CHECKS = [source.empty_target]
DOCUMENT_CHECKS = [surface.unbalanced, numbers.number_inconsistent, source.source_checks, verbatim.verbatim_checks,
                   consistency.inconsistent_translation, markup.tag_mismatch]

__all__ = ["CATALOGUE", "CODES", "EMPTY_CHECKS", "EXPLANATIONS", "Check", "Context", "DOCUMENT_CHECKS",
           "PROSE_CHECKS", "SEGMENT_CHECKS", "score"]
