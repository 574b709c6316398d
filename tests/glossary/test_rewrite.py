"""Glossary rewrites look at the words around them: they take in the preferred form's own
words, refuse where the match is part of a longer phrase, and never add a repeated word.

The property test embeds every variant of every shipped entry in contexts made of the
preferred form's own words, other entries' forms and ordinary sentence frames; the corpus
test runs every fixture and development page and checks that no stage's edit made a
repeated word or phrase the text did not have."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.config import Settings
from pipeline.document import Document, Segment
from pipeline.glossary import load_glossaries, shipped_glossaries
from pipeline.glossary.rewrite import Rewrite, plan_rewrite
from pipeline.text.repeats import new_repeats, repeated_pairs, repeats_added
from pipeline.stages import run_stages
from pipeline.formats.read import ReadFailure, discover, read_file
from pipeline.stages.terms import Terms

from ..conftest import FIXTURES, SHARED
from ..test_properties import digits


@pytest.fixture(scope="module")
def terms():
    return Terms(Settings())


def clean(terms: Terms, text: str) -> Segment:
    doc = Document("t", "t.txt", "txt", text, lang="en")
    doc.segments = [Segment(0, 0, len(text), "body", text, lang="en")]
    terms(doc)
    return doc.segments[0]


def variant_flag(seg: Segment) -> str:
    [flag] = [f for f in seg.flags if f.code == "term-variant"]
    return flag.message


# -- the repeat measure --------------------------------------------------------------------------

def test_repeated_pairs_counts_words_and_two_word_phrases():
    assert repeated_pairs("a moderately moderately prosperous society") == {"moderately": 1}
    assert repeated_pairs("out of poverty of poverty now") == {"of poverty": 1, "poverty": 1}
    assert repeated_pairs("The the well-off off") == {"the": 1, "off": 1}
    assert repeated_pairs("ex-situ poverty alleviation relocation") == {}


def test_a_long_word_twice_in_four_words_is_a_repeat():
    assert repeated_pairs("the village-based work team work this year") == {"work": 1}
    assert repeated_pairs("die Arbeit des Teams Arbeit") == {"arbeit": 1}
    # further apart, a term said again is parallel; short words recur close in good writing
    assert repeated_pairs("two resettlement sites and three resettlement sites") == {}
    assert repeated_pairs("the roads of the town and of the villages") == {}
    assert repeated_pairs("in 2019 and 2019") == {}  # a number is not a word said twice


def test_a_glossary_rewrite_that_would_repeat_a_word_nearby_is_not_made():
    before = "The county has finished the village-based work team stationed in the village work this year."
    after = before.replace(" stationed in the village", "")
    assert new_repeats(before, after) == ["work"]


def test_new_repeats_only_counts_what_was_added():
    assert new_repeats("had had a day", "had had a day") == []
    assert new_repeats("a moderately well-off", "a moderately moderately prosperous") == ["moderately"]


WORDS = st.sampled_from(["the", "The", "poverty", "alleviation", "relief", "of", "well-off", "off", "a", "a.m.",
                         "12,000", "don't", ",", ".", "\u201c", "  ", "\n"])


@settings(max_examples=600, deadline=None, derandomize=True, database=None)
@given(st.lists(WORDS, max_size=120).map(" ".join), st.lists(WORDS, max_size=4).map(" ".join),
       st.integers(0, 10_000), st.integers(0, 40))
def test_repeats_added_looks_only_near_the_change_and_agrees_with_the_whole_text(text, after, at, length):
    start = at % (len(text) + 1)
    end = min(len(text), start + length)
    whole = new_repeats(text, text[:start] + after + text[end:])
    assert repeats_added(text, start, end, after) == whole


# -- the shapes from the issue, and our own of the same shape -------------------------------------

@pytest.mark.parametrize("text, expected", [
    # the preferred form's first word stands before the match: taken in, not written twice
    ("We will build a moderately well-off society in an all-round way by 2020.",
     "We will build a moderately prosperous society in all respects by 2020."),
    ("Building a Moderately well-off society in an all-round way is the goal.",
     "Building a Moderately prosperous society in all respects is the goal."),
    # its last word stands after the match: taken in
    ("Work began on relocation for poverty alleviation relocation last spring.",
     "Work began on ex-situ poverty alleviation relocation last spring."),
    # a variant before a function word or punctuation gets its head noun
    ("Ex-situ poverty alleviation has changed the county.",
     "Ex-situ poverty alleviation relocation has changed the county."),
    ("The county finished ex situ poverty alleviation in 2019.",
     "The county finished ex-situ poverty alleviation relocation in 2019."),
    # a noun phrase that is no verb's object gets the participle
    ("The number of people out of poverty rose to 12,000.",
     "The number of people lifted out of poverty rose to 12,000."),
])
def test_rewrites_that_fit_their_context(terms, text, expected):
    seg = clean(terms, text)
    assert seg.cleaned == expected
    assert not new_repeats(text, seg.cleaned)


@pytest.mark.parametrize("text, why", [
    # part of a longer phrase: another entry's form follows
    ("Residents moved into the ex-situ poverty alleviation resettlement communities last year.",
     "part of the longer phrase"),
    ("They toured the ex situ poverty alleviation resettlement site in May.", "part of the longer phrase"),
    # the added head noun would run into the noun the variant modifies
    ("Every ex-situ poverty alleviation household received a grant.", "would run into"),
    ("The ex situ poverty alleviation funds were audited.", "would run into"),
    # a variant matched across a verb phrase: the verb already stands before it
    ("The county lifted 12,000 people out of poverty in 2019.", "already has"),
    ("Yunnan will lift 1 million people out of poverty this year.", "already has “lifted”"),
    ("The project helped tens of thousands of people out of poverty.", "object of the verb"),
    ("Tourism is helping people out of poverty.", "object of the verb"),
    ("Cooperatives bring more than 300 people out of poverty each year.", "object of the verb"),
])
def test_rewrites_that_do_not_fit_are_flagged_instead(terms, text, why):
    seg = clean(terms, text)
    assert seg.cleaned == text
    assert why in variant_flag(seg)


def test_a_rewrite_that_would_repeat_a_phrase_is_refused():
    # nothing but the repeat guard stops this one: the new words repeat the term before it
    text = "They studied poverty alleviation poverty relief methods."
    at = text.index("poverty relief")
    plan = plan_rewrite(text, at, at + len("poverty relief"), "poverty alleviation", False, [(13, 32)], "en")
    assert isinstance(plan, str) and "repeat" in plan
    assert isinstance(plan_rewrite("They studied poverty relief methods.", 13, 27, "poverty alleviation",
                                   False, [], "en"), Rewrite)


def test_refusals_are_stable_on_the_cleaned_text(terms):
    text = ("The county lifted 12,000 people out of poverty, and the ex-situ poverty alleviation "
            "resettlement communities grew; a moderately well-off society in an all-round way followed.")
    once = clean(terms, text)
    twice = clean(terms, once.cleaned)
    assert twice.cleaned == once.cleaned and not twice.edits


# -- property: every shipped variant in hostile contexts ------------------------------------------

def _shipped_en():
    entries = [e for g in load_glossaries(shipped_glossaries()) for e in g.entries if "en" in e.targets]
    variants = [(e, v) for e in entries if e.action == "replace" for v in e.targets["en"].variants]
    forms = [f for e in entries for _s, f in e.targets["en"].forms()]
    return entries, variants, forms


ENTRIES, VARIANTS, FORMS = _shipped_en()
FRAMES = [("", "."), ("The ", " was completed."), ("In 2019, ", " helped 1,200 households."),
          ("They lifted 3,000 people through ", " last year."), ("Work on ", " and more."),
          ("“", "” is the slogan."), ("Officials said ", ", and more.")]


@st.composite
def embedded_variant(draw):
    entry, variant = draw(st.sampled_from(VARIANTS))
    own = entry.targets["en"].preferred.replace("-", " ").split()
    def context():
        return draw(st.one_of(
            st.just(""),
            st.lists(st.sampled_from(own), min_size=1, max_size=3).map(" ".join),  # the preferred form's words
            st.sampled_from(FORMS),  # another entry's form, touching the variant
            st.sampled_from(["the", "of the", "new", "and", "2,300", "people", "lifted", "helping"]),
        ))
    left, right = context(), context()
    frame_left, frame_right = draw(st.sampled_from(FRAMES))
    inner = " ".join(p for p in (left, variant, right) if p)
    return f"{frame_left}{inner}{frame_right}".strip() or variant


@settings(max_examples=1500, deadline=None, derandomize=True, database=None)
@given(embedded_variant())
def test_no_rewrite_adds_a_repeat_changes_a_digit_or_is_undone(terms, text):
    seg = clean(terms, text)
    assert not new_repeats(text, seg.cleaned), (text, seg.cleaned)
    assert digits(seg.cleaned) == digits(text)
    again = clean(terms, seg.cleaned)
    assert again.cleaned == seg.cleaned and not again.edits, (seg.cleaned, again.cleaned)


def test_every_variant_in_every_kind_of_context(terms):
    """Not a sample: each shipped variant, with the preferred form's own first and last
    words beside it, another entry's form touching it, and in each sentence frame."""
    assert len(VARIANTS) > 200 and len({e.id for e, _v in VARIANTS}) > 50
    other = FORMS[0]
    tried = 0
    for entry, variant in VARIANTS:
        own = entry.targets["en"].preferred.replace("-", " ").split()
        contexts = [(own[0], ""), ("", own[-1]), (own[0], own[-1]), (other, ""), ("", other), ("lifted", "")]
        for (left, right), (frame_left, frame_right) in zip(contexts * 2, FRAMES * 2):
            text = f"{frame_left}{' '.join(p for p in (left, variant, right) if p)}{frame_right}".strip()
            seg = clean(terms, text)
            assert not new_repeats(text, seg.cleaned), (text, seg.cleaned)
            assert digits(seg.cleaned) == digits(text)
            again = clean(terms, seg.cleaned)
            assert again.cleaned == seg.cleaned and not again.edits, (seg.cleaned, again.cleaned)
            tried += 1
    assert tried == 12 * len(VARIANTS)


# -- corpus: no stage's edit adds a repeated word anywhere we have text ---------------------------

def _corpus_files():
    roots = [FIXTURES] + [p for p in (SHARED / "garble-dev" / "docs", SHARED / "corpus") if p.is_dir()]
    return discover(roots).files


def test_no_edit_of_any_stage_creates_a_repeat(stages):
    examined = 0
    for path in _corpus_files():
        for doc in read_file(path, path.stem):
            if isinstance(doc, ReadFailure):
                continue
            for seg in run_stages(doc, stages).segments:
                text = seg.original
                for stage in dict.fromkeys(e.stage for e in seg.edits):
                    mine = sorted((e for e in seg.edits if e.stage == stage), key=lambda e: e.start, reverse=True)
                    for e in mine:  # one at a time, right to left, so each is judged on its own
                        after = text[:e.start] + e.after + text[e.end:]
                        assert not new_repeats(text, after), (path.name, e)
                        text = after
                        examined += 1
    assert examined > 100
