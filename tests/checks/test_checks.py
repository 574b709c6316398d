"""Each garble check with examples it must flag and examples it must leave alone."""

import pytest

from pipeline.checks import CATALOGUE, DOCUMENT_CHECKS, SEGMENT_CHECKS, Context, grammar, numbers, source, surface
from pipeline.checks.numbers import chinese_numbers, english_numbers
from pipeline.document import Document, Segment

from ..conftest import SAMPLE, SHARED


def seg(text, index=0, kind="body", lang="en", prob=1.0, block=0, source_text=None):
    return Segment(index, 0, len(text), kind, text, block=block, lang=lang, lang_prob=prob, source=source_text)


def ctx(lang="en", source_text=None, source_lang="zh"):
    return Context(Document("t", "t.txt", "txt", "", source=source_text, lang=lang), lang, source_lang)


def codes(check, text, **kwargs):
    lang = kwargs.pop("doc_lang", "en")
    return [f.code for f in check(seg(text, **kwargs), ctx(lang))]


CASES = [
    # (check, flagged examples, clean examples)
    (grammar.missing_space, ["This review wasa new starting point for the hospital.",
                             "Most ofthe villages have a clinic.", "He left inan hour.",
                             "The fund is for the poor andthe elderly."],
     ["The area was large.", "Ancient fora were meeting places.", "Isa Khan spoke first.",
      "He went into the hall, onto the stage and within the hour was done."]),
    (surface.untranslated, ["The county finished 易地扶贫搬迁 work in 2019.",
                            "Every family with a dibao card got help from the cunweihui."],
     ["The county finished its relocation work in 2019.", "Qian Xiaoqi moved to Tongren in China.",
      "The house is making a baseline of the village union."]),
    (grammar.fragment,
     ["Motivation and willingness to relocate.", "For Ceheng Buyi village reconstruction.",
      "Eradicating poverty and helping to build a strong atmosphere for decisive battles.",
      "The green channels will be opened. To reduce the phenomenon, one-stop solution to the issue.",
      # a noun phrase, however verb-like its plural: no finite verb
      "The still waters of the reservoir.", "Through the provision of the guarantee loans, the training of workers.",
      # a second predicate after a comma in another tense than the first: no subject of its own
      "The relocation improved lives, is conducive to development.",
      "The county built 3 roads, has 12 villages and has a school."],
     ["Tongren City is located in a particularly difficult area of Wuling Mountains.",
      "Most of them now work in the community workshops, earning 60 to 70 yuan a day.",
      "Hearing the news, Chen's family decided to move back.", "Poverty alleviation monitoring households:",
      "\u201cNot far from home.\u201d", "125,500 people moved directly from the mountains.",
      # verbs that look like nouns or base forms, after a singular subject or an adverb
      "A farmer works in the new greenhouse.", "The director chats with residents every week.",
      "Zhang works in Tongren.", "These rules no longer apply.", "Households often live far away.",
      # coordinated predicates share one subject
      "The town covers 120 square kilometres, has 12 villages and has a population of 30,000.",
      "The village covers 5 square kilometres, has 300 households and grows tea.",
      # a numbered item of a notice or a list need not be a sentence
      "3. Scan the code at the door in advance, fill in your name, and show it to the staff.",
      "(2) Free health checks for everyone over 60.", "4) Bring your ID card.",
      "- Free health checks for everyone over sixty in the county.",
      # an instruction is a sentence: a bare verb at its start, after an adverb or after "and"
      "Carry out skills training, recommend jobs, and provide employment guidance to help achieve employment.",
      "Stir the sauce and simmer it for ten minutes over a low heat.",
      "Then press the green button on the front of the machine.",
      "Gently fold the egg whites into the batter with a spatula.",
      # contractions, with either apostrophe
      "It’s probably wise to book the tickets a month ahead.", "That's according to the council's own report.",
      "There’ll be two trains an hour on the new line from June.",
      "If you're still unsure, it's worth asking the librarian first.",
      # verbs the lexicon also knows as nouns, after their subject
      "Her “growth mindset” matters more than her grades this year.",
      "These changes affect every household in the district.",
      "This small brass key opens the door to the old cellar.",
      "Perhaps that surprises the readers of the first edition.",
      "The night shift nurse completely blocks out the noise with earplugs.",
      # relative clauses and appositions before the verb
      "A dog that had been lost for two years in Leeds was found in York on Sunday.",
      "The museum, which opened in 1902, draws visitors from all over the region.",
      "The mayor, according to two of her aides, will not stand again next year.",
      # short pieces with no verb: captions, answers, asides
      "A blood bank.", "More to come soon.", "With a pumpkin patch!",
      # a name split by an initial is one sentence
      "The prize went to a poem written by Mary J. Blige in her first year at school."]),
    (grammar.comma_splice,
     ["The new house is OK, the masses have the final say.",
      "Her worries became unnecessary and the community service center There is a supermarket nearby.",
      "The plan was finished last year, To reduce the cost it was cut."],
     ["Relocation is the means, and poverty alleviation is the goal.",
      "When Yang heard the news that the county began the program, he signed up immediately.",
      "The township was listed as poor in 2016, the deputy Party chief said.",
      "In March 2016, You Long was selected from the bureau to the village.",
      # a participle or a quoted conjunction opens a clause that cannot stand alone
      "Having seen many markets on his travels, he wanted to open a shop of his own.",
      "According to the statistics bureau, 73 of the 592 counties have met the goal.",
      "Located on the river, the town has a port that ships rice.",
      "“But the friends who moved away, this is what I miss the most.”",
      # a comma that closes a subordinate clause inside the first, and a series of clauses
      "Residents fear that, as the river rises, the old bridge will not hold.",
      "Does this mean that if prices rise, the farmers will sell less?",
      "The storm was short, several roofs were damaged, and two trees fell.",
      "A short answer: To be called a port, the wine must come from the Douro valley.",
      # a name that is also a verb, after "and" or as an object
      "She thanked her sister and Harry thanked his brother for the flowers.",
      "The first tweet came from Google staff in the morning."]),
    (grammar.broken_structure,
     ["Not only did I feed a family, but also helped others, but also drove more people to work.",
      "Not only did the county build roads for the villages.",
      "Yang Yun photo Beijing, 30 October Xinhua: Guizhou Qinglong: the county helped."],
     ["Not only did the county build roads, but it also opened schools.",
      "The meeting began at 8:30 and ended at 10:15.", "He said: the plan works."]),
    (surface.repetition,
     ["With resolute poverty alleviation, poverty alleviation, and roads, they won.",
      "They fought hard and hard for the new chapter.", "The lives of the people People in these communities.",
      "They are fighting to fight poverty.", "One party cannot support one party with soil and water.",
      "The office is in Hill Town, Hill Town, Hill Town, in the north.",
      "Farmers work in the fields, the fields growing rice all year."],
     ["The city improved day by day and house to house.", "In 2019, 14,019 people were trained, and 1,482 people "
      "were employed.", "Poverty alleviation is hard work; the relocation of poor families is part of it.",
      # parallel items and plain reference: the phrase goes on in other words each time
      "They chose the best young teachers, the best young nurses and the best young doctors.",
      "The county units directly under the county government took part.",
      "Le conseil de la ville et le conseil de la région ont voté.",
      # words written twice with something between, and idioms of common words
      "The steady drip-drip-drip of the tap kept her awake.", "The race went on again and again.",
      "They tried over and over, more and more slowly."]),
    (surface.glued_words, ["The report was posted in villages2019 by the office."],
     ["The iPhone and eBay are brands; 2019 was a good year."]),
    (surface.too_long, [" ".join(["word"] * 61) + "."], [" ".join(["word"] * 40) + "."]),
    (surface.truncated, ["The county decided to build the", "The plan covers schools, hospitals,",
                         "The new road links the market and"],
     ["The county decided to build the road.", "Poverty alleviation monitoring households:",
      "The town has a population of 30,000.", "Incomes rose by 12.5 percent to 9,800.",
      # a preposition may end an English sentence; a trailing-off or an introduction is finished
      "What are cats best at?", "That is the one thing she never asked for.",
      "A small gift can go a...", "Create the signing request and the key with:",
      "In other words, the class has no x attribute of its own, unlike A."]),
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
    assert [n.value for n in chinese_numbers("完成29.33万人搬迁，1至9月，三十四所学校，投资1244万元")] == [
        293300, 1, 9, 34, 12440000]
    assert [n.value for n in english_numbers("1.92 million people, 293,300 people from January to September; 75%")] == [
        1920000, 293300, 1, 9, 75]


@pytest.mark.parametrize("target, expected", [
    # a digit swapped: 293,300 is missing, and 239,300 has no source
    ("Tongren relocated 239,300 people this year.", ["number-mismatch", "number-mismatch"]),
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
    source.source_checks(segs, Context(doc, "en", "zh"))
    assert [f.code for f in segs[0].flags] == ["number-mismatch", "number-mismatch"]
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


@pytest.mark.parametrize("sentence, garbled, codes", [
    ("One party cannot support one party with soil and water.", True, {"calque", "repetition"}),
    # flagged, and left to the reviewer: the verdict is held to a precision the fragment or
    # the comma splice alone does not reach (docs/garble.md)
    ("The new house is OK, the masses have the final say.", False, {"comma-splice"}),
    ("Motivation and willingness to relocate.", False, {"fragment"}),
    ("Tongren City is located in a particularly difficult area of Wuling Mountains.", False, set()),
])
def test_sample_sentences(sample, sentence, garbled, codes):
    [seg] = [s for s in sample.segments if sentence in s.cleaned]
    assert seg.garbled is garbled
    assert codes <= {f.code for f in seg.flags}
    assert 0.0 <= seg.garble_score <= 1.0
    if garbled:
        assert seg.flags and all(f.message for f in seg.flags)  # each with a reason
        assert seg.garble_reasons and "calque" in seg.garble_reasons[0]  # what weighed most, in words
    else:
        assert seg.garble_reasons == []


def test_boilerplate_is_not_judged_and_cosmetics_do_not_garble(sample, process):
    assert all(s.garble_score is None for s in sample.segments if s.kind == "boilerplate")
    doc = process("The county built new schools in villages2019 for the families who moved.")
    assert [f.code for f in doc.segments[0].flags] == ["glued-words"] and not doc.segments[0].garbled


# -- the development set (third-party text: read from ../shared, never copied) ----------------------

@pytest.mark.skipif(not (SHARED / "garble-dev" / "labels-dev3.jsonl").exists(), reason="../shared/garble-dev not present")
def test_development_set_scores_cross_validated():
    """The three label files, each document judged by weights fitted without it (the
    threshold chosen inside the folds for precision 0.80), without the parser: floors at
    the measured level (docs/garble.md, "Evaluation"), so a change that loses ground fails.
    (The parsed path has its floors in test_parse.py; the control pages theirs below.)"""
    from pipeline.config import Settings
    from pipeline.evaluation.evaluate import cross_validate, evaluate, load_labels
    labels = [x for name in ("labels.jsonl", "labels-dev2.jsonl", "labels-dev3.jsonl")
              for x in load_labels(SHARED / "garble-dev" / name)]
    result = evaluate(labels, SHARED / "garble-dev" / "docs", Settings(parser="none"))
    assert not result.problems
    cross_validate(result)
    m = result.metrics()
    assert m["precision"] >= 0.74 and m["recall"] >= 0.17
    assert m["false_flags_professional"] <= 0.03 and m["false_flags_mt"] <= 0.03
    assert m["sentences_own"] >= 0.975 and m["sentences_split"] <= 0.015 and m["long_shared_segments"] == 0


@pytest.mark.skipif(not (SHARED / "extraction-dev" / "html").is_dir() or not (SHARED / "garble-dev").is_dir(),
                    reason="../shared/extraction-dev or garble-dev not present")
def test_professional_pages_are_seldom_marked_garbled(tmp_path):
    """Every body sentence of the 300 professionally written pages of ../shared/extraction-dev,
    judged by weights fitted on other pages (20 folds by document, the labelled pages
    among them): at most 3% marked garbled in each language with 200 sentences or more."""
    import gzip

    from pipeline.config import Settings
    from pipeline.evaluation.evaluate import cross_validate, evaluate, load_labels
    pages = tmp_path / "pages"
    pages.mkdir()
    for page in sorted((SHARED / "extraction-dev" / "html").glob("*.html.gz")):
        (pages / page.name[:-3]).write_bytes(gzip.decompress(page.read_bytes()))
    labels = [x for name in ("labels.jsonl", "labels-dev2.jsonl", "labels-dev3.jsonl")
              for x in load_labels(SHARED / "garble-dev" / name)]
    result = evaluate(labels, SHARED / "garble-dev" / "docs", Settings(parser="none"), controls_dir=pages)
    cross_validate(result)
    rates = result.control_rates()
    assert rates["en"][1] >= 2000 and rates["de"][1] >= 8000
    for lang, (marked, sentences) in rates.items():
        if sentences >= 200:
            assert marked / sentences <= 0.03, (lang, marked, sentences)
    assert result.metrics()["precision"] >= 0.74


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
    from pipeline.checks.sentence import Sentence, letter_runs, lower_words, words_of
    assert list(words_of(text)) == WORD.findall(text)
    assert letter_runs(words_of(text)) == len(LETTER_RUN.findall(text))
    assert [w for w in lower_words(text) if len(w) >= 4] == re.findall(r"\b[a-z]{4,}\b", text)
    # a Sentence's parts are those plain forms
    sentence = Sentence(text)
    assert sentence.words == words_of(text) and sentence.letter_runs == letter_runs(words_of(text))
    assert sentence.lower_words == lower_words(text)


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


# -- numbers: exact, both ways ----------------------------------------------------------------------

@pytest.mark.parametrize("text, values, required", [
    ("二十三万四千人", [234000], [True]),
    ("二十三万零四百人", [230400], [True]),
    ("三万亿元", [3e12], [True]),
    ("一百零五户", [105], [True]),
    ("二〇一九年", [2019], [True]),
    ("百分之三十的农户", [30], [True]),
    ("增长3个百分点", [3], [True]),  # 百分点 is "percentage point", not a hundred
    ("实现两不愁三保障", [2, 3], [False, False]),  # a set phrase's numerals excuse, but are not required
    ("铜仁一中", [1], [False]),  # 一 alone is a word or a name, unless a measure word follows
    ("一个村", [1], [True]),
    ("十三五期间", [13, 5], [False, False]),  # the 13th Five-Year Plan
    ("第三批", [3], [True]),
])
def test_reading_chinese_numbers(text, values, required):
    found = chinese_numbers(text)
    assert [n.value for n in found] == values and [n.required for n in found] == required


@pytest.mark.parametrize("text, values", [
    ("three guarantees and twelve villages", [3, 12]),
    ("twenty-five households and two hundred and five people", [25, 205]),
    ("the third batch", [3]),
    ("about 1.9 million people", [1.9e6]),
])
def test_reading_english_numbers(text, values):
    assert [n.value for n in english_numbers(text)] == values


def _mismatches(src, target):
    return [f.message for f in source.compare(src, target, ctx(), "") if f.code == "number-mismatch"]


@pytest.mark.parametrize("src, target", [
    ("2019年，全县投资1260万元。", "In 2018, the county invested 12.6 million yuan."),  # a year off by one
    ("全县共有1260户。", "The county has 1265 households."),  # within half a percent: still wrong
    ("完成29.33万人搬迁。", "Tongren relocated 292,000 people."),  # 293,300
    ("完成二十三万四千人搬迁。", "Tongren relocated 243,000 people."),
    ("全县有十二个村。", "The county has eleven villages."),  # spelled out, and wrong
    ("建成3所学校。", "It built 3 schools and 4 clinics."),  # a target figure with no source
    ("群众满意度达98%。", "Satisfaction reached 97.6%."),  # 达 ("reached") is no hedge: 98 must be 98
])
def test_number_mismatches_are_flagged(src, target):
    assert _mismatches(src, target)


@pytest.mark.parametrize("src, target", [
    ("2019年，全县投资1260万元。", "In 2019, the county invested 12.6 million yuan."),
    ("完成29.33万人搬迁。", "Tongren relocated 293,300 people."),
    ("完成二十三万四千人搬迁。", "Tongren relocated 234,000 people."),
    ("共搬迁188.6万人。", "About 1.9 million people were relocated."),  # a rounding the target states
    ("共搬迁1000余人。", "More than 1,000 people moved."),
    ("全县有十二个村。", "The county has twelve villages."),  # spelled out
    ("实现两不愁三保障。", "The two assurances and three guarantees were met."),  # a set phrase
    ("十三五期间，全市搬迁群众。", "During the 13th Five-Year Plan period, the city relocated residents."),
    ("增长3个百分点。", "It rose by 3 percentage points."),
    ("1至9月投资1244万元。", "From January to September, 12.44 million yuan was invested."),
])
def test_matching_numbers_are_not_flagged(src, target):
    assert _mismatches(src, target) == []


@pytest.mark.parametrize("src, target, why", [
    ("共搬迁188.6万人。", "1.9 million people were relocated.", "does not give"),  # no "about": not a stated rounding
    ("共搬迁188.6万人。", "About 1.8 million people were relocated.", "does not give"),  # outside its precision
])
def test_rounding_is_only_allowed_where_the_target_says_so(src, target, why):
    assert any(why in m for m in _mismatches(src, target))


def test_each_direction_names_its_numbers():
    messages = _mismatches("2019年建成3所学校。", "In 2018 it built 3 schools.")
    assert any("source has 2019" in m for m in messages)
    assert any("translation has 2018" in m for m in messages)


def test_source_checks_skip_a_source_they_cannot_read():
    # Spanish source: no Chinese number rules, no "still Chinese" for a name left as it is
    assert source.compare("Real Madrid", "Real Madrid", ctx(source_lang="es"), "") == []
    assert source.compare("Ganó 3 a 1 en 2019.", "It won 3-1 in 2018.", ctx(source_lang="es"), "") == []


# -- cross-validation by document ------------------------------------------------------------------

def test_held_out_flags_never_learn_from_the_document_they_judge():
    import numpy as np

    from pipeline.evaluation.fit import FEATURES, document_folds, held_out_scores
    rng = np.random.default_rng(0)
    docs = np.array([f"d{i // 10}" for i in range(80)])
    y = (rng.random(80) < 0.4).astype(float)
    X = np.zeros((80, len(FEATURES)))
    X[:, FEATURES.index("fragment")] = y  # one feature that tells garbled from ok in every document...
    odd = docs == "d7"
    X[odd, FEATURES.index("fragment")] = 1 - y[odd]  # ...except one, where it says the opposite
    held_out = held_out_scores(X, y, docs, steps=400)
    flagged, thresholds = held_out.flagged, held_out.thresholds
    assert ((held_out.scores >= 0) & (held_out.scores <= 1)).all()
    assert set(thresholds) == set(docs)
    assert (flagged[~odd] == (y[~odd] == 1)).all()  # learnt from the other documents
    assert (flagged[odd] == (y[odd] == 0)).all()  # d7's own labels were never seen
    masks = document_folds(docs, 5)
    assert sum(m.sum() for m in masks) == 80 and all(len(set(docs[m])) == len(set(docs[m]) - set(docs[~m]))
                                                     for m in masks)


def test_cross_validated_evaluation_on_documents_of_our_own(tmp_path):
    import json as _json

    from pipeline.evaluation.evaluate import cross_validate, evaluate
    garbled = ["Motivation and willingness to relocate.", "For the village reconstruction of the county.",
               "The people the people moved to the new houses."]
    fine = ["The county built a new school in 2019.", "Most families now work in the town.",
            "The road to the village opened in May."]
    labels = []
    for n in range(4):
        (tmp_path / f"d{n}.txt").write_text("\n\n".join(garbled + fine) + "\n", encoding="utf-8")
        labels += [{"doc": f"d{n}", "sentence": s, "label": "garbled", "kind": "mt"} for s in garbled]
        labels += [{"doc": f"d{n}", "sentence": s, "label": "ok", "kind": "mt"} for s in fine]
    (tmp_path / "labels.jsonl").write_text("".join(_json.dumps(x) + "\n" for x in labels), encoding="utf-8")
    ev = evaluate(labels, tmp_path)
    thresholds = cross_validate(ev, steps=300)
    assert sorted(thresholds) == ["d0", "d1", "d2", "d3"]
    assert all(j.held_out is not None for j in ev.judged)
    m = ev.metrics()
    assert m["precision"] == 1.0 and m["recall"] >= 2 / 3


def test_every_garbled_verdict_names_a_reason(process):
    """A segment at or over the threshold always carries a warning or error flag; where
    a measurement carried the verdict, it is that measurement's flag."""
    from pipeline.checks.score import GarbleModel
    model = GarbleModel.load()
    text = ("In the county, the township, the villages, the communities, the farms, the schools, the "
            "clinics, the roads, the bridges, the markets, the stations, the parks, the squares and the "
            "offices of the district, the city and the province of the region.")
    doc = process(text, "commas")
    seg = doc.segments[0]
    ctx = Context(doc, "en")
    if seg.garbled:
        assert any(f.severity in ("warning", "error") for f in seg.flags)
    # the explanation is the measurement the score leans on, for any threshold it passes
    for threshold in (0.05, 0.2):
        if model.score(seg, ctx) >= threshold:
            reasons = model.explain(seg, ctx, threshold)
            assert reasons or any(f.severity in ("warning", "error") for f in seg.flags)
            assert {f.code for f in reasons} <= {"long-sentence", "rare-words", "comma-chain"}
    sample = process(SAMPLE.read_text(encoding="utf-8"), "sample")
    for s in sample.segments:
        if s.garbled:
            assert any(f.severity in ("warning", "error") for f in s.flags), s.cleaned


@pytest.mark.parametrize("sentence", [
    "For your own safety, please actively support the testing in your village.",
    "Residents, please bring the card when you come to the clinic.",
    "The share is almost four times the national average, and three times that of the province.",
    "Their income is twice that of the old village.",
])
def test_requests_and_comparisons_are_not_fragments(process, sentence):
    doc = process(sentence)
    assert "fragment" not in [f.code for f in doc.segments[0].flags]


@pytest.mark.parametrize("sentence", [
    "For the safety of the county, please.",
    "They believe that the villagers themselves very hard.",
])
def test_what_still_is_a_fragment(process, sentence):
    doc = process(sentence)
    assert "fragment" in [f.code for f in doc.segments[0].flags]


@pytest.mark.parametrize("line", [
    "sudo apt-get install -y --no-install-recommends /tmp/pkg/tool.deb",
    ">>> total = sum(values) / len(values)",
    "$ tar xzf archive.tar.gz && cd archive",
    "import os def main (args): return os.path.join (args[0], args[1])",
])
def test_a_line_of_code_gets_no_prose_checks(process, line):
    seg = process(line).segments[0]
    assert not {f.code for f in seg.flags} & {"fragment", "repetition", "comma-splice", "truncated",
                                               "broken-structure", "stray-punct"}
    assert not seg.garbled


def test_prose_that_names_a_file_is_still_prose(process):
    seg = process("They believe that the new file report.pdf very hard.").segments[0]
    assert "fragment" in [f.code for f in seg.flags]


# -- invisible characters -------------------------------------------------------------------------

@pytest.mark.parametrize("text, found", [
    ("The county\u200b built a road.", ["U+200B"]),
    ("\u200bAt the very start.", ["U+200B"]),
    ("Open \u202etxt.exe now.", ["U+202E"]),
    ("A hidden \U000E0068\U000E0069 note.", ["U+E0068", "U+E0069"]),  # one run, both named
    ("Le\u2060 village est beau.", ["U+2060"]),
    ("Text with a stray \ufeff mark.", ["U+FEFF"]),
    ("Plain \u200e direction mark in English.", ["U+200E"]),
    # uses: joiners in Persian and in an emoji sequence, marks in Hebrew, ZWSP between Thai words
    ("می\u200cخواهم بروم.", []),
    ("Family \U0001F468\u200d\U0001F469 photo.", []),
    ("הוא אמר \u200fשלום.", []),
    ("สวัสดี\u200bครับ", []),
    ("In Hebrew text an override is still flagged: שלום \u202e.", ["U+202E"]),
])
def test_invisible_characters_are_flagged_where_they_have_no_use(text, found):
    flags = surface.invisible_chars(seg(text), Context(None, "en"))
    named = [n for f in flags for n in re.findall(r"U\+[0-9A-F]{4,5}", f.message)]
    assert named == found
    for f in flags:
        assert all(not text[i].isprintable() or text[i] == "\ufeff" or ord(text[i]) >= 0xE0000 for i in range(f.start, f.end))


# -- ordinary writing in the five languages: quiet (sentences written for these tests) --------------

ORDINARY = {
    "en": ["It’s the third time this year that the ferry hasn’t run on a Sunday.",
           "Whisk the eggs with the sugar, then fold in the flour a spoonful at a time.",
           "The librarian, who has worked there since 1998, says the new wing will open in March.",
           "“We didn’t expect so many people,” said the organiser, laughing.",
           "What are the children most afraid of?"],
    "de": ["Die Stadt hat im Frühjahr neue Radwege gebaut, die bis zum Bahnhof führen.",
           "Der Bürgermeister kündigte an, dass die Bibliothek im Mai wieder öffnet.",
           "Wer macht denn so etwas?",
           "Die Kinder, die die Schule besuchen, bekommen ein warmes Mittagessen.",
           "Viele Händler bieten ihre Waren jetzt auch im Internet an."],
    "fr": ["La mairie a ouvert une nouvelle crèche dans le quartier de la gare.",
           "Les habitants attendent depuis longtemps la rénovation du pont.",
           "« Nous sommes très contents », a déclaré la directrice de l'école.",
           "Le marché se tient tous les samedis matin sur la place principale."],
    "es": ["El ayuntamiento abrió una nueva biblioteca en el centro de la ciudad.",
           "Los vecinos esperan que las obras terminen antes del verano.",
           "«Estamos muy contentos», dijo la directora del colegio.",
           "El mercado se celebra todos los sábados en la plaza mayor."],
    "pt": ["A câmara municipal abriu uma nova biblioteca no centro da cidade.",
           "Os moradores esperam que as obras terminem antes do verão.",
           "O mercado realiza-se todos os sábados na praça principal.",
           "A escola recebeu novos computadores para os alunos do primeiro ano."],
}


@pytest.mark.parametrize("lang", sorted(ORDINARY))
def test_ordinary_writing_is_not_garbled_in_five_languages(stages, lang):
    from pipeline.stages import run_stages
    text = "\n\n".join(ORDINARY[lang]) + "\n"
    doc = run_stages(Document(f"ordinary-{lang}", "o.txt", "txt", text), stages)
    assert doc.lang == lang
    for seg in doc.segments:
        prose = {f.code for f in seg.flags if f.severity != "info"} & {
            "fragment", "comma-splice", "repetition", "truncated", "broken-structure", "untranslated", "stray-punct"}
        assert not seg.garbled and not prose, (seg.cleaned, prose)


# -- pinyin is never a word of the text's languages (issue 31) ----------------------------------

@pytest.mark.parametrize("text, lang, doc_lang", [
    ("The shop sells a coquetier and other small things for the kitchen.", "en", "en"),  # a French word
    ("Bears spend the autumn foraging in the forests near the village.", "en", "de"),  # English on a German page
    ("The new rules violate the agreement signed last year.", "en", "de"),
    ("Das war ein royaler Empfang für die Gäste aus dem Ausland.", "de", "de"),  # a form of "royal"
    ("Auf dem Markt werden erlesende Waren aus der Region verkauft.", "de", "de"),  # a form of "erlesen"
    ("Sie kamen wegen der hohen Mieten in die neue Siedlung.", "en", "de"),  # German read as English
    ("Abends singende Kinder zogen durch die Straßen der Stadt.", "de", "de"),
])
def test_a_word_of_the_text_languages_is_not_pinyin(text, lang, doc_lang):
    assert codes(surface.untranslated, text, lang=lang, doc_lang=doc_lang) == []


@pytest.mark.parametrize("text, lang, doc_lang", [
    ("Every household joined the hezuoshe and grew tea on the hills.", "en", "en"),
    ("Die Familien erhalten jetzt dibao und andere Hilfen vom Staat.", "de", "de"),
    ("The families moved in with help from the fupin office on the hill.", "en", "de"),
])
def test_pinyin_residue_is_still_found(text, lang, doc_lang):
    assert codes(surface.untranslated, text, lang=lang, doc_lang=doc_lang) == ["untranslated"]


def test_double_quotes_pair_up_by_their_count_whatever_their_shape():
    """Machine translation prints opening marks as closing ones: two quotations written
    with four closing marks still close; German „…“ closes; a lone mark does not."""
    wrong_shapes = [seg("He set out with the notices.\u201d", 0), seg("We will win, we work as one.\u201d", 1),
                    seg("Wang Fang said.", 2), seg("We must help.\u201d", 3), seg("I believe it.\u201d", 4)]
    surface.unbalanced(wrong_shapes, ctx())
    assert not any(s.flags for s in wrong_shapes)
    german = [seg("Er sagte: \u201eWir machen weiter\u201c und ging.", lang="de")]
    surface.unbalanced(german, ctx("de"))
    assert not german[0].flags
    lone = [seg("He said the \u201cplan was ready and left.", 0), seg("Nobody answered.", 1)]
    surface.unbalanced(lone, ctx())
    assert [f.code for f in lone[0].flags] == ["unbalanced"]
