"""Whether a matched glossary form may be rewritten where it stands, and how.

A variant found in a sentence is only a candidate: the words around it decide.
`plan_rewrite` returns either a `Rewrite` (the span to replace, which may take in
neighbouring words, and the text to write) or the reason it must be left alone,
so the terms stage can flag it instead. The reasons are shapes, not phrases:

- the preferred form's own words already stand beside the match ("a moderately
  well-off society" -> take in "moderately", do not write it twice);
- the match touches another glossary term, so it is part of a longer phrase
  ("ex-situ poverty alleviation | resettlement communities");
- the preferred form adds a head noun after the match and a content word follows,
  which the new head would run into ("ex-situ poverty alleviation [relocation] households");
- the preferred form inserts a word the nearby text already has ("lifted 12,000
  people out of poverty" -> "people lifted out of poverty"), or inserts a verb
  into what is the object of a verb ("helping people out of poverty");
- the rewrite would change a digit, or make a repeated word or two-word phrase.

The word-class rules are English (closed classes from `language.english`); the
neighbour and repeat rules apply in every language.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import NamedTuple

from ..language import lexicon
from ..language.english import AUXILIARIES, DETERMINERS, JOINERS, PREPOSITIONS, SUBJECT_PRONOUNS, verb_lemma, verb_tags
from ..language.words import WordTable
from ..text.repeats import WORD, repeats_added
from .forms import fold

# Words a noun phrase may meet without running into them.
FUNCTION_WORDS = (AUXILIARIES | DETERMINERS | PREPOSITIONS | JOINERS | (SUBJECT_PRONOUNS - {"people"})
                  | {"be", "been", "being", "not", "to", "also", "has", "have", "had", "it", "them", "us", "here",
                     "there", "now", "then"})
# Words between a verb and its object that say how many: "lift 1 million people".
_QUANTITY = {"million", "billion", "thousand", "hundred", "more", "than", "over", "about", "around", "nearly",
             "almost", "some", "many", "the", "these", "those", "all", "at", "least", "up", "to"}
# "millions of people", "tens of thousands of people": "of" after these still counts.
_QUANTITY_OF = {"millions", "billions", "thousands", "hundreds", "tens", "dozens", "lots"}
_BE = {"be", "is", "are", "was", "were", "been", "being", "am"}
_SEPARATORS = re.compile(r"[\s\-\u2010\u2011]*")
_DIGITS = re.compile(r"\d")
NEARBY = 4  # words either side of a match that count as "the nearby text"
# Words a title leaves in lower case (English headline style).
_SMALL_WORDS = {"a", "an", "and", "as", "at", "but", "by", "for", "in", "of", "on", "or", "the", "to", "with"}
_LETTERS = re.compile(r"[^\W\d_]+")


@dataclass(frozen=True)
class Rewrite:
    """Replace text[start:end] with `after`."""

    start: int
    end: int
    after: str


class Token(NamedTuple):  # a NamedTuple: made some fifty times per plan, quicker than a dataclass
    word: str  # lower case
    start: int
    end: int


def fit_case(found: str, form: str) -> str:
    """`form` with the capitalisation pattern of `found`: ALL CAPS, Title Case, or a leading capital."""
    letters = [c for c in found if c.isalpha()]
    if len(letters) > 1 and all(c.isupper() for c in letters):
        return form.upper()
    content = [w for w in _LETTERS.findall(found) if w.lower() not in _SMALL_WORDS]
    if len(content) > 1 and all(w[0].isupper() for w in content):
        return _LETTERS.sub(lambda m: m.group(0) if m.start() and m.group(0).lower() in _SMALL_WORDS
                            else m.group(0)[0].upper() + m.group(0)[1:], form)
    if found[:1].isupper() and form[:1].islower():
        return form[0].upper() + form[1:]
    return form


WINDOW = 160  # characters either side of a match that the rules read (some 25 words)


def _tokens(text: str, start: int, end: int) -> list[Token]:
    """The words within WINDOW characters of text[start:end], none cut in two at the edges."""
    lo, hi = max(0, start - WINDOW), min(len(text), end + WINDOW)
    tokens = [Token(m.group(0).lower(), m.start(), m.end()) for m in WORD.finditer(text, lo, hi)]
    if tokens and lo > 0 and tokens[0].start == lo and WORD.match(text, lo - 1):
        tokens.pop(0)
    if tokens and hi < len(text) and tokens[-1].end == hi and WORD.match(text, hi):
        tokens.pop()
    return tokens


def _touching(text: str, left_end: int, right_start: int) -> bool:
    """Only white space or hyphens between the two offsets."""
    return left_end <= right_start and _SEPARATORS.fullmatch(text, left_end, right_start) is not None


def _lemmas(word: str) -> frozenset[str]:
    return frozenset({word, *(lemma for lemmas in lexicon.lemmas(word).values() for lemma in lemmas)})


lemmas = WordTable(_lemmas).__getitem__  # a cached lookup (words.WordTable)


def _take_in(text: str, tokens: list[Token], start: int, end: int, target: list[str]) -> tuple[int, int]:
    """Widen start:end over neighbouring words that are the preferred form's own first or
    last words, so that the rewrite replaces them instead of writing them twice."""
    found = fold(text[start:end]).split()
    before = [t for t in tokens if t.end <= start]
    for k in range(min(len(target) - 1, len(before)), 0, -1):
        words = before[-k:]
        if ([t.word for t in words] == target[:k] and found[:k] != target[:k]
                and all(_touching(text, a.end, b.start) for a, b in zip(words, words[1:]))
                and _touching(text, words[-1].end, start)):
            start = words[0].start
            break
    after = [t for t in tokens if t.start >= end]
    for k in range(min(len(target) - 1, len(after)), 0, -1):
        words = after[:k]
        if ([t.word for t in words] == target[-k:] and found[-k:] != target[-k:]
                and all(_touching(text, a.end, b.start) for a, b in zip(words, words[1:]))
                and _touching(text, end, words[0].start)):
            end = words[-1].end
            break
    return start, end


def _neighbour_clash(text: str, start: int, end: int, found: list[str], target: list[str],
                     others: list[tuple[int, int]]) -> str | None:
    """A reason when another term touches the span on a side whose word the rewrite changes."""
    for o_start, o_end in others:
        if o_start < end and start < o_end:
            return f"it overlaps the term {_quote(text[o_start:o_end])}"
        if found[0] != target[0] and _touching(text, o_end, start):
            return f"it is part of the longer phrase {_quote(text[o_start:end])}"
        if found[-1] != target[-1] and _touching(text, end, o_start):
            return f"it is part of the longer phrase {_quote(text[start:o_end])}"
    return None


def _runs_into(found: list[str], target: list[str], nxt: Token | None) -> str | None:
    """A reason when the preferred form adds words after the match's last word (a new
    head noun) and a content word follows, which the new head would run into."""
    if found[-1] not in target:
        return None
    added = target[len(target) - target[::-1].index(found[-1]):]
    if added and not set(added) & set(found) and nxt is not None and nxt.word not in FUNCTION_WORDS:
        return f"the preferred form adds {_quote(' '.join(added))}, which would run into {_quote(nxt.word)}"
    return None


def _is_subsequence(words: list[str], of: list[str]) -> bool:
    rest = iter(of)
    return all(word in rest for word in words)


def _inserted_clash(found: list[str], target: list[str], near: list[Token], before: list[Token]) -> str | None:
    """A reason when the preferred form only adds words to the match and one of them is
    already nearby, or is a verb added to what is the object of a verb."""
    if not _is_subsequence(found, target):
        return None  # a substitution, not an addition
    inserted = [w for w in (Counter(target) - Counter(found)) if w not in FUNCTION_WORDS and not w.isdigit()]
    nearby = {lemma for t in near for lemma in lemmas(t.word)}
    for word in inserted:
        if lemmas(word) & nearby:
            return f"the nearby text already has {_quote(word)}"
    if any(verb_lemma(word) for word in inserted):
        verb = _governing_verb(before)
        if verb is not None:
            return f"it is the object of the verb {_quote(verb)}, and the preferred form adds a verb"
    return None


def _governing_verb(before: list[Token]) -> str | None:
    """The verb the words before a noun phrase end with, past numbers and quantity words
    ("lift 1 million", "helping tens of thousands of"), or None."""
    i = len(before) - 1
    while i >= 0 and (before[i].word.isdigit() or before[i].word in _QUANTITY
                      or (before[i].word == "of" and i and before[i - 1].word in _QUANTITY_OF)
                      or before[i].word in _QUANTITY_OF):
        i -= 1
    if i < 0:
        return None
    word, prev = before[i].word, before[i - 1].word if i else ""
    if (not verb_tags(word) or word in FUNCTION_WORDS or word in _BE
            or prev in DETERMINERS or prev in PREPOSITIONS):  # "the number", "of work": nouns
        return None
    return word


def plan_rewrite(text: str, start: int, end: int, target: str, case_sensitive: bool,
                 others: list[tuple[int, int]], lang: str) -> Rewrite | str:
    """How to write `target` for text[start:end], or why not to.

    `others` are the spans of the other glossary terms found in `text`.
    """
    tokens = _tokens(text, start, end)
    goal = fold(target).split()
    start, end = _take_in(text, tokens, start, end, goal)
    found = fold(text[start:end]).split()
    if not found or not goal:
        return "there is nothing to compare"
    clash = _neighbour_clash(text, start, end, found, goal, others)
    if clash is None and lang == "en":
        before = [t for t in tokens if t.end <= start]
        after = [t for t in tokens if t.start >= end]
        nxt = after[0] if after and _touching(text, end, after[0].start) else None
        near = [t for t in before if not t.word.isdigit()][-NEARBY:] + [t for t in after if not t.word.isdigit()][:NEARBY]
        clash = _runs_into(found, goal, nxt) or _inserted_clash(found, goal, near, before)
    if clash:
        return clash
    written = target if case_sensitive else fit_case(text[start:end], target)
    if _DIGITS.findall(text[start:end]) != _DIGITS.findall(written):
        return "it would change a number (a digit added, dropped or changed)"
    repeats = repeats_added(text, start, end, written)
    if repeats:
        return f"rewriting it would repeat {_quote(repeats[0])}"
    return Rewrite(start, end, written)


def _quote(text: str) -> str:
    return f"\u201c{text}\u201d"
