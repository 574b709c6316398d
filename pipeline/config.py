"""Settings: defaults, a TOML file (`--config`), then command-line overrides.

Settings are a small frozen dataclass so worker processes can rebuild the stages
from them. Unknown keys and wrong types are errors naming the file and the key.
"""

from __future__ import annotations

import sys
from dataclasses import asdict, dataclass, fields, replace
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib


# The `parser` setting's values (docs/garble.md, "Garble score").
PARSERS = ("none", "auto", "spacy")


class SettingsError(Exception):
    """A bad setting; the CLI prints it and exits with status 2."""


@dataclass(frozen=True)
class Settings:
    # Expected language of the documents' text (ISO 639-1), or "auto" to detect it.
    lang: str = "auto"
    # Force the encoding of .txt/.html inputs instead of detecting it.
    encoding: str | None = None
    # Mark web chrome as boilerplate (it is kept in segments.jsonl, left out of cleaned text).
    boilerplate: bool = True
    # Lines that recur in 3 or more plain-text pages of the batch are the site's chrome
    # (pipeline/recurring.py); off for a batch of unrelated pages that share wording.
    recurring_lines: bool = True
    # In plain-text pages, decide the lines no chrome pattern matches with the line model
    # (pipeline/lines.py; docs/chrome.md, "Web chrome in plain text").
    line_model: bool = True
    # The line model's weights (JSON, as `python -m pipeline.lines_fit --write` writes them);
    # None = the shipped pipeline/line-weights.json.
    line_weights: str | None = None
    # Segments with fewer letters than this get lang "und": too short to judge.
    language_min_letters: int = 12
    # Punctuation rules to leave out, by name (see docs/stages.md, "Punctuation rules").
    punctuation_skip_rules: tuple[str, ...] = ()
    # Glossary files (YAML, TBX, TSV/CSV) for the terms stage; empty = the shipped glossaries/.
    glossaries: tuple[str, ...] = ()
    # A segment is garbled when its garble_score reaches this; None = the fitted model's threshold.
    garble_threshold: float | None = None
    # Flag codes to drop (docs/garble.md, "Garble flags"); dropped flags do not count towards the score.
    skip_checks: tuple[str, ...] = ()
    # Reviewer decisions exported from the review pages (rejected edits, dismissed flags).
    decisions: str | None = None
    # CAT-tool files to write to DIR/export/: "xliff", "tmx".
    export: tuple[str, ...] = ()
    # English parser for the garble measurements: "none" (the word-class heuristics), "auto"
    # (spaCy's en_core_web_sm when installed, `pip install ".[grammar]"`), "spacy" (required:
    # an error without it). "none" by default: on the labelled pages neither path beats the other
    # by a margin that holds from one version of the checks to the next (docs/garble.md, "Evaluation").
    parser: str = "none"
    # Follow links in input folders that point outside them (by default such a link is
    # reported and skipped, so a stray link cannot publish a file from elsewhere).
    follow_symlinks: bool = False

    def as_dict(self) -> dict:
        d = asdict(self)
        d["punctuation_skip_rules"] = list(self.punctuation_skip_rules)
        d["glossaries"] = list(self.glossaries)
        d["skip_checks"] = list(self.skip_checks)
        d["export"] = list(self.export)
        return d


def _check_type(name: str, value, where: str):
    expected = {f.name: f.type for f in fields(Settings)}[name]
    if name == "export":
        if not isinstance(value, (list, tuple)) or not all(v in ("xliff", "tmx") for v in value):
            raise SettingsError(f"{where}: 'export' must be a list of formats: xliff, tmx")
        return tuple(dict.fromkeys(value))
    if name in ("punctuation_skip_rules", "glossaries", "skip_checks"):
        if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
            raise SettingsError(f"{where}: '{name}' must be a list of " +
                                {"glossaries": "file paths", "skip_checks": "flag codes"}.get(name, "rule names"))
        return tuple(value)
    if name in ("decisions", "line_weights"):
        if value is not None and not isinstance(value, str):
            raise SettingsError(f"{where}: '{name}' must be a file path")
        return value
    if name == "encoding":
        if value is not None and not isinstance(value, str):
            raise SettingsError(f"{where}: '{name}' must be a string")
        if value:
            import codecs
            try:
                codecs.lookup(value)
            except LookupError:
                raise SettingsError(f"{where}: unknown encoding {value!r}") from None
        return value
    if name == "garble_threshold":
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0.0 <= value <= 1.0:
            raise SettingsError(f"{where}: 'garble_threshold' must be a number from 0 to 1, got {value!r}")
        return float(value)
    py_type = {"str": str, "bool": bool, "int": int}[expected.split(" ")[0]]
    if not isinstance(value, py_type) or (py_type is int and isinstance(value, bool)):
        raise SettingsError(f"{where}: '{name}' must be of type {py_type.__name__}, got {value!r}")
    if name == "lang" and value != "auto" and not (2 <= len(value) <= 3 and value.isalpha() and value.islower()):
        raise SettingsError(f"{where}: 'lang' must be 'auto' or an ISO 639-1 code like 'en', got {value!r}")
    if name == "parser" and value not in PARSERS:
        raise SettingsError(f"{where}: 'parser' must be auto, spacy or none, got {value!r}")
    if name == "language_min_letters" and value < 1:
        raise SettingsError(f"{where}: 'language_min_letters' must be at least 1")
    return value


def load_settings(config_file: str | Path | None = None, **overrides) -> Settings:
    """Build Settings from an optional TOML file plus overrides (None values ignored)."""
    values: dict = {}
    known = {f.name for f in fields(Settings)}
    if config_file is not None:
        path = Path(config_file)
        try:
            with path.open("rb") as fh:
                data = tomllib.load(fh)
        except OSError as exc:
            raise SettingsError(f"{path}: cannot read settings file: {exc.strerror}") from None
        except tomllib.TOMLDecodeError as exc:
            raise SettingsError(f"{path}: invalid TOML: {exc}") from None
        for key, value in data.items():
            if key not in known:
                raise SettingsError(f"{path}: unknown setting '{key}' (known: {', '.join(sorted(known))})")
            values[key] = _check_type(key, value, str(path))
        if "glossaries" in values:  # relative to the settings file, not the working folder
            values["glossaries"] = tuple(str(path.parent / g) for g in values["glossaries"])
        for key in ("decisions", "line_weights"):
            if values.get(key):
                values[key] = str(path.parent / values[key])
    for key, value in overrides.items():
        if value is not None:
            values[key] = _check_type(key, value, f"--{key.replace('_', '-')}")
    return replace(Settings(), **values)
