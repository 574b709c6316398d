"""One segment's cleaned text as the checks and the score read it, worked out once.

The garble stage's `Context` keeps a `Sentence` per text (`Context.sentence`), so the
fragment and comma-splice checks, the surface checks and the score share one set of
tokens, words and counts, passed to each of them as spaCy's components share one Doc;
the functions below are the plain forms each property is computed with.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from itertools import filterfalse

from ..language import words as wordlists
from ..language import english
from ..text.spans import reads_as_code

# The grammar checks' tokens: words, numbers (with their separators and a percent sign)
# and single punctuation marks.
GRAMMAR_TOKEN = english.TOKEN
# The surface checks' tokens: words in any script, and runs of digits.
# (a soft hyphen, U+00AD, is inside a word: "Bevöl\u00adke\u00adrung" is one)
TOKEN = re.compile(r"[^\W\d_]+(?:['’\u00ad][^\W\d_]+)*|\d+", re.UNICODE)
# (a soft hyphen is inside a word: "gefähr\u00addeten" holds no word "deten")
_LOWER_WORDS = re.compile(r"(?<![\w\u00ad])[a-z]{3,}(?![\w\u00ad])")


@dataclass(frozen=True)
class Tokens:
    """A sentence's tokens (`GRAMMAR_TOKEN`) and its clauses: runs of tokens, each after
    the first opened by its comma or semicolon, with the position of its first token."""

    text: str
    words: tuple[str, ...]
    clauses: tuple[tuple[str, ...], ...]
    clause_starts: tuple[int, ...]

    @cached_property
    def spans(self) -> tuple[tuple[int, int], ...]:
        """Each token's offsets in the text: asked only for a flag, so found only then."""
        return tuple(m.span() for m in GRAMMAR_TOKEN.finditer(self.text))


def tokenise(text: str) -> Tokens:
    words = tuple(GRAMMAR_TOKEN.findall(text))
    starts = [0] + [i for i, w in enumerate(words) if w in (",", ";", "，") and i]
    clauses = tuple(words[a:b] for a, b in zip(starts, starts[1:] + [len(words)]))
    return Tokens(text, words, clauses, tuple(starts))


def lower_words(text: str) -> list[str]:
    """The lower-case words of three letters or more (names, capitalised, are left out)."""
    return _LOWER_WORDS.findall(text)


def word_tokens(text: str) -> tuple[str, ...]:
    """Words and runs of digits (TOKEN)."""
    return tuple(TOKEN.findall(text))


def words_of(text: str) -> tuple[str, ...]:
    """The words: the tokens less the runs of digits."""
    return tuple(filterfalse(str.isdecimal, word_tokens(text)))


def letter_runs(words: tuple[str, ...]) -> int:
    """How many runs of letters `words` (`words_of`) have ("don't" has two): a word each,
    and one more for each apostrophe inside a word."""
    joined = "".join(words)
    return len(words) + joined.count("'") + joined.count("’")


RARE = 2.5  # wordfreq Zipf: fewer than about 3 per billion words


def rare_word_share(words: list[str]) -> tuple[float, int]:
    """Share of `words` (a sentence's lower-case words, names left out) that English text
    almost never uses, and how many words that is of."""
    if not words:
        return 0.0, 0
    freq = wordlists.zipf_table("en")
    return sum(1 for word in words if freq[word] < RARE) / len(words), len(words)


@dataclass
class Sentence:
    """What the checks and the score read of one text, each part found when first asked."""

    text: str

    @cached_property
    def tokens(self) -> Tokens:
        return tokenise(self.text)

    @cached_property
    def finite_verbs(self) -> tuple[int, ...]:
        """Positions in `tokens.words` of the words that can be a clause's finite verb."""
        return english.finite_verbs(self.tokens.words)

    @cached_property
    def lower_words(self) -> list[str]:
        return lower_words(self.text)

    @cached_property
    def rare_share(self) -> tuple[float, int]:
        return rare_word_share(self.lower_words)

    @cached_property
    def word_tokens(self) -> tuple[str, ...]:
        return word_tokens(self.text)

    @cached_property
    def words(self) -> tuple[str, ...]:
        return tuple(filterfalse(str.isdecimal, self.word_tokens))

    @cached_property
    def letter_runs(self) -> int:
        return letter_runs(self.words)

    @cached_property
    def is_code(self) -> bool:
        """A command or program listing rather than prose: not judged as a sentence."""
        return reads_as_code(self.text)
