"""Severity stage: the severities the run's settings give flag codes.

Reads: each segment's `flags`. Writes: `Segment.flags`, each flag whose code the
`severities` setting names ("fragment=info", "term-variant=error") with that severity: how
a profile says which findings matter for a client or a language pair, in every output
(segments.jsonl, the pages, the QA reports) and in the quality score alike. It runs after
the garble stage, so a garbled verdict is the checks' own, and before the quality stage,
which weighs the severities given.
"""

from __future__ import annotations

from dataclasses import replace

from ..config import Settings
from ..document import Document


class Severities:
    name = "severity"
    reads = ("Segment.flags",)
    writes = ("Segment.flags",)
    shares = ()

    def __init__(self, settings: Settings):
        self.given = dict(item.split("=", 1) for item in settings.severities)

    def describe(self) -> None:
        return None  # the severities are a setting, which the summary has

    def __call__(self, doc: Document) -> Document:
        if not self.given:
            return doc
        for seg in doc.segments:
            if any(flag.code in self.given for flag in seg.flags):
                seg.flags = [replace(flag, severity=self.given[flag.code]) if flag.code in self.given else flag
                             for flag in seg.flags]
        return doc
