"""Settings: one declaration read by the TOML file, the command line and the checks."""

from __future__ import annotations

import re
from dataclasses import fields
from pathlib import Path

import pytest

from pipeline.cli import build_parser
from pipeline.config import (DECLARED, Settings, SettingsError, check_run_options, given_settings, load_settings,
                             option_name)

ROOT = Path(__file__).resolve().parents[1]

# A value other than the default for every setting, as TOML writes it and as the
# command line takes it (the command line names a list's items one by one).
OTHER = {
    "lang": ('"fr"', ["--lang", "fr"]),
    "encoding": ('"gb18030"', ["--encoding", "gb18030"]),
    "boilerplate": ("false", ["--no-boilerplate"]),
    "recurring_lines": ("false", ["--no-recurring-lines"]),
    "line_model": ("false", ["--no-line-model"]),
    "line_weights": ('"w.json"', ["--line-weights", "w.json"]),
    "language_min_letters": ("5", ["--language-min-letters", "5"]),
    "punctuation_skip_rules": ('["glued-words", "spaces"]',
                               ["--punctuation-skip-rule", "glued-words", "--punctuation-skip-rule", "spaces"]),
    "glossaries": ('["a.tbx", "b.yaml"]', ["--glossary", "a.tbx", "--glossary", "b.yaml"]),
    "garble_threshold": ("0.25", ["--garble-threshold", "0.25"]),
    "skip_checks": ('["too-long"]', ["--skip-check", "too-long"]),
    "rules": ('"r.yaml"', ["--rules", "r.yaml"]),
    "spelling": ("false", ["--no-spelling"]),
    "dictionaries": ('"dicts"', ["--dictionaries", "dicts"]),
    "decisions": ('"d.json"', ["--decisions", "d.json"]),
    "suppressions": ('"s.json"', ["--suppressions", "s.json"]),
    "export": ('["tmx", "xliff"]', ["--export", "tmx", "--export", "xliff"]),
    "report_formats": ('["sarif", "csv"]', ["--report-format", "sarif", "--report-format", "csv"]),
    "parser": ('"auto"', ["--parser", "auto"]),
    "judge": ('"lm"', ["--judge", "lm"]),
    "lm_gpu_layers": ("12", ["--lm-gpu-layers", "12"]),
    "lm_threads": ("3", ["--lm-threads", "3"]),
    "weights": ('"my-weights.json"', ["--weights", "my-weights.json"]),
    "follow_symlinks": ("true", ["--follow-symlinks"]),
    "severities": ('["fragment=info", "term-variant=error"]',
                   ["--severity", "fragment=info", "--severity", "term-variant=error"]),
    "lqa_threshold": ("2.5", ["--lqa-threshold", "2.5"]),
    "lqa_minor_points": ("0.5", ["--lqa-minor-points", "0.5"]),
    "lqa_major_points": ("4", ["--lqa-major-points", "4"]),
    "lqa_critical_points": ("25", ["--lqa-critical-points", "25"]),
    "lqa_critical_codes": ('["number-mismatch"]', ["--lqa-critical-code", "number-mismatch"]),
}


def test_every_setting_has_a_kind_a_help_and_an_example_here():
    assert set(OTHER) == set(DECLARED)
    for f in (f for f in fields(Settings) if f.name in DECLARED):  # and the per-language tables, tested apart
        assert f.metadata["help"] and f.metadata["kind"].check(f.default) == f.default, f.name


@pytest.mark.parametrize("name", sorted(DECLARED))
def test_the_file_and_the_command_line_give_the_same_setting(name, tmp_path, monkeypatch):
    toml, argv = OTHER[name]
    (tmp_path / "settings.toml").write_text(f"{name} = {toml}\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)  # so paths relative to the file and to the working folder agree
    from_file = load_settings("settings.toml")
    args = build_parser().parse_args(["run", "in.txt", *argv])
    from_options = load_settings(None, **given_settings(args))
    assert getattr(from_file, name) != getattr(Settings(), name)
    assert from_file == from_options


def test_paths_in_a_settings_file_are_relative_to_it(tmp_path):
    sub = tmp_path / "conf"
    sub.mkdir()
    (sub / "s.toml").write_text('glossaries = ["g.tbx"]\ndecisions = "d.json"\nline_weights = "w.json"\n',
                                encoding="utf-8")
    settings = load_settings(sub / "s.toml")
    assert settings.glossaries == (str(sub / "g.tbx"),)
    assert settings.decisions == str(sub / "d.json") and settings.line_weights == str(sub / "w.json")


def test_options_override_the_file_and_absent_options_leave_it(tmp_path):
    (tmp_path / "s.toml").write_text('lang = "de"\nboilerplate = false\n', encoding="utf-8")
    args = build_parser().parse_args(["run", "x", "--config", str(tmp_path / "s.toml"), "--lang", "en"])
    settings = load_settings(args.config, **given_settings(args))
    assert settings.lang == "en" and settings.boilerplate is False


@pytest.mark.parametrize("name, bad, says", [
    ("lang", '"English"', "ISO 639-1"),
    ("lang", "1", "ISO 639-1"),
    ("encoding", '"no-such-codec"', "no known encoding"),
    ("boilerplate", '"yes"', "true or false"),
    ("language_min_letters", "0", "at least 1"),
    ("language_min_letters", "true", "whole number"),
    ("garble_threshold", "1.5", "from 0 to 1"),
    ("garble_threshold", "false", "from 0 to 1"),
    ("glossaries", '"one.tbx"', "list of file paths"),
    ("skip_checks", "[1, 2]", "list of flag codes"),
    ("export", '["pdf"]', "xliff, tmx"),
    ("parser", '"stanza"', "none, auto or spacy"),
    ("decisions", "3", "file path"),
])
def test_a_wrong_value_names_the_file_and_the_setting(name, bad, says, tmp_path):
    path = tmp_path / "s.toml"
    path.write_text(f"{name} = {bad}\n", encoding="utf-8")
    with pytest.raises(SettingsError) as caught:
        load_settings(path)
    message = str(caught.value)
    assert message.startswith(f"{path}: '{name}' ") and says in message


def test_a_wrong_value_on_the_command_line_names_the_option():
    with pytest.raises(SettingsError, match=r"^--language-min-letters: 'language_min_letters' must be"):
        load_settings(language_min_letters=0)
    assert option_name("glossaries") == "--glossary"


def test_unknown_keys_are_errors(tmp_path):
    path = tmp_path / "s.toml"
    path.write_text("colour = true\n", encoding="utf-8")
    with pytest.raises(SettingsError, match="unknown setting 'colour'"):
        load_settings(path)


def test_the_usage_page_shows_every_setting():
    page = (ROOT / "docs" / "usage.md").read_text(encoding="utf-8")
    example = page[page.index("## Settings file"):]
    shown = set(re.findall(r"^    (\w+) = ", example, flags=re.M))
    assert shown == set(DECLARED)


@pytest.mark.parametrize("options, complaint", [
    (dict(fail_on="error"), "--fail-on error needs --baseline"),
    (dict(scheduler="tcp://h:1"), "--scheduler needs --executor dask"),
    (dict(out="-", output_format="json"), "both write to standard output"),
    (dict(out="-", settings=Settings(export=("xliff",))), "--out - writes segments.jsonl only"),
    (dict(inputs=["-", "-"]), "standard input (-) can be read once"),
])
def test_run_options_that_exclude_each_other_are_refused(options, complaint):
    given = dict(settings=Settings(), inputs=["a.txt"], out="out", output_format="text", fail_on=None, baseline=None,
                 executor="local", scheduler=None)
    given.update(options)
    with pytest.raises(SettingsError, match=re.escape(complaint)):
        check_run_options(given.pop("settings"), **given)
    check_run_options(Settings(), inputs=["-"], out="-", output_format="text", fail_on="error", baseline="old",
                      executor="dask", scheduler="tcp://h:1")  # each alone is fine
