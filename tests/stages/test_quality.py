"""The quality stage: MQM-style error points per 1,000 words, a reviewer's verdict, and the batch's score."""

import json

import pytest

from pipeline.config import Settings, SettingsError
from pipeline.decisions import Decision, Decisions, load_decisions
from pipeline.document import BOILERPLATE, BODY, Document, Flag, Segment, segment_key
from pipeline.outputs.write import DocumentSummaries, document_summary
from pipeline.stages import build_stages, run_stages
from pipeline.stages.quality import QualityScore, count_words

from ..conftest import FIXTURES
from ..test_cli import run as run_cli


@pytest.mark.parametrize("text, words", [
    ("The county government said that 1,200 families moved.", 8),
    ("Don't stop: well-being matters, 3.5% of 2019's budget.", 8),
    ("铜仁市易地扶贫搬迁", 9),  # a word per character, as translation tools count Chinese
    ("Il a dit « oui ».", 4),
    ("", 0),
])
def test_words_are_counted_as_translation_tools_count_them(text, words):
    assert count_words(text) == words


def _doc(*segments):
    doc = Document("d", "d.txt", "txt", "")
    doc.segments = list(segments)
    return doc


def _seg(index, text, *flags, kind=BODY):
    return Segment(index=index, start=0, end=len(text), kind=kind, original=text, flags=[Flag(code, severity, "m", 0, 1)
                                                                  for code, severity in flags])


def test_each_flag_weighs_its_severity_and_chrome_does_not_count():
    text = " ".join(["word"] * 100)
    doc = _doc(_seg(0, text, ("spelling", "warning"), ("fragment", "warning"), ("term-forbidden", "error")),
               _seg(1, text, ("too-long", "info")),
               _seg(2, text, ("spelling", "error"), kind=BOILERPLATE))
    quality = QualityScore(Settings())(doc).quality
    assert (quality.words, quality.points) == (200, 1 + 1 + 5)
    assert quality.errors == {"misspelling": {"minor": 1}, "grammar": {"minor": 1}, "terminology": {"major": 1}}
    assert quality.score == 35.0 and not quality.passed  # 7 points in 200 words: 35 per 1,000


def test_weights_threshold_and_critical_codes_are_settings():
    doc = _doc(_seg(0, " ".join(["word"] * 1000), ("number-mismatch", "warning"), ("spelling", "warning")))
    settings = Settings(lqa_minor_points=2, lqa_critical_points=30, lqa_critical_codes=("number-mismatch",),
                        lqa_threshold=32)
    quality = QualityScore(settings)(doc).quality
    assert quality.errors == {"numbers": {"critical": 1}, "misspelling": {"minor": 1}}
    assert quality.score == 32.0 and quality.passed
    assert QualityScore(Settings())(doc).quality.score == 2.0


def test_an_empty_document_scores_nothing_and_passes():
    quality = QualityScore(Settings())(_doc()).quality
    assert (quality.words, quality.score, quality.passed) == (0, 0.0, True)


def test_skipped_codes_do_not_count():
    text = (FIXTURES / "punctuation_mt.txt").read_text(encoding="utf-8")
    flagged = run_stages(Document("p", "p.txt", "txt", text), build_stages(Settings(parser="none")))
    codes = {f.code for s in flagged.segments for f in s.flags if f.severity in ("warning", "error")}
    assert codes and flagged.quality.points > 0
    quiet = run_stages(Document("p", "p.txt", "txt", text),
                       build_stages(Settings(parser="none", skip_checks=tuple(codes))))
    assert quiet.quality.points == 0 and quiet.quality.words == flagged.quality.words


def test_the_batch_score_is_all_points_over_all_words(tmp_path):
    documents = DocumentSummaries(tmp_path / "docs.jsonl")
    big = _doc(_seg(0, " ".join(["word"] * 900), ("spelling", "error")))
    small = _doc(_seg(0, " ".join(["word"] * 100), ("spelling", "error"), ("fragment", "error")))
    for doc in (big, small):
        documents.add(document_summary(QualityScore(Settings())(doc)))
    batch = documents.batch_quality(10.0)
    assert (batch["words"], batch["points"], batch["score"]) == (1000, 15.0, 15.0)
    assert not batch["passed"] and batch["documents_failed"] == 1  # 5.56 passes, 100 fails
    assert batch["errors"] == {"grammar": {"major": 1}, "misspelling": {"major": 2}}


def test_the_run_reports_the_score_and_fail_on_lqa_fails_the_build(tmp_path):
    sample = FIXTURES / "punctuation_mt.txt"
    done = run_cli("run", sample, "--out", tmp_path / "strict", "--lqa-threshold", "0", "--fail-on", "lqa")
    assert done.returncode == 3, done.stderr
    summary = json.loads((tmp_path / "strict" / "summary.json").read_text(encoding="utf-8"))
    assert summary["quality"]["score"] > 0 and not summary["quality"]["passed"]
    assert summary["documents"][0]["quality"]["score"] == summary["quality"]["score"]
    index = (tmp_path / "strict" / "index.html").read_text(encoding="utf-8")
    assert 'id="quality"' in index and "fail at 0.0" in index and 'id="scorecard"' in index
    page = (tmp_path / "strict" / "docs" / "punctuation_mt.html").read_text(encoding="utf-8")
    assert 'id="quality"' in page and f"<strong class=\"garbled\">{summary['quality']['score']}</strong>" in page
    done = run_cli("run", sample, "--out", tmp_path / "lenient", "--lqa-threshold", "1000", "--fail-on", "lqa")
    assert done.returncode == 0, done.stderr


def test_the_ci_reports_carry_the_score(tmp_path):
    from lxml import etree
    sample = FIXTURES / "punctuation_mt.txt"
    done = run_cli("run", sample, "--out", tmp_path / "o", "--lqa-threshold", "0", "--report-format", "junit",
                   "--report-format", "sarif", "--no-report")
    assert done.returncode == 0, done.stderr
    suite = etree.parse(str(tmp_path / "o" / "qa.junit.xml")).getroot()[0]
    batch = suite.find("testcase[@classname='pipeline.lqa']")
    assert batch.find("failure").get("type") == "quality score"
    assert suite.get("tests") == "2" and suite.find("testcase/properties/property[@name='quality.passed']").get(
        "value") == "false"
    sarif = json.loads((tmp_path / "o" / "qa.sarif").read_text(encoding="utf-8"))
    assert sarif["runs"][0]["properties"]["quality"]["passed"] is False


def _verdict(text: str, verdict: str, number: int = 1) -> Decisions:
    decisions = Decisions()
    decisions.add(Decision(number, segment_key(text), "override-quality", verdict=verdict, reason="house style",
                           reviewer="ana", at="2026-12-05T09:00:00+00:00"))
    return decisions


def test_a_reviewers_verdict_stands_in_place_of_the_scores_and_keeps_the_score():
    text = " ".join(["word"] * 100)
    doc = _doc(_seg(0, text, ("spelling", "error"), ("fragment", "error")))
    doc.text = text
    judged = QualityScore(Settings(), _verdict(text, "pass"))(doc)
    quality = judged.quality
    assert quality.score == 100.0 and not quality.passed_by_score and quality.passed
    assert quality.as_dict()["override"] == {"verdict": "pass", "reason": "house style", "reviewer": "ana",
                                             "at": "2026-12-05T09:00:00+00:00"}
    assert [d.number for _index, d in judged.decisions_applied] == [1]
    # a verdict on another text (the document changed since) does not apply
    changed = _doc(_seg(0, text, ("spelling", "error")))
    changed.text = text + " More."
    assert QualityScore(Settings(), _verdict(text, "pass"))(changed).quality.override is None
    # and a clean document can be failed
    clean = _doc(_seg(0, text))
    clean.text = text
    assert not QualityScore(Settings(), _verdict(text, "fail"))(clean).quality.passed


def test_the_batch_counts_a_document_with_a_verdict_by_the_verdict(tmp_path):
    def summaries(verdict: str | None) -> dict:
        documents = DocumentSummaries(tmp_path / f"{verdict}.jsonl")
        bad_text, good_text = " ".join(["bad"] * 100), " ".join(["good"] * 900)
        bad = _doc(_seg(0, bad_text, ("spelling", "error"), ("fragment", "error"), ("repetition", "error")))
        good = _doc(_seg(0, good_text))
        bad.text, good.text = bad_text, good_text
        decisions = _verdict(bad_text, verdict) if verdict else Decisions()
        for doc in (bad, good):
            documents.add(document_summary(QualityScore(Settings(), decisions)(doc)))
        return documents.batch_quality(10.0)

    assert not summaries(None)["passed"]  # 15 points in 1,000 words
    passed = summaries("pass")
    assert passed["passed"] and (passed["words"], passed["points"]) == (900, 0) and passed["overridden"] == {"pass": 1}
    assert passed["documents_failed"] == 0
    failed = summaries("fail")
    assert not failed["passed"] and failed["documents_failed"] == 1 and failed["overridden"] == {"fail": 1}


def test_a_run_given_a_verdict_reports_it_and_fail_on_lqa_follows_it(tmp_path):
    from lxml import etree
    sample = FIXTURES / "punctuation_mt.txt"
    text = sample.read_text(encoding="utf-8")
    decisions = tmp_path / "decisions.json"
    decisions.write_text(json.dumps({"version": 2, "decisions": [
        {"segment": segment_key(text), "doc": "punctuation_mt", "action": "override-quality", "verdict": "pass",
         "reason": "<b>house</b> style", "reviewer": "ana", "at": "2026-12-05T09:00:00+00:00"}]}), encoding="utf-8")
    done = run_cli("run", sample, "--out", tmp_path / "o", "--lqa-threshold", "0", "--fail-on", "lqa",
                   "--decisions", decisions, "--report-format", "junit")
    assert done.returncode == 0, done.stderr
    summary = json.loads((tmp_path / "o" / "summary.json").read_text(encoding="utf-8"))
    quality = summary["documents"][0]["quality"]
    assert quality["passed"] and not quality["passed_by_score"] and quality["override"]["reviewer"] == "ana"
    assert summary["quality"]["overridden"] == {"pass": 1} and summary["decisions"]["applied"] == 1
    index = (tmp_path / "o" / "index.html").read_text(encoding="utf-8")
    assert "(reviewer)" in index and "&lt;b&gt;house&lt;/b&gt; style" in index and "<b>house" not in index
    page = (tmp_path / "o" / "docs" / "punctuation_mt.html").read_text(encoding="utf-8")
    assert 'id="override"' in page and "Reviewer's verdict: <strong>pass</strong>, by ana" in page
    assert f'data-key="{segment_key(text)}"' in page and "<b>house" not in page
    suite = etree.parse(str(tmp_path / "o" / "qa.junit.xml")).getroot()[0]
    properties = {p.get("name"): p.get("value") for p in suite.iter("property")}
    assert properties["quality.passed"] == "true" and properties["quality.passed_by_score"] == "false"
    assert properties["quality.override.reason"] == "<b>house</b> style"
    # the document changed: the verdict lapses, and the summary says why
    changed = tmp_path / "in" / "punctuation_mt.txt"
    changed.parent.mkdir()
    changed.write_text(text + "\nOne more sentence.\n", encoding="utf-8")
    done = run_cli("run", changed, "--out", tmp_path / "o2", "--lqa-threshold", "0", "--fail-on", "lqa",
                   "--decisions", decisions)
    assert done.returncode == 3, done.stderr
    summary = json.loads((tmp_path / "o2" / "summary.json").read_text(encoding="utf-8"))
    assert "override" not in summary["documents"][0]["quality"]
    assert summary["decisions"]["stale"][0]["why"].endswith("its document's text changed")


@pytest.mark.parametrize("item, problem", [
    ({"verdict": "good", "reason": "r"}, "'verdict' \\(pass or fail\\)"),
    ({"verdict": "pass"}, "needs its 'reason'"),
])
def test_a_malformed_verdict_is_named(tmp_path, item, problem):
    path = tmp_path / "d.json"
    path.write_text(json.dumps({"decisions": [{"segment": "k", "action": "override-quality", **item}]}),
                    encoding="utf-8")
    with pytest.raises(SettingsError, match=f"d.json: decision 1: .*{problem}"):
        load_decisions(path)
