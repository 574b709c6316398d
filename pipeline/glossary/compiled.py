"""Glossaries compiled for matching, kept in a cache keyed by their content.

Reading and validating a large glossary and compiling its forms (each English form in
both numbers, from lemminflect's tables) into automata takes seconds, and a run pays it
in its own process and again in every worker. The result depends only on the files'
bytes, their paths and the code that compiles them, so it is kept once per such key in
the user's cache folder (`pipeline.text.datacache`) and loaded from there, in a fraction of
the time, by later processes and runs.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..text import yamlnodes
from ..text.datacache import cache_folder, cached, key_of
from . import load_glossaries
from .matcher import GlossaryMatcher
from .model import Glossary

FORMAT = 1
PACKAGE = Path(__file__).resolve().parent


@dataclass
class CompiledGlossaries:
    """Glossaries as the terms stage uses them: the entries, and per target language the
    automata of their target forms and of their source terms."""

    glossaries: list[Glossary]
    matchers: dict[str, GlossaryMatcher]
    source_matchers: dict[str, GlossaryMatcher]


def compile_glossaries(glossaries: list[Glossary]) -> CompiledGlossaries:
    entries = [e for g in glossaries for e in g.entries]
    languages = sorted({lang for e in entries for lang in e.targets})
    return CompiledGlossaries(
        glossaries,
        {lang: GlossaryMatcher.for_target(entries, lang) for lang in languages},
        {lang: GlossaryMatcher.for_source([e for e in entries if lang in e.targets]) for lang in languages})


def cache_key(paths: list[Path]) -> str:
    """A hash of everything the compiled result depends on: the files' paths and bytes
    (a path is part of the result: the summary names each glossary's file), the code that
    reads and compiles them, and the versions of the libraries it uses. OSError when a
    file cannot be read (the caller then reads it, and reports it, as without a cache)."""
    parts: list[bytes | str] = [f"format {FORMAT}"]
    for code in sorted(PACKAGE.glob("*.py")) + [Path(yamlnodes.__file__)]:  # the readers' code too
        parts += [code.name, code.read_bytes()]
    for path in paths:
        parts += [str(path), str(path.resolve()), path.read_bytes()]  # as given (the glossary keeps it) and where it is
    return key_of(parts, libraries=("lemminflect", "pyahocorasick", "PyYAML", "lxml"))


def load_compiled(paths: list[str | Path]) -> CompiledGlossaries:
    """The glossary files at `paths` read, validated and compiled: from the cache when an
    entry for exactly these files is there, else built (GlossaryError when invalid) and
    added to it."""
    paths = [Path(p) for p in paths]
    try:
        key = cache_key(paths) if cache_folder() is not None else None
    except OSError:
        key = None  # an unreadable file: reading it below says so with the file named
    return cached("glossaries", key, lambda: compile_glossaries(load_glossaries(paths)), CompiledGlossaries,
                  still_valid=lambda: _same_key(paths, key))  # not edited while it was read


def _same_key(paths: list[Path], key: str) -> bool:
    try:
        return cache_key(paths) == key
    except OSError:
        return False
