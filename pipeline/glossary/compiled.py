"""Glossaries compiled for matching, kept in a cache keyed by their content.

Reading and validating a large glossary and compiling its forms (each English form in
both numbers, from lemminflect's tables) into automata takes seconds, and a run pays it
in its own process and again in every worker. The result depends only on the files'
bytes, their paths and the code that compiles them, so it is kept once per such key in
the user's cache folder and loaded from there (a fraction of the time) by later
processes and runs.

The cache folder is `$PIPELINE_CACHE_DIR`, else `$XDG_CACHE_HOME/pipeline`, else
`~/.cache/pipeline`; `PIPELINE_CACHE_DIR=""` turns the cache off. It lies outside every
output folder, is created private to the user (the entries are pickles: only the user's
own files are ever loaded) and is safe for concurrent runs: an entry is written to a
temporary file and renamed into place whole, so a reader sees a whole entry or none. An
entry that cannot be read is ignored and rebuilt; a folder that cannot be written only
means no cache. The newest `KEEP` entries are kept.
"""

from __future__ import annotations

import gc
import hashlib
import os
import pickle
import tempfile
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from . import load_glossaries
from .matcher import GlossaryMatcher
from .model import Glossary

FORMAT = 1
KEEP = 8  # entries kept in the folder: a few glossary sets in use at once, without growing for ever
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


def cache_folder() -> Path | None:
    """Where compiled glossaries are kept, or None when the cache is off."""
    chosen = os.environ.get("PIPELINE_CACHE_DIR")
    if chosen is not None:
        return Path(chosen) if chosen else None
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "pipeline"


def cache_key(paths: list[Path]) -> str:
    """A hash of everything the compiled result depends on: the files' paths and bytes
    (a path is part of the result: the summary names each glossary's file), the code that
    reads and compiles them, and the versions of the libraries it uses. OSError when a
    file cannot be read (the caller then reads it, and reports it, as without a cache)."""
    digest = hashlib.sha256(f"format {FORMAT}\0".encode())
    for library in ("lemminflect", "pyahocorasick", "PyYAML", "lxml"):
        try:
            digest.update(f"{library} {metadata.version(library)}\0".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{library} -\0".encode())
    for code in sorted(PACKAGE.glob("*.py")):
        digest.update(code.name.encode() + b"\0" + code.read_bytes())
    for path in paths:
        for name in (str(path), str(path.resolve())):  # as given (the glossary keeps it) and where it is
            digest.update(name.encode("utf-8", "surrogateescape") + b"\0")
        digest.update(path.read_bytes())
    return digest.hexdigest()


def load_compiled(paths: list[str | Path]) -> CompiledGlossaries:
    """The glossary files at `paths` read, validated and compiled: from the cache when an
    entry for exactly these files is there, else built (GlossaryError when invalid) and
    added to it."""
    paths = [Path(p) for p in paths]
    folder = cache_folder()
    try:
        key = cache_key(paths) if folder is not None else None
    except OSError:
        key = None  # an unreadable file: reading it below says so with the file named
    if key is not None:
        found = _read_entry(folder / f"glossaries-{key}.pickle")
        if found is not None:
            return found
    compiled = compile_glossaries(load_glossaries(paths))
    if key is not None and _same_key(paths, key):  # not edited while it was read
        _write_entry(folder, f"glossaries-{key}.pickle", compiled)
    return compiled


def _same_key(paths: list[Path], key: str) -> bool:
    try:
        return cache_key(paths) == key
    except OSError:
        return False


def _read_entry(path: Path) -> CompiledGlossaries | None:
    try:
        with open(path, "rb") as fh:
            data = fh.read()
    except OSError:
        return None
    # Unpickling makes hundreds of thousands of small objects; with the collector paused
    # it takes a third of the time (and none of them is garbage).
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        found = pickle.loads(data)
    except Exception:  # a damaged or foreign entry is no entry  # noqa: BLE001
        return None
    finally:
        if was_enabled:
            gc.enable()
    return found if isinstance(found, CompiledGlossaries) else None


def _write_entry(folder: Path, name: str, compiled: CompiledGlossaries) -> None:
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(dir=folder, prefix=".glossaries-", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as fh:
                pickle.dump(compiled, fh, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(temporary, folder / name)
        except BaseException:
            os.unlink(temporary)
            raise
        _prune(folder)
    except OSError:
        pass  # no cache: the next run compiles again


def _prune(folder: Path) -> None:
    entries = []
    for path in folder.glob("glossaries-*.pickle"):
        try:
            entries.append((path.stat().st_mtime, path.name, path))
        except OSError:
            continue  # removed by another run meanwhile
    for _, _, path in sorted(entries, reverse=True)[KEEP:]:
        try:
            path.unlink()
        except OSError:
            pass
