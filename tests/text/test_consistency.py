"""inconsistent-translation: one source translated several ways, one translation of several sources."""

import json

from pipeline.run.batch import QUIET, run_batch
from pipeline.checks.consistency import inconsistent_translation
from pipeline.checks.context import Context
from pipeline.config import Settings
from pipeline.text.variants import batch_groups, inconsistent_groups
from pipeline.document import Document, Segment

from ..conftest import FIXTURES


def _segments(pairs, kind="body"):
    return [Segment(i, 0, len(t), kind, t, lang="en", lang_prob=1.0, source=s) for i, (s, t) in enumerate(pairs)]


def test_groups_of_sources_and_of_targets_most_frequent_first():
    pairs = [("通知公告", "Notice", 1), ("通知公告", "Notices", 2), ("通知公告", "Notice ", 3),
             ("特此通知。", "Hereby notified.", 4), ("特此公告。", "Hereby  notified.", 5), ("标题", "Title", 6)]
    groups = inconsistent_groups(pairs)
    assert [(g.kind, g.text, [(v.text, v.places) for v in g.variants]) for g in groups] == [
        ("source", "通知公告", [("Notice", [1, 3]), ("Notices", [2])]),
        ("target", "Hereby notified.", [("特此通知。", [4]), ("特此公告。", [5])])]


def test_numbers_and_empty_sides_are_no_group():
    pairs = [("2019", "2019", 1), ("2019", "two thousand nineteen", 2), ("—", "-", 3), ("—", "--", 4),
             ("通知", "", 5), ("通知", "Notice", 6)]
    assert inconsistent_groups(pairs) == []


def test_the_check_flags_every_segment_of_a_group_and_suggests_the_majority():
    segs = _segments([("通知公告", "Notice and Announcement"), ("通知公告", "Notices and Announcements"),
                      ("通知公告", "Notice and Announcement"), ("现将通知如下。", "It is notified as follows."),
                      ("现将通知如下。", "The following is notified."), ("特此通知。", "Hereby notified."),
                      ("特此公告。", "Hereby notified."), ("铜仁市", "Tongren City")])
    segs.append(Segment(8, 0, 4, "boilerplate", "Menu", source="通知公告"))
    inconsistent_translation(segs, Context(Document("t", "t.tsv", "tsv", ""), "en", "zh"))
    flagged = [[(f.code, f.suggestion) for f in s.flags] for s in segs]
    assert flagged == [[("inconsistent-translation", None)],
                       [("inconsistent-translation", "Notice and Announcement")],
                       [("inconsistent-translation", None)],
                       [("inconsistent-translation", None)], [("inconsistent-translation", None)],  # a tie: no pick
                       [("inconsistent-translation", None)], [("inconsistent-translation", None)],
                       [], []]
    assert "translated 2 ways in this document: “Notice and Announcement” (2×); “Notices and Announcements” (1×)" \
        in segs[0].flags[0].message
    assert "stands for 2 different sources" in segs[5].flags[0].message


def test_the_batch_lists_every_group_once_with_its_documents(tmp_path):
    out = tmp_path / "out"
    inputs = [str(FIXTURES / "bilingual" / "repeats-a.zh-en.tsv"), str(FIXTURES / "bilingual" / "repeats-b.zh-en.tsv")]
    run_batch(inputs, out, Settings(), progress=QUIET)
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    groups = {(g["kind"], g["text"]): g for g in summary["inconsistent_translations"]}
    assert groups == {(g["kind"], g["text"]): g for g in batch_groups(out / "segments.jsonl")}
    notice = groups[("source", "通知公告")]
    assert notice["documents"] == 2 and [(v["text"], v["count"]) for v in notice["variants"]] == [
        ("Notice and Announcement", 2), ("Notices and Announcements", 1), ("Announcements", 1)]
    assert notice["variants"][2]["places"] == [{"doc": "repeats-b.zh-en", "index": 0}]
    # across documents only: no flag in either document, a group on the index
    office = groups[("source", "铜仁市人民政府办公室")]
    assert office["documents"] == 2
    records = [json.loads(line) for line in (out / "segments.jsonl").read_text(encoding="utf-8").splitlines()]
    assert not any(f["code"] == "inconsistent-translation" for r in records if r["source"] == "铜仁市人民政府办公室"
                   for f in r["flags"])
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "Inconsistent translations (4)" in index and "Tongren Municipal Government Office" in index
    assert 'href="docs/repeats-b.zh-en.html#s0"' in index
