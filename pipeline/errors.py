"""What a command can end with: the exit codes, and one base for the errors a user can act
on, each carrying the code its command ends with (`cli` catches this one class)."""

from __future__ import annotations

EXIT_OK = 0
EXIT_SOME_FAILED = 1  # some documents failed, each named; the others were written
EXIT_USAGE = 2  # a bad option, setting, glossary or file to work with: nothing was done
EXIT_NEW_FLAGS = 3  # --fail-on: the run has flags its baseline did not, or (lqa) fails its quality score
EXIT_INTERRUPTED = 130  # Ctrl-C, as shells report a SIGINT


class PipelineError(Exception):
    """An error the user can act on: its message says what and where, without a traceback."""

    exit_code = EXIT_USAGE
