"""Quality stage: the document's quality score, from the flags the stages before raised.

Reads: each segment's `kind`, `cleaned` text and `flags` (after the garble stage, which
drops skipped and dismissed flags), and the document's text as read (to find a reviewer's
verdict on it). Writes: `Document.quality`, and `Document.decisions_applied` when a
reviewer's verdict stands in place of the score's.

The score follows MQM's scoring model, as review teams use it (memoQ's LQA, Trados TQA):
every flag on the text, chrome aside, is an error of its code's ITS 2.0 issue type
(`formats.issue_types`) and of a severity: minor for a warning, major for an error,
critical for a code of the `lqa_critical_codes` setting; an info flag is neutral and not
counted. Each severity weighs its points (`lqa_minor_points` 1, `lqa_major_points` 5,
`lqa_critical_points` 10); the points per 1,000 words of the text are the score, and the
document passes when the score is at most `lqa_threshold` (10: two major errors, or ten
minor ones, in 1,000 words). A reviewer may overrule that verdict, with a reason (the
`override-quality` decision, `pipeline.decisions`): the document then passes or fails as
they said, its score kept beside. The batch's score is its documents' points over their
words (`outputs.write`).
"""

from __future__ import annotations

import re
from collections import Counter

from ..config import Settings
from ..decisions import Decisions, load_decisions
from ..document import BOILERPLATE, Document, Quality, VerdictOverride
from ..formats.issue_types import issue_type

# A word: a number ("1,200", "3.5"), or a run of letters and digits with inner apostrophes
# and hyphens ("don't", "well-being"); in scripts written without spaces, each character,
# as translation tools count Chinese and Japanese.
_SPACELESS = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_LETTERS = f"(?:(?![{_SPACELESS}])[^\\W_])+"
_WORD = re.compile(f"[{_SPACELESS}]|\\d+(?:[.,]\\d+)+|{_LETTERS}(?:['’-]{_LETTERS})*")


def count_words(text: str) -> int:
    return len(_WORD.findall(text))


class QualityScore:
    name = "quality"
    reads = ("Segment.kind", "Segment.cleaned", "Segment.flags", "Document.text")
    writes = ("Document.quality", "Document.decisions_applied")
    shares = ("decisions",)

    def __init__(self, settings: Settings, decisions: Decisions | None = None):
        """`decisions`: the run's (`stages.Shared`); else those the settings name."""
        self.decisions = decisions if decisions is not None else load_decisions(settings.decisions)
        self.threshold = settings.lqa_threshold
        self.points = {"minor": settings.lqa_minor_points, "major": settings.lqa_major_points,
                       "critical": settings.lqa_critical_points}
        self.critical = frozenset(settings.lqa_critical_codes)

    def describe(self) -> None:
        return None  # the weights and the threshold are settings, which the summary has

    def severity(self, code: str, flag_severity: str) -> str | None:
        """The error's severity, or None for a neutral flag (not counted)."""
        if code in self.critical:
            return "critical"
        return {"warning": "minor", "error": "major"}.get(flag_severity)

    def __call__(self, doc: Document) -> Document:
        words, errors = 0, Counter()
        for seg in doc.segments:
            if seg.kind == BOILERPLATE:
                continue
            words += count_words(seg.cleaned)
            for flag in seg.flags:
                severity = self.severity(flag.code, flag.severity)
                if severity is not None:
                    errors[issue_type(flag.code), severity] += 1
        points = sum(self.points[severity] * n for (_kind, severity), n in errors.items())
        by_type: dict[str, dict[str, int]] = {}
        for (kind, severity), n in errors.items():
            by_type.setdefault(kind, {})[severity] = n
        decided = self.decisions.verdict_override(doc.text)
        override = None
        if decided is not None:
            override = VerdictOverride(decided.verdict, decided.reason, decided.reviewer, decided.at, decided.number)
            doc.decisions_applied.append((None, decided))  # the document's, no segment's
        doc.quality = Quality(words, points, self.threshold, by_type, override)
        return doc
