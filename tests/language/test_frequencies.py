"""Zipf frequencies from wordfreq's lists kept as tables on disk answer exactly as
`wordfreq.zipf_frequency` does, for list words and for text of any shape, in languages
wordfreq only case-folds and in those it treats otherwise."""

import random
import subprocess
import sys

from hypothesis import given, settings, strategies as st
from wordfreq import available_languages, iter_wordlist, zipf_frequency

from pipeline.language import frequencies

# Case-folding only (en, fr, de, el); marks removed and NFKC (ar); a dotless i and
# cedillas (tr); commas under letters (ro); tones stacked on vowels (vi).
LANGS = ["en", "fr", "de", "el", "ar", "tr", "ro", "vi"]


def _sample(lang, n, seed=0):
    words = list(iter_wordlist(lang))
    return random.Random(seed).sample(words, min(n, len(words)))


def test_every_word_of_the_english_list_has_wordfreqs_value():
    for word in iter_wordlist("en"):
        assert frequencies.zipf_frequency(word, "en") == zipf_frequency(word, "en"), word


def test_list_words_in_other_forms_have_wordfreqs_value():
    for lang in LANGS:
        rng = random.Random(lang)
        sample = _sample(lang, 800)
        shapes = (sample + [w.upper() for w in sample[:300]] + [w.capitalize() + "'s" for w in sample[:200]]
                  + [f"{w} {rng.randint(0, 3000)}" for w in sample[:200]] + [a + b for a, b in zip(sample, sample[1:300])]
                  + [f"{a}-{b}" for a, b in zip(sample, sample[1:100])] + [w + "zq" for w in sample[:200]])
        for word in shapes:
            assert frequencies.zipf_frequency(word, lang) == zipf_frequency(word, lang), (lang, word)


# Letters of several alphabets (Latin with marks, Greek, Cyrillic, Arabic, Turkish and
# Romanian letters, Vietnamese tones, a combining accent), capitals, ß and ſ (case-folded
# to other letters), ligatures, digits, apostrophes straight and curly, a hyphen, a space,
# and letters of scripts wordfreq treats apart (kana, han, Thai).
_TEXT = ("abcdeilnorstuzäöüßàçéèêîïôœùÿñãİıŞşŢţȘșțăắặươĐđ\u0301ſﬁ" "ΑαβγΣςσ" "абвгдЁё" "كتابال"
         "0123456789'’- " "かなカナ漢字ไทย")


@settings(max_examples=400, deadline=None)
@given(st.sampled_from(LANGS), st.text(alphabet=_TEXT, min_size=0, max_size=14))
def test_any_text_has_wordfreqs_value(lang, text):
    assert frequencies.zipf_frequency(text, lang) == zipf_frequency(text, lang)


def test_without_the_cache_folder_wordfreq_is_asked(monkeypatch):
    monkeypatch.setenv("PIPELINE_CACHE_DIR", "")
    frequencies._table.cache_clear()
    try:
        assert frequencies._table("en") == (None, False)
        assert frequencies.zipf_frequency("the", "en") == zipf_frequency("the", "en") > 7
    finally:
        frequencies._table.cache_clear()


def test_the_languages_are_wordfreqs():
    assert frequencies.languages() == frozenset(available_languages())


def test_a_case_folded_word_is_answered_without_importing_wordfreq():
    frequencies.zipf_frequency("the", "en")  # the table is in this session's cache folder
    code = ("import sys; from pipeline.language import frequencies as f; "
            "values = [f.zipf_frequency(w, 'en') for w in ('The', 'government', 'Élan', 'zzqx')]; "
            "assert values[0] > 7 and values[3] == 0.0, values; "
            "print(sorted(m for m in sys.modules if m.startswith('wordfreq')))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
