"""How a run's progress is shown on standard error: on a terminal, a bar counting the bytes
of the input files (a 20 MB page and a 2 KB one are not two equal steps); elsewhere (a CI
log, a pipe) a line every `EVERY_SECONDS`, so a long file is seen to be worked on."""

from __future__ import annotations

import os
import sys
import threading
import time
from pathlib import Path

from ..document import counted

EVERY_SECONDS = 10.0


def _size(path: Path) -> int:
    try:
        return os.stat(path).st_size
    except OSError:  # standard input, or a file gone since it was found
        return 0


def _human(n: float) -> str:
    if n < 1000:
        return f"{n:.0f} bytes"
    for unit in ("KB", "MB"):
        n /= 1000
        if n < 1000:
            return f"{n:.1f} {unit}"
    return f"{n / 1000:.1f} GB"


class RunProgress:
    """`started`, `file_done` and `problem` for `batch.Progress`; `close()` when the run ends."""

    def __init__(self, quiet: bool, stream=sys.stderr, every: float = EVERY_SECONDS):
        from tqdm import tqdm

        self.stream, self.every, self.quiet = stream, every, quiet
        self.terminal = stream.isatty()
        self.bar = tqdm(total=0, unit="B", unit_scale=True, file=stream, disable=quiet or not self.terminal,
                        leave=False)
        self.sizes: dict[Path, int] = {}
        self.total = self.done = self.files_done = 0
        self.began = time.monotonic()
        self.stopped = threading.Event()
        self.lock = threading.Lock()

    def started(self, files: list[Path]) -> None:
        self.sizes = {path: _size(path) for path in files}
        self.total = sum(self.sizes.values())
        self.bar.total = self.total
        self.bar.refresh()
        if not self.quiet and not self.terminal:
            threading.Thread(target=self._tell_every, daemon=True).start()

    def file_done(self, path: Path) -> None:
        with self.lock:
            size = self.sizes.get(path, 0)
            self.done += size
            self.files_done += 1
        self.bar.update(size)

    def problem(self, message: str) -> None:
        self.bar.clear()
        print(message, file=self.stream)

    def line(self) -> str:
        with self.lock:
            return (f"progress: {_human(self.done)} of {_human(self.total)} done ({self.files_done} of "
                    f"{len(self.sizes)} files), {time.monotonic() - self.began:.0f} s")

    def _tell_every(self) -> None:
        while not self.stopped.wait(self.every):
            print(self.line(), file=self.stream, flush=True)

    def close(self) -> None:
        self.stopped.set()
        self.bar.close()


def say_result(result, destination: str, baseline: str | None, quiet: bool = False, stream=None) -> None:
    """What a finished run did, on standard error: counts and glossaries (unless `quiet`),
    the judge's note, missing dictionaries, reviewer decisions that no longer match, and
    the flags new since `baseline`. `result` is a `run.batch.BatchResult`."""
    summary, reused_count = result.summary, result.reused
    stream = stream or sys.stderr  # read when called: a test may have replaced it
    if not quiet:
        totals = summary["totals"]
        glossaries = summary["resources"].get("terms", [])
        used = ", ".join(f"{g['name']} ({g['entries']} entries)" for g in glossaries)
        reused = f" ({reused_count} unchanged since the last run, not redone)" if reused_count else ""
        print(f"{counted(totals['documents'], 'document')} processed{reused}, {totals['failed']} failed; "
              f"{counted(totals['segments'], 'segment')}, {counted(totals['edits'], 'edit')}, "
              f"{counted(totals['flags'], 'flag')} -> {destination}\n"
              f"glossaries: {used or 'none found (glossaries/ is missing; name one with --glossary)'}",
              file=stream)
    judge_note = (summary["resources"].get("garble") or {}).get("judge_note")
    if judge_note:
        print(f"note: {judge_note}", file=stream)
    spelling = summary["resources"].get("spelling") or {}
    if spelling.get("unavailable") and not quiet:
        print(f"spelling: not checked: {spelling['unavailable']}", file=stream)
    missing = spelling.get("missing")
    if missing and not quiet:
        print("spelling: no dictionary for " + ", ".join(f"{lang} (apt-get install {package})"
                                                      for lang, package in missing.items())
              + "; those languages are not checked", file=stream)
    decided = summary.get("decisions")
    if decided is not None:
        print(f"reviewer decisions: {decided['applied']} of {decided['total']} applied"
              + (f"; {len(decided['stale'])} no longer match (listed in summary.json):" if decided["stale"] else ""),
              file=stream)
        for item in decided["stale"][:20]:
            print(f"  {item['why']}", file=stream)
    comparison = summary.get("baseline")
    if comparison is not None:
        print(f"against {baseline}: {comparison['new']} new flags, {comparison['fixed']} fixed, "
              f"{comparison['unchanged']} unchanged", file=stream)
        for item in comparison["new_flags"][:20]:
            print(f"  new {item['severity']} {item['code']} in {item['doc']} #{item['index']}: {item['message']}",
                  file=stream)
