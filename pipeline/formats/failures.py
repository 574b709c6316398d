"""What a file that cannot be read becomes: a failure of its own, with a one-line reason.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import EXIT_SOME_FAILED, PipelineError


class ReadError(PipelineError):
    """A file (or one JSONL line) that cannot be turned into a document: it fails alone."""

    exit_code = EXIT_SOME_FAILED


@dataclass
class ReadFailure:
    doc: str
    path: str
    reason: str


class BilingualError(PipelineError, ValueError):
    """A bilingual file that cannot be read; the message says where. It fails alone."""

    exit_code = EXIT_SOME_FAILED
