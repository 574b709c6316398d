"""Post-edit stage: a reviewer's own sentence in place of the cleaned one.

Reads: each segment's `cleaned` text and the reviewer decisions (the `decisions`
setting: a review database or an exported decisions file). Writes: for each segment a
reviewer post-edited, `Segment.cleaned` is their sentence, recorded as one `Edit` (rule
`post-edit`) over the whole text; the flags and term matches the stages before found in
the text it replaced are dropped, their spans being in text that is gone; and
`Document.decisions_applied`. It runs after every stage that changes the text, so no
rule rewrites what the reviewer wrote, and before the user's rules and the garble
checks, which judge the reviewer's sentence as they judge any other.
"""

from __future__ import annotations

from ..config import Settings
from ..decisions import Decisions, load_decisions
from ..document import Document, Edit


class PostEdit:
    name = "post-edit"
    reads = ("Segment.original", "Segment.cleaned")
    writes = ("Segment.cleaned", "Segment.edits", "Segment.flags", "Segment.terms", "Document.decisions_applied")
    shares = ("decisions",)

    def __init__(self, settings: Settings, decisions: Decisions | None = None):
        """`decisions`: the run's (`stages.Shared`); else those of the `decisions` setting."""
        self.decisions = decisions if decisions is not None else load_decisions(settings.decisions)

    def describe(self) -> None:
        return None  # the decisions file is in the settings, which the summary has

    def __call__(self, doc: Document) -> Document:
        if not len(self.decisions):
            return doc
        for seg in doc.segments:
            decision = self.decisions.post_edit(seg.original)
            if decision is None:
                continue
            doc.decisions_applied.append((seg.index, decision))
            if decision.text == seg.cleaned:
                continue
            seg.edits.append(Edit(self.name, "post-edit", seg.cleaned, decision.text, 0, len(seg.cleaned)))
            seg.cleaned = decision.text
            seg.flags = []
            seg.terms = []
        return doc
