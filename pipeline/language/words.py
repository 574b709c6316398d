"""Word frequencies from wordfreq, looked up once per word: the one place the stages and
the checks ask how common a word is in a language (`frequencies` reads wordfreq's lists)."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from functools import lru_cache

from ..text.datacache import cache_folder, cached, key_of
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


@lru_cache(maxsize=None)
def grammar_table(lang: str) -> WordTable:
    """word -> whether it is one of the language's most frequent words (none, for a
    language without a word list)."""
    freq = zipf_table(lang)
    return WordTable(lambda word: freq[word] >= GRAMMAR_ZIPF)


def zipf(word: str, lang: str) -> float:
    return zipf_table(lang)[word]


def is_grammar_word(word: str, lang: str) -> bool:
    return grammar_table(lang)[word]


def common_table(lang: str, min_zipf: float) -> WordTable:
    """word -> whether its Zipf frequency in `lang` is at least `min_zipf`, as
    `zipf(word, lang) >= min_zipf` says, without reading the language's whole list.

    Telling a document's language asks this of five languages; each whole list costs 0.1
    to 0.3 s to read, the words above the bar (50,000 to 85,000) 0.01 s from the cache
    folder. A word of letters is looked up in that set in wordfreq's own form (case-folded,
    NFC); any other, and every word when the cache is off, asks the list itself."""
    return _common_table(lang, float(min_zipf))


@lru_cache(maxsize=None)
def _common_table(lang: str, min_zipf: float) -> WordTable:
    freq = zipf_table(lang)
    if lang not in languages() or cache_folder() is None:
        return WordTable(lambda word: freq[word] >= min_zipf)
    key = key_of([lang, repr(min_zipf)], libraries=("wordfreq",))
    common = cached(f"common-{lang}", key, lambda: words_at_least(lang, min_zipf), frozenset)

    def is_common(word: str) -> bool:
        # wordfreq case-folds a word before it looks it up: "pageClose" is "pageclose" there,
        # and reading the whole list (35 MB) for one such word is what the set is kept to avoid
        form = unicodedata.normalize("NFC", word).casefold()
        return form in common if _in_list_form(form) else freq[word] >= min_zipf
    return WordTable(is_common)


def _in_list_form(word: str) -> bool:
    """The word as wordfreq's lists hold it: one token of letters, case-folded, NFC."""
    return word.isalpha() and word == word.casefold() and unicodedata.is_normalized("NFC", word)


def words_at_least(lang: str, min_zipf: float) -> frozenset[str]:
    """The words of `lang`'s list in their list form whose Zipf frequency is at least
    `min_zipf`. The list runs from the most to the least frequent word, so the walk stops
    at the first word in list form below the bar."""
    from wordfreq import iter_wordlist, zipf_frequency
    found = set()
    for word in iter_wordlist(lang):
        if not _in_list_form(word):
            continue
        if zipf_frequency(word, lang) < min_zipf:
            break
        found.add(word)
    return frozenset(found)
