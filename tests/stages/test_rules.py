"""Pattern rules a user writes (--rules FILE): validated like glossaries, matched as flags."""

import json
import subprocess
import sys

import pytest

from pipeline.run.batch import QUIET, run_batch
from pipeline.checks import EXPLANATIONS
from pipeline.config import Settings
from pipeline.document import Document, Segment
from pipeline.text.pattern_rules import RulesError, load_rules
from pipeline.stages.rules import PatternRules

from ..conftest import ROOT

RULES = r"""
name: house-style
rules:
  - code: click-here
    phrase: click here
    severity: warning
    message: 'Say where the link leads: "{match}" tells the reader nothing.'
    languages: [en]
  - code: percent-word
    pattern: '(\d+) per ?cent\b'
    severity: info
    message: Write the per cent sign.
    suggestion: '\1%'
  - code: capital-state-council
    pattern: 'state council'
    case_sensitive: true
    message: The State Council is written with capitals.
    suggestion: State Council
"""


def _rules(tmp_path, text=RULES):
    path = tmp_path / "rules.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def _flags(tmp_path, text, lang="en", rules=RULES):
    stage = PatternRules(Settings(rules=str(_rules(tmp_path, rules))))
    doc = Document("t", "t.txt", "txt", text, lang=lang)
    doc.segments = [Segment(0, 0, len(text), "body", text, lang=lang, lang_prob=1.0)]
    stage(doc)
    return [(f.code, f.severity, text[f.start:f.end], f.message, f.suggestion) for f in doc.segments[0].flags]


def test_phrases_and_patterns_flag_each_match_with_message_and_suggestion(tmp_path):
    found = _flags(tmp_path, "Click here: income rose 12 percent, then 3 per cent, said the state council.")
    assert found == [
        ("click-here", "warning", "Click here", 'Say where the link leads: "Click here" tells the reader nothing.', None),
        ("percent-word", "info", "12 percent", "Write the per cent sign.", "12%"),
        ("percent-word", "info", "3 per cent", "Write the per cent sign.", "3%"),
        ("capital-state-council", "warning", "state council", "The State Council is written with capitals.",
         "State Council")]


@pytest.mark.parametrize("text", [
    "Clicking here does nothing.",  # a phrase is whole words
    "The click herein is not it.",
    "The State Council met.",  # case-sensitive rule, right case
    "12 percentile",  # \b after cent
])
def test_what_a_rule_does_not_match(tmp_path, text):
    assert _flags(tmp_path, text) == []


def test_a_rule_applies_to_its_languages_only(tmp_path):
    assert [c for c, *_ in _flags(tmp_path, "Click here, 5 percent.", lang="fr")] == ["percent-word"]


@pytest.mark.parametrize("rule, says", [
    ("  - code: Bad Code\n    phrase: x\n    message: m\n", ":2: rule 'Bad Code': 'code' must be lower-case"),
    ("  - code: a\n    pattern: '(x'\n    message: m\n", ":3: rule 'a': 'pattern' is not a regular expression"),
    ("  - code: a\n    phrase: x\n    severity: critical\n    message: m\n", ":4: rule 'a': 'severity' must be one of"),
    ("  - code: a\n    phrase: x\n", ":2: rule 'a': needs a 'message'"),
    ("  - code: a\n    phrase: x\n    pattern: y\n    message: m\n", "needs either a 'pattern'"),
    ("  - code: a\n    pattern: 'x*'\n    message: m\n", "matches the empty text"),
    ("  - code: fragment\n    phrase: x\n    message: m\n", "one of the pipeline's own codes"),
    ("  - code: a\n    pattern: '(x)'\n    suggestion: '\\2'\n    message: m\n", "refers to group 2"),
    ("  - code: a\n    phrase: x\n    message: m\n    languages: [english]\n", "'english' is not a language code"),
    ("  - code: a\n    phrase: x\n    message: m\n    colour: red\n", ":5: unknown key 'colour' in rule 1"),
    ("  - code: a\n    phrase: x\n    message: m\n  - code: a\n    phrase: y\n    message: n\n",
     ":5: rule 'a': code used by rule 1 too"),
    ("  - &one\n    code: a\n    phrase: x\n    message: m\n  - *one\n", "aliases are not allowed in a rules file"),
])
def test_every_problem_names_file_line_and_rule(tmp_path, rule, says):
    path = _rules(tmp_path, "rules:\n" + rule)
    with pytest.raises(RulesError) as info:
        load_rules(path, reserved=frozenset(EXPLANATIONS))
    assert any(says in problem and str(path) in problem for problem in info.value.problems), info.value.problems


def test_an_invalid_file_stops_the_run_with_every_problem_and_no_traceback(tmp_path):
    path = _rules(tmp_path, "rules:\n  - code: Bad\n    phrase: x\n  - code: ok\n    pattern: '(x'\n    message: m\n")
    sample = tmp_path / "a.txt"
    sample.write_text("Click here.\n", encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "pipeline", "run", str(sample), "--out", str(tmp_path / "o"),
                           "--rules", str(path)], cwd=ROOT, capture_output=True, text=True)
    errors = [line for line in proc.stderr.splitlines() if line.startswith("error: ")]
    assert proc.returncode == 2 and len(errors) == 3 and "Traceback" not in proc.stderr
    assert not (tmp_path / "o" / "segments.jsonl").exists()
    for text, says in (("", "is empty"), ("rules: [\n", "invalid YAML"), ("name: x\n", "'rules' must be a list")):
        with pytest.raises(RulesError, match=says):
            load_rules(_rules(tmp_path, text))


def test_a_run_applies_the_rules_names_them_and_redoes_documents_when_they_change(tmp_path):
    sample = tmp_path / "a.txt"
    sample.write_text("Income rose 12 percent this year in the county.\n", encoding="utf-8")
    path = _rules(tmp_path)
    out = tmp_path / "o"
    settings = Settings(rules=str(path))
    run_batch([str(sample)], out, settings, progress=QUIET)
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["resources"]["rules"] == {"name": "house-style", "path": str(path), "rules": 3}
    assert summary["flags_by_code"].get("percent-word") == 1
    path.write_text(RULES.replace("per ?cent", "per ?cent|pct"), encoding="utf-8")
    again = run_batch([str(sample)], out, settings, progress=QUIET)
    assert again.reused == 0  # the rules changed: the document is judged again
    skipped = run_batch([str(sample)], tmp_path / "p", Settings(rules=str(path), skip_checks=("percent-word",)),
                        progress=QUIET)
    assert skipped.summary["flags_by_code"].get("percent-word") is None


def test_the_settings_file_names_rules_relative_to_itself(tmp_path):
    from pipeline.config import load_settings

    (tmp_path / "conf").mkdir()
    config = tmp_path / "conf" / "pipeline.toml"
    config.write_text('rules = "house.yaml"\n', encoding="utf-8")
    assert load_settings(config).rules == str(tmp_path / "conf" / "house.yaml")


def test_the_example_rules_file_on_the_fixtures(tmp_path):
    from ..conftest import FIXTURES

    example = FIXTURES / "rules" / "house-style.yaml"
    assert len(load_rules(example, reserved=frozenset(EXPLANATIONS)).rules) == 4
    out = tmp_path / "o"
    run_batch([str(FIXTURES / "tongren_relocation.en.txt"), str(FIXTURES / "terms_mt.txt")], out,
              Settings(rules=str(example), spelling=False), progress=QUIET)
    records = [json.loads(line) for line in (out / "segments.jsonl").read_text(encoding="utf-8").splitlines()]
    found = {(f["code"], r["cleaned"][f["start"]:f["end"]], f.get("suggestion")) for r in records for f in r["flags"]
             if f["code"] in ("the-masses", "percent-word", "spaced-unit", "capital-party")}
    assert found, "the example rules find nothing in the fixtures"
    for code, text, suggestion in found:
        assert text and (suggestion is None or suggestion != text), (code, text, suggestion)
