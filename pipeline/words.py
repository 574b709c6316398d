"""Word frequencies from wordfreq, looked up once per word: the one place the stages and
the checks ask how common a word is in a language."""

from __future__ import annotations

from functools import lru_cache

# Zipf frequency at and above which a word is grammar rather than content (the, of, le, de ...).
GRAMMAR_ZIPF = 6.3


@lru_cache(maxsize=1)
def languages() -> frozenset[str]:
    """Languages wordfreq has word lists for."""
    from wordfreq import available_languages
    return frozenset(available_languages())


@lru_cache(maxsize=200_000)
def zipf(word: str, lang: str) -> float:
    """wordfreq's Zipf frequency of `word` in `lang`; 0.0 for a language it does not know."""
    if lang not in languages():
        return 0.0
    from wordfreq import zipf_frequency
    return zipf_frequency(word, lang)


def is_grammar_word(word: str, lang: str) -> bool:
    """One of a language's most frequent words; a language without a word list has none."""
    return zipf(word, lang) >= GRAMMAR_ZIPF
