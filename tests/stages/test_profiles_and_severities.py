"""Profiles (a named settings file, recorded with its hash) and the severities settings
give flag codes."""

import hashlib
import json
import os
import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

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


# -- per-language settings ([languages.CODE] tables) ---------------------------------------

FRENCH = FIXTURES / "languages" / "fr_mt.txt"


def test_a_language_table_gives_its_documents_their_own_settings(tmp_path):
    from pipeline.config import load_settings
    from pipeline.stages import build_language_stages, Shared

    def judged(settings, path):
        shared = Shared.load(settings)
        doc = Document(path.stem, path.name, "txt", path.read_text(encoding="utf-8"))
        return run_stages(doc, build_stages(settings, shared), build_language_stages(settings, shared))

    plain = Settings(parser="none")
    french_rules = {e.rule for s in judged(plain, FRENCH).segments for e in s.edits}
    english = judged(plain, SAMPLE)
    english_codes = {f.code for s in english.segments for f in s.flags}
    english_edits = [(s.index, e.rule, e.start) for s in english.segments for e in s.edits]
    assert "fr.nbsp-before-punct" in french_rules and english_codes
    code = sorted(english_codes)[0]
    path = tmp_path / "s.toml"
    path.write_text('parser = "none"\nlqa_threshold = 10\n'
                    '[languages.fr]\npunctuation_skip_rules = ["fr.nbsp-before-punct"]\nlqa_threshold = 40\n'
                    f'[languages.en]\nskip_checks = ["{code}"]\n', encoding="utf-8")
    settings = load_settings(path)
    assert settings.languages == (("en", (("skip_checks", (code,)),)),
                                  ("fr", (("lqa_threshold", 40.0), ("punctuation_skip_rules", ("fr.nbsp-before-punct",)))))
    assert settings.as_dict()["languages"]["fr"] == {"lqa_threshold": 40.0,
                                                     "punctuation_skip_rules": ["fr.nbsp-before-punct"]}
    french = judged(settings, FRENCH)
    assert french.lang == "fr" and french.quality.threshold == 40.0
    assert {e.rule for s in french.segments for e in s.edits} == french_rules - {"fr.nbsp-before-punct"}
    english = judged(settings, SAMPLE)  # its own table: its code skipped, its edits and threshold the file's
    assert {f.code for s in english.segments for f in s.flags} == english_codes - {code}
    assert [(s.index, e.rule, e.start) for s in english.segments for e in s.edits] == english_edits
    assert english.quality.threshold == 10.0
    # an option on the command line is the user's word for every language
    assert load_settings(path, lqa_threshold=3.0).for_language("fr").lqa_threshold == 3.0


@pytest.mark.parametrize("body, says", [
    ('[languages.fr]\nglossaries = ["g.yaml"]\n', r"\[languages.fr\]: 'glossaries' cannot be given per language"),
    ('[languages.fr]\ncolour = 1\n', r"\[languages.fr\]: unknown setting 'colour'"),
    ('[languages.French]\nskip_checks = []\n', r"\[languages.French\]: a table per language is named by its ISO"),
    ('[languages.fr]\nlqa_threshold = "high"\n', r"\[languages.fr\]: 'lqa_threshold' must be a number"),
    ('languages = 3\n', "'languages' must hold a table per language"),
])
def test_a_wrong_language_table_names_the_file_and_the_table(tmp_path, body, says):
    from pipeline.config import SettingsError, load_settings

    path = tmp_path / "s.toml"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(SettingsError, match=says):
        load_settings(path)


def test_a_run_with_a_profile_of_language_tables_records_them(tmp_path):
    profiles = tmp_path / "profiles"
    profiles.mkdir()
    (profiles / "client-b.toml").write_text('[languages.fr]\nlqa_threshold = 0.0\n[languages.en]\nspelling = false\n',
                                            encoding="utf-8")
    env = {**os.environ, "PIPELINE_PROFILES_DIR": str(profiles)}
    done = subprocess.run([sys.executable, "-m", "pipeline", "run", str(SAMPLE), str(FRENCH), "--out",
                           str(tmp_path / "out"), "--profile", "client-b", "--no-report"],
                          cwd=ROOT, capture_output=True, text=True, env=env, timeout=300)
    assert done.returncode == 0, done.stderr
    summary = json.loads((tmp_path / "out" / "summary.json").read_text(encoding="utf-8"))
    assert summary["settings"]["languages"] == {"en": {"spelling": False}, "fr": {"lqa_threshold": 0.0}}
    by_doc = {d["doc"]: d for d in summary["documents"]}
    assert by_doc["fr_mt"]["quality"]["threshold"] == 0.0 and by_doc["punctuation_mt"]["quality"]["threshold"] == 10.0
    assert "spelling" not in by_doc["punctuation_mt"]["flags_by_code"]


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(["fr", "de", "es"]), st.floats(0, 100, allow_nan=False),
       st.lists(st.sampled_from(["fragment", "too-long", "spelling", "repetition"]), unique=True, max_size=3))
def test_a_language_table_changes_its_keys_for_its_language_and_nothing_else(code, threshold, skipped):
    import tempfile
    from dataclasses import fields

    from pipeline.config import load_settings

    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "s.toml")
        with open(path, "w", encoding="utf-8") as fh:
            fh.write(f'skip_checks = ["sentence-case"]\n[languages.{code}]\nlqa_threshold = {threshold!r}\n'
                     f'skip_checks = {json.dumps(skipped)}\n')
        settings = load_settings(path)
    own = settings.for_language(code)
    assert (own.lqa_threshold, own.skip_checks) == (threshold, tuple(skipped))
    changed = {f.name for f in fields(Settings) if getattr(own, f.name) != getattr(settings, f.name)}
    assert changed <= {"lqa_threshold", "skip_checks", "languages"}
    for other in ("en", "pt", "und"):
        assert settings.for_language(other) == settings
