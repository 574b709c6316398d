"""Word frequencies from wordfreq, looked up once per word: the one place the stages and
the checks ask how common a word is in a language (`frequencies` reads wordfreq's lists)."""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

from .frequencies import languages, zipf_frequency

# Zipf frequency at and above which a word is grammar rather than content (the, of, le, de ...).
GRAMMAR_ZIPF = 6.3


class WordTable(dict):
    """A word (or text) -> value table that computes a missing word's value once.

    The checks look words up in their inner loops; a subscript here costs a fraction
    of a call to an `lru_cache` function. The table is emptied when it reaches `limit`
    words, so a long batch's growing vocabulary cannot grow memory without bound.
    """

    def __init__(self, compute: Callable[[str], object], limit: int = 100_000):
        super().__init__()
        self.compute = compute
        self.limit = limit

    def __missing__(self, word: str):
        if len(self) >= self.limit:
            self.clear()
        value = self[word] = self.compute(word)
        return value


@lru_cache(maxsize=None)
def zipf_table(lang: str) -> WordTable:
    """word -> wordfreq's Zipf frequency in `lang` (0.0 for a language it does not know),
    looked up in the list's table on disk (`frequencies`)."""
    if lang not in languages():
        return WordTable(lambda word: 0.0)
    return WordTable(lambda word: zipf_frequency(word, lang))


def grammar_table(lang: str) -> WordTable:
    """word -> whether it is one of the language's most frequent words (none, for a
    language without a word list)."""
    return common_table(lang, GRAMMAR_ZIPF)


def zipf(word: str, lang: str) -> float:
    return zipf_table(lang)[word]


def is_grammar_word(word: str, lang: str) -> bool:
    return grammar_table(lang)[word]


@lru_cache(maxsize=None)
def common_table(lang: str, min_zipf: float) -> WordTable:
    """word -> whether its Zipf frequency in `lang` is at least `min_zipf`."""
    freq = zipf_table(lang)
    return WordTable(lambda word: freq[word] >= min_zipf)
