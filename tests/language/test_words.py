"""The word tables: whether a word is common in a language answers exactly as wordfreq's
whole list does, for words in any form."""

import random

from hypothesis import given, settings, strategies as st
from wordfreq import zipf_frequency

from pipeline.language import words

LANGS = ["en", "fr", "de", "es", "pt"]
BAR = 2.5


def _list_words(lang, n=3000, seed=0):
    """Words from across the whole list (common, around the bar, rare), as wordfreq holds them."""
    from wordfreq import iter_wordlist
    everything = list(iter_wordlist(lang))
    return random.Random(seed).sample(everything, n)


def test_the_set_answers_as_the_list_on_words_from_every_part_of_it():
    for lang in LANGS:
        table = words.common_table(lang, BAR)
        sample = _list_words(lang)
        assert sum(table[w] for w in sample) > 100  # the sample reaches above the bar
        for word in sample + [w.upper() for w in sample[:300]] + [w.capitalize() for w in sample[:300]]:
            assert table[word] == (zipf_frequency(word, lang) >= BAR), (lang, word)


# Letters of the five languages, capitals, ß and ſ (which case-fold to other letters),
# a combining accent (not NFC) and an apostrophe.
_LETTERS = "abcdefghijklmnopqrstuvwxyzäöüßàâçéèêëîïôœùûÿáíñóúãõÄÖÜÉÈÇÑÁ\u0301'ſ"


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(LANGS), st.sampled_from([BAR, 3.5]), st.text(alphabet=_LETTERS, min_size=1, max_size=12))
def test_the_set_answers_as_the_list_on_any_string(lang, bar, word):  # 3.5: spelling's foreign words
    assert words.common_table(lang, bar)[word] == (zipf_frequency(word, lang) >= bar)


def test_without_the_cache_folder_it_asks_the_list(monkeypatch):
    monkeypatch.setenv("PIPELINE_CACHE_DIR", "")
    words.common_table.cache_clear()
    words.zipf_table.cache_clear()
    try:
        table = words.common_table("en", 4.0)
        assert table["the"] and not table["goverment"]
    finally:
        words.common_table.cache_clear()
        words.zipf_table.cache_clear()
