"""English grammar checks: sentences without a finite verb, comma splices, rare words.

Skipped (no flags) for other languages: the word-class data here is English.
"""

from __future__ import annotations

import re
from operator import itemgetter

from ..document import Flag, Segment
from ..language import english
from .catalogue import Check, catalogued
from .context import Context
from .sentence import Sentence, Tokens
from .surface import where

_OPENERS = english.JOINERS | english.PREPOSITIONS | {"in", "with", "after", "before", "when", "while", "if",
                                                      "as", "since", "because", "to", "by", "once", "upon"}
_QUOTES = "\"'“”‘’«»"


# A segment can hold more than one sentence once punctuation is repaired
# ("communities. To reduce ..."), so sentence checks look at each one.
SENTENCE = re.compile(r".+?(?:[.!?]+[\"”’')]*(?=\s+[\"“‘'(]?[A-Z])|$)", re.S)


# Where a sentence can end inside a text: SENTENCE's stop, closers and space. Most
# segments have none, and this finds that far quicker than SENTENCE's lazy scan.
_INNER_STOP = re.compile(r"[.!?][\"”’')]*\s")


def sentences(text: str) -> list[tuple[int, int]]:
    if not _INNER_STOP.search(text) and not text.endswith("\n"):  # ("$" also matches before a final newline)
        start = len(text) - len(text.lstrip())
        return [(start, len(text))] if start < len(text) else []
    out: list[tuple[int, int]] = []
    for m in SENTENCE.finditer(text):
        piece = m.group(0)
        start = m.start() + len(piece) - len(piece.lstrip())
        if not piece.strip():
            continue
        if out and _NOT_AN_END.search(text, 0, out[-1][1]):
            out[-1] = (out[-1][0], m.end())  # "Verdale V. Marquardt", "Gov. Jay Inslee": one sentence
        else:
            out.append((start, m.end()))
    return out


# A stop that ends an initial or a title before a name, not a sentence.
_NOT_AN_END = re.compile(r"(?:\b[A-Z]|\b(?:Mr|Mrs|Ms|Dr|Prof|Gov|Rep|Sen|Gen|Col|Lt|Sgt|St|Jr|Sr|Rev|No|Nos|Fig|"
                         r"Vol|vs|etc|approx))\.$")


@catalogued(Check("fragment", "warning", "a body sentence of five words or more with no finite verb (an "
                  "instruction's bare verb counts as one), a reported clause with no verb, or a second predicate "
                  "with no subject",
                  "Motivation and willingness to relocate the county families.", languages="en",
                  sample=("txt", "Motivation and willingness to relocate the county families.\n")))
def fragment(seg: Segment, ctx: Context) -> list[Flag]:
    if ctx.language(seg) != "en" or seg.kind != "body":
        return []
    spans = sentences(seg.cleaned)
    if len(spans) > 1 and _ENUMERATOR_ONLY.fullmatch(seg.cleaned[slice(*spans[0])]):
        spans[:2] = [(spans[0][0], spans[1][1])]  # "3." and the item it numbers are one sentence
    return [flag for start, end in spans for flag in _fragment(ctx.sentence(seg.cleaned[start:end]), start)]


_ENUMERATOR_ONLY = re.compile(r"\(?\d{1,2}[.)]\s*")


_BE_HAVE = {"is", "are", "was", "were", "has", "have", "had"}
_RELATIVES = {"which", "who", "whom", "whose", "where", "that", "when"}


def _clause_range(tokens: Tokens, k: int) -> range:
    """The positions in `tokens.words` of clause k's words (its opening comma left out)."""
    start = tokens.clause_starts[k] + (k > 0)
    end = tokens.clause_starts[k + 1] if k + 1 < len(tokens.clause_starts) else len(tokens.words)
    return range(start, end)


def _verbs_in(sentence: Sentence, positions: range) -> list[int]:
    return [i for i in sentence.finite_verbs if i in positions]


def _subjectless_predicate(sentence: Sentence, offset: int) -> list[Flag]:
    """"X did Y, is conducive to Z": a second verb after a comma with no subject of its own.

    The clause before the comma must itself have a finite verb (so it is not the
    subject) and must not be a relative or prepositional clause ("Sanbao, which has
    6,000 residents, is ...").
    """
    flags = []
    tokens = sentence.tokens
    clauses = tokens.clauses
    for k, clause in enumerate(clauses[1:], 1):
        words = clause[1:]
        if not words or words[0].lower() not in _BE_HAVE or clause[0] != ",":
            continue
        if k > 1:
            break  # "X, an appositive or aside, is ...": a clause after the first is no subject-verb clause
        left = [w for w in clauses[k - 1] if w not in (",", ";")]
        if not left or left[0].lower() in _RELATIVES | english.PREPOSITIONS | english.JOINERS:
            continue
        if _subordinate_start(left, sentence_start=True):
            continue  # "According to ..., has", "Having seen it, is": the clause before the comma is no clause
        verbs = _verbs_in(sentence, _clause_range(tokens, k - 1))
        if verbs and not _coordinated(tokens.words, verbs, words[0]):
            start, end = tokens.spans[tokens.clause_starts[k] + 1]
            flags.append(Flag("fragment", "warning", f"“{words[0]}” after the comma has no subject: the "
                              "sentence's structure is broken.", offset + start, offset + end))
    return flags


def _coordinated(sentence: tuple[str, ...], verbs_before: list[int], verb: str) -> bool:
    """Whether `verb` after a comma is one predicate of a series that shares the subject
    ("The town covers 120 km², has 12 villages and has 30,000 people"): a verb before the
    comma (at `verbs_before`) is in the same form, and an "and" or "or" later brings in
    another verb in it."""
    form = english.verb_tags(verb.lower()) & {"VBZ", "VBD", "VBP"}
    if not form or not any(english.verb_tags(sentence[i].lower()) & form for i in verbs_before):
        return False
    words = [w.lower() for w in sentence]
    return any(w in ("and", "or") and j + 1 < len(words) and english.verb_tags(words[j + 1]) & form
               and words[j + 1] not in english.DETERMINERS for j, w in enumerate(words))


# Verbs that report speech or thought and take a "that" clause ("they believe that ...").
# After other verbs "that" is mostly a determiner ("eliminates that problem").
_REPORTING = {"say", "think", "believe", "know", "hope", "feel", "show", "find", "note", "report", "claim",
              "argue", "suggest", "agree", "add", "explain", "insist", "realise", "realize", "learn", "mean",
              "expect", "announce", "state", "understand", "stress", "emphasise", "emphasize", "indicate",
              "reveal", "confirm", "admit", "deny", "recall", "warn", "predict", "assume", "fear", "ensure",
              "point", "tell", "introduce", "propose", "require", "demand", "decide", "promise", "remind"}


def _verbless_that_clause(sentence: Sentence, offset: int) -> list[Flag]:
    """"They believe that Qinglong people themselves very hard": a reported clause with no verb."""
    tokens = sentence.tokens
    words = tokens.words
    if "that" not in tokens.text.lower():
        return []  # most sentences have none: no need to walk them
    for i in range(1, len(words) - 1):
        if words[i].lower() != "that" or not english.verb_tags(words[i - 1].lower()) & {"VBD", "VBZ", "VBP"}:
            continue
        if not english.verb_lemmas(words[i - 1].lower()) & _REPORTING:
            continue
        if words[i + 1].lower() in english.PREPOSITIONS:
            continue  # "three times that of Yunnan": a pronoun, not a clause
        # to the end of the sentence or a ", but" / ", and" (relative clauses inside count)
        end = next((j for j in range(i + 1, len(words)) if words[j] in (";", ".", "!", "?", ":")
                    or (words[j] == "," and j + 1 < len(words) and words[j + 1].lower() in ("but", "and", "or", "so"))),
                   len(words))
        clause = range(i + 1, end)
        if english.word_count(words[i + 1:end]) >= 3 and not _verbs_in(sentence, clause):
            return [Flag("fragment", "warning", f"The clause after “{words[i - 1]} that” has no verb.",
                         offset + tokens.spans[i][0], offset + tokens.spans[end - 1][1])]
    return []


def _fragment(sentence: Sentence, offset: int) -> list[Flag]:
    flags = _subjectless_predicate(sentence, offset) + _verbless_that_clause(sentence, offset)
    return flags + _verbless(sentence, offset)


# A numbered list item: "3. ", "(2) ", "4) ", "5、", "①", then a capital.
_LIST_ITEM = re.compile(r"\s*(?:\(?\d{1,2}[.)、]|\(\d{1,2}\)|[\u2460-\u2473])\s*[A-Z]")


# Fewer words than this with no verb make a caption, an answer or an aside ("A blood
# bank.", "More to come.", "With a pumpkin patch."): ordinary in any writing, so not flagged.
VERBLESS_MIN_WORDS = 5
# A line opening with a bullet or a dash is a list item or an attribution ("—reader Kaci Y.").
_BULLET = re.compile(r"\s*[-–—•·*■□▪◆●○►]")


def _verbless(sentence: Sentence, offset: int) -> list[Flag]:
    text, words = sentence.text, sentence.tokens.words
    if english.word_count(words) < VERBLESS_MIN_WORDS or text.rstrip().rstrip(_QUOTES).endswith((":", "?", "!")):
        return []  # short, a question, an exclamation, or what introduces a list
    if _BULLET.match(text):
        return []
    if words[0] in _QUOTES or text.lstrip()[:1] in _QUOTES:
        return []  # quoted speech may be elliptical
    if _LIST_ITEM.match(text):
        return []  # "3. Scan the code in advance", "(2) Free check-ups": a numbered item need not be a sentence
    if sentence.finite_verbs or english.imperative_verbs(words):
        return []  # a statement, or an instruction ("Add the milk and whisk", "Then click on ...")
    if _polite_request(words):
        return []  # "For your safety, please support the testing": a request needs no subject
    return [Flag("fragment", "warning", "No main verb: this is not a full sentence (and not a heading or "
                 "list item).", offset, offset + len(text))]


def _polite_request(words: tuple[str, ...]) -> bool:
    """ "please" before a bare verb (adverbs between): "please actively support ..." """
    lowered = [w.lower() for w in words]
    for i, w in enumerate(lowered[:-1]):
        if w == "please":
            nxt = next((x for x in lowered[i + 1:] if not x.endswith("ly")), "")
            return "VB" in english.verb_tags(nxt)
    return False


def _subordinate_start(words, sentence_start: bool = False) -> bool:
    """Whether a clause opens as one that cannot stand alone: with a conjunction or
    preposition ("When", "After"), or with a participle ("Having passed ...", "According
    to ...", "..., depending on the point at which ..., you"; at the start of the sentence
    also a past form: "Located in ...", since a sentence does not open on a finite verb).
    Opening quote marks are read past."""
    first = next((w for w in words if w not in _QUOTES), "").lower()
    if first in _OPENERS:
        return True
    participles = {"VBG", "VBN", "VBD"} if sentence_start else {"VBG", "VBN"}
    return bool(english.verb_tags(first) & participles) and "NOUN" not in english.word_classes(first)


@catalogued(Check("comma-splice", "warning", "two sentences joined by a comma, or a sentence glued on with a capital",
                  "The new house is OK, the masses have the final say.", languages="en",
                  sample=("txt", "The new house is OK, the masses have the final say.\n")))
def comma_splice(seg: Segment, ctx: Context) -> list[Flag]:
    """Two full sentences joined by a comma, or a second sentence glued on with a capital."""
    if ctx.language(seg) != "en" or seg.kind != "body":
        return []
    sentence = ctx.sentence(seg.cleaned)
    tokens = sentence.tokens
    words = tokens.words
    flags: list[Flag] = []
    for i in where(map(str.isupper, map(itemgetter(0), words))):  # capitalised: the few words to look at
        if not 0 < i < len(words) - 1:
            continue
        w, prev, nxt = words[i], words[i - 1], words[i + 1]
        if not (w[1:].islower() and len(w) > 1):
            continue
        if not (prev == "," or prev[:1].islower()):
            continue  # after a stop, a quote or a capitalised word (a name) a capital is normal
        if w[:1] == "I" and (len(w) == 1 or w[1] in "'’"):
            continue  # "I", "I'm": always a capital
        lower = w.lower()
        common = english.zipf(lower) >= 5.8 and nxt[:1].islower()
        # a capitalised bare verb after a noun: "service center Organize the"; not a name as
        # an object ("told Harry about", "from Google server") or as a subject ("and Harry condemned")
        bare_verb = ("VB" in english.verb_tags(lower) and "NOUN" not in english.word_classes(lower)
                     and prev[:1].islower() and nxt[:1].islower()
                     and prev.lower() not in english.PREPOSITIONS | english.DETERMINERS
                     and not english.could_be_finite(prev.lower()) and not english.finite_verb_at(words, i + 1))
        if common or bare_verb:
            flags.append(Flag("comma-splice", "warning", f"“{w}” starts a new sentence in the middle of this "
                              "one: two sentences are glued together.", *tokens.spans[i]))
    clauses = tokens.clauses
    if _subordinate_start(words, sentence_start=True):
        return flags  # "When X did Y, he ...", "Having seen it, she ...": the comma closes a subordinate clause
    for k in range(1, len(clauses)):
        left = [w for w in clauses[k - 1] if w not in (",", ";")]
        if ":" in left:
            left = left[len(left) - left[::-1].index(":"):]  # "A quick explainer: To be called tequila, the ..."
        right = list(clauses[k][1:])
        if len(left) < 3 or len(right) < 3 or clauses[k][0] == ";":
            continue
        if _subordinate_start(left) or right[0].lower() not in english.DETERMINERS | english.SUBJECT_PRONOUNS:
            continue
        if right[0].lower() in english.JOINERS:
            continue
        if any(w.lower() in english.SPEECH_VERBS for w in left + right):
            continue  # ", he said", "..., the official added"
        if any(w.lower() in _SUBORDINATORS for w in left):
            continue  # "fear that, even as ...", "mean that if they survive the bombing, they": the comma closes it
        if any(c[1:2] and c[1].lower() in ("and", "or", "but") for c in clauses[k + 1:]):
            continue  # "The damage was extensive, several were wounded, and four were killed": a series
        right_verbs = _verbs_in(sentence, _clause_range(tokens, k))
        if _verbs_in(sentence, _clause_range(tokens, k - 1)) and right_verbs and \
                right_verbs[0] < tokens.clause_starts[k] + 7:
            flags.append(Flag("comma-splice", "warning", "Two full sentences joined by a comma: split them or "
                              "join them with a conjunction.", *tokens.spans[tokens.clause_starts[k]]))
    return flags


# Words inside a clause that make the comma after it close a subordinate clause.
_SUBORDINATORS = {"that", "if", "when", "whenever", "because", "although", "though", "while", "since", "unless",
                  "until", "whether", "once", "as", "where", "after", "before"}


@catalogued(Check("low-fluency", "info", "a high share of words that English text almost never uses",
                  "Shimo mountain Yunnan Guizhou Plateau middle", languages="en",
                  sample=("txt", "The shimo mountain yunnan guizhou plateau middle section tongren lies in the "
                          "east.\n")))
def low_fluency(seg: Segment, ctx: Context) -> list[Flag]:
    if ctx.language(seg) != "en":
        return []
    share, n = ctx.sentence(seg.cleaned).rare_share
    if n >= 8 and share >= 0.2:
        return [Flag("low-fluency", "info", f"{share:.0%} of the words are ones English text almost never uses.",
                     0, len(seg.cleaned))]
    return []


_NOT_ONLY = re.compile(r"\bnot only\b", re.I)
_BUT = re.compile(r"\bbut(?: also)?\b", re.I)
_BUT_ALSO = re.compile(r"\bbut also\b", re.I)
_COLON = re.compile(r"(?<!\d):(?!\d)")


@catalogued(Check("broken-structure", "warning", "a sentence frame that does not close: \"not only\" without "
                  "\"but\", \"but also\" twice, two colons",
                  "Not only did I feed a family, but also helped ..., but also drive more.", languages="en",
                  sample=("txt", "Not only did I feed a family, but also helped my neighbours, but also drive "
                          "more.\n")))
def broken_structure(seg: Segment, ctx: Context) -> list[Flag]:
    """Sentence frames that do not close: "not only" with no "but", "but also" twice, or
    two colons (a dateline or headline run into the sentence)."""
    if ctx.language(seg) != "en" or seg.kind != "body":
        return []
    text = seg.cleaned
    lowered = text.lower()  # quick tests first: the patterns are slow to rule out
    flags = []
    not_only = _NOT_ONLY.search(text) if "not only" in lowered else None
    if not_only and not _BUT.search(text, not_only.end()):
        flags.append(Flag("broken-structure", "warning", "“not only” with no “but”: the sentence frame is "
                          "left open.", not_only.start(), not_only.end()))
    but_also = list(_BUT_ALSO.finditer(text)) if lowered.count("but al") > 1 else []
    if len(but_also) > 1:
        flags.append(Flag("broken-structure", "warning", "“but also” twice: a Chinese 不仅…而且…而且 frame "
                          "rendered word for word.", but_also[1].start(), but_also[1].end()))
    colons = list(_COLON.finditer(text)) if text.count(":") > 1 else []
    if len(colons) > 1:
        flags.append(Flag("broken-structure", "warning", "Two colons in one sentence: a dateline or headline "
                          "is run into it.", colons[1].start(), colons[1].end()))
    return flags


# A grammar word run into the article after it: "wasa new", "ofthe county", "inan hour".
# A dropped space, not a spelling: the token is no word the lexicon knows ("area", "fora"
# are), and names are capitalised, so only lower-case tokens are read.
_RUN_INTO_ARTICLE = re.compile(r"\b(?:was|is|are|were|has|had|have|of|in|into|to|for|on|at|by|with|from|as|and|"
                               r"that)(?:the|an|a)\b")


@catalogued(Check("missing-space", "warning", "a grammar word run into the article after it: a dropped space",
                  "This review wasa new starting point.", languages="en",
                  sample=("txt", "This review wasa new starting point.\n")))
def missing_space(seg: Segment, ctx: Context) -> list[Flag]:
    if ctx.language(seg) != "en":
        return []
    flags = []
    for m in _RUN_INTO_ARTICLE.finditer(seg.cleaned):
        word = m.group(0)
        if not english.word_classes(word) and english.zipf(word) < 4.0:
            article = next(a for a in ("the", "an", "a") if word.endswith(a))
            flags.append(Flag("missing-space", "warning", f"“{word}” reads as two words run together "
                              f"(“{word[:-len(article)]} {article}”).", m.start(), m.end()))
    return flags
