"""Each garble check with examples it must flag and examples it must leave alone."""

import pytest

from pipeline.checks import CATALOGUE, DOCUMENT_CHECKS, SEGMENT_CHECKS, Context, grammar, numbers, source, surface
from pipeline.checks.numbers import chinese_numbers_in, numbers_in
from pipeline.document import Document, Segment

from .conftest import SAMPLE, SHARED


def seg(text, index=0, kind="body", lang="en", prob=1.0, block=0, source_text=None):
    return Segment(index, 0, len(text), kind, text, block=block, lang=lang, lang_prob=prob, source=source_text)


def ctx(lang="en", source_text=None):
    return Context(Document("t", "t.txt", "txt", "", source=source_text, lang=lang), lang)


def codes(check, text, **kwargs):
    lang = kwargs.pop("doc_lang", "en")
    return [f.code for f in check(seg(text, **kwargs), ctx(lang))]


CASES = [
    # (check, flagged examples, clean examples)
    (surface.untranslated, ["The county finished 易地扶贫搬迁 work in 2019.",
                            "Every family with a dibao card got help from the cunweihui."],
     ["The county finished its relocation work in 2019.", "Qian Xiaoqi moved to Tongren in China.",
      "The house is making a baseline of the village union."]),
    (grammar.fragment,
     ["Motivation and willingness to relocate.", "For Ceheng Buyi village reconstruction.",
      "Eradicating poverty and helping to build a strong atmosphere for decisive battles.",
      "Carry out skills training, recommend jobs, and provide employment guidance to help achieve employment.",
      "The green channels will be opened. To reduce the phenomenon, one-stop solution to the issue."],
     ["Tongren City is located in a particularly difficult area of Wuling Mountains.",
      "Most of them now work in the community workshops, earning 60 to 70 yuan a day.",
      "Hearing the news, Chen's family decided to move back.", "Poverty alleviation monitoring households:",
      "\u201cNot far from home.\u201d", "125,500 people moved directly from the mountains."]),
    (grammar.comma_splice,
     ["The new house is OK, the masses have the final say.",
      "Her worries became unnecessary and the community service center There is a supermarket nearby.",
      "The plan was finished last year, To reduce the cost it was cut."],
     ["Relocation is the means, and poverty alleviation is the goal.",
      "When Yang heard the news that the county began the program, he signed up immediately.",
      "The township was listed as poor in 2016, the deputy Party chief said.",
      "In March 2016, You Long was selected from the bureau to the village."]),
    (grammar.broken_structure,
     ["Not only did I feed a family, but also helped others, but also drove more people to work.",
      "Not only did the county build roads for the villages.",
      "Yang Yun photo Beijing, 30 October Xinhua: Guizhou Qinglong: the county helped."],
     ["Not only did the county build roads, but it also opened schools.",
      "The meeting began at 8:30 and ended at 10:15.", "He said: the plan works."]),
    (surface.repetition,
     ["With resolute poverty alleviation, poverty alleviation, and roads, they won.",
      "They fought hard and hard for the new chapter.", "The lives of the people People in these communities.",
      "They are fighting to fight poverty.", "One party cannot support one party with soil and water."],
     ["The city improved day by day and house to house.", "In 2019, 14,019 people were trained, and 1,482 people "
      "were employed.", "Poverty alleviation is hard work; the relocation of poor families is part of it."]),
    (surface.glued_words, ["The report was posted in villages2019 by the office."],
     ["The iPhone and eBay are brands; 2019 was a good year."]),
    (surface.too_long, [" ".join(["word"] * 61) + "."], [" ".join(["word"] * 40) + "."]),
    (surface.truncated, ["The county decided to build the", "The plan covers schools, hospitals,"],
     ["The county decided to build the road.", "Poverty alleviation monitoring households:"]),
    (surface.stray_punct, [", To reduce the phenomenon of going back and forth."],
     ["To reduce the phenomenon of going back and forth."]),
    (grammar.low_fluency, ["the zorbex flimwaddle grunched the plinkety snorfle of bramwick quenzel yesterday."],
     ["the county built new schools and hospitals for the families who moved last year."]),
]


@pytest.mark.parametrize("check, flagged, clean", CASES, ids=[c[0].__name__ for c in CASES])
def test_check_examples(check, flagged, clean):
    for text in flagged:
        assert codes(check, text), f"{check.__name__} should flag: {text}"
    for text in clean:
        assert not codes(check, text), f"{check.__name__} should not flag: {text}"


def test_english_checks_skip_other_languages():
    for check in (grammar.fragment, grammar.comma_splice, grammar.low_fluency):
        assert codes(check, "Motivation et volonté de déménager.", doc_lang="fr", lang="fr") == []


def test_checks_do_not_misfire_on_unknown_languages():
    for check in SEGMENT_CHECKS:
        check(seg("pageClose xyzzy plugh", lang="und", prob=0.0), ctx("und"))  # no exception


def test_wrong_language():
    french = "Le gouvernement provincial a annoncé que la province a relogé des millions de personnes."
    assert codes(surface.wrong_language, french, lang="fr", prob=0.99) == ["wrong-language"]
    assert codes(surface.wrong_language, french, lang="fr", prob=0.7) == []  # not sure enough
    assert codes(surface.wrong_language, "Bonjour Paris.", lang="fr", prob=0.99) == []  # too short to judge


def test_unbalanced_is_judged_per_paragraph():
    one = [seg('A family of four went upstairs, employment downstairs ".')]
    surface.unbalanced(one, ctx())
    assert [f.code for f in one[0].flags] == ["unbalanced"]
    spanning = [seg('"There is only one road in the village.', 0), seg('There are no industries."', 1)]
    surface.unbalanced(spanning, ctx())
    assert all(not s.flags for s in spanning)


def test_number_inconsistent():
    segs = [seg("Tongren relocated 293,300 people.", 0), seg("It is home to 283,000 relocated poor.", 1),
            seg("Of them, 125,500 moved across counties in 2019 and 2020.", 2)]
    numbers.number_inconsistent(segs, ctx())
    assert [f.code for f in segs[1].flags] == ["number-inconsistent"]
    assert not segs[0].flags and not segs[2].flags


def test_reading_numbers():
    assert chinese_numbers_in("完成29.33万人搬迁，1至9月，三十四所学校，投资1244万元") == [1, 9, 293300, 12440000, 34]
    assert numbers_in("1.92 million people, 293,300 people from January to September; 75%") == [
        1920000, 293300, 75, 1, 9]


@pytest.mark.parametrize("target, expected", [
    ("Tongren relocated 239,300 people this year.", ["number-mismatch"]),  # a digit swapped
    ("Tongren relocated 293,300 people this year.", []),
    ("The city invested 12.44 million yuan from January to September, relocating 293,300 people.", []),
    ("Done.", ["number-mismatch", "length-ratio"]),
    ("铜仁市今年完成29.33万人搬迁。", ["untranslated-segment"]),
])
def test_source_checks(target, expected):
    src = "铜仁市今年完成29.33万人搬迁。" if "12.44" not in target else "1至9月投资1244万元，完成29.33万人搬迁任务。"
    assert [f.code for f in source.compare(src, target, ctx(), "")] == expected


def test_source_checks_use_document_source_when_unaligned():
    doc = Document("t", "t.jsonl", "jsonl", "", source="铜仁市今年完成29.33万人搬迁。", lang="en")
    segs = [seg("Tongren relocated 239,300 people this year.")]
    source.source_checks(segs, Context(doc, "en"))
    assert [f.code for f in segs[0].flags] == ["number-mismatch"]
    assert "document-level" in segs[0].flags[0].message


def test_catalogue_documents_every_code():
    documented = {c.code for c in CATALOGUE}
    assert len(documented) == len(CATALOGUE)
    assert DOCUMENT_CHECKS and SEGMENT_CHECKS
    for c in CATALOGUE:
        assert c.severity in ("info", "warning", "error") and c.catches and c.example


# -- the whole stage on the sample ---------------------------------------------------------------

@pytest.fixture(scope="module")
def sample(process):
    return process(SAMPLE.read_text(encoding="utf-8"), "sample")


@pytest.mark.parametrize("sentence, garbled", [
    ("One party cannot support one party with soil and water.", True),
    ("The new house is OK, the masses have the final say.", True),
    ("Motivation and willingness to relocate.", True),
    ("Tongren City is located in a particularly difficult area of Wuling Mountains.", False),
])
def test_sample_sentences(sample, sentence, garbled):
    [seg] = [s for s in sample.segments if sentence in s.cleaned]
    assert seg.garbled is garbled
    assert 0.0 <= seg.garble_score <= 1.0
    if garbled:
        assert seg.flags and all(f.message for f in seg.flags)  # each with a reason


def test_boilerplate_is_not_judged_and_cosmetics_do_not_garble(sample, process):
    assert all(s.garble_score is None for s in sample.segments if s.kind == "boilerplate")
    doc = process("The county built new schools in villages2019 for the families who moved.")
    assert [f.code for f in doc.segments[0].flags] == ["glued-words"] and not doc.segments[0].garbled


# -- the development set (third-party text: read from ../shared, never copied) ----------------------

@pytest.mark.skipif(not (SHARED / "garble-dev" / "labels.jsonl").exists(), reason="../shared/garble-dev not present")
def test_development_set_scores():
    from pipeline.evaluate import evaluate, load_labels
    result = evaluate(load_labels(SHARED / "garble-dev" / "labels.jsonl"), SHARED / "garble-dev" / "docs")
    m = result.metrics()
    assert not result.problems
    # floors at the measured level (README, "Evaluation"), so a change that loses ground fails
    assert m["precision"] >= 0.85 and m["recall"] >= 0.66
    assert m["false_flags_professional"] <= 0.05
    assert m["boilerplate_recall"] >= 0.90 and m["body_marked_boilerplate"] <= 0.03


def test_skip_checks_setting(tmp_path):
    from pipeline.config import load_settings
    from pipeline.stages import build_stages, run_stages
    cfg = tmp_path / "s.toml"
    cfg.write_text('skip_checks = ["fragment"]\n', encoding="utf-8")
    stages = build_stages(load_settings(cfg))
    doc = run_stages(Document("t", "t.txt", "txt", "Motivation and willingness to relocate."), stages)
    assert doc.segments[0].flags == [] and doc.segments[0].garbled is False


def test_cosmetic_codes_never_reach_the_score():
    from pipeline.checks.score import FLAG_FEATURES
    cosmetic = {c.code for c in CATALOGUE if c.cosmetic}
    assert cosmetic and not cosmetic & set(FLAG_FEATURES)


# -- the shared scans give what their own patterns would ------------------------------------

import re  # noqa: E402

from hypothesis import given, settings, strategies as st  # noqa: E402

WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
LETTER_RUN = re.compile(r"[^\W\d_]+")


@settings(max_examples=400, deadline=None, derandomize=True, database=None)
@given(st.text(alphabet="ab Z1²٣_'’-é İ.,中", max_size=40))
def test_words_and_letter_runs_match_their_patterns(text):
    assert list(surface._words(text)) == WORD.findall(text)
    assert surface.letter_runs(text) == len(LETTER_RUN.findall(text))
    assert [w for w in surface.lower_words(text) if len(w) >= 4] == re.findall(r"\b[a-z]{4,}\b", text)


@settings(max_examples=400, deadline=None, derandomize=True, database=None)
@given(st.text(alphabet="abcdeABC12 _é.", max_size=30))
def test_the_glued_words_hint_admits_every_glued_word(text):
    assert surface._GLUED_HINT.search(text) or not surface.GLUED.search(text)


@settings(max_examples=500, deadline=None, derandomize=True, database=None)
@given(st.text(alphabet="ab A.!?\"”’')\n ", max_size=30))
def test_sentences_quick_path_agrees_with_the_pattern(text):
    pieces = [(m.start() + len(m.group(0)) - len(m.group(0).lstrip()), m.end())
              for m in grammar.SENTENCE.finditer(text) if m.group(0).strip()]
    assert grammar.sentences(text) == pieces
