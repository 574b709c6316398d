"""wordfreq's Zipf frequencies, asked a word at a time from tables on disk.

`wordfreq.zipf_frequency` reads a language's whole list on its first word: 0.1 s and
45 MB per language and process (importing wordfreq adds 0.06 s), for the few thousand
words a batch asks. So each list is written once into a table in the derived-data cache
folder (`datacache.cached_table`, keyed on wordfreq's version): each word of the list
with its frequency band, as wordfreq's own frequency dictionary holds it.

A word is then answered as wordfreq answers it, in two ways:
- a word of letters of the Latin, Greek or Cyrillic alphabets, in a language whose text
  wordfreq only normalises (NFC) and case-folds before its regular-expression tokenizer,
  is one token, its case-folded self: looked up directly, wordfreq not even imported;
- any other word is split by wordfreq's own tokenizer (`lossy_tokenize`) and its
  tokens' frequencies combined as `wordfreq.word_frequency` combines them.
`tests/language/test_frequencies.py` holds both to `wordfreq.zipf_frequency`: every word
of several lists, and generated words of every shape.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Iterator
from functools import lru_cache

from ..text.datacache import DiskTable, cached, cached_table, key_of

# A stored table's own facts, under keys no word of a list has.
_PLAIN = "\0plain"  # 1: the language's text is only normalised (NFC) and case-folded

# wordfreq's minimum frequency for zipf_frequency's default minimum of 0 (10 ** (0 - 9)).
_MINIMUM = 10 ** 0 / 1e9


@lru_cache(maxsize=1)
def languages() -> frozenset[str]:
    """Languages wordfreq has word lists for (kept in the cache folder: asking wordfreq
    imports it)."""
    def ask() -> frozenset[str]:
        from wordfreq import available_languages
        return frozenset(available_languages())
    return cached("wordfreq-languages", key_of([], libraries=("wordfreq",)), ask, frozenset)


def zipf_frequency(word: str, lang: str) -> float:
    """`wordfreq.zipf_frequency(word, lang)`, from the language's table when the cache
    folder is on."""
    table, plain = _table(lang)
    if table is None:
        from wordfreq import zipf_frequency as from_wordfreq
        return from_wordfreq(word, lang)
    form = unicodedata.normalize("NFC", word).casefold()
    if plain and _one_plain_token(form):
        band = table.get(form)
        frequency = _MINIMUM if band is None else _rounded(1.0 / (1.0 / _band_frequency(band)))
    else:
        frequency = _tokens_frequency(word, lang, table)
    return round(math.log(frequency, 10) + 9, 2)  # wordfreq's freq_to_zipf, to two decimals


def _one_plain_token(form: str) -> bool:
    """Whether wordfreq's tokenizer takes the (NFC, case-folded) text as one token, itself:
    letters only, all of alphabets written with spaces between words (Latin, Greek,
    Cyrillic), which Unicode's word segmentation never splits."""
    return form.isalpha() and (form.isascii() or all(ch < "\u0530" or "\u1e00" <= ch < "\u2000" for ch in form))


def _tokens_frequency(word: str, lang: str, table: DiskTable) -> float:
    """The word's frequency as wordfreq 3's `word_frequency` computes it from its tokens'
    (step for step: 1/f = 1/f1 + 1/f2 ..., digits smashed to 0 and given their own
    frequency, a penalty per word break inferred in Chinese)."""
    from wordfreq import INFERRED_SPACE_FACTOR, lossy_tokenize
    from wordfreq.language_info import get_language_info
    from wordfreq.numbers import digit_freq, smash_numbers
    tokens = lossy_tokenize(word, lang)
    if not tokens:
        return _MINIMUM
    one_over = 0.0
    for token in tokens:
        smashed = smash_numbers(token)
        band = table.get(smashed)
        if band is None:
            return _MINIMUM
        frequency = _band_frequency(band)
        if smashed != token:
            frequency *= digit_freq(token)
        one_over += 1.0 / frequency
    frequency = 1.0 / one_over
    if get_language_info(lang)["tokenizer"] == "jieba":
        frequency *= INFERRED_SPACE_FACTOR ** -(len(tokens) - 1)
    return _rounded(frequency)


def _rounded(frequency: float) -> float:
    """To three significant digits, as wordfreq rounds every frequency it gives."""
    unrounded = max(frequency, _MINIMUM)
    return round(unrounded, math.floor(-math.log(unrounded, 10)) + 3)


def _band_frequency(band: int) -> float:
    return 10 ** (-band / 100)  # wordfreq's cB_to_freq(-band): bands are centibels


@lru_cache(maxsize=None)
def _table(lang: str) -> tuple[DiskTable | None, bool]:
    """The language's table (None without the cache folder) and whether the language's
    text is only normalised and case-folded."""
    table = None
    if lang in languages():
        table = cached_table(f"wordfreq-{lang}", key_of([lang], libraries=("wordfreq",)), lambda: _rows(lang))
    return table, bool(table is not None and table.get(_PLAIN))


def _rows(lang: str) -> Iterator[tuple[str, int]]:
    from wordfreq import get_frequency_list
    from wordfreq.language_info import get_language_info
    info = get_language_info(lang)
    plain = (info["tokenizer"] == "regex" and info["normal_form"] == "NFC" and not info["remove_marks"]
             and not info["dotless_i"] and info["diacritics_under"] is None and info["transliteration"] is None
             and info["lookup_transliteration"] is None)
    yield _PLAIN, int(plain)
    # a word listed in two bands keeps the last, as in wordfreq's frequency dictionary
    yield from {word: band for band, words in enumerate(get_frequency_list(lang)) for word in words}.items()
