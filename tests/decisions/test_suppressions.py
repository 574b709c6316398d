"""Lasting suppressions: a finding silenced wherever it recurs, until its sentence changes;
a whole check silenced in one entry; the file's errors name the file and the entry."""

import json
import subprocess
import sys

import pytest

from pipeline.config import Settings, SettingsError
from pipeline.decisions.suppressions import (Suppressions, finding, load_suppressions, normal, whole_check)
from pipeline.document import Document
from pipeline.stages import build_stages, run_stages

from ..conftest import FIXTURES, ROOT

SAMPLE = FIXTURES / "punctuation_mt.txt"


def test_a_finding_is_its_code_text_and_sentence_compared_loosely():
    entries = Suppressions([finding("fragment", "The county", "The county  families moved.", "li", "a list")])
    assert entries.silencing("fragment", "the COUNTY", "The county families moved.", "en") == 1
    assert entries.silencing("fragment", "The county", "The county families moved away.", "en") is None
    assert entries.silencing("repetition", "The county", "The county families moved.", "en") is None
    assert normal("Caf\u0065\u0301  Bar ") == "café bar"


def test_a_whole_check_is_silenced_in_every_language_or_one():
    entries = Suppressions([whole_check("too-long", "li", "house style"), whole_check("fragment", "li", "x", "fr")])
    assert entries.silencing("too-long", "a", "b", "de") == 1
    assert entries.silencing("fragment", "a", "b", "fr") == 2 and entries.silencing("fragment", "a", "b", "en") is None


def test_the_file_is_written_whole_and_read_back_and_entries_come_and_go(tmp_path):
    path = tmp_path / "suppressions.json"
    entries = load_suppressions(path, missing_ok=True)
    entries = entries.added(whole_check("too-long", "li", "house style", when="2026-12-05T10:00:00+00:00"))
    entries = entries.added(whole_check("too-long", "li", "again"))  # the same entry is not added twice
    entries = entries.added(finding("fragment", "a b", "a b c.", "wu", "a heading", when="2026-12-05T10:01:00+00:00"))
    entries.write()
    back = load_suppressions(path)
    assert [s.as_dict() for s in back.entries] == [s.as_dict() for s in entries.entries] and len(back) == 2
    assert json.loads(path.read_text(encoding="utf-8"))["version"] == 1
    assert len(back.removed(1)) == 1 and back.removed(1).entries[0].code == "fragment"
    with pytest.raises(SettingsError, match="no suppression 3"):
        back.removed(3)


@pytest.mark.parametrize("body, complaint", [
    ("not json", "not a suppressions file"),
    ('{"version": 2, "suppressions": []}', "expected"),
    ('{"version": 1, "suppressions": [{"code": "x"}]}', "entry 1: code, who, when and why"),
    ('{"version": 1, "suppressions": [{"code": "x", "who": "a", "when": "b", "why": "c", "text": "t"}]}',
     "entry 1: a finding needs both text and context"),
    ('{"version": 1, "suppressions": [{"code": "x", "who": "a", "when": "b", "why": "c", "colour": "red"}]}',
     "entry 1: expected an object"),
])
def test_a_malformed_file_names_the_file_and_the_entry(tmp_path, body, complaint):
    path = tmp_path / "s.json"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(SettingsError, match=complaint) as raised:
        load_suppressions(path)
    assert str(path) in str(raised.value)


def _flags(settings):
    doc = run_stages(Document("p", "p.txt", "txt", SAMPLE.read_text(encoding="utf-8")), build_stages(settings))
    return doc, [(seg, f) for seg in doc.segments for f in seg.flags]


def test_a_suppressed_finding_is_silenced_in_the_run_and_counted(tmp_path):
    plain, flags = _flags(Settings(parser="none"))
    seg, flag = next((s, f) for s, f in flags if f.severity in ("warning", "error"))
    path = tmp_path / "s.json"
    Suppressions([finding(flag.code, seg.cleaned[flag.start:flag.end], seg.cleaned, "li", "fine here")]).write(path)
    silenced, left = _flags(Settings(parser="none", suppressions=str(path)))
    assert len(left) == len(flags) - 1 and (flag.code, flag.start) not in {(f.code, f.start) for s, f in left
                                                                          if s.index == seg.index}
    assert silenced.suppressed == [(seg.index, 1)]
    assert silenced.quality.points < plain.quality.points


def test_a_run_counts_what_it_silenced_and_a_bad_file_is_a_usage_error(tmp_path):
    path = tmp_path / "s.json"
    Suppressions([whole_check("term-discouraged", "li", "the client's own terms"),
                  whole_check("fragment", "li", "lists")]).write(path)
    done = subprocess.run([sys.executable, "-m", "pipeline", "run", str(SAMPLE), "--out", str(tmp_path / "o"),
                           "--suppressions", str(path)], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    summary = json.loads((tmp_path / "o" / "summary.json").read_text(encoding="utf-8"))
    records = [json.loads(line) for line in (tmp_path / "o" / "segments.jsonl").read_text(encoding="utf-8").splitlines()]
    assert not any(f["code"] in ("term-discouraged", "fragment") for r in records for f in r["flags"])
    assert summary["totals"]["suppressed"] >= 1 and summary["suppressions"]["entries"] == 2
    index = (tmp_path / "o" / "index.html").read_text(encoding="utf-8")
    assert 'id="suppressed"' in index and "the client&#39;s own terms" in index  # each entry, escaped
    assert [e["code"] for e in summary["suppressions"]["listed"]] == ["term-discouraged", "fragment"]
    path.write_text("{", encoding="utf-8")
    bad = subprocess.run([sys.executable, "-m", "pipeline", "run", str(SAMPLE), "--out", str(tmp_path / "o2"),
                          "--suppressions", str(path)], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert bad.returncode == 2 and str(path) in bad.stderr and "Traceback" not in bad.stderr


def _cli(*args):
    return subprocess.run([sys.executable, "-m", "pipeline", *map(str, args)], cwd=ROOT, capture_output=True,
                          text=True, timeout=300)


def test_a_finding_of_a_run_is_suppressed_from_the_command_line_and_the_next_run_is_silent(tmp_path):
    out, path = tmp_path / "o", tmp_path / "glossaries" / "suppressions.json"
    assert _cli("run", SAMPLE, "--out", out, "--no-report").returncode == 0
    records = [json.loads(line) for line in (out / "segments.jsonl").read_text(encoding="utf-8").splitlines()]
    record, flag = next((r, f) for r in records for f in r["flags"])
    added = _cli("suppressions", "add", path, "--from", out, "--doc", record["doc"], "--segment", record["index"],
                 "--code", flag["code"], "--why", "the client's wording", "--who", "li")
    assert added.returncode == 0 and "added" in added.stderr, added.stderr
    entry = json.loads(path.read_text(encoding="utf-8"))["suppressions"][0]
    assert (entry["code"], entry["context"], entry["who"]) == (flag["code"], record["cleaned"], "li") and entry["when"]
    again = _cli("run", SAMPLE, "--out", tmp_path / "o2", "--no-report", "--suppressions", path)
    assert again.returncode == 0, again.stderr
    rerun = [json.loads(line) for line in (tmp_path / "o2" / "segments.jsonl").read_text(encoding="utf-8").splitlines()]
    assert sum(len(r["flags"]) for r in rerun) == sum(len(r["flags"]) for r in records) - 1
    listed = _cli("suppressions", "list", path)
    assert listed.returncode == 0 and listed.stdout.startswith("1. ") and "the client's wording" in listed.stdout
    assert _cli("suppressions", "remove", path, 1).returncode == 0
    assert json.loads(path.read_text(encoding="utf-8"))["suppressions"] == []
    missing = _cli("suppressions", "remove", path, 1)
    assert missing.returncode == 2 and "no suppression 1" in missing.stderr
    wrong = _cli("suppressions", "add", path, "--from", out, "--doc", record["doc"], "--segment", record["index"],
                 "--code", "no-such-code", "--why", "x")
    assert wrong.returncode == 2 and "has no no-such-code flag" in wrong.stderr


def test_a_whole_check_is_added_in_one_action_and_undone(tmp_path):
    path = tmp_path / "s.json"
    assert _cli("suppressions", "add", path, "--code", "too-long", "--lang", "en", "--why", "house style").returncode == 0
    assert _cli("suppressions", "add", path, "--code", "too-long", "--lang", "en", "--why", "again").stderr.startswith(
        "already there")
    entries = load_suppressions(path)
    assert len(entries) == 1 and entries.entries[0].whole_check and entries.entries[0].lang == "en"
    half = _cli("suppressions", "add", path, "--code", "x", "--text", "a", "--why", "y")
    assert half.returncode == 2 and "--text and --context together" in half.stderr


def test_an_edited_suppressions_file_makes_a_rerun_judge_again(tmp_path):
    out, path = tmp_path / "o", tmp_path / "s.json"
    Suppressions().write(path)
    assert _cli("run", SAMPLE, "--out", out, "--no-report", "--suppressions", path).returncode == 0
    before = (out / "segments.jsonl").read_text(encoding="utf-8")
    assert "term-discouraged" in before
    Suppressions([whole_check("term-discouraged", "li", "the client's own terms")]).write(path)
    assert _cli("run", SAMPLE, "--out", out, "--no-report", "--suppressions", path).returncode == 0
    assert "term-discouraged" not in (out / "segments.jsonl").read_text(encoding="utf-8")


def test_a_file_that_cannot_be_written_is_an_error_not_a_traceback(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("", encoding="utf-8")
    with pytest.raises(SettingsError, match="cannot write"):
        Suppressions([whole_check("x", "li", "y")]).write(blocker / "s.json")
    done = _cli("suppressions", "add", blocker / "s.json", "--code", "x", "--why", "y")
    assert done.returncode == 2 and "cannot read" in done.stderr and "Traceback" not in done.stderr
    terms = _cli("terms", SAMPLE, "--write", blocker / "t.yaml")
    assert terms.returncode == 2 and "cannot write" in terms.stderr and "Traceback" not in terms.stderr
