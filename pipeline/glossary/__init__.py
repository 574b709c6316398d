"""Policy glossaries: loading (YAML, TBX, TSV/CSV), validation and the compiled matcher.

    load_glossaries(paths)   read and validate glossary files together (GlossaryError if invalid)
    write_glossary(g, path)  write a glossary in the format its file extension names
    GlossaryMatcher          all entries for one target language, compiled into one automaton
"""

from __future__ import annotations

import re
from pathlib import Path

from .model import ACTIONS, Advice, Entry, Glossary, GlossaryError, Rendering
from .table import read_table, write_table
from .validate import validate
from .yaml_format import read_yaml, write_yaml

FORMATS = {".yaml": "yaml", ".yml": "yaml", ".tbx": "tbx", ".tsv": "table", ".tab": "table", ".csv": "table"}
# The glossaries shipped with the tool: the repository's glossaries/ folder.
SHIPPED_DIR = Path(__file__).resolve().parents[2] / "glossaries"

__all__ = ["ACTIONS", "Advice", "Entry", "FORMATS", "Glossary", "GlossaryError", "Rendering", "SHIPPED_DIR",
           "load_glossary", "load_glossaries", "shipped_glossaries", "validate", "write_glossary"]


def _format(path: Path) -> str:
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise GlossaryError([f"{path}: unknown glossary format '{path.suffix}' "
                             f"(use {', '.join(sorted(FORMATS))})"])
    return fmt


def load_glossary(path: str | Path) -> Glossary:
    """Read one glossary file; entries are not cross-checked (see `load_glossaries`)."""
    path = Path(path)
    fmt = _format(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise GlossaryError([f"{path}: cannot read glossary: {exc.strerror}"]) from None
    if not data.strip():
        raise GlossaryError([f"{path}: the glossary file is empty"])
    try:
        if fmt == "tbx":
            from .tbx import read_tbx  # lxml: loaded only for a TBX glossary
            return read_tbx(path, data)
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = data[:exc.start].count(b"\n") + 1
            raise GlossaryError([f"{path}:{line}: not UTF-8 text (byte {data[exc.start]:#04x}); "
                                 f"save the glossary as UTF-8"]) from None
        return read_yaml(path, text) if fmt == "yaml" else read_table(path, text)
    except GlossaryError as exc:
        if exc.glossary is None:
            raise
        # Report the cross-entry problems (duplicates, conflicts) of what could be read, too.
        errors, _warnings = validate([exc.glossary])
        raise GlossaryError(sorted(set(exc.problems + errors), key=_line_order)) from None


def _line_order(message: str) -> tuple:
    m = re.match(r"^(.*?):(\d+):", message)
    return (m.group(1), int(m.group(2)), message) if m else (message, 0, message)


def load_glossaries(paths: list[str | Path]) -> list[Glossary]:
    """Read and validate glossary files together; raise GlossaryError listing every problem."""
    glossaries, problems = [], []
    for path in paths:
        try:
            glossaries.append(load_glossary(path))
        except GlossaryError as exc:
            problems.extend(exc.problems)
    if problems:
        raise GlossaryError(problems)
    errors, _warnings = validate(glossaries)
    if errors:
        raise GlossaryError(errors)
    return glossaries


def shipped_glossaries() -> list[Path]:
    if not SHIPPED_DIR.is_dir():
        return []
    return sorted(p for p in SHIPPED_DIR.iterdir() if p.suffix.lower() in FORMATS and p.is_file())


def write_glossary(glossary: Glossary, path: str | Path) -> None:
    """Write `glossary` in the format named by `path`'s extension."""
    path = Path(path)
    fmt = _format(path)
    if fmt == "tbx":
        from .tbx import write_tbx
        path.write_bytes(write_tbx(glossary))
    elif fmt == "yaml":
        path.write_text(write_yaml(glossary), encoding="utf-8", newline="\n")
    else:
        path.write_text(write_table(glossary, path), encoding="utf-8", newline="\n")
