"""The output folder of a run: checked before any work, held by one run at a time, and
cleared of what a killed run left.

`OutputFolder.claim(out)` makes the folder if it is missing and refuses (a `SettingsError`,
exit 2, before anything is processed) a path that is a file or a folder it cannot write
to. It then takes an exclusive lock on `out/.lock` with `fcntl.flock` (the standard
library's advisory lock: released by the kernel when the process ends, however it ends,
so a killed run never leaves a stale lock behind); a second run into the same folder
fails at once, naming the process that holds it. Holding the lock, it removes the
temporary files a killed run left (`.<name>.<pid...>.tmp` beside the outputs) and marks
the folder incomplete (`INCOMPLETE`, removed by `finish()` when the run has written
everything), so a folder whose run died half way says so.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from ..config import SettingsError

try:
    import fcntl
except ImportError:  # not POSIX: runs are not locked against each other
    fcntl = None

LOCK = ".lock"
INCOMPLETE = "INCOMPLETE"
# The writers put their temporary files beside what they write (`outputs._temporary`:
# ".<name>.<pid...>.tmp", in the folder or any folder in it); the cache's manifest in .cache.
_TEMPORARY = ".*.tmp"
_CACHE_TEMPORARY = (".cache", "*.tmp")


@dataclass
class OutputFolder:
    path: Path
    lock: object = None  # the open lock file, held for the run

    @classmethod
    def claim(cls, out: Path) -> OutputFolder:
        if out.exists() and not out.is_dir():
            raise SettingsError(f"--out {out} is a file, not a folder")
        try:
            out.mkdir(parents=True, exist_ok=True)
            with tempfile.NamedTemporaryFile(dir=out, prefix=".probe.", suffix=".tmp"):
                pass
        except OSError as exc:
            raise SettingsError(f"cannot write to the output folder {out}: {exc.strerror or exc}") from None
        folder = cls(out)
        folder._lock()
        folder._clear_leftovers()
        (out / INCOMPLETE).write_text(folder.incomplete_message() + "\n", encoding="utf-8")
        return folder

    def incomplete_message(self) -> str:
        return (f"A run (process {os.getpid()}) is writing to this folder, or died before it finished: "
                f"its outputs may be partly old, partly new.")

    def _lock(self) -> None:
        if fcntl is None:
            return
        handle = open(self.path / LOCK, "a+", encoding="utf-8")  # noqa: SIM115 - held open for the run
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            handle.seek(0)
            holder = handle.read().strip() or "another process"
            handle.close()
            raise SettingsError(f"another run ({holder}) is writing to {self.path}; wait for it to finish "
                                f"or choose another output folder") from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"process {os.getpid()}\n")
        handle.flush()
        self.lock = handle

    def _clear_leftovers(self) -> None:
        """Temporary files of runs that were killed: no run holds the lock, so none is in use.
        Every folder of outputs is searched, not a list of them: a new kind of output
        (chrome/, reviewed/) needs no entry here."""
        folders = [self.path] + [sub for sub in self.path.iterdir() if sub.is_dir() and not sub.is_symlink()]
        found = [path for folder in folders for path in folder.glob(_TEMPORARY)]
        found += (self.path / _CACHE_TEMPORARY[0]).glob(_CACHE_TEMPORARY[1])
        for path in found:
            try:
                path.unlink()
            except OSError:
                pass

    def finish(self) -> None:
        """The run wrote everything: the folder is complete."""
        (self.path / INCOMPLETE).unlink(missing_ok=True)

    def release(self) -> None:
        if self.lock is not None:
            self.lock.truncate(0)  # the holder's pid goes with it: two runs leave the same folder
            self.lock.close()
            self.lock = None

    def __enter__(self) -> OutputFolder:
        return self

    def __exit__(self, *_exc) -> None:
        self.release()
