"""Settings: defaults, a TOML file (`--config`), then command-line overrides.

Each setting is declared once, as a field of `Settings`: its default, its kind (what a
value must be, how one is checked and how the command line reads one) and its help. The
TOML reader, the command-line options (`add_setting_options`) and the validation all
read that declaration. Settings are a small frozen dataclass so worker processes can
rebuild the stages from them. Unknown keys and wrong values are errors naming the file
or option and the key.
"""

from __future__ import annotations

import argparse
import codecs
import hashlib
import os
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass, field, fields, replace
from pathlib import Path

from .errors import PipelineError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib


class SettingsError(PipelineError):
    """A bad setting; the CLI prints it and exits with status 2."""


@dataclass(frozen=True)
class Kind:
    """What a setting's value must be. `check(value)` returns the value as Settings keeps
    it or raises ValueError saying what it must be; `option` is how argparse reads one
    value from the command line (`type`, `choices`, `metavar`); `many` settings are lists,
    their option repeated; `path` settings name files, read relative to the settings file."""

    check: Callable[[object], object]
    option: dict = field(default_factory=dict)
    many: bool = False
    path: bool = False


def _flag(value):
    if not isinstance(value, bool):
        raise ValueError("must be true or false")
    return value


def _count_from(least: int) -> Kind:
    def check(value):
        if isinstance(value, bool) or not isinstance(value, int) or value < least:
            raise ValueError(f"must be a whole number of at least {least}")
        return value
    return Kind(check, {"type": int, "metavar": "N"})


def _number_from(least: float) -> Kind:
    def check(value):
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not value >= least:
            raise ValueError(f"must be a number of at least {least:g}")
        return float(value)
    return Kind(check, {"type": float, "metavar": "X"})


def _fraction_or_none(value):
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0.0 <= value <= 1.0:
        raise ValueError("must be a number from 0 to 1")
    return float(value)


def _language(value):
    if not isinstance(value, str) or not (value == "auto" or (2 <= len(value) <= 3 and value.isalpha()
                                                               and value.islower())):
        raise ValueError("must be 'auto' or an ISO 639-1 code like 'en'")
    return value


def _encoding_or_none(value):
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValueError("must be the name of an encoding")
    try:
        codecs.lookup(value)
    except LookupError:
        raise ValueError(f"names no known encoding ({value!r})") from None
    return value


def _file_or_none(value):
    if value is not None and not isinstance(value, str):
        raise ValueError("must be a file path")
    return value


def _one_of(*values: str) -> Kind:
    def check(value):
        if value not in values:
            raise ValueError(f"must be {', '.join(values[:-1])} or {values[-1]}")
        return value
    return Kind(check, {"choices": values})


def _list_of(what: str, values: tuple[str, ...] | None = None, metavar: str = "NAME") -> Kind:
    """A list of strings (of `values`, when given), kept in order without repeats."""
    def check(value):
        if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value) or (
                values is not None and not all(v in values for v in value)):
            raise ValueError(f"must be a list of {what}" + (f": {', '.join(values)}" if values else ""))
        return tuple(dict.fromkeys(value))
    return Kind(check, {"choices": values} if values else {"metavar": metavar}, many=True)


SEVERITY_LEVELS = ("info", "warning", "error")


def _code_severities(value):
    """A list of "CODE=SEVERITY" (a flag code and info, warning or error), one per code."""
    if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
        raise ValueError('must be a list of "CODE=SEVERITY" (info, warning or error)')
    codes = {}
    for item in value:
        code, equals, level = item.partition("=")
        code, level = code.strip(), level.strip()
        if not equals or not code or level not in SEVERITY_LEVELS:
            raise ValueError(f'must be a list of "CODE=SEVERITY" (info, warning or error), not {item!r}')
        if codes.get(code, level) != level:
            raise ValueError(f"gives {code} two severities ({codes[code]} and {level})")
        codes[code] = level
    return tuple(f"{code}={level}" for code, level in codes.items())


FLAG = Kind(_flag)
LANGUAGE = Kind(_language, {"metavar": "CODE"})
ENCODING = Kind(_encoding_or_none, {"metavar": "NAME"})
FILE = Kind(_file_or_none, {"metavar": "FILE"}, path=True)
FOLDER = Kind(_file_or_none, {"metavar": "DIR"}, path=True)
FILES = replace(_list_of("file paths", metavar="FILE"), path=True)
FRACTION = Kind(_fraction_or_none, {"type": float, "metavar": "X"})

# The `parser` setting's values (docs/garble.md, "Garble score").
PARSERS = ("none", "auto", "spacy")
# The `judge` setting's values: the checks' features alone, or with a language model's
# measurements beside them (docs/garble.md, "The language-model judge").
JUDGES = ("rules", "lm")
EXPORT_FORMATS = ("xliff", "tmx", "po")
REPORT_FORMATS = ("csv", "xlsx", "junit", "sarif")  # pipeline.outputs.qa_reports.FILE_NAMES (a test holds the two alike)


def setting(default, kind: Kind, help: str, option: str | None = None):
    """A field of Settings with its kind and help; `option` is its command-line flag
    when that is not the name with dashes (a list's flag names one item)."""
    return field(default=default, metadata={"kind": kind, "help": help, "option": option})


@dataclass(frozen=True)
class Settings:
    lang: str = setting(
        "auto", LANGUAGE, "expected language of the documents' text (ISO 639-1), or 'auto' to detect it")
    encoding: str | None = setting(
        None, ENCODING, "read .txt/.html inputs in this encoding instead of detecting it")
    boilerplate: bool = setting(
        True, FLAG, "mark web chrome as boilerplate (kept in segments.jsonl, left out of the cleaned text)")
    recurring_lines: bool = setting(
        True, FLAG, "lines that recur in 3 or more plain-text pages of the batch are the site's chrome; "
                    "off for a batch of unrelated pages that share wording")
    line_model: bool = setting(
        True, FLAG, "in plain-text pages, decide the lines no chrome pattern matches with the line model")
    line_weights: str | None = setting(
        None, FILE, "the line model's weights (JSON, as python -m pipeline fit lines --write writes them; "
                    "default: the shipped pipeline/text/line-weights.json)")
    language_min_letters: int = setting(
        12, _count_from(1), "segments with fewer letters than this get lang 'und': too short to judge")
    punctuation_skip_rules: tuple[str, ...] = setting(
        (), _list_of("rule names"), "a punctuation rule to leave out, by name (docs/stages.md); repeatable",
        option="--punctuation-skip-rule")
    glossaries: tuple[str, ...] = setting(
        (), FILES, "glossary file (.yaml, .tbx, .tsv, .csv) to use instead of the shipped glossaries/; "
                   "repeat for several", option="--glossary")
    garble_threshold: float | None = setting(
        None, FRACTION, "a segment is garbled when its garble score reaches this (default: the fitted "
                        "model's threshold)")
    skip_checks: tuple[str, ...] = setting(
        (), _list_of("flag codes", metavar="CODE"), "a flag code to drop (docs/garble.md); dropped flags do "
                                                    "not count towards the score; repeatable",
        option="--skip-check")
    rules: str | None = setting(
        None, FILE, "pattern rules of your own (YAML: a code, a regular expression or phrase, a severity, a "
                    "message, optionally a suggestion and languages; see docs/usage.md, \"Pattern rules\"): each "
                    "match in a translation is a flag with the rule's code")
    spelling: bool = setting(
        True, FLAG, "flag words the Hunspell dictionary of the segment's language (en, fr, de, es, pt) does not "
                    "know; a language without an installed dictionary is not checked, and the run says so")
    dictionaries: str | None = setting(
        None, FOLDER, "the folder of the Hunspell dictionaries (en_US.dic/.aff, fr_FR, de_DE, es_ES, pt_PT; "
                      "default: /usr/share/hunspell and the other usual places)")
    decisions: str | None = setting(
        None, FILE, "reviewer decisions (decisions.json exported from the review pages, or a review "
                    "database DIR/review.sqlite): rejected edits are not made, dismissed flags are not "
                    "raised, dismissed verdicts are not garbled")
    suppressions: str | None = setting(
        None, FILE, "lasting suppressions (JSON, written by python -m pipeline suppressions add): findings, or whole "
                    "checks, silenced wherever they recur, each with who, when and why (docs/review.md)")
    export: tuple[str, ...] = setting(
        (), _list_of("formats", EXPORT_FORMATS), "also write DIR/export/<doc>.xlf (XLIFF: the input's own "
                                                 "file written back, or XLIFF 2.1), <doc>.tmx (TMX 1.4) or "
                                                 "<doc>.po (gettext PO) for CAT tools; repeatable")
    report_formats: tuple[str, ...] = setting(
        (), _list_of("formats", REPORT_FORMATS), "also write a QA report of every flag: DIR/qa.csv, DIR/qa.xlsx "
                                                 "(a sheet per severity), DIR/qa.junit.xml (a test case per "
                                                 "document, failing with its errors) or DIR/qa.sarif (SARIF "
                                                 "2.1.0); repeatable", option="--report-format")
    # "none" by default: on the labelled pages neither path beats the other by a margin that
    # holds from one version of the checks to the next (docs/garble.md, "Evaluation").
    parser: str = setting(
        "none", _one_of(*PARSERS), "English parser for the garble measurements: none (the word-class "
                                   "heuristics, the default), auto (spaCy when installed), spacy (required)")
    judge: str = setting(
        "rules", _one_of(*JUDGES), "what decides the garbled verdict: rules (the checks' flags and measurements, "
                                   "the default) or lm (those and a small language model's reading of each English "
                                   "sentence; needs pip install \".[lm]\"; a model that cannot be used is said once "
                                   "and the run goes on with rules)")
    lm_gpu_layers: int = setting(
        0, _count_from(0), "with judge = lm: layers of the model to put on a GPU, where llama.cpp was built with "
                           "GPU support (0: the CPU alone)")
    lm_threads: int = setting(
        0, _count_from(0), "with judge = lm: threads each worker's model uses (0: this machine's cores divided "
                           "among the run's workers)")
    weights: str | None = setting(
        None, FILE, "the garble score's weights (JSON, as python -m pipeline fit --out writes them, for the judge "
                    "in use; default: the shipped weights)")
    severities: tuple[str, ...] = setting(
        (), Kind(_code_severities, {"metavar": "CODE=SEVERITY"}, many=True),
        "give a flag code another severity (info, warning or error), e.g. fragment=info: in every output and in "
        "the quality score (the garbled verdict is the checks' own); repeatable", option="--severity")
    # The quality score (docs/usage.md, "Quality score"): each flag on the text weighs by its
    # severity, minor (a warning), major (an error) or critical (a code of lqa_critical_codes).
    lqa_threshold: float = setting(
        10.0, _number_from(0), "quality score: a document, and the batch, passes when its error points per "
                               "1,000 words are at most this")
    lqa_minor_points: float = setting(
        1.0, _number_from(0), "quality score: error points of a minor error (a warning flag)")
    lqa_major_points: float = setting(
        5.0, _number_from(0), "quality score: error points of a major error (an error flag)")
    lqa_critical_points: float = setting(
        10.0, _number_from(0), "quality score: error points of a critical error (a flag whose code is one of "
                               "lqa_critical_codes)")
    lqa_critical_codes: tuple[str, ...] = setting(
        (), _list_of("flag codes", metavar="CODE"), "quality score: a flag code that counts as a critical error "
                                                    "whatever its severity; repeatable",
        option="--lqa-critical-code")
    follow_symlinks: bool = setting(
        False, FLAG, "read files that links in the input folders point to outside them (by default such "
                     "links are reported and skipped)")
    # Not a setting of its own: a settings file's [languages.CODE] tables, some of the
    # PER_LANGUAGE settings given the documents of one language: ((code, ((name, value), ...)), ...).
    languages: tuple = field(default=())

    def for_language(self, lang: str) -> Settings:
        """These settings for a document of language `lang`: its table's values in place of
        the others (a list replaces the list, it does not add to it)."""
        for code, values in self.languages:
            if code == lang:
                return replace(self, languages=(), **dict(values))
        return self

    def as_dict(self) -> dict:
        data = {name: _shown(name, getattr(self, name)) for name in DECLARED}
        if self.languages:
            data["languages"] = {code: {name: _shown(name, value) for name, value in values}
                                 for code, values in self.languages}
        return data


def _shown(name: str, value):
    return list(value) if DECLARED[name].metadata["kind"].many else value


DECLARED = {f.name: f for f in fields(Settings) if "kind" in f.metadata}
# The settings a settings file may give the documents of one language (a [languages.fr]
# table): those of the stages after the document's language is told, that name no file
# (files are loaded once for the whole run).
PER_LANGUAGE = ("language_min_letters", "punctuation_skip_rules", "garble_threshold", "skip_checks", "spelling",
                "severities", "lqa_threshold", "lqa_minor_points", "lqa_major_points", "lqa_critical_points",
                "lqa_critical_codes")
# The settings that name files or folders, as declared (their kind is a path): what the
# re-run cache and a worker's stages follow the content of, besides the names.
PATH_SETTINGS = tuple(name for name, f in DECLARED.items() if f.metadata["kind"].path)


def _checked(name: str, value, where: str):
    try:
        return DECLARED[name].metadata["kind"].check(value)
    except ValueError as exc:
        raise SettingsError(f"{where}: '{name}' {exc}, got {value!r}") from None


def option_name(name: str) -> str:
    return DECLARED[name].metadata["option"] or "--" + name.replace("_", "-")


def add_setting_options(parser: argparse.ArgumentParser, names: list[str] | None = None) -> None:
    """One command-line option per setting (of `names`, or all), from its declaration. An
    option not given is None, so it leaves the settings file's value alone."""
    for name in names or DECLARED:
        declared = DECLARED[name]
        kind, flag = declared.metadata["kind"], option_name(name)
        default = f"; default {'on' if declared.default else 'off'}" if kind is FLAG else ""
        help_text = f"{declared.metadata['help']}{default} [setting {name}]"
        if kind is FLAG:
            parser.add_argument(flag, dest=name, action=argparse.BooleanOptionalAction, default=None, help=help_text)
        else:
            parser.add_argument(flag, dest=name, action="append" if kind.many else "store", default=None,
                                help=help_text, **kind.option)


def given_settings(args: argparse.Namespace) -> dict:
    """The settings named on the command line (`add_setting_options`), for `load_settings`."""
    return {name: getattr(args, name) for name in DECLARED if getattr(args, name, None) is not None}


# Read as settings when no --config names a file: pipeline.toml in the working folder,
# else the [tool.pipeline] table of a pyproject.toml there.
def check_run_options(settings: Settings, *, inputs: list[str], out: str, output_format: str,
                      fail_on: str | None, baseline: str | None, executor: str, scheduler: str | None) -> None:
    """Raise SettingsError when a run's options and settings ask for things that exclude
    each other (standard output asked for twice) or one needs another it lacks."""
    if fail_on in ("warning", "error") and not baseline:
        raise SettingsError(f"--fail-on {fail_on} needs --baseline (the run to compare with)")
    if scheduler and executor != "dask":
        raise SettingsError("--scheduler needs --executor dask")
    if out == "-" and output_format == "json":
        raise SettingsError("--out - and --format json both write to standard output: choose one")
    if out == "-" and (settings.export or settings.report_formats):
        raise SettingsError("--out - writes segments.jsonl only: --export and --report-format need a folder")
    if inputs.count("-") > 1:
        raise SettingsError("standard input (-) can be read once")


SETTINGS_FILE = "pipeline.toml"
PROJECT_FILE, PROJECT_TABLE = "pyproject.toml", ("tool", "pipeline")


def settings_file_in(folder: Path) -> tuple[Path, tuple[str, ...]] | None:
    """The settings file of `folder` and the table of it that holds the settings, or None."""
    own = folder / SETTINGS_FILE
    if own.is_file():
        return own, ()
    project = folder / PROJECT_FILE
    if project.is_file():
        data = _read_toml(project)
        if isinstance(data.get("tool"), dict) and "pipeline" in data["tool"]:
            return project, PROJECT_TABLE
    return None


# A profile: a settings file of its own name in the profiles folder ("client-a.toml"),
# picked with --profile: a named set of checks, severities, thresholds, rules, glossaries.
PROFILE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")


def profiles_folder() -> Path:
    """`$PIPELINE_PROFILES_DIR`, else `$XDG_CONFIG_HOME/pipeline/profiles`, else
    `~/.config/pipeline/profiles`."""
    chosen = os.environ.get("PIPELINE_PROFILES_DIR")
    if chosen:
        return Path(chosen)
    base = os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config"
    return Path(base) / "pipeline" / "profiles"


def profile_file(name: str) -> Path:
    """The settings file of the profile `name`; SettingsError naming the profiles there when
    it is not one of them."""
    folder = profiles_folder()
    if not PROFILE_NAME.fullmatch(name) or name.endswith(".toml"):
        raise SettingsError(f"--profile {name!r}: a profile is named by letters, digits, '.', '-' and '_' "
                            f"(the file {folder}/NAME.toml)")
    path = folder / f"{name}.toml"
    if not path.is_file():
        known = sorted(p.stem for p in folder.glob("*.toml")) if folder.is_dir() else []
        raise SettingsError(f"--profile {name}: no {path}" + (f" (profiles there: {', '.join(known)})" if known
                                                              else " (no profiles there)"))
    return path


def profile_record(name: str, path: Path) -> dict:
    """What a run records of the profile it used: its name, file and the file's SHA-256."""
    return {"name": name, "file": str(path), "sha256": hashlib.sha256(path.read_bytes()).hexdigest()}


def _read_toml(path: Path) -> dict:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except OSError as exc:
        raise SettingsError(f"{path}: cannot read settings file: {exc.strerror}") from None
    except tomllib.TOMLDecodeError as exc:
        raise SettingsError(f"{path}: invalid TOML: {exc}") from None


def load_settings(config_file: str | Path | None = None, table: tuple[str, ...] = (), **overrides) -> Settings:
    """Build Settings from an optional TOML file (its `table`, e.g. ("tool", "pipeline") of a
    pyproject.toml, or the whole file) plus overrides (None values ignored). An override is
    the user's word for every document: it also replaces the file's per-language values."""
    values: dict = {}
    languages: dict[str, dict] = {}
    if config_file is not None:
        path = Path(config_file)
        data = _read_toml(path)
        where = str(path) + (f" [{'.'.join(table)}]" if table else "")
        for name in table:
            data = data.get(name)
            if not isinstance(data, dict):
                raise SettingsError(f"{where}: expected a table of settings")
        for key, value in data.items():
            if key == "languages":
                languages = _language_tables(value, where)
                continue
            if key not in DECLARED:
                raise SettingsError(f"{where}: unknown setting '{key}' (known: {', '.join(sorted(DECLARED))})")
            values[key] = _relative(_checked(key, value, where), DECLARED[key].metadata["kind"], path.parent)
    for key, value in overrides.items():
        if value is not None:
            values[key] = _checked(key, value, option_name(key))
            for table_values in languages.values():
                table_values.pop(key, None)
    values["languages"] = tuple((code, tuple(sorted(table_values.items())))
                                for code, table_values in sorted(languages.items()) if table_values)
    return replace(Settings(), **values)


def _language_tables(data, where: str) -> dict[str, dict]:
    """A settings file's `languages` table: a table per language code, of PER_LANGUAGE settings."""
    if not isinstance(data, dict) or not all(isinstance(v, dict) for v in data.values()):
        raise SettingsError(f"{where}: 'languages' must hold a table per language, e.g. [languages.fr]")
    tables = {}
    for code, table_values in data.items():
        at = f"{where} [languages.{code}]"
        if code == "auto" or not _is_language(code):
            raise SettingsError(f"{at}: a table per language is named by its ISO 639-1 code (fr, de, zh)")
        for key in table_values:
            if key not in PER_LANGUAGE:
                raise SettingsError(f"{at}: '{key}' cannot be given per language (these can: {', '.join(PER_LANGUAGE)})"
                                    if key in DECLARED else f"{at}: unknown setting '{key}'")
        tables[code] = {key: _checked(key, value, at) for key, value in table_values.items()}
    return tables


def _is_language(code: str) -> bool:
    try:
        _language(code)
    except ValueError:
        return False
    return True


def _relative(value, kind: Kind, folder: Path):
    """A path setting read from a file is relative to that file, not the working folder."""
    if not kind.path or not value:
        return value
    return tuple(str(folder / v) for v in value) if kind.many else str(folder / value)
