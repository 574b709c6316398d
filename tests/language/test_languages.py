"""Machine-translated fixtures in five languages: language identification and each
language's punctuation conventions in the cleaned text."""

import re

import pytest

from pipeline.document import BOILERPLATE

from ..conftest import FIXTURES, SAMPLE

CASES = {"fr": "fr_mt.txt", "es": "es_mt.txt", "de": "de_mt.txt", "pt": "pt_mt.txt"}


@pytest.fixture(scope="module")
def processed(process):
    docs = {lang: process((FIXTURES / "languages" / name).read_text(encoding="utf-8"), lang)
            for lang, name in CASES.items()}
    docs["en"] = process(SAMPLE.read_text(encoding="utf-8"), "en")
    return docs


@pytest.mark.parametrize("lang", ["fr", "es", "de", "pt", "en"])
def test_every_segment_in_its_language(processed, lang):
    doc = processed[lang]
    assert doc.lang == lang
    body = [s for s in doc.segments if s.kind != BOILERPLATE and sum(c.isalpha() for c in s.original) >= 12]
    wrong = [(s.lang, s.original) for s in body if s.lang != lang]
    assert wrong == [], wrong


def cleaned(doc):
    return [s.cleaned for s in doc.segments if s.kind != BOILERPLATE]


def test_french_conventions(processed):
    for text in cleaned(processed["fr"]):
        assert '"' not in text
        assert not re.search(r"[^\u00a0][;:!?»%](?!\d)", text.replace("://", "")), text
        assert not re.search(r"«[^\u00a0]", text), text


def test_german_conventions(processed):
    text = " ".join(cleaned(processed["de"]))
    assert '"' not in text and "„" in text and "“" in text and "75 %" in text


def test_spanish_conventions(processed):
    for text in cleaned(processed["es"]):
        if text.endswith("?"):
            assert text.startswith("¿"), text
        if text.endswith("!"):
            assert text.startswith("¡"), text
        assert "°" not in text and not re.search(r"\d[°o] ", text), text
    assert "1 o 2 miembros" in " ".join(cleaned(processed["es"]))  # "o" the conjunction is left alone


def test_portuguese_conventions(processed):
    text = " ".join(cleaned(processed["pt"]))
    assert "1º grupo" in text and "2º grupo" in text and "°" not in text


def test_english_rules_never_touch_other_languages(processed):
    for lang in ("fr", "es", "de", "pt"):
        rules = {e.rule.split(".")[0] for s in processed[lang].segments for e in s.edits}
        assert not rules & ({"fr", "es", "de", "pt"} - {lang}), (lang, rules)
