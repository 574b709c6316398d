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

Most entries are pickles, loaded whole. A large table asked only a few thousand keys a
run (a lexicon of 100,000 words) is kept as a `DiskTable` instead: an SQLite file read in
place, a key at a time, so it costs neither start-up time nor memory.
"""

from __future__ import annotations

import gc
import hashlib
import os
import pickle
import sqlite3
import tempfile
from collections.abc import Callable, Iterable
from contextlib import closing
from functools import lru_cache
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
        digest.update(f"{library} {_version(library)}\0".encode())
    for part in parts:
        data = part if isinstance(part, bytes) else part.encode("utf-8", "surrogateescape")
        digest.update(len(data).to_bytes(8, "big") + data)
    return digest.hexdigest()


@lru_cache(maxsize=None)
def _version(library: str) -> str:
    """The installed version of `library` ("-" when it is not installed): asked once per
    process, since each ask reads the installed packages' metadata (1 to 2 ms)."""
    try:
        return metadata.version(library)
    except metadata.PackageNotFoundError:
        return "-"


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


def _prune(folder: Path, name: str, suffix: str = ".pickle") -> None:
    entries = []
    for path in folder.glob(f"{name}-*{suffix}"):
        try:
            entries.append((path.stat().st_mtime, path.name, path))
        except OSError:
            continue  # removed by another run meanwhile
    for _, _, path in sorted(entries, reverse=True)[KEEP:]:
        try:
            path.unlink()
        except OSError:
            pass


class DiskTable:
    """A read-only str -> value table in an SQLite file, looked up a key at a time.

    Each process opens its own connection on first use: SQLite connections must not
    cross a fork, and a run's workers are forked after the warm-up has used the table."""

    def __init__(self, path: Path):
        self.path = path
        self._connection: sqlite3.Connection | None = None
        self._pid = 0

    def __reduce__(self):
        return DiskTable, (self.path,)

    def get(self, key: str, default=None):
        row = self._db().execute("SELECT value FROM entries WHERE key = ?", (key,)).fetchone()
        return default if row is None else row[0]

    def __len__(self) -> int:
        return self._db().execute("SELECT count(*) FROM entries").fetchone()[0]

    def _db(self) -> sqlite3.Connection:
        if self._pid != os.getpid():
            # immutable: the file never changes once renamed into place, so no locking
            uri = self.path.resolve().as_uri() + "?mode=ro&immutable=1"
            self._connection = sqlite3.connect(uri, uri=True, check_same_thread=False)
            self._pid = os.getpid()
        return self._connection


def cached_table(name: str, key: str, rows: Callable[[], Iterable[tuple[str, object]]]) -> DiskTable | None:
    """The table `name`-`key` from the cache folder, built from `rows()` (key, value pairs;
    values a str, int, float or bytes) when it is not there or cannot be read; None when the
    cache is off or cannot be written, for the caller to answer without it."""
    folder = cache_folder()
    if folder is None:
        return None
    path = folder / f"{name}-{key}.sqlite"
    if _readable_table(path):
        return DiskTable(path)
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(dir=folder, prefix=f".{name}-", suffix=".tmp")
        os.close(fd)
        try:
            with closing(sqlite3.connect(temporary)) as db:
                db.execute("CREATE TABLE entries (key TEXT PRIMARY KEY, value) WITHOUT ROWID")
                db.executemany("INSERT INTO entries VALUES (?, ?)", rows())
                db.commit()
            os.replace(temporary, path)
        except BaseException:
            os.unlink(temporary)
            raise
    except (OSError, sqlite3.Error):
        return None
    _prune(folder, name, ".sqlite")
    return DiskTable(path)


def _readable_table(path: Path) -> bool:
    if not path.is_file():
        return False
    try:
        DiskTable(path).get("")
    except sqlite3.Error:  # damaged, or not a table of ours
        return False
    return True
