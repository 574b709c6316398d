"""Profiles (a named settings file, recorded with its hash) and the severities settings
give flag codes."""

import hashlib
import json
import os
import subprocess
import sys

from pipeline.config import Settings
from pipeline.document import Document
from pipeline.stages import build_stages, run_stages

from ..conftest import FIXTURES, ROOT

SAMPLE = FIXTURES / "punctuation_mt.txt"


def _flags(settings):
    doc = run_stages(Document("p", "p.txt", "txt", SAMPLE.read_text(encoding="utf-8")), build_stages(settings))
    return doc, [(seg.index, f.code, f.severity) for seg in doc.segments for f in seg.flags]


def test_a_code_given_a_severity_has_it_everywhere_and_the_verdicts_stay():
    plain, flags = _flags(Settings(parser="none"))
    code = next(code for _i, code, severity in flags if severity == "warning")
    changed, changed_flags = _flags(Settings(parser="none", severities=(f"{code}=info",)))
    assert [(i, c, "info" if c == code else s) for i, c, s in flags] == changed_flags
    assert [s.garbled for s in plain.segments] == [s.garbled for s in changed.segments]
    assert changed.quality.points < plain.quality.points  # info is neutral in the score
    _, raised = _flags(Settings(parser="none", severities=(f"{code}=error",)))
    assert all(s == "error" for _i, c, s in raised if c == code)


def _run(tmp_path, *args, profiles=None):
    env = {**os.environ, "PIPELINE_PROFILES_DIR": str(profiles or tmp_path / "profiles")}
    return subprocess.run([sys.executable, "-m", "pipeline", "run", str(SAMPLE), "--out", str(tmp_path / "out"),
                           *args], cwd=ROOT, capture_output=True, text=True, env=env, timeout=300)


def test_a_profile_is_read_by_name_and_recorded_with_its_hash(tmp_path):
    profiles = tmp_path / "profiles"
    profiles.mkdir()
    body = 'skip_checks = ["spelling"]\nseverities = ["fragment=info"]\nlqa_threshold = 0.0\n'
    (profiles / "client-a.toml").write_text(body, encoding="utf-8")
    done = _run(tmp_path, "--profile", "client-a", "--fail-on", "lqa", "--lqa-threshold", "1000")
    assert done.returncode == 0, done.stderr  # the option overrides the profile's threshold
    assert "settings: profile client-a" in done.stderr
    summary = json.loads((tmp_path / "out" / "summary.json").read_text(encoding="utf-8"))
    assert summary["profile"] == {"name": "client-a", "file": str(profiles / "client-a.toml"),
                                  "sha256": hashlib.sha256(body.encode()).hexdigest()}
    assert summary["settings"]["skip_checks"] == ["spelling"] and summary["settings"]["lqa_threshold"] == 1000.0
    assert summary["settings"]["severities"] == ["fragment=info"]
    index = (tmp_path / "out" / "index.html").read_text(encoding="utf-8")
    assert 'id="profile"' in index and "client-a" in index and summary["profile"]["sha256"][:12] in index


def test_an_unknown_or_ill_named_profile_or_one_with_config_is_refused(tmp_path):
    profiles = tmp_path / "profiles"
    profiles.mkdir()
    (profiles / "client-a.toml").write_text("", encoding="utf-8")
    missing = _run(tmp_path, "--profile", "client-b")
    assert missing.returncode == 2 and "profiles there: client-a" in missing.stderr
    assert "Traceback" not in missing.stderr
    assert _run(tmp_path, "--profile", "../etc/x").returncode == 2
    both = _run(tmp_path, "--profile", "client-a", "--config", str(profiles / "client-a.toml"))
    assert both.returncode == 2 and "without --config" in both.stderr
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "p.toml").write_text('severities = ["fragment=loud"]\n', encoding="utf-8")
    wrong = _run(tmp_path, "--profile", "p", profiles=bad)
    assert wrong.returncode == 2 and "p.toml" in wrong.stderr and "CODE=SEVERITY" in wrong.stderr
