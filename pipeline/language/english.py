"""English word classes for the grammar checks, from lemminflect's lexicon (through
`lexicon`) and wordfreq.

No verb list is kept here: whether a word can be a finite verb comes from
lemminflect's inflection tables (VBD, VBZ, VBP ...). The sets below are closed
grammatical classes (auxiliaries, determiners, pronouns, conjunctions), which a
lexicon of content words does not cover.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from operator import itemgetter

from . import lexicon
from . import words as wordlists
from .words import WordTable

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
_PLURAL_PRONOUNS = {"them", "us", "both", "others", "many", "some", "few", "most"}

TOKEN = re.compile(r"[A-Za-z]+(?:['’][A-Za-z]+)*|\d[\d,.]*%?|[^\w\s]")


verb_tags = WordTable(lexicon.verb_tags).__getitem__  # a cached lookup (words.WordTable)


def _word_classes(word: str) -> frozenset[str]:
    """Universal POS classes lemminflect knows the word in: NOUN, VERB, ADJ."""
    return frozenset(lexicon.lemmas(word)).intersection(("NOUN", "VERB", "ADJ"))


word_classes = WordTable(_word_classes).__getitem__  # a cached lookup (words.WordTable)


def zipf(word: str) -> float:
    return wordlists.zipf(word, "en")


def _verb_lemma(word: str) -> str | None:
    """The verb a word is a form of, if it is only a verb ("fighting" -> "fight"), else None."""
    lemmas = lexicon.lemmas(word).get("VERB", ())
    if len(lemmas) != 1 or "NOUN" in word_classes(word) or "ADJ" in word_classes(word) or word in AUXILIARIES:
        return None
    return lemmas[0]


verb_lemma = WordTable(_verb_lemma).__getitem__  # a cached lookup (words.WordTable)


def _verb_lemmas(word: str) -> frozenset[str]:
    """Every verb the word can be a form of ("fight" -> {"fight"}, "left" -> {"leave"})."""
    return frozenset(lexicon.lemmas(word).get("VERB", ()))


verb_lemmas = WordTable(_verb_lemmas).__getitem__  # a cached lookup (words.WordTable)


def is_word(token: str) -> bool:
    return token[:1].isalpha()


def word_count(tokens: Sequence[str]) -> int:
    """How many of the (non-empty) tokens are words, counted in C rather than a loop."""
    return sum(map(str.isalpha, map(itemgetter(0), tokens)))


_FINITE_TAGS = frozenset({"VBD", "VBZ", "VBP"})

# Clitics that are a verb whatever they are attached to ("they're", "I've", "we'll",
# "she'd", "I'm", "don't"), and the words whose "'s" is "is" or "has" rather than a
# possessive ("it's", "that's", "there's", "let's"): a noun's "'s" is read as possessive.
_VERB_CLITICS = {"re", "ve", "ll", "d", "m"}
_IS_HOSTS = {"it", "he", "she", "that", "this", "there", "here", "what", "who", "where", "how", "when", "why",
             "let", "everything", "nothing", "something", "someone", "everyone", "nobody", "one"}


def contracted_verb(word: str) -> bool:
    """Whether the (lower-case) token holds a verb as a clitic, with either apostrophe."""
    host, apostrophe, clitic = word.replace("’", "'").rpartition("'")
    if not apostrophe or not host:
        return False
    if clitic == "t":
        return host.endswith("n")  # don't, isn't, can't, won't
    return clitic in _VERB_CLITICS or (clitic == "s" and host in _IS_HOSTS)


def _could_be_finite(word: str) -> bool:
    """Whether the (lower-case) word has a finite verb form at all: most words do not,
    and this rules them out before their neighbours are looked at."""
    return word in AUXILIARIES or contracted_verb(word) or bool(verb_tags(word) & _FINITE_TAGS)


could_be_finite = WordTable(_could_be_finite).__getitem__  # a cached lookup (words.WordTable)


def is_adverb(word: str) -> bool:
    """A word that sits between a subject and its verb: the closed list, and "-ly" words
    the lexicon knows as nothing else ("completely", "nearly", "simply")."""
    return word in _ADVERBS or (word.endswith("ly") and len(word) > 4 and not word_classes(word) - {"ADJ"}
                                and "VERB" not in word_classes(word))


_QUOTE_TOKENS = {'"', "'", "“", "”", "‘", "’", "«", "»", "„"}
# Determiners that also stand alone as a subject: "these create", "all agree", "both work".
_PRONOUN_DETERMINERS = {"this", "that", "these", "those", "all", "both", "some", "many", "most", "several",
                        "each", "any", "few", "others", "more"}
# Heads before which a verb has its infinitive or participle, not a finite, reading.
_NOT_BEFORE_FINITE = {"to"} | {"the", "a", "an", "its", "their", "his", "her", "our", "my", "your", "no", "every",
                               "another", "such"}


def _before(words: Sequence[str], i: int) -> int:
    """The position of the word before words[i], past adverbs and quote marks (-1 at the start)."""
    j = i - 1
    while j >= 0 and (words[j] in _QUOTE_TOKENS or is_adverb(words[j].lower())):
        j -= 1
    return j


def finite_verb_at(words: Sequence[str], i: int) -> bool:
    """Can words[i] be the finite verb of a clause, judging by the word and its neighbours?

    `words` is the whole sentence's tokens: a word is judged in its context, never in a
    slice of the sentence (a verb at the start of a slice is not at the start of the
    sentence). Words that are only verbs ("derive", "create") are finite unless an
    infinitive or participle reading is forced; words that are also nouns ("matters",
    "block", "loans") need a subject before them."""
    word = words[i].lower()
    if not could_be_finite(word):
        return False
    if word in AUXILIARIES or contracted_verb(word):
        return True
    tags = verb_tags(word)
    classes = word_classes(word)
    j = _before(words, i)
    prev = words[j].lower() if j >= 0 else ""
    if prev in PREPOSITIONS or prev in _NOT_BEFORE_FINITE:
        return False  # "to relocate", "of relocated children", "the relocated people"
    if prev == "-" and j == i - 1:
        return False  # the second half of a compound: "agave-based", "built-in"
    participle = "VBN" in tags
    noun_like = bool(classes & {"NOUN", "ADJ"})
    if prev in DETERMINERS:
        # "these create", "this led to", "that surprises you"; but "these relocated
        # families", "both sides": a word before a noun modifies it
        if prev not in _PRONOUN_DETERMINERS or (i + 1 < len(words) and _noun_like(words[i + 1].lower())):
            return False
        return not noun_like or (prev in ("this", "that") and "VBZ" in tags)
    prev_classes = word_classes(prev) if prev.isalpha() else frozenset()
    if ("ADJ" in prev_classes and "NOUN" not in prev_classes and prev not in SUBJECT_PRONOUNS
            and (noun_like or participle) and not is_adverb(prev)):
        return False  # "decisive battles", "newly built" is read past as an adverb
    if "VBZ" in tags and noun_like:
        # "the front lines and", "guarantee loans," are nouns; "the other side forces you",
        # "passes the Royal Liver Building": a noun is not followed by an object
        nxt = words[i + 1].lower() if i + 1 < len(words) else ""
        return _singular_subject(words, j) or nxt in _OBJECT_STARTS

    if tags & {"VBD", "VBZ"}:
        return j >= 0  # a sentence does not open with a finite verb: "Steps to ..."
    # base form (VBP): finite after a subject ("they need", "sites provide", "most of them now work")
    if j < 0:
        return False  # a sentence-initial base form is an imperative (`imperative_verbs`)
    if "VB" in verb_tags(prev) and (j == 0 or words[j - 1].lower() == "to"):
        return False  # "to help achieve", "Help build": a bare infinitive after another infinitive
    if not noun_like and (_noun_like(prev) or prev[:1].isupper() or words[j] in (")", "”", "’", '"')):
        return True  # "micropolitics derive", "Zhang agrees": a word that is only a verb, after a subject
    return (prev in SUBJECT_PRONOUNS or prev in _PLURAL_PRONOUNS or prev in _PRONOUN_DETERMINERS
            or (prev.endswith("s") and _noun_like(prev)))


def _noun_like(word: str) -> bool:
    """A lower-case word that can head a noun phrase: a noun the lexicon knows, or a word
    it does not know at all (new coinages are mostly nouns)."""
    if word in _CLOSED:
        return False  # the lexicon lists "you", "such", "these" as nouns too
    classes = word_classes(word)
    return "NOUN" in classes or (not classes and word.isalpha())


def _singular_subject(words: Sequence[str], j: int) -> bool:
    """Whether the noun phrase ending at words[j] is a singular subject for the verb after
    it: a pronoun ("he works"), a name ("Zhang works"), or a phrase opening the sentence
    or a clause, or led by a determiner, and ending on a singular noun ("a farmer works",
    "this built-in extension cord comes", "your “success mindset” matters"). A phrase
    after a preposition is its object ("of entrepreneurial guarantee loans"), and a plural
    noun before the verb makes it a compound ("the front lines")."""
    if j < 0:
        return False
    prev = words[j]
    low = prev.lower()
    if low in {"he", "she", "it", "this", "that", "who", "which", "what", "there", "one"}:
        return True
    if prev[:1].isupper() and prev.isalpha() and not prev.isupper() and (j >= 1 or not word_classes(low)):
        return True  # a name: capitalised inside the sentence, or a first word no lexicon knows
    if not _noun_like(low) or low.endswith("s") or low in DETERMINERS:
        return False
    k = j - 1
    while k >= 0 and (words[k] in _QUOTE_TOKENS or "-" in (words[k], words[k + 1], words[k - 1] if k else "") or words[k][:1].isdigit()
                      or (words[k].isalpha() and words[k].lower() not in _CLOSED
                          and (_noun_like(words[k].lower()) or not could_be_finite(words[k].lower()))
                          and words[k].lower() not in PREPOSITIONS
                          and words[k].lower() not in JOINERS)):
        k -= 1  # back over the modifiers: adjectives, nouns, numbers, hyphenated words
    opener = words[k].lower() if k >= 0 else ""
    if opener in DETERMINERS:  # "of the guarantee loans", "providing the same services": an object
        before = words[k - 1].lower() if k > 0 else ""
        return not (before in PREPOSITIONS or (before.isalpha() and verb_tags(before) and not _noun_like(before)))
    return k < 0 or opener in (",", ";", ":")


# Words that open a verb's object: a noun before one of them is read as a verb.
_OBJECT_STARTS = {"the", "a", "an", "his", "her", "their", "its", "our", "my", "your", "you", "him", "them", "us",
                  "me", "this", "these", "those"}
# Closed-class words: never the head of a noun phrase.
_CLOSED = (AUXILIARIES | DETERMINERS | SUBJECT_PRONOUNS | PREPOSITIONS | JOINERS | _ADVERBS
           | _PLURAL_PRONOUNS | {"not", "very", "him", "her", "them", "us", "me", "it", "such", "you"})


def finite_verbs(words: tuple[str, ...]) -> tuple[int, ...]:
    """Positions of the words that can be the finite verb of a clause."""
    # could_be_finite first: one table lookup rules out most words
    return tuple(i for i, word in enumerate(words)
                 if word[0].isalpha() and could_be_finite(word.lower()) and finite_verb_at(words, i))


# Words that may come before an instruction's verb: "Then click", "Simply pop", "Please add".
_INSTRUCTION_OPENERS = {"then", "now", "next", "first", "finally", "just", "also", "please", "and", "or", "so",
                        "always", "never", "don't", "do", "let's"}


def imperative_verbs(words: Sequence[str]) -> tuple[int, ...]:
    """Positions of the verbs that open an instruction: a base form at the start of the
    sentence or of a clause ("Add the milk and whisk", "Then click on ...", "Simply pop
    your email in"), past adverbs and instruction openers. A word that is also a noun and
    is followed by "of" is read as the noun ("Lack of endogenous motivation")."""
    found = []
    start = True
    for i, word in enumerate(words):
        low = word.lower()
        if word in (",", ";", ":", "(", "—", "–") or word in _QUOTE_TOKENS:  # ("-" joins a compound)
            start = True
            continue
        if start and (low in _INSTRUCTION_OPENERS or is_adverb(low)):
            continue
        if start and word[:1].isalpha() and "VB" in verb_tags(low) and low not in AUXILIARIES:
            nxt = words[i + 1].lower() if i + 1 < len(words) else ""
            if not (nxt == "of" and "NOUN" in word_classes(low)):
                found.append(i)
        start = low in ("and", "or")
    return tuple(found)
