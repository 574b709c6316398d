"""The catalogue of garble checks: small functions that measure and explain, never decide.

A segment check is `check(seg, ctx) -> list[Flag]`; a document check sees every
segment at once. `CATALOGUE` documents each code (the table in docs/garble.md is written from
the same facts). The garble stage runs the checks; `score.py` is the one place that
turns flags and measurements into `garble_score` and `garbled`.
"""

from __future__ import annotations

from dataclasses import dataclass

from . import consistency
from . import grammar
from . import markup
from . import numbers
from . import source
from . import surface
from . import verbatim
from .context import Context


@dataclass(frozen=True)
class Check:
    code: str
    severity: str
    catches: str
    example: str
    languages: str = "all"  # "all", or the languages it runs for, e.g. "en"
    cosmetic: bool = False  # fixed or harmless: never counts towards garbled


CATALOGUE = [
    Check("untranslated", "error", "source-language script (Chinese characters) left in the translation",
          "Tongren 易地扶贫搬迁 work"),
    Check("wrong-language", "warning", "langdetect is sure a sentence is in another language than its document",
          "a French sentence in an English article"),
    Check("fragment", "warning", "a body sentence of five words or more with no finite verb (an instruction's bare "
          "verb counts as one), a reported clause with no verb, or a second predicate with no subject",
          "Motivation and willingness to relocate the county families.", languages="en"),
    Check("comma-splice", "warning", "two sentences joined by a comma, or a sentence glued on with a capital",
          "The new house is OK, the masses have the final say.", languages="en"),
    Check("broken-structure", "warning", "a sentence frame that does not close: \"not only\" without \"but\", "
          "\"but also\" twice, two colons", 'Not only did I feed a family, but also helped ..., but also drive more.',
          languages="en"),
    Check("repetition", "warning", "a word or phrase repeated in one sentence",
          "One party cannot support one party with soil and water."),
    Check("calque", "warning", "a literal rendering of a Chinese set phrase (glossaries/calques.zh-en.yaml)",
          "One party cannot support one party with soil and water."),
    Check("unbalanced", "info", "quotes or brackets that do not pair up within the paragraph",
          'A family of four went upstairs Living, employment downstairs ".'),
    Check("glued-words", "info", "words run together that the punctuation stage could not split",
          "villages2019", cosmetic=True),
    Check("missing-space", "warning", "a grammar word run into the article after it: a dropped space",
          "This review wasa new starting point.", languages="en"),
    Check("invisible-char", "warning", "a character that shows as nothing (zero-width space, direction override, "
          "tag character) where it has no use", "Tongren\u200bCity; \u202etxt.exe", cosmetic=True),
    Check("too-long", "info", "a sentence of more than 60 words", "(a run-on of many clauses)"),
    Check("truncated", "warning", "a sentence that ends mid-phrase: on a comma or a function word",
          "They are fighting to fight the"),
    Check("stray-punct", "warning", "a sentence that starts with punctuation",
          ", To reduce the phenomenon ..."),
    Check("low-fluency", "info", "a high share of words that English text almost never uses",
          "Shimo mountain Yunnan Guizhou Plateau middle", languages="en"),
    Check("number-inconsistent", "warning", "one document gives nearly the same quantity two different values",
          "293,300 relocated people ... 283,000 relocated poor"),
    Check("number-mismatch", "warning", "a number in the source is missing from the translation, or a figure in "
          "the translation has no source (exact, unless the translation says it is approximate)",
          "source 29.33万人, translation 239,300 people"),
    Check("length-ratio", "warning", "the translation is far shorter or longer than its source",
          "a 60-character source translated as 4 words"),
    Check("untranslated-segment", "error", "the translation is the source, or mostly source script",
          "target = 全县易地扶贫搬迁任务全面完成"),
    Check("long-sentence", "warning", "a garbled verdict that the sentence's length carried (raised by the score)",
          "a 70-word list of districts and programmes"),
    Check("rare-words", "warning", "a garbled verdict that the share of rare words carried (raised by the score)",
          "Shimo mountain Yunnan Guizhou Plateau middle", languages="en"),
    Check("comma-chain", "warning", "a garbled verdict that many commas per verb carried (raised by the score)",
          "Walking, taking boats, chatting, leisurely, taking pictures, people enjoy ...", languages="en"),
    Check("unlikely-wording", "warning", "a garbled verdict that the language model's reading carried (judge = "
          "\"lm\", raised by the score): the words it found least likely are marked",
          "Reads unlike English around “rice change beans”", languages="en"),
    Check("parse-structure", "warning", "a garbled verdict that a parse measurement carried (with the parser only)",
          "Tourism index gradually picked up economic benefits significantly enhance ...", languages="en"),
    Check("url-mismatch", "error", "a web address of the source missing or altered in the translation, or one "
          "the source does not have", "source www.tongren.gov.cn, translation www.tongren.gov.com"),
    Check("email-mismatch", "error", "an e-mail address of the source missing or altered in the translation, or "
          "one the source does not have", "source tr@163.com, translation tr@136.com"),
    Check("code-mismatch", "warning", "a code of the source (G75, PM2.5, a telephone number, a document number "
          "such as 铜府发〔2019〕12号) the translation does not give", "source G75, translation G57"),
    Check("inconsistent-translation", "warning", "one source segment translated in more than one way in a "
          "document, or one translation given for different sources (the index lists the batch's groups)",
          "标题 translated \"Title\" twice and \"Heading\" once"),
    Check("tag-mismatch", "error", "inline markup of the source (XLIFF <g>, <x/>, <bx/>/<ex/>, <ph>, <bpt>/<ept>, "
          "<pc>, <sc>/<ec>, <mrk>; TMX codes) missing, added or reordered in the target", "source <g id=\"1\">Tongren</g>, "
          "target without the <g>"),
    Check("spelling", "info", "a word no Hunspell dictionary of its language knows, one edit from a much more "
          "common word (the suggestion); names, pinyin, terms, codes and foreign words excepted",
          "goverment (government)", languages="en, fr, de, es, pt"),
    Check("empty-target", "error", "an aligned unit (XLIFF, TMX, TSV, JSONL) whose target is empty or missing",
          "<target/>"),
]
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
           "PROSE_CHECKS", "SEGMENT_CHECKS"]
