"""The plain-text line model (pipeline/lines.py) and how the boilerplate stage uses it."""

import gzip
import json

import pytest
from hypothesis import given, settings, strategies as st

from pipeline.config import Settings, SettingsError
from pipeline.document import BOILERPLATE, Document
from pipeline.text.lines import FEATURES, WEIGHTS_FILE, LineModel, _distances, line_features
from pipeline.stages.boilerplate import Boilerplate

from ..conftest import SHARED

PARAGRAPH = "The county opened a new school for 600 children on Monday, the education bureau said in a statement."


def test_features_of_a_menu_line_and_of_a_paragraph():
    lines = ["Home", "Politics", "Sport", PARAGRAPH, "Share", "Imprint"]
    rows = line_features(lines)
    assert [set(r) for r in rows] == [set(FEATURES)] * len(lines)
    menu, paragraph, footer = rows[1], rows[3], rows[5]
    assert menu["sentence_end"] == 0.0 and paragraph["sentence_end"] == 1.0
    assert menu["neighbour_chrome"] == 2.0 and menu["above_article"] == 1.0
    assert footer["below_article"] == 1.0 and footer["navigation_share"] == 1.0
    assert paragraph["log_words"] > menu["log_words"]


def test_a_line_said_twice_or_cut_short_is_marked_so():
    rows = line_features(["Contact", PARAGRAPH[:40], PARAGRAPH, "Contact"])
    assert rows[0]["said_twice"] == rows[3]["said_twice"] == 1.0
    assert rows[1]["said_twice"] == 1.0  # the start of a later line
    assert rows[2]["said_twice"] == 0.0


def test_distances_to_the_nearest_marked_line():
    assert _distances([False, True, False, False, True]) == [1, 0, 1, 1, 0]
    assert _distances([False, False]) == [2, 2]  # none marked: the page's length


def test_the_shipped_weights_cover_every_feature():
    data = json.loads(WEIGHTS_FILE.read_text(encoding="utf-8"))
    assert set(data["weights"]) == set(FEATURES)
    model = LineModel.load()
    assert 0.0 < model.threshold < 1.0
    assert all(0.0 < p < 1.0 for p in model.probabilities(line_features(["Home", PARAGRAPH])))


def _kinds(text, **overrides):
    doc = Boilerplate(Settings(**overrides))(Document("d", "d.txt", "txt", text))
    return {text[b.start:b.end]: b.rule or b.kind for b in doc.blocks}


MENU_PAGE = ("Skip to content\nStartseite\nPolitik\nWirtschaft\nKultur\nSport\n"
             "Neue Schule im Tal eröffnet\n" + PARAGRAPH + "\n"
             "Two more schools are planned for next year in the villages up the valley, the bureau added.\n"
             "Teilen\nDrucken\nImpressum\nDatenschutz\n")


def test_menu_lines_next_to_chrome_go_and_the_headline_stays():
    kinds = _kinds(MENU_PAGE)
    assert kinds["Skip to content"] == "boilerplate:skip-link"
    for entry in ("Startseite", "Politik", "Wirtschaft", "Kultur", "Sport", "Datenschutz"):
        assert kinds[entry].startswith("boilerplate:"), entry
    assert kinds["Neue Schule im Tal eröffnet"] == "heading:short-line"  # right above the article
    assert kinds[PARAGRAPH] == "body"
    assert _kinds(MENU_PAGE, line_model=False)["Kultur"] != "boilerplate:line-shape"


def test_the_model_grows_from_chrome_only():
    # the same menu with nothing a pattern knows beside it: no anchor, so nothing is marked
    page = "Politik\nWirtschaft\nKultur\n" + PARAGRAPH + "\n"
    assert "boilerplate:line-shape" not in _kinds(page).values()


def test_no_article_text_no_line_model():
    assert "boilerplate:line-shape" not in _kinds("Skip to content\nHome\nNews\nSport\n").values()


def test_a_bad_weights_file_is_a_settings_error(tmp_path):
    bad = tmp_path / "w.json"
    bad.write_text("{not json", encoding="utf-8")
    with pytest.raises(SettingsError, match="line_weights"):
        Boilerplate(Settings(line_weights=str(bad)))
    with pytest.raises(SettingsError, match="line_weights"):
        Boilerplate(Settings(line_weights=str(tmp_path / "missing.json")))


_LINE = st.one_of(
    st.sampled_from(["Home", "Sport", "Share", "Contact us", "Skip to content", "Privacy policy | Contact us",
                     "Next: None", "2021-05-04 09:30", "By Wang Fang", "Photo", "Menu", "Weiterlesen"]),
    st.sampled_from([PARAGRAPH, "Most of the books were given by families who moved to the town from the hills.",
                     "Der Gemeinderat hat am Montag beschlossen, die alte Brücke über den Fluss zu erneuern.",
                     "It was not easy.", "River town opens its first public library"]),
    st.text(alphabet="abcdefgh ABC.,", min_size=1, max_size=30),
)


@settings(max_examples=150, deadline=None)
@given(st.lists(_LINE, min_size=1, max_size=14))
def test_the_page_without_its_chrome_keeps_every_line(lines):
    """What the stage keeps, read again as a page, is kept whole: no second pass marks more."""
    text = "\n".join(lines)
    doc = Boilerplate(Settings())(Document("d", "d.txt", "txt", text))
    kept = "\n".join(text[b.start:b.end] for b in doc.blocks if b.kind != BOILERPLATE)
    again = Boilerplate(Settings())(Document("d", "d.txt", "txt", kept))
    assert [b.kind for b in again.blocks if b.kind == BOILERPLATE] == []


@pytest.mark.skipif(not (SHARED / "extraction-dev" / "snippets.json").exists(), reason="../shared/extraction-dev not present")
def test_a_fifth_of_the_extraction_pages_as_plain_text(tmp_path):
    """The extraction pages copied as plain text (`lines_fit.page_lines`): every fifth page,
    scored as `score.py` does. The line model was fitted on these pages among others, so
    this floor guards against losing ground; the held-out figures are in docs/chrome.md."""
    from pipeline.run.batch import QUIET, run_batch
    from pipeline.run.executors import ProcessPool
    from pipeline.evaluation.lines_fit import page_lines
    from ..stages.test_extraction import _norm
    folder = SHARED / "extraction-dev"
    snippets = json.loads((folder / "snippets.json").read_text(encoding="utf-8"))
    pages = tmp_path / "pages"
    pages.mkdir()
    names = sorted(snippets)[::5]
    for name in names:
        text = "\n".join(page_lines(gzip.decompress((folder / "html" / f"{name}.gz").read_bytes())))
        (pages / f"{name[:-5]}.txt").write_text(text + "\n", encoding="utf-8")
    out = tmp_path / "out"
    run_batch([str(pages)], out, Settings(), progress=QUIET, executor=ProcessPool(2), reports=False, cache=False)
    tp = fp = fn = 0
    for name in names:
        text = _norm((out / "cleaned" / f"{name[:-5]}.txt").read_text(encoding="utf-8"))
        found = sum(_norm(s) in text for s in snippets[name]["with"])
        tp, fn = tp + found, fn + len(snippets[name]["with"]) - found
        fp += sum(_norm(s) in text for s in snippets[name]["without"])
    precision, recall = tp / (tp + fp), tp / (tp + fn)
    f1 = 2 * precision * recall / (precision + recall)
    assert precision >= PRECISION and recall >= RECALL and f1 >= F1, (precision, recall, f1)


# measured on this fifth: precision 0.777, recall 0.867, F1 0.820 (issue 32; before it 0.751 / 0.884 / 0.812)
PRECISION, RECALL, F1 = 0.77, 0.86, 0.81


def test_the_fitting_script_names_sites_and_kinds():
    from pipeline.evaluation.lines_fit import garble_site, kind_of
    assert garble_site("mt3_qihe_01") == garble_site("mt_qihe_02") == "qihe"
    assert garble_site("pro_people_01") == garble_site("fr_people_01") == "people"
    assert garble_site("mt3de_xiadang_01") == "xiadang"
    assert kind_of("timestamp and hit counter", "") == "metadata and datelines"
    assert kind_of("photo credit", "") == "bylines and credits"
    assert kind_of("", "Your current location: Home > News") == "navigation, related links, series"


def test_the_fitting_script_scores_a_page_as_evaluate_does():
    """A chrome item is found when every block over it is chrome; an article item is lost
    when any is."""
    from pipeline.evaluation.lines_fit import Item, Page, judge
    text = "Skip to content\nRiver town opens its library\n" + PARAGRAPH + "\nShare on Telegram\n"
    at = text.index
    page = Page("test", "p", "site", text, [
        Item(0, len("Skip to content"), True, "widgets"),
        Item(at(PARAGRAPH), at(PARAGRAPH) + len(PARAGRAPH), False),
        Item(at("Share on"), len(text) - 1, True, "widgets"),
        Item(0, at(PARAGRAPH) + 10, True, "widgets")])  # over a chrome line and an article line
    assert judge(page, None) == [True, False, True, False]


def test_snippet_scores_count_as_the_evaluation_set_does():
    from pipeline.bench import snippet_scores
    gold = {"a.html": {"with": ["The river", "rose"], "without": ["Share"]}, "b.html": {"with": ["x"], "without": []}}
    scores = snippet_scores({"a.html": "the  RIVER rose.\nShare"}, gold)  # b.html not run: left out
    assert scores["precision"] == 2 / 3 and scores["recall"] == 1.0


_NORMAL_LINE = st.lists(st.sampled_from(["old", "town", "ferry", "news", "site", "keeps", "its"]), min_size=1,
                        max_size=8).map(" ".join)


@settings(max_examples=200, deadline=None)
@given(st.lists(_NORMAL_LINE, min_size=1, max_size=8))
def test_the_title_index_finds_what_a_plain_search_finds(lines):
    """`ends_with_another` joins only tails that start with a title's first word; the
    plain form joins every tail."""
    from pipeline.text.lines import HOLDS_LINE_WORDS, ends_with_another, titles_by_first_word
    index = titles_by_first_word(lines)
    plain = {line for line in lines if len(line.split()) >= 3}
    for line in lines:
        words = line.split()
        expected = len(words) <= HOLDS_LINE_WORDS and any(" ".join(words[k:]) in plain for k in range(1, len(words) - 2))
        assert ends_with_another(line, index) is expected
