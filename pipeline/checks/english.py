"""English word classes for the grammar checks, from lemminflect's lexicon and wordfreq.

No verb list is kept here: whether a word can be a finite verb comes from
lemminflect's inflection tables (VBD, VBZ, VBP ...). The sets below are closed
grammatical classes (auxiliaries, determiners, pronouns, conjunctions), which a
lexicon of content words does not cover.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from operator import itemgetter

from .. import words as wordlists
from ..lean_imports import lemminflect
from ..words import WordTable

AUXILIARIES = {"is", "are", "was", "were", "am", "has", "have", "had", "do", "does", "did", "can", "could",
               "will", "would", "shall", "should", "may", "might", "must", "isn't", "aren't", "wasn't",
               "weren't", "hasn't", "haven't", "hadn't", "don't", "doesn't", "didn't", "can't", "cannot",
               "couldn't", "won't", "wouldn't", "shouldn't", "'s", "'re", "'ve", "'m", "'ll", "'d"}
DETERMINERS = {"the", "a", "an", "this", "that", "these", "those", "its", "their", "his", "her", "our", "my",
               "your", "each", "every", "some", "any", "no", "all", "both", "such", "many", "more", "most",
               "several", "other", "another"}
SUBJECT_PRONOUNS = {"i", "we", "they", "you", "he", "she", "it", "there", "who", "which", "that", "people"}
PREPOSITIONS = {"of", "in", "on", "at", "for", "with", "by", "from", "into", "to", "about", "as", "than",
                "through", "over", "under", "after", "before", "between", "among", "during", "without", "within"}
JOINERS = {"and", "but", "or", "so", "while", "which", "who", "whose", "whom", "that", "because", "although",
           "though", "when", "where", "whereas", "if", "since", "as", "yet", "nor", "then", "until", "unless",
           "including", "such", "especially", "namely", "e.g.", "i.e."}
SPEECH_VERBS = {"said", "says", "added", "adds", "noted", "notes", "told", "recalled", "explained",
                "according", "asked", "stressed", "emphasized", "emphasised"}

_ADVERBS = {"now", "also", "still", "only", "often", "all", "just", "never", "always", "then", "really",
            "usually", "mainly", "mostly", "generally", "already", "even", "both",
            # negation and frequency between a subject and its verb: "these rules no longer apply"
            "no", "longer", "not", "rarely", "seldom", "sometimes", "hardly", "soon", "together", "each"}
# Determiners of one thing: "a farmer works" is a subject and its verb (a compound noun
# after "a" would need a singular head, not "works").
_SINGULAR_DETERMINERS = {"a", "an", "each", "every", "one", "this", "that", "another"}
# Nouns of people and agents: "the director chats", "the secretary says" (such nouns
# seldom modify a plural noun the way "guarantee loans" does).
_AGENT_NOUN = re.compile(r"[a-z]{3,}(?:er|or|ist|ian|ary|ee)$")
_PLURAL_PRONOUNS = {"them", "us", "both", "others", "many", "some", "few", "most"}
_NOUN_PHRASE_ENDS = {",", ".", ";", ":", "!", "?", ")", "and", "or", "of", "in", "for", "with", "from", "at"}

TOKEN = re.compile(r"[A-Za-z]+(?:['’][A-Za-z]+)*|\d[\d,.]*%?|[^\w\s]")


def _verb_tags(word: str) -> frozenset[str]:
    """Penn tags the word can have as a verb (VB, VBD, VBG, VBN, VBP, VBZ), from lemminflect."""
    tags: set[str] = set()
    for lemma in lemminflect().getAllLemmas(word, upos="VERB").get("VERB", ()):
        for tag, forms in lemminflect().getAllInflections(lemma, upos="VERB").items():
            if word in forms:
                tags.add(tag)
    return frozenset(tags)


verb_tags = WordTable(_verb_tags).__getitem__  # a cached lookup (words.WordTable)


def _word_classes(word: str) -> frozenset[str]:
    """Universal POS classes lemminflect knows the word in: NOUN, VERB, ADJ."""
    return frozenset(upos for upos in ("NOUN", "VERB", "ADJ") if lemminflect().getAllLemmas(word, upos=upos))


word_classes = WordTable(_word_classes).__getitem__  # a cached lookup (words.WordTable)


def zipf(word: str) -> float:
    return wordlists.zipf(word, "en")


def _verb_lemma(word: str) -> str | None:
    """The verb a word is a form of, if it is only a verb ("fighting" -> "fight"), else None."""
    lemmas = lemminflect().getAllLemmas(word, upos="VERB").get("VERB", ())
    if len(lemmas) != 1 or "NOUN" in word_classes(word) or "ADJ" in word_classes(word) or word in AUXILIARIES:
        return None
    return lemmas[0]


verb_lemma = WordTable(_verb_lemma).__getitem__  # a cached lookup (words.WordTable)


def _verb_lemmas(word: str) -> frozenset[str]:
    """Every verb the word can be a form of ("fight" -> {"fight"}, "left" -> {"leave"})."""
    return frozenset(lemminflect().getAllLemmas(word, upos="VERB").get("VERB", ()))


verb_lemmas = WordTable(_verb_lemmas).__getitem__  # a cached lookup (words.WordTable)


def is_word(token: str) -> bool:
    return token[:1].isalpha()


def word_count(tokens: Sequence[str]) -> int:
    """How many of the (non-empty) tokens are words, counted in C rather than a loop."""
    return sum(map(str.isalpha, map(itemgetter(0), tokens)))


_FINITE_TAGS = frozenset({"VBD", "VBZ", "VBP"})


def _could_be_finite(word: str) -> bool:
    """Whether the (lower-case) word has a finite verb form at all: most words do not,
    and this rules them out before their neighbours are looked at."""
    return word in AUXILIARIES or bool(verb_tags(word) & _FINITE_TAGS)


could_be_finite = WordTable(_could_be_finite).__getitem__  # a cached lookup (words.WordTable)


def finite_verb_at(words: list[str], i: int) -> bool:
    """Can words[i] be the finite verb of a clause, judging by the word and its neighbours?"""
    word = words[i].lower()
    if not could_be_finite(word):
        return False
    if word in AUXILIARIES:
        return True
    tags = verb_tags(word)
    prev = words[i - 1].lower() if i else ""
    if prev in DETERMINERS or prev in PREPOSITIONS:
        return False  # "the relocated people", "of relocated children", "to relocate"
    prev_classes = word_classes(prev) if prev.isalpha() else frozenset()
    if "ADJ" in prev_classes and prev not in SUBJECT_PRONOUNS and prev not in _ADVERBS:
        return False  # "decisive battles", "sharp forces"
    nxt = words[i + 1].lower() if i + 1 < len(words) else ""
    if ("VBZ" in tags and "NOUN" in word_classes(word) and (not nxt or nxt in _NOUN_PHRASE_ENDS)
            and not _singular_subject(words, i)):
        return False  # "guarantee loans," "the front lines and": a plural noun, not a verb
    if tags & {"VBD", "VBZ"}:
        return i > 0  # a sentence does not open with a finite verb: "Steps to ..."
    # base form (VBP): finite after a subject ("they need", "sites provide", "most of them now work")
    j = i - 1
    while j > 0 and words[j].lower() in _ADVERBS:
        j -= 1
    subject = words[j].lower() if j >= 0 else ""
    return j >= 0 and (subject in SUBJECT_PRONOUNS or subject in _PLURAL_PRONOUNS
                       or (subject.endswith("s") and "NOUN" in word_classes(subject)))


def _singular_subject(words: Sequence[str], i: int) -> bool:
    """Whether the words before words[i] are a singular subject it agrees with as a verb:
    "a farmer works", "the director chats", "Zhang works", "he works"."""
    prev = words[i - 1] if i else ""
    if prev.lower() in {"he", "she", "it"}:
        return True
    if prev[:1].isupper() and prev.isalpha() and not prev.isupper() and (i >= 2 or not word_classes(prev.lower())):
        return True  # a name: capitalised inside the sentence, or a first word no lexicon knows
    if i < 2 or "NOUN" not in word_classes(prev.lower()) or prev.lower().endswith("s"):
        return False
    det = words[i - 2].lower()
    return det in _SINGULAR_DETERMINERS or (det == "the" and bool(_AGENT_NOUN.match(prev.lower())))


def finite_verbs(words: tuple[str, ...]) -> tuple[int, ...]:
    """Positions of the words that can be the finite verb of a clause."""
    # could_be_finite first: one table lookup rules out most words
    return tuple(i for i, word in enumerate(words)
                 if word[0].isalpha() and could_be_finite(word.lower()) and finite_verb_at(words, i))


def has_finite_verb(words: list[str] | tuple[str, ...]) -> bool:
    return bool(finite_verbs(tuple(words)))


def is_imperative_start(words: list[str]) -> bool:
    """Opens with a bare verb that cannot be a noun: "Carry out skills training ..."."""
    if not words or not is_word(words[0]) or not words[0][0].isupper():
        return False
    word = words[0].lower()
    return "VB" in verb_tags(word) and "NOUN" not in word_classes(word) and word not in AUXILIARIES
