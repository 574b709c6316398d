"""Language-independent checks on the surface of a sentence: script, repetition, punctuation."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator
from functools import lru_cache
from itertools import compress, count
from operator import eq

from ..document import BOILERPLATE, HAN, UNDETERMINED, Flag, Segment, segment_language
from ..language import words as wordlists
from ..language.english import verb_lemma, verb_lemmas, word_classes
from ..language.langid import LIKELY_LANGUAGES
from ..language.pinyin import is_pinyin
from ..language.words import WordTable
from ..text.invisible import describe, find_invisible
from .catalogue import Check, catalogued
from .context import Context
from .sentence import TOKEN
from .verbatim import masked

CJK = re.compile(HAN + "+")
GLUED = re.compile(r"\b[a-z]{3,}[A-Z][a-z]{2,}\b|\b[A-Za-z]{3,}\d{2,}\b|\b\d{2,}[A-Za-z]{4,}\b")
TOO_LONG = 60
# Languages whose text has no spaces: their sentences are not measured in words.
UNSPACED = {"zh", "ja", "ko", "th"}


# Languages whose rare words seldom spell out pinyin syllables. In French, Spanish or
# Italian many do ("banane", "camino", "tienda"), so residue cannot be told from them.
PINYIN_LANGS = {"en", "de", "nl"}


@catalogued(Check("untranslated", "error", "source-language script (Chinese characters) left in the translation",
                  "Tongren 易地扶贫搬迁 work",
                  sample=("txt", "The Tongren 易地扶贫搬迁 work is done.\n")))
def untranslated(seg: Segment, ctx: Context) -> list[Flag]:
    if ctx.lang in ("zh", "ja", "ko"):  # Chinese in a Chinese document is no residue
        return []
    lang = ctx.language(seg)  # a segment left in Chinese is residue; its pinyin test reads its own language
    text = seg.cleaned
    flags = [] if text.isascii() else [
        Flag("untranslated", "error", f"Chinese text left untranslated: “{m.group(0)}”.", m.start(), m.end())
        for m in CJK.finditer(text)]
    if lang in PINYIN_LANGS:
        is_residue = _residue(tuple(dict.fromkeys(l for l in (lang, ctx.lang) if l in wordlists.languages())))
        # names are capitalised; residue is not
        words = [w for w in ctx.sentence(text).lower_words if len(w) >= 4]
        if any(map(is_residue, compress(words, map(is_pinyin, words)))):
            for m in _LOWER_WORD.finditer(masked(text)):  # "fupin@trs.gov.cn" is an address, not residue
                if is_pinyin(m.group(0)) and is_residue(m.group(0)):
                    flags.append(Flag("untranslated", "warning", f"“{m.group(0)}” looks like pinyin left "
                                      "untranslated.", m.start(), m.end()))
    return flags


RESIDUE_MAX_ZIPF = 1.5  # a word this common in the text's language is one of its words
FOREIGN_ZIPF = 3.0  # a word this common in another language the pipeline knows is a foreign word ("banane")
STEM_ZIPF = 2.0  # an inflected form of a word this common is a word ("erlesende": "erlesen" + "de")
# Inflection endings: a word that is one of these after a known word is a form of it.
INFLECTIONS = {"en": ("s", "es", "ed", "d", "ing", "er", "ers", "est", "ly"),
               "de": ("e", "en", "er", "es", "em", "n", "d", "de", "den", "der", "des", "dem", "t", "te", "ten",
                      "st", "s"),
               "nl": ("e", "en", "er", "s", "de", "te", "den", "ten", "d", "t")}


@lru_cache(maxsize=16)
def _residue(languages: tuple[str, ...]):
    """A test of whether a pinyin-shaped lower-case word is residue: no word of the text's
    languages (nor a form of one, by their inflection endings) and no common word of
    another language the pipeline knows. Pinyin is never a dictionary word."""
    tables = [(wordlists.zipf_table(lang), INFLECTIONS.get(lang, ())) for lang in languages]
    foreign = [lang for lang in LIKELY_LANGUAGES if lang in wordlists.languages()]

    def residue(word: str) -> bool:
        for freq, endings in tables:
            if freq[word] >= RESIDUE_MAX_ZIPF or any(
                    word.endswith(end) and len(word) - len(end) >= 4 and freq[word[:-len(end)]] >= STEM_ZIPF
                    for end in endings):
                return False
        # each language's words above the bar, loaded (from the cache folder, not its whole
        # list) when a word first gets this far
        return not any(wordlists.common_table(lang, FOREIGN_ZIPF)[word] for lang in foreign)
    return WordTable(residue).__getitem__


_LOWER_WORD = re.compile(r"(?<![\w\u00ad])[a-z]{4,}(?![\w\u00ad])")  # a soft hyphen is inside a word




@catalogued(Check("wrong-language", "warning", "langdetect is sure a sentence is in another language than its document",
                  "a French sentence in an English article",
                  sample=("txt", "The county finished the relocation work this year. Families moved into new homes "
                          "in the spring. Schools opened in the autumn.\n\nLe conseil municipal a approuvé hier le "
                          "nouveau plan de logement pour les familles.\n")))
def wrong_language(seg: Segment, ctx: Context) -> list[Flag]:
    lang = segment_language(seg, ctx.doc)
    if lang == ctx.lang or ctx.lang == UNDETERMINED:
        return []
    return [Flag("wrong-language", "warning", f"This sentence reads as '{seg.lang}' "
                 f"(p={seg.lang_prob:.2f}), not the document's '{ctx.lang}'.", 0, len(seg.cleaned))]


@catalogued(Check("repetition", "warning", "a word or phrase repeated in one sentence",
                  "One party cannot support one party with soil and water.",
                  sample=("txt", "One party cannot support one party with soil and water.\n")))
def repetition(seg: Segment, ctx: Context) -> list[Flag]:
    """Adjacent doubled words ("people People"), "X and X", and a two-word phrase said twice."""
    lang = ctx.language(seg)
    if lang in UNSPACED:
        return []
    # numbers stay in the sequence so "people, and 1,482 people" is not "people and people"
    words = list(map(str.lower, ctx.sentence(seg.cleaned).word_tokens))
    grammar = wordlists.grammar_table(lang)
    # Each kind of repetition is first looked for with a test that runs in C (most
    # sentences have none), and only then walked word by word.
    doubled = [(i, i + 1, f"“{a}” is written twice in a row.")
               for i in where(map(eq, words, words[1:])) if len(a := words[i]) > 1 and not a.isdigit()]
    spans = [m.span() for m in TOKEN.finditer(seg.cleaned)] if doubled else None
    if doubled:  # only a space between them ("drip-drip", "forces - forces", "ist, ist" are written so)
        doubled = [(i, j, message) for i, j, message in doubled
                   if not seg.cleaned[spans[i][1]:spans[j][0]].strip() and not _grammatical_double(words[i], lang)]
    for i in where(map(eq, words, words[2:])):
        a, conj = words[i], words[i + 1]
        # common words and comparatives said twice are idioms ("again and again", "more and
        # more", "bigger and bigger", "durch und durch")
        if conj in ("and", "or", "et", "und", "y", "e") and not a.isdigit() and wordlists.zipf(a, lang) < IDIOM_ZIPF \
                and not (lang == "en" and a.endswith("er") and "ADJ" in word_classes(a)):
            doubled.append((i, i + 2, f"“{a} {conj} {a}”: the same word on both sides."))
    if lang == "en":
        doubled += _same_verb_twice(words)
    pairs = _repeated_pairs(words, grammar)
    if not doubled and not pairs:
        return []
    spans = spans or [m.span() for m in TOKEN.finditer(seg.cleaned)]  # only now: most sentences have no flag
    pairs = [(i, i + 1, message) for first, i, message in pairs
             if not _parallel_items(seg.cleaned, words, spans, first, i)]
    return [Flag("repetition", "warning", message, spans[i][0], spans[j][1])
            for i, j, message in doubled + pairs]  # in the order the checks were written


# Words a language writes twice in a row in grammatical sentences: German articles that are
# also relative pronouns ("bei der der Wein atmet", "die die Entscheidung beeinflussen"),
# English "that that" and "had had".
_DOUBLES = {"de": {"der", "die", "das", "den", "dem", "des"}, "nl": {"die", "dat"},
            "en": {"that", "had"}, "fr": {"nous", "vous"}}


def _grammatical_double(word: str, lang: str) -> bool:
    return word in _DOUBLES.get(lang, ())


# Zipf frequency from which "X and X" is an idiom of a common word rather than a repeat
# ("again and again", "over and over" in English are above it; "hard and hard", "towns and
# towns" below).
IDIOM_ZIPF = 5.6


def where(truths: Iterable[object]) -> Iterator[int]:
    """Positions of the true values (found in C: the checks use it to skip most words)."""
    return compress(count(), truths)


def _repeated_pairs(words: list[str], grammar: WordTable) -> list[tuple[int, int, str]]:
    """A two-word phrase said again within REPEAT_WINDOW words ("one party ... one party")."""
    pairs = list(zip(words, words[1:]))
    if len(set(pairs)) == len(pairs):
        return []  # no phrase said twice: most sentences
    repeated = {pair for pair, n in Counter(pairs).items() if n > 1}
    found = []
    seen: dict[tuple[str, str], int] = {}
    for i in where(map(repeated.__contains__, pairs)):  # a phrase said once is never flagged
        a, b = pairs[i]
        if grammar[b] or a.isdigit() or b.isdigit() or len(a) < 2 or len(b) < 2:
            continue  # "one party" counts, "people were" (parallel clauses) does not
        if (a, b) in seen and 2 <= i - seen[(a, b)] <= REPEAT_WINDOW:
            found.append((seen[(a, b)], i, f"“{a} {b}” twice within a few words."))
        seen[(a, b)] = i
    return found


_ITEM_JOINERS = {"and", "or", "as", "than", "plus", "et", "ou", "comme", "que", "und", "oder", "sowie", "wie",
                 "auch", "als", "y", "o", "e", "como"}
_ARTICLES = {"the", "a", "an", "le", "la", "les", "un", "une", "der", "die", "das", "den", "dem", "des", "ein",
             "eine", "el", "los", "las", "o", "os", "as", "um", "uma", "het", "de", "een"}


def _parallel_items(text: str, words: list[str], spans: list[tuple[int, int]], first: int, second: int) -> bool:
    """Whether a phrase said twice goes on in its own words each time, and either opens two
    items of a series ("the most beautiful teachers, the most beautiful parents") or is an
    article and a modifier ("the county units directly under the county government"). That
    is parallelism or plain reference; "Chongzuo City, Chongzuo City" and "in the
    countryside, the countryside preaching" (the phrase straight again) are not."""
    while first > 0 and words[first - 1] == words[second - 1] and second - 1 > first + 1:
        first, second = first - 1, second - 1  # back to where the repeated run starts
    length = next((k for k in range(2, second - first + 1)
                   if second + k >= len(words) or words[first + k] != words[second + k]), second - first)
    after_first, after_second = first + length, second + length
    if second == 0 or after_second >= len(words) or after_first >= second:
        return False  # the phrase straight again, or the sentence ends on it
    if words[first] in _ARTICLES:
        return True  # "the county units ... the county government": one modifier, two nouns
    gap = text[spans[second - 1][1]:spans[second][0]]
    return gap.strip() in (",", ";", "、") or words[second - 1] in _ITEM_JOINERS


# A phrase said again this close is a stutter, not a theme (news repeats key phrases
# across a long sentence legitimately).
REPEAT_WINDOW = 6


# In every text GLUED matches in: a lower-case letter before a capital, or a letter beside
# a digit. It stops only at capitals and digits, so it rules most sentences out quickly.
_GLUED_HINT = re.compile(r"[A-Z](?<=[a-z][A-Z])|\d(?<=[A-Za-z]\d)|\d(?=[A-Za-z])")


@catalogued(Check("glued-words", "info", "words run together that the punctuation stage could not split",
                  "villages2019", cosmetic=True,
                  sample=("txt", "Work began in the villages2019 and ended this year.\n")))
def glued_words(seg: Segment, ctx: Context) -> list[Flag]:
    if not _GLUED_HINT.search(seg.cleaned):
        return []
    return [Flag("glued-words", "info", f"“{m.group(0)}” looks like words run together.", m.start(), m.end())
            for m in GLUED.finditer(seg.cleaned)]


@catalogued(Check("too-long", "info", "a sentence of more than 60 words", "(a run-on of many clauses)",
                  sample=("txt", "The county, which lies in the mountains of the south-west and has long been one of "
                          "the poorest in the province, finished moving more than ten thousand families from remote "
                          "villages into new towns this year, building schools, clinics, markets and roads for "
                          "them, and it now plans to train the workers among them for jobs in the factories that "
                          "the towns are building nearby.\n")))
def too_long(seg: Segment, ctx: Context) -> list[Flag]:
    if ctx.lang in UNSPACED:
        return []
    n = len(ctx.sentence(seg.cleaned).words)
    if n <= TOO_LONG:
        return []
    return [Flag("too-long", "info", f"{n} words in one sentence; consider splitting it.", 0, len(seg.cleaned))]


_CLOSERS = "\"'”’)]」』》"


@catalogued(Check("truncated", "warning", "a sentence that ends mid-phrase: on a comma or a function word",
                  "They are fighting to fight the",
                  sample=("txt", "They are fighting to fight the\n")))
def truncated(seg: Segment, ctx: Context) -> list[Flag]:
    """A body sentence that stops on a comma or on a word that must have words after it
    ("... of the", "... and"). A sentence may end on a preposition ("What are cats best at?",
    German "bieten ... an."), and one that trails off on purpose ("can go a...") or
    introduces what follows ("key with:") is finished."""
    lang = ctx.language(seg)
    if seg.kind != "body" or lang in UNSPACED:
        return []
    text = seg.cleaned.rstrip().rstrip(_CLOSERS).rstrip()
    if not text:
        return []
    if text[-1] in ",;、":
        return [Flag("truncated", "warning", "The sentence ends on a comma: it stops mid-phrase.",
                     len(text) - 1, len(text))]
    if text.endswith((":", "...", "…")):
        return []
    sentence = ctx.sentence(seg.cleaned)
    words = sentence.words  # what follows the last word is not part of any word
    # the last token, digits included: "a population of 30,000." ends on a number, not on "of"
    # (lower-case as written: "x property of A." ends on a name, not on an article)
    if len(words) >= 4 and sentence.word_tokens[-1] in _ENDS_NEVER.get(lang, ()):
        return [Flag("truncated", "warning", f"The sentence ends on “{words[-1]}”: it stops mid-phrase.",
                     len(text) - len(words[-1]) - 1, len(text))]
    return []


# Words a finished sentence does not end on: articles, possessives, coordinating
# conjunctions. German "der", "die", "das" are also pronouns ("Wer macht denn das?"), and
# French "le", "la", "les" ("Il faut le dire, je le sais"... "prends-le") end sentences too.
_ENDS_NEVER = {"en": {"the", "a", "an", "and", "or", "its", "their", "your", "our", "my"},
               "fr": {"et", "ou", "des", "du", "au", "aux", "ses", "leurs", "mes", "nos", "vos"},
               "de": {"und", "oder", "einer", "eines", "einem"},
               "es": {"el", "los", "las", "y", "o", "sus", "del", "al"},
               "pt": {"os", "e", "ou", "do", "da", "dos", "das", "seus", "suas"},
               "it": {"il", "lo", "gli", "e", "o", "del", "della"},
               "nl": {"de", "het", "een", "en", "of"}}


@catalogued(Check("stray-punct", "warning", "a sentence that starts with punctuation",
                  ", 2019 was the year ...",
                  sample=("txt", "The county built new roads.\n\n, 2019 was the year the last families moved.\n")))
def stray_punct(seg: Segment, ctx: Context) -> list[Flag]:
    text = seg.cleaned.lstrip()
    if text[:1] in ",;:.、，；：。":
        offset = len(seg.cleaned) - len(text)
        return [Flag("stray-punct", "warning", "The sentence starts with punctuation: a piece of the sentence "
                     "before it, or two sentences glued together.", offset, offset + 1)]
    return []


_PAIRS = {"(": ")", "[": "]", "‚": "‘", "«": "»", "《": "》", "「": "」", "（": "）"}
# Double quotation marks pair up by their count, whatever their shape: machine
# translation often gets the shape wrong (four closing marks for two quotations, each
# opening mark printed as a closing one), and German closes with the mark English opens
# with; how many there are still tells whether the quotations close.
_DOUBLE = '"“”„‟'
_MARKS = re.compile("[" + re.escape("".join(_PAIRS) + "".join(_PAIRS.values()) + _DOUBLE) + "]")


@catalogued(Check("unbalanced", "info", "quotes or brackets that do not pair up within the paragraph",
                  'A family of four went upstairs Living, employment downstairs ".',
                  sample=("txt", "A family of four went upstairs Living, employment downstairs \".\n")))
def unbalanced(segments: list[Segment], ctx: Context) -> None:
    """Per paragraph (quotes may span sentences): flag the segment holding an unpaired mark.
    A quotation that runs over paragraphs leaves its opening mark unclosed at the end of
    each but the last, and opens the next with a mark again (the convention of English and
    other languages): such an opening mark is not unpaired."""
    blocks: dict[int, list[Segment]] = {}
    for seg in segments:
        if seg.kind != BOILERPLATE:
            blocks.setdefault(seg.block, []).append(seg)
    paragraphs = list(blocks.values())
    for n, segs in enumerate(paragraphs):
        continued = n + 1 < len(paragraphs) and paragraphs[n + 1][0].cleaned.lstrip()[:1] in _OPENING_MARKS
        stack: list[tuple[str, Segment, int]] = []
        doubles: list[tuple[Segment, int, str]] = []
        unpaired: list[tuple[Segment, int, str]] = []
        for seg in segs:
            for m in _MARKS.finditer(seg.cleaned):
                i, ch = m.start(), m.group(0)
                if ch in _DOUBLE:
                    doubles.append((seg, i, ch))
                elif stack and _PAIRS[stack[-1][0]] == ch:  # closes the open mark
                    stack.pop()
                elif ch in _PAIRS:
                    stack.append((ch, seg, i))
                else:
                    unpaired.append((seg, i, ch))
        unpaired += [(seg, i, ch) for ch, seg, i in stack if not (continued and ch in _OPENING_MARKS)]
        if len(doubles) % 2 and not continued:
            unpaired.append(doubles[-1])
        for seg, i, ch in unpaired:
            seg.flags.append(Flag("unbalanced", "info", f"“{ch}” has no partner in this paragraph.", i, i + 1))


_OPENING_MARKS = "\"“„«‚‘"


def _same_verb_twice(words: list[str]) -> list[tuple[int, int, str]]:
    """One verb in two forms a word or two apart: "fighting to fight", "relocating ... relocate"."""
    found = []
    # numbers are never verbs (and, each one new, would fill the word tables)
    lemmas = [None if w.isdecimal() else verb_lemma(w) for w in words]
    for i in where(lemmas):  # the words that are only verbs: a few per sentence
        a, lemma = words[i], lemmas[i]
        for j in range(i + 1, min(i + 3, len(words))):
            b = words[j]
            if b != a and not b.isdecimal() and lemma in verb_lemmas(b):
                found.append((i, j, f"“{a}” and “{b}”: the same verb twice in a row."))
    return found


@catalogued(Check("invisible-char", "warning", "a character that shows as nothing (zero-width space, direction "
                  "override, tag character) where it has no use", "Tongren\u200bCity; \u202etxt.exe", cosmetic=True,
                  sample=("txt", "Tongren\u200bCity built new roads.\n")))
def invisible_chars(seg: Segment, ctx: Context) -> list[Flag]:
    """Characters that show as nothing where they have no use (`pipeline.text.invisible`)."""
    flags = []
    for run in find_invisible(seg.cleaned):
        names = ", ".join(dict.fromkeys(describe(chr(cp)) for cp in run.codes))
        what = "reverses the text after it on screen" if {0x202D, 0x202E} & set(run.codes) else "shows as nothing"
        flags.append(Flag("invisible-char", "warning", f"Invisible character ({names}): it {what}; "
                          f"remove it unless it is meant.", run.start, run.end))
    return flags
