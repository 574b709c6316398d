import pytest

from pipeline.config import Settings
from pipeline.document import BODY, BOILERPLATE, HEADING, Document
from pipeline.stages.boilerplate import Boilerplate, classify, looks_like_heading


@pytest.mark.parametrize("line,rule", [
    ("Your current location: Home » News Center » Tongren News", "breadcrumb"),
    ("Home >>National", "breadcrumb"),
    ("Font: Small Medium Large Clicks: Print this pageClose this page", "widget"),
    ("share to", "widget"),
    ("Leave a Reply", "widget"),
    ("Your email address will not be published.", "widget"),
    ("Previous: No", "previous-next"),
    ("Next: None", "previous-next"),
    ("Source:China Daily Published:2018-08-22 09:36", "byline"),
    ("(author: Su Jianping Zhang Yongzhi)", "byline"),
    ("Guangzhou Daily all media reporters Wu Wei, Zhang Dan, Li Bo", "byline"),
    ("Index: 000014349 / 2019-2207966", "byline"),
    ("(Photo / Xinhua)", "byline"),
    ("[Chen Yalin/For China Daily]", "byline"),
    ("Dernière mise à jour à 10h11 le 25/12", "byline"),
    ("Tongren City Government Website", "site-name"),
    ("Copyright © 2020 Example County. All rights reserved.", "footer"),
    ("![]() | ![]() |", "no-text"),
])
def test_chrome_lines_are_classified(line, rule):
    assert classify(line) == rule


@pytest.mark.parametrize("line", [
    "This is a profound change taking place in the Wuling Mountains.",
    "The community has convenient transportation, the grandchildren are close to school.",
    "Click the button to print this page and close the window after printing, then return to the site.",
    "Next year, the county will build 6 more schools.",
    "Reporters from the county newspaper visited the resettlement site in May.",
])
def test_article_sentences_are_not_chrome(line):
    assert classify(line) is None


def test_headings_are_short_unpunctuated_lines():
    assert looks_like_heading("Cut off the poor roots and live in a good house")
    assert not looks_like_heading("They have basically no skills.")
    assert not looks_like_heading("the lower-case start of a wrapped line")


def test_related_list_runs_until_the_article_resumes():
    text = ("Body sentence one. Body sentence two.\n\nRelated Information\n\n"
            "  • First linked story2019-12-30\n  • Second linked story\nShort title without bullet\n")
    doc = Boilerplate(Settings())(Document("d", "d.txt", "txt", text))
    kinds = [(text[b.start:b.end], b.kind, b.rule) for b in doc.blocks]
    assert kinds[0][1] == BODY
    assert all(kind == BOILERPLATE and rule == "boilerplate:related-list" for _, kind, rule in kinds[1:])


def test_blocks_are_trimmed_lines_and_a_single_line_is_body():
    doc = Boilerplate(Settings())(Document("d", "d.txt", "txt", "  one line without a stop  \n"))
    assert [(b.start, b.end, b.kind) for b in doc.blocks] == [(2, 25, BODY)]


def test_boilerplate_can_be_switched_off():
    doc = Boilerplate(Settings(boilerplate=False))(Document("d", "d.txt", "txt", "Previous: No\n\nA sentence here."))
    assert [b.kind for b in doc.blocks] == [HEADING, BODY]


# -- long paragraphs skip the rules: only when no rule could apply -----------------------

from hypothesis import given, settings, strategies as st  # noqa: E402

from pipeline.stages.boilerplate import MOST_WORDS, _fewest_words, canonical  # noqa: E402

PIECES = st.sampled_from(["word", "pageClose", "Home", "»", " ", "  ", "\t", "\n", ",", ".", ";", "!", "é", "2019"])


@settings(max_examples=300, deadline=None, derandomize=True, database=None)
@given(st.lists(PIECES, max_size=80).map("".join))
def test_fewest_words_is_a_lower_bound(text):
    assert _fewest_words(text) <= len(canonical(text).split())


def test_only_a_paragraph_too_long_for_every_rule_skips_them():
    paragraph = " ".join(["The county built new houses , schools and clinics ."] * 5)
    assert _fewest_words(paragraph) > MOST_WORDS and classify(paragraph) is None
    assert classify("Copyright © 2020 Tongren Municipal People's Government , all rights reserved .") == "footer"
