"""The English lexicon kept as a table on disk answers exactly as lemminflect does."""

import random
import subprocess
import sys

from hypothesis import given, settings, strategies as st

from pipeline.language import lexicon
from pipeline.text.lean_imports import lemminflect


def _library(word):
    return lemminflect().getAllLemmas(word), lexicon._verb_tags_from_library(word)


def _stored(word):
    return lexicon.lemmas(word), lexicon.verb_tags(word)


def test_every_word_of_lemminflects_vocabulary_has_its_answers():
    vocabulary = sorted(lexicon._vocabulary())
    assert len(vocabulary) > 50_000 and lexicon._table() is not None
    for word in random.Random(0).sample(vocabulary, 15_000) + ["fighting", "left", "said", "was", "all", "bless"]:
        assert _stored(word) == _library(word), word


def test_words_outside_it_and_words_with_capitals_have_its_answers():
    for word in ["goverment", "resettelment", "xqz", "", "Fighting", "LEFT", "Said", "iPhone", "McDonald", "A"]:
        assert _stored(word) == _library(word), word


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="abcdefghilmnorstuvwyéAESZ'-", min_size=1, max_size=10))
def test_any_word_has_its_answers(word):
    assert _stored(word) == _library(word)


def test_the_answers_grammar_needs():
    assert lexicon.verb_tags("left") == {"VBD", "VBN"} and lexicon.lemmas("left")["VERB"] == ("leave",)
    assert "VBZ" in lexicon.verb_tags("says") and lexicon.verb_tags("government") == frozenset()
    assert {"NOUN", "VERB"} <= set(lexicon.lemmas("fight"))


def test_without_the_cache_folder_lemminflect_is_asked(monkeypatch):
    monkeypatch.setenv("PIPELINE_CACHE_DIR", "")
    lexicon._table.cache_clear()
    try:
        assert lexicon._table() is None
        assert _stored("left") == _library("left")
    finally:
        lexicon._table.cache_clear()


def test_a_lower_case_word_is_answered_without_importing_lemminflect():
    lexicon.lemmas("the")  # the table is in this session's cache folder
    code = ("import sys; from pipeline.language import lexicon; "
            "assert lexicon.verb_tags('left') == {'VBD', 'VBN'}; "
            "print(sorted(m for m in sys.modules if m.startswith(('lemminflect', 'numpy'))))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
