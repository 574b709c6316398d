"""Lines a site repeats on every page of a batch (pipeline/recurring.py)."""

import json

from pipeline.run.batch import QUIET, run_batch
from pipeline.config import Settings
from pipeline.document import Document
from pipeline.run.recurring import RecurringLines, short_lines

MENU = "Valley County Online\nNews | Services | Tourism\nFerry timetable: winter service\n"
FOOTER = "Valley County Media Centre\nHotline 0123 456789\n"
ARTICLES = [
    ("Bridge reopens\n", "The old bridge over the river reopened on Monday after two years of repairs, the county said.\n"),
    ("New school\n", "A new school for 600 children opened in the north of the county, the education bureau said.\n"),
    ("Tea harvest\n", "Farmers in the hills began picking the spring tea a week earlier than last year, growers said.\n"),
    ("Market day\n", "The weekly market moved to the new square, where 200 stalls now have a roof over them.\n"),
]


def _page(i: int) -> str:
    title, body = ARTICLES[i]
    return MENU + title + body + FOOTER


def test_only_short_lines_are_counted_and_only_in_three_pages_they_recur():
    assert short_lines(_page(0)) >= {"valley county online", "hotline 0123 456789"}
    assert not any("bridge over the river" in line for line in short_lines(_page(0)))  # a paragraph
    assert short_lines("It was not easy.\nHome\n") == {"home"}  # a short sentence is not furniture
    docs = [Document(f"p{i}", f"p{i}.txt", "txt", _page(i)) for i in range(3)]
    assert "news services tourism" in RecurringLines.count(docs).of(docs[0])
    assert RecurringLines.count(docs[:2]).of(docs[0]) == frozenset()  # two pages are not a site


def _pages(tmp_path, n):
    pages = tmp_path / "pages"
    pages.mkdir()
    for i in range(n):
        (pages / f"p{i}.txt").write_text(_page(i), encoding="utf-8")
    return pages


def _kinds(out, doc_id):
    return {r["original"]: r["kind_rule"] or r["kind"] for r in map(json.loads, (out / "segments.jsonl").open())
            if r["doc"] == doc_id}


def test_a_batch_of_one_sites_pages_loses_the_sites_chrome(tmp_path):
    pages = _pages(tmp_path, 4)
    out = tmp_path / "out"
    run_batch([str(pages)], out, Settings(), progress=QUIET, reports=False)
    kinds = _kinds(out, "p0")
    for line in ("Valley County Online", "News | Services | Tourism", "Hotline 0123 456789",
                 "Valley County Media Centre"):
        assert kinds[line].startswith("boilerplate:"), line
    assert kinds["Ferry timetable: winter service"] == "boilerplate:recurring-line"
    assert kinds["Bridge reopens"] == "heading:short-line"
    cleaned = (out / "cleaned" / "p0.txt").read_text(encoding="utf-8")
    assert "Ferry timetable" not in cleaned and "The old bridge" in cleaned
    # the cleaned pages, run again as a batch, come out as they went in
    again = tmp_path / "again"
    run_batch([str(out / "cleaned")], again, Settings(), progress=QUIET, reports=False)
    assert (again / "cleaned" / "p0.txt").read_text(encoding="utf-8") == cleaned


def test_the_cache_sees_a_change_in_the_rest_of_the_batch(tmp_path):
    pages = _pages(tmp_path, 3)
    out = tmp_path / "out"
    run_batch([str(pages)], out, Settings(), progress=QUIET, reports=False)
    assert _kinds(out, "p0")["Ferry timetable: winter service"] == "boilerplate:recurring-line"
    (pages / "p2.txt").unlink()  # p0 itself is unchanged, but its weather line recurs no more
    run_batch([str(pages)], out, Settings(), progress=QUIET, reports=False)
    assert _kinds(out, "p0")["Ferry timetable: winter service"] != "boilerplate:recurring-line"


def test_boilerplate_off_counts_nothing(tmp_path):
    pages = _pages(tmp_path, 3)
    out = tmp_path / "out"
    run_batch([str(pages)], out, Settings(boilerplate=False), progress=QUIET, reports=False)
    assert "boilerplate:recurring-line" not in _kinds(out, "p0").values()


def test_the_setting_turns_the_count_off(tmp_path):
    pages = _pages(tmp_path, 3)
    out = tmp_path / "out"
    run_batch([str(pages)], out, Settings(recurring_lines=False), progress=QUIET, reports=False)
    assert "boilerplate:recurring-line" not in _kinds(out, "p0").values()
