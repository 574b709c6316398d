"""langdetect's detection with its profiles read from a table on disk gives langdetect's
own answers, probability for probability."""

import pytest
from hypothesis import given, settings, strategies as st
from langdetect import DetectorFactory
from langdetect.detector import Detector
from langdetect.detector_factory import PROFILES_DIRECTORY

from pipeline.language import langid
from pipeline.language.ngram_profiles import table_profiles

from ..conftest import FIXTURES, SHARED


@pytest.fixture(scope="module")
def both():
    library = DetectorFactory()
    library.load_profile(PROFILES_DIRECTORY)
    library.set_seed(langid.SEED)
    return table_profiles(langid.SEED), library


def _answers(factory, text):
    detector = factory.create()
    detector.append(text)
    try:
        return [(c.lang, c.prob) for c in detector.get_probabilities()]
    except Exception as error:  # noqa: BLE001 - the same failure is part of the same answer
        return type(error).__name__, str(error)


def _fixture_lines():
    lines = []
    for path in sorted(FIXTURES.rglob("*.txt")):
        text = path.read_bytes().decode("utf-8", "replace")
        lines += [line.strip() for line in text.splitlines() if line.strip()][:40]
    return lines


def test_the_table_holds_langdetects_languages_in_its_order(both):
    table, library = both
    assert table.rows.languages == library.langlist and len(library.langlist) == 55
    assert isinstance(table.create(), Detector)


def test_every_fixture_line_and_short_text_gets_langdetects_answer(both):
    table, library = both
    texts = _fixture_lines() + ["a", "ab", "12345", "...", "中文", "Привет, мир", "Ça va ?", "x y z", ""]
    assert len(texts) > 100
    for text in texts:
        assert _answers(table, text) == _answers(library, text), text


def test_real_pages_get_langdetects_answer(both):
    pages = sorted((SHARED / "garble-dev" / "docs").glob("*"))[:20]
    if not pages:
        pytest.skip("the development pages are not here")
    table, library = both
    for page in pages:
        text = page.read_bytes().decode("utf-8", "replace")
        for line in [line.strip() for line in text.splitlines() if len(line.strip()) > 15][:15]:
            assert _answers(table, line[:400]) == _answers(library, line[:400]), (page.name, line)


# Letters of several scripts, digits, punctuation, a URL-like run and spaces: texts that
# converge fast, slowly, or run to langdetect's iteration limit.
_TEXT = "abcdefghijklmnopqrstuvwxyzéèàüößñçABCZ" "абвгдежз" "αβγδ" "中文字漢" "かなカナ" "مرحبا" "0123456789 .,:/-@"


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=_TEXT, min_size=0, max_size=120))
def test_any_text_gets_langdetects_answer(both, text):
    table, library = both
    assert _answers(table, text) == _answers(library, text)


def test_unknown_ngrams_are_not_in_the_profiles_and_the_kept_rows_are_bounded(both):
    rows = both[0].rows
    assert "the" in rows and "\x07q" not in rows
    with pytest.raises(KeyError):
        rows["\x07q"]
    small = type(rows)(rows.table, limit=3)
    for ngram in ("a", "b", "c", "d"):
        small.row(ngram)
    assert len(small._rows) <= 3


def test_without_the_cache_folder_langdetect_loads_its_profiles(monkeypatch):
    monkeypatch.setenv("PIPELINE_CACHE_DIR", "")
    identifier = langid.LanguageIdentifier(min_letters=1)
    assert isinstance(identifier.factory, DetectorFactory)
    assert identifier.identify("The county government said on Monday that the families had moved.")[0] == "en"
