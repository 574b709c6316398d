"""Reviewer decisions do what the button says: one change at one place, one flag, and a
re-run that says which decisions it applied and which no longer match."""

from __future__ import annotations

import json

import pytest

from pipeline.run.batch import QUIET, run_batch
from pipeline.config import Settings, SettingsError, load_settings
from pipeline.decisions import load_decisions
from pipeline.document import Document, segment_key
from pipeline.stages import build_stages, run_stages

from ..conftest import SAMPLE
from ..test_cli import run as cli


def decisions_file(tmp_path, *items, name="decisions.json"):
    path = tmp_path / name
    path.write_text(json.dumps({"version": 2, "decisions": list(items)}), encoding="utf-8")
    return path


def process(text, decisions=None):
    stages = build_stages(Settings(decisions=str(decisions) if decisions else None))
    return run_stages(Document("t", "t.txt", "txt", text + "\n"), stages)


def edit_decision(seg, edit):
    return {"segment": segment_key(seg.original), "action": "reject-edit", "stage": edit.stage, "rule": edit.rule,
            "before": edit.before, "after": edit.after, "start": edit.start, "end": edit.end}


def flag_decision(seg, flag):
    return {"segment": segment_key(seg.original), "action": "dismiss-flag", "code": flag.code,
            "start": flag.start, "end": flag.end}


QUOTED = "The farmer said \u201clife is good now\u201d and smiled at the visitors."


def test_a_rejected_change_stays_rejected_whichever_rule_would_make_it(tmp_path):
    [seg] = process(QUOTED).segments
    quotes = next(e for e in seg.edits if e.rule == "quote-pairs")
    assert (quotes.before, quotes.after) == ("\u201clife is good now\u201d", '"life is good now"')
    path = decisions_file(tmp_path, edit_decision(seg, quotes))
    doc = process(QUOTED, path)
    [again] = doc.segments
    # no rule of the stage changed either mark: the two marks of a pair are one decision
    assert again.cleaned == QUOTED and again.edits == []
    assert [d.number for _i, d in doc.decisions_applied] == [1]


def test_rejecting_the_edit_of_one_pair_keeps_the_others(tmp_path):
    text = "The farmer said \u201cyes\u201d and his wife said \u201cno\u201d to the visitors."
    [seg] = process(text).segments
    first, second = [e for e in seg.edits if e.rule == "quote-pairs"]
    [again] = process(text, decisions_file(tmp_path, edit_decision(seg, first))).segments
    assert again.cleaned == 'The farmer said \u201cyes\u201d and his wife said "no" to the visitors.'


def test_a_version_1_rejection_still_names_a_whole_rule(tmp_path):
    [seg] = process(QUOTED).segments
    path = decisions_file(tmp_path, {"segment": segment_key(seg.original), "action": "reject-edit",
                                     "rule": "quote-pairs"})
    assert any(e.rule == "quote-pairs" for e in seg.edits)
    [again] = process(QUOTED, path).segments
    assert all("quote-pairs" not in e.rule for e in again.edits)


def test_dismissing_one_of_two_flags_of_a_code_keeps_the_other(tmp_path):
    text = "Residents residents moved in, and jobs jobs followed for all of them."
    [seg] = process(text).segments
    first, second = [f for f in seg.flags if f.code == "repetition"]
    [again] = process(text, decisions_file(tmp_path, flag_decision(seg, first))).segments
    assert [(f.code, f.start, f.end) for f in again.flags if f.code == "repetition"] == [
        ("repetition", second.start, second.end)]


VARIANTS = ("Precise poverty alleviation is the policy. The county keeps precise poverty alleviation going.\n\n"
            "Officials praised targeted poverty alleviation. Precision poverty alleviation reached every village.")


def test_rejecting_a_term_rewrite_accepts_that_form_there(tmp_path):
    doc = process(VARIANTS)
    inconsistent = sum(f.code == "term-inconsistent" for s in doc.segments for f in s.flags)
    seg = next(s for s in doc.segments if s.original.startswith("The county keeps"))
    [rewrite] = [e for e in seg.edits if e.stage == "terms"]
    again = process(VARIANTS, decisions_file(tmp_path, edit_decision(seg, rewrite)))
    mine = next(s for s in again.segments if s.original.startswith("The county keeps"))
    assert "precise poverty alleviation" in mine.cleaned and not [e for e in mine.edits if e.stage == "terms"]
    assert not [f for f in mine.flags if f.code.startswith("term-")]  # accepted: no variant, no inconsistency
    after = sum(f.code == "term-inconsistent" for s in again.segments for f in s.flags)
    assert after <= inconsistent  # one rejection never floods the document with flags
    others = [s for s in again.segments if s is not mine]
    assert sum(e.stage == "terms" for s in others for e in s.edits) == 2  # the other variants still rewritten


def test_a_rerun_counts_applied_decisions_and_lists_stale_ones(tmp_path):
    source = tmp_path / "article.txt"
    source.write_text(QUOTED + "\n", encoding="utf-8")
    [seg] = process(QUOTED).segments
    opening = next(e for e in seg.edits if e.rule == "quote-pairs")
    moved = dict(edit_decision(seg, opening), start=3, end=4 + len(opening.before))  # the text there differs
    gone = {"segment": segment_key("A sentence that is no longer in the article."), "action": "dismiss-flag",
            "code": "fragment"}
    path = decisions_file(tmp_path, edit_decision(seg, opening), moved, gone)
    proc = cli("run", source, "--out", tmp_path / "out", "--decisions", path, "--no-report")
    assert proc.returncode == 0
    assert "reviewer decisions: 1 of 3 applied; 2 no longer match" in proc.stderr
    assert "decision 2: reject-edit quote-pairs" in proc.stderr and "decision 3: dismiss-flag fragment" in proc.stderr
    summary = json.loads((tmp_path / "out" / "summary.json").read_text(encoding="utf-8"))
    assert summary["decisions"]["applied"] == 1 and [d["number"] for d in summary["decisions"]["stale"]] == [2, 3]
    assert summary["documents"][0]["decisions_applied"] == [1]
    # a re-run that reuses the cached document still counts its decisions
    again = cli("run", source, "--out", tmp_path / "out", "--decisions", path, "--no-report")
    assert "unchanged since the last run" in again.stderr and "1 of 3 applied" in again.stderr


def test_the_page_shows_what_was_applied(tmp_path):
    [seg] = process(QUOTED).segments
    opening = next(e for e in seg.edits if e.rule == "quote-pairs")
    source = tmp_path / "article.txt"
    source.write_text(QUOTED + "\n", encoding="utf-8")
    path = decisions_file(tmp_path, edit_decision(seg, opening))
    run_batch([str(source)], tmp_path / "out", load_settings(decisions=str(path)), progress=QUIET)
    page = (tmp_path / "out" / "docs" / "article.html").read_text(encoding="utf-8")
    assert "Reviewer decision applied: decision 1: reject-edit quote-pairs" in page
    assert 'class="undo"' in page and "data-carried=" in page
    index = (tmp_path / "out" / "index.html").read_text(encoding="utf-8")
    assert "Reviewer decisions" in index and "1 of 1 applied." in index


@pytest.mark.parametrize("item, problem", [
    ({"segment": "k", "action": "reject-edit"}, "needs its 'rule'"),
    ({"segment": "k", "action": "dismiss-flag"}, "needs its 'code'"),
    ({"segment": "k", "action": "dismiss-flag", "code": "x", "start": "3"}, "'start' must be a whole number"),
    ({"segment": "k", "action": "undo"}, "needs 'segment' and 'action'"),
])
def test_bad_decisions_are_named(tmp_path, item, problem):
    with pytest.raises(SettingsError, match=problem):
        load_decisions(decisions_file(tmp_path, item))


def test_a_dismissed_verdict_keeps_the_score_and_clears_garbled(tmp_path):
    out = tmp_path / "first"
    run_batch([str(SAMPLE)], out, Settings(), progress=QUIET)
    records = [json.loads(line) for line in (out / "segments.jsonl").read_text(encoding="utf-8").splitlines()]
    garbled = [r for r in records if r["garbled"]]
    target = garbled[0]
    path = tmp_path / "decisions.json"
    path.write_text(json.dumps({"version": 2, "decisions": [
        {"segment": target["key"], "action": "dismiss-verdict"}]}), encoding="utf-8")
    again = tmp_path / "again"
    run_batch([str(SAMPLE)], again, load_settings(decisions=str(path)), progress=QUIET)
    after = {r["index"]: r for r in (json.loads(line) for line in
                                     (again / "segments.jsonl").read_text(encoding="utf-8").splitlines())}
    assert after[target["index"]]["garbled"] is False
    assert after[target["index"]]["garble_score"] == target["garble_score"]
    assert [r["index"] for r in after.values() if r["garbled"]] == [r["index"] for r in garbled[1:]]
    summary = json.loads((again / "summary.json").read_text(encoding="utf-8"))
    assert summary["decisions"]["applied"] == 1
    page = (again / "docs" / f"{target['doc']}.html").read_text(encoding="utf-8")
    assert "dismiss-verdict (not garbled)" in page and "threshold" in page


# -- post-edits are applied by a run, and judged (issue 31) ------------------------------------

def test_a_run_puts_a_post_edit_in_and_judges_it(tmp_path):
    text = "One party cannot support one party with soil and water."
    [seg] = process(text).segments
    assert seg.garbled
    mine = "The land here cannot feed its people."
    path = decisions_file(tmp_path, {"segment": segment_key(seg.original), "action": "post-edit", "text": mine})
    doc = process(text, path)
    [again] = doc.segments
    assert again.cleaned == mine and again.edits[-1].rule == "post-edit"
    assert not again.garbled and not again.flags  # judged anew: the calque and the repetition are gone
    assert [d.action for _i, d in doc.decisions_applied] == ["post-edit"]
    # the post-edit is checked as any sentence is: a repeated word of the reviewer's is flagged
    path = decisions_file(tmp_path, {"segment": segment_key(seg.original), "action": "post-edit",
                                     "text": "The land here cannot feed feed its people."})
    assert "repetition" in [f.code for f in process(text, path).segments[0].flags]


def test_a_post_edit_needs_its_text(tmp_path):
    path = decisions_file(tmp_path, {"segment": "k", "action": "post-edit"})
    with pytest.raises(SettingsError, match="a post-edit needs its 'text'"):
        load_decisions(path)


def test_taking_a_rejected_edit_out_gives_what_a_run_with_the_rejection_gives(tmp_path):
    """`review --export` takes rejected edits out of the cleaned text (`replay_without`);
    a run with the decision must come to the same sentence, or the export says it cannot."""
    from pipeline.text.edits import replay_without
    from ..conftest import FIXTURES
    text = "\n\n".join((FIXTURES / name).read_text(encoding="utf-8") for name in ("punctuation_mt.txt", "terms_mt.txt"))
    stages = build_stages(Settings(parser="none", spelling=False))
    base = run_stages(Document("t", "t.txt", "txt", text), stages)
    compared = 0
    for seg in base.segments:
        for n, edit in enumerate(seg.edits):
            path = decisions_file(tmp_path, edit_decision(seg, edit), name=f"d{seg.index}-{n}.json")
            rerun = run_stages(Document("t", "t.txt", "txt", text),
                               build_stages(Settings(parser="none", spelling=False, decisions=str(path))))
            taken_out = replay_without(seg.original, seg.edits, [edit])
            if taken_out is not None:
                assert taken_out == rerun.segments[seg.index].cleaned, (edit.rule, edit.before)
                compared += 1
    assert compared >= 15
