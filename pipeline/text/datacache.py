"""Data derived from files and libraries, kept between runs in the user's cache folder.

Some of what a run prepares before its first document depends only on inputs that
rarely change: a glossary's automata on the glossary files, the line model's common
words on wordfreq's lists. Building them costs a run (and every worker) a large share of
its start-up; loading them back costs a fraction. Each is kept under a name and a key
that hashes everything it depends on, so a change of any input is a different entry.

The folder is `$PIPELINE_CACHE_DIR`, else `$XDG_CACHE_HOME/pipeline`, else
`~/.cache/pipeline`; `PIPELINE_CACHE_DIR=""` turns the cache off. It lies outside every
output folder, is created private to the user (entries are pickles: only the user's own
files are ever loaded) and is safe for concurrent runs: an entry is written to a
temporary file and renamed into place whole, so a reader sees a whole entry or none. An
entry that cannot be read is ignored and rebuilt; a folder that cannot be written only
means no cache. The newest `KEEP` entries of each name are kept.
"""

from __future__ import annotations

import gc
import hashlib
import os
import pickle
import tempfile
from collections.abc import Callable, Iterable
from importlib import metadata
from pathlib import Path

KEEP = 8  # entries kept per name: a few glossary sets in use at once, without growing for ever


def cache_folder() -> Path | None:
    """Where derived data is kept, or None when the cache is off."""
    chosen = os.environ.get("PIPELINE_CACHE_DIR")
    if chosen is not None:
        return Path(chosen) if chosen else None
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "pipeline"


def key_of(parts: Iterable[bytes | str], libraries: Iterable[str] = ()) -> str:
    """A hash of `parts` (in order) and of the installed versions of `libraries`."""
    digest = hashlib.sha256()
    for library in libraries:
        try:
            digest.update(f"{library} {metadata.version(library)}\0".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{library} -\0".encode())
    for part in parts:
        data = part if isinstance(part, bytes) else part.encode("utf-8", "surrogateescape")
        digest.update(len(data).to_bytes(8, "big") + data)
    return digest.hexdigest()


def cached(name: str, key: str | None, build: Callable[[], object], kind: type,
           still_valid: Callable[[], bool] = lambda: True):
    """The entry `name`-`key` from the cache folder when it holds one of type `kind`, else
    `build()`, kept for later runs when `still_valid()` says its inputs did not change
    while it was built. A `key` of None (inputs that cannot be hashed) builds without
    keeping."""
    folder = cache_folder()
    if folder is None or key is None:
        return build()
    found = _read_entry(folder / f"{name}-{key}.pickle", kind)
    if found is not None:
        return found
    built = build()
    if still_valid():
        _write_entry(folder, name, f"{name}-{key}.pickle", built)
    return built


def _read_entry(path: Path, kind: type):
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
    return found if isinstance(found, kind) else None


def _write_entry(folder: Path, name: str, file_name: str, value: object) -> None:
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(dir=folder, prefix=f".{name}-", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as fh:
                pickle.dump(value, fh, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(temporary, folder / file_name)
        except BaseException:
            os.unlink(temporary)
            raise
        _prune(folder, name)
    except OSError:
        pass  # no cache: the next run builds again


def _prune(folder: Path, name: str) -> None:
    entries = []
    for path in folder.glob(f"{name}-*.pickle"):
        try:
            entries.append((path.stat().st_mtime, path.name, path))
        except OSError:
            continue  # removed by another run meanwhile
    for _, _, path in sorted(entries, reverse=True)[KEEP:]:
        try:
            path.unlink()
        except OSError:
            pass
