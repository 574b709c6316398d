"""The terms stage: matching rules, edits, flags, and the acceptance checks on the sample."""

import json
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline.config import Settings
from pipeline.document import Document, Segment
from pipeline.text.edits import replay
from pipeline.glossary import load_glossary
from pipeline.glossary.compiled import compile_glossaries
from pipeline.glossary.matcher import GlossaryMatcher
from pipeline.glossary.rewrite import FUNCTION_WORDS, fit_case
from pipeline.stages import run_stages
from pipeline.stages.terms import Terms, has_form

from ..conftest import FIXTURES, SAMPLE
from ..test_properties import FAST, digits

GLOSSARY = """\
name: test
source_language: zh
entries:
  - id: relocation
    source: 易地扶贫搬迁
    en:
      preferred: ex-situ poverty alleviation relocation
      variants: [ex situ poverty alleviation and relocation, relocation for poverty alleviation,
                 poverty alleviation relocation]
  - id: site
    source: 安置点
    en:
      preferred: resettlement site
      variants: [placement point, relocation settlement]
  - id: plan
    source: 十三五
    en:
      preferred: 13th Five-Year Plan
      variants: [Thirteenth Five-Year Plan]
  - id: masses
    source: 群众
    en:
      preferred: the public
      discouraged: [{form: the masses, suggestion: residents}]
      forbidden: [{form: mass line, suggestion: "mass line (explain it)"}]
    action: flag
    inflect: false
  - id: org
    source: 基层党组织
    en:
      preferred: primary-level Party organization
      variants: [grassroots party organization]
    action: flag
  - id: ngo
    en:
      preferred: Poverty Alleviation Relocation Foundation
    action: keep
  - id: cpc
    en:
      preferred: CPC
    case_sensitive: true
  - id: human
    source: 人社局
    en:
      preferred: Human Resources and Social Security Bureau
      variants: [Bureau of Human Resources and Social Affairs]
"""


@pytest.fixture(scope="module")
def glossary(tmp_path_factory):
    path = tmp_path_factory.mktemp("g") / "test.yaml"
    path.write_text(GLOSSARY, encoding="utf-8")
    return load_glossary(path)


@pytest.fixture(scope="module")
def run(stages, glossary):
    pipeline = [Terms(Settings(), compile_glossaries([glossary])) if isinstance(s, Terms) else s for s in stages]

    def process(text, **kwargs):
        return run_stages(Document("t", "t.txt", "txt", text, **kwargs), pipeline)
    return process


def cleaned(doc):
    return " ".join(s.cleaned for s in doc.segments)


def codes(doc):
    return sorted(f.code for s in doc.segments for f in s.flags)


def test_variant_rewritten_with_an_edit_naming_the_entry(run):
    doc = run("The county finished ex situ poverty alleviation and relocation for 300 families last year.")
    seg = doc.segments[0]
    assert seg.cleaned == "The county finished ex-situ poverty alleviation relocation for 300 families last year."
    [edit] = [e for e in seg.edits if e.stage == "terms"]
    assert (edit.rule, edit.before, edit.after) == ("term:relocation", "ex situ poverty alleviation and relocation",
                                                   "ex-situ poverty alleviation relocation")
    assert [(t.entry, t.status) for t in seg.terms] == [("relocation", "preferred")]
    assert seg.cleaned[seg.terms[0].start:seg.terms[0].end] == "ex-situ poverty alleviation relocation"


@pytest.mark.parametrize("text, expected", [
    # sentence-initial capital kept
    ("Relocation for poverty alleviation began in spring this year.",
     "Ex-situ poverty alleviation relocation began in spring this year."),
    # hyphen/space variation of the preferred form itself
    ("They finished ex situ poverty alleviation relocation quickly this year.",
     "They finished ex-situ poverty alleviation relocation quickly this year."),
    # the number found is kept
    ("Two placement points and three relocation settlements were opened.",
     "Two resettlement sites and three resettlement sites were opened."),
    ("Each placement point has a clinic and a school nearby.", "Each resettlement site has a clinic and a school nearby."),
    # longest match wins: the long variant, not "poverty alleviation relocation" inside it;
    # the preferred form's last word standing after it is taken in, not written twice
    ("Work on relocation for poverty alleviation relocation sites went on.",
     "Work on ex-situ poverty alleviation relocation sites went on."),
    # a title keeps title case
    ("Report On Relocation For Poverty Alleviation", "Report On Ex-Situ Poverty Alleviation Relocation"),
    # whole words only
    ("The replacement pointer moved to the next placement pointers list.",
     "The replacement pointer moved to the next placement pointers list."),
    # capitals in the preferred form are required; extra ones in the text are tolerated
    ("The bureau of human resources and social affairs opened a window.",
     "The Human Resources and Social Security Bureau opened a window."),
])
def test_matching_rules(run, text, expected):
    assert cleaned(run(text)) == expected


def test_preferred_form_is_left_alone(run):
    for text in ["Ex-situ poverty alleviation relocation is finished in this county.",
                 "EX-SITU POVERTY ALLEVIATION RELOCATION IS FINISHED IN THIS COUNTY.",
                 "The Resettlement Sites Of The County are all finished now."]:
        doc = run(text)
        assert cleaned(doc) == text and not [e for s in doc.segments for e in s.edits if e.stage == "terms"]


def test_line_break_inside_a_term(glossary):
    matcher = GlossaryMatcher.for_target(glossary.entries, "en")
    [m] = matcher.find("They did relocation for\npoverty alleviation there.")
    assert (m.text, m.candidate.entry.id) == ("relocation for\npoverty alleviation", "relocation")
    stage = Terms(Settings(), compile_glossaries([glossary]))
    doc = Document("t", "t.txt", "txt", "x", lang="en")
    doc.segments = [Segment(0, 0, 1, "body", "They did relocation for\npoverty alleviation there.", lang="en",
                            lang_prob=1.0)]
    stage(doc)
    assert doc.segments[0].cleaned == "They did ex-situ poverty alleviation relocation there."


def test_numbers_urls_and_protected_names_are_never_rewritten(run):
    doc = run("During the Thirteenth Five-Year Plan period the Poverty Alleviation Relocation Foundation "
              "published http://example.gov.cn/poverty-alleviation-relocation.html for everyone.")
    seg = doc.segments[0]
    assert seg.cleaned == seg.original
    [flag] = seg.flags
    assert flag.code == "term-variant" and "would change a number" in flag.message
    assert seg.cleaned[flag.start:flag.end] == "Thirteenth Five-Year Plan"


def test_case_sensitive_entry(run):
    assert cleaned(run("The cpc in this sentence is a lower-case abbreviation of something.")).startswith("The cpc")


def test_discouraged_forbidden_and_flag_only_entries(run):
    doc = run("The masses followed the mass line, and grassroots party organizations led them.")
    seg = doc.segments[0]
    flags = {f.code: f for f in seg.flags}
    assert flags["term-discouraged"].severity == "warning" and "use residents" in flags["term-discouraged"].message
    assert seg.cleaned[flags["term-discouraged"].start:flags["term-discouraged"].end] == "The masses"
    assert flags["term-forbidden"].severity == "error" and "mass line (explain it)" in flags["term-forbidden"].message
    assert "primary-level Party organizations" in flags["term-variant"].message  # number kept
    assert "grassroots party organizations" in seg.cleaned  # action flag: not rewritten


def test_inconsistent_renderings_in_one_document(run):
    doc = run("Grassroots party organizations met.\n\nPrimary-level Party organizations also met in the towns.")
    inconsistent = [(s.index, f) for s in doc.segments for f in s.flags if f.code == "term-inconsistent"]
    assert len(inconsistent) == 2
    assert "in 2 ways" in inconsistent[0][1].message


def test_missing_term_from_source(run):
    missing = run("The county finished its relocation work for all the families.", source="全县易地扶贫搬迁全面完成。")
    assert codes(missing) == ["term-missing"]
    assert "易地扶贫搬迁" in missing.segments[0].flags[0].message
    present = run("The county finished ex situ poverty alleviation and relocation for all the families.",
                  source="全县易地扶贫搬迁全面完成。")
    assert codes(present) == []


def test_other_languages_and_boilerplate_are_untouched(run):
    doc = run("Home » Relocation for poverty alleviation\n\nLa relocation for poverty alleviation est une "
              "politique importante du gouvernement chinois depuis longtemps.")
    assert all(not s.edits or all(e.stage != "terms" for e in s.edits) for s in doc.segments)


def test_helpers():
    assert fit_case("Precise poverty alleviation", "targeted poverty alleviation") == "Targeted poverty alleviation"
    assert fit_case("HUMAN SOCIETY", "Human Resources Bureau") == "HUMAN RESOURCES BUREAU"
    assert has_form("Targeted Poverty Alleviation", "targeted poverty alleviation", False)
    assert not has_form("five-year plan", "Five-Year Plan", False)
    assert not has_form("Targeted", "targeted", True)


# -- acceptance on the sample ------------------------------------------------------------------

@pytest.fixture(scope="module")
def sample(process):
    return process(SAMPLE.read_text(encoding="utf-8"), "sample")


def test_sample_relocation_concept_reads_one_way(sample, stages):
    terms = next(s for s in stages if isinstance(s, Terms))
    entry = next(e for g in terms.glossaries for e in g.entries if e.id == "ex-situ-relocation")
    matcher = GlossaryMatcher.for_target([entry], "en")
    found = [(s, m) for s in sample.segments if s.kind != "boilerplate" for m in matcher.find(s.cleaned)]
    assert len(found) >= 7
    preferred = [m for _s, m in found if m.candidate.status == "preferred"]
    assert preferred
    assert all(m.text.lower() == "ex-situ poverty alleviation relocation" for m in preferred)
    # what is left as a variant is a modifier of another noun ("ex-situ poverty alleviation
    # resettlement houses"), where adding "relocation" would stack two heads: flagged, with why
    for seg, m in found:
        if m.candidate.status == "variant":
            [flag] = [f for f in seg.flags if f.code == "term-variant" and (f.start, f.end) == (m.start, m.end)]
            assert "not rewritten because" in flag.message
            following = re.match(r"[ -]+([a-z]+)", seg.cleaned[m.end:])
            assert following and following.group(1) not in FUNCTION_WORDS
    edits = [e for s in sample.segments for e in s.edits if e.stage == "terms"]
    assert all(e.rule.startswith("term:") for e in edits)
    assert sum(e.rule == "term:ex-situ-relocation" for e in edits) >= len(preferred) - 1


def test_sample_flags_the_masses_with_a_suggestion(sample):
    flags = [(s, f) for s in sample.segments for f in s.flags if f.code == "term-discouraged"]
    masses = [f for s, f in flags if s.cleaned[f.start:f.end].lower() == "the masses"]
    assert len(masses) >= 3
    assert all("residents" in f.message for f in masses)


def test_sample_edits_replay(sample):
    for seg in sample.segments:
        assert replay(seg.original, [e.__dict__ for e in seg.edits]) == seg.cleaned


def test_bilingual_fixture_gets_term_missing(tmp_path):
    from pipeline.run.batch import QUIET, run_batch
    run_batch([str(FIXTURES / "terms_bilingual.jsonl")], tmp_path, Settings(), progress=QUIET)
    records = [json.loads(line) for line in (tmp_path / "segments.jsonl").read_text(encoding="utf-8").splitlines()]
    by_doc = {r["doc"]: r for r in records if r["index"] == 0}
    assert [f["code"] for f in by_doc["term-missing"]["flags"]] == ["term-missing"]
    assert by_doc["term-present"]["flags"] == []


# -- properties --------------------------------------------------------------------------------

FORMS = ["ex situ poverty alleviation and relocation", "Relocation for poverty alleviation", "placement points",
         "the masses", "Thirteenth Five-Year Plan", "grassroots party organization", "CPC", "cpc",
         "Poverty Alleviation Relocation Foundation", "http://x.cn/placement-point", "resettlement site"]
FILLER = ["the", "county", "built", "300", "2019", "12.5%", "No. 3", "new", "homes", ",", ".", "and", "\n"]
texts = st.lists(st.sampled_from(FORMS + FILLER), min_size=1, max_size=30).map(" ".join)
plain = st.lists(st.sampled_from(FILLER + ["school", "road", "village", "families"]), min_size=1,
                 max_size=30).map(" ".join)


def only_terms(stage, text):
    doc = Document("p", "p.txt", "txt", text, lang="en")
    doc.segments = [Segment(0, 0, len(text), "body", text, lang="en", lang_prob=1.0)]
    return stage(doc).segments[0]


@pytest.fixture(scope="module")
def terms_stage(glossary):
    return Terms(Settings(), compile_glossaries([glossary]))


@FAST
@given(texts)
def test_applying_the_stage_twice_equals_once(terms_stage, text):
    once = only_terms(terms_stage, text)
    twice = only_terms(terms_stage, once.cleaned)
    assert twice.cleaned == once.cleaned and twice.edits == []
    assert replay(text, [e.__dict__ for e in once.edits]) == once.cleaned


@FAST
@given(texts)
def test_terms_never_change_digits(terms_stage, text):
    assert digits(only_terms(terms_stage, text).cleaned) == digits(text)


@FAST
@given(plain)
def test_text_without_glossary_terms_is_unchanged(terms_stage, text):
    seg = only_terms(terms_stage, text)
    assert seg.cleaned == text and seg.edits == [] and seg.flags == [] and seg.terms == []


# -- cost against glossary size ------------------------------------------------------------------

def test_the_stage_reads_each_segment_once_whatever_the_glossary_size(stages, monkeypatch):
    """One automaton pass per segment and language, however many entries: the work does
    not grow with the glossary (`python -m pipeline bench terms` times it)."""
    from pipeline.bench import synthetic_glossary
    from pipeline.glossary import load_glossaries, shipped_glossaries

    text = SAMPLE.read_text(encoding="utf-8")
    words = sorted({w.lower() for w in re.findall(r"[A-Za-z]{3,}", text)})
    real = [e for g in load_glossaries(shipped_glossaries()) for e in g.entries][:10]
    passes, found = {}, {}
    original_find = GlossaryMatcher.find

    def counted(self, *args, **kwargs):
        passes[size] += 1
        return original_find(self, *args, **kwargs)

    monkeypatch.setattr(GlossaryMatcher, "find", counted)
    keys = {}
    for size in (10, 10_000):
        passes[size] = 0
        terms = Terms(Settings(), compile_glossaries([synthetic_glossary(size, words, real)]))
        keys[size] = terms.matchers["en"].size
        pipeline = [terms if isinstance(s, Terms) else s for s in stages]
        doc = run_stages(Document("t", "t.txt", "txt", text), pipeline)
        found[size] = sum(len(s.terms) for s in doc.segments)
    assert keys[10_000] > 50 * keys[10]
    assert found[10_000] == found[10] > 0  # the synthetic entries never match the sample
    assert passes[10_000] == passes[10], passes


def test_one_entry_several_target_languages(stages, tmp_path):
    path = tmp_path / "multi.yaml"
    path.write_text("""name: multi
source_language: zh
entries:
  - id: relocation
    source: 易地扶贫搬迁
    en: {preferred: ex-situ poverty alleviation relocation, variants: [relocation for poverty alleviation]}
    fr: {preferred: relocalisation pour la lutte contre la pauvreté, variants: [déménagement de la pauvreté]}
""", encoding="utf-8")
    terms = Terms(Settings(), compile_glossaries([load_glossary(path)]))
    pipeline = [terms if isinstance(s, Terms) else s for s in stages]
    fr = run_stages(Document("f", "f.txt", "txt", "Le gouvernement a terminé le déménagement de la pauvreté "
                                                   "pour toutes les familles du district cette année."), pipeline)
    assert fr.lang == "fr" and "relocalisation pour la lutte contre la pauvreté" in fr.segments[0].cleaned
    # the French rendering is never applied to English text, nor the English one to French
    en = run_stages(Document("e", "e.txt", "txt", "The county finished the déménagement de la pauvreté and "
                                                   "the relocation for poverty alleviation this year."), pipeline)
    assert "déménagement de la pauvreté" in en.segments[0].cleaned
    assert "ex-situ poverty alleviation relocation" in en.segments[0].cleaned


def test_a_rewrite_that_would_repeat_a_word_within_four_words_is_left_for_review(process):
    text = "The county has finished the village-based work team stationed in the village work this year."
    [seg] = process(text).segments
    assert seg.cleaned == text  # not "... the village-based work team work this year."
    [variant] = [f for f in seg.flags if f.code == "term-variant"]
    assert "would repeat “work”" in variant.message
