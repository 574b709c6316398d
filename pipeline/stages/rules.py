"""Rules stage: the user's pattern rules (`--rules FILE`, see `pipeline.text.pattern_rules`).

Reads: each non-boilerplate segment's `cleaned` text and language.
Writes: a `Segment.flags` entry per match of a rule that applies to the segment's
language, with the rule's code, severity, message and suggestion, at the match. Runs
after the text is cleaned and before the garble stage, which drops skipped codes and
dismissed flags from these as from its own (they carry no weight in the garble score).
Without a rules file it does nothing.
"""

from __future__ import annotations

from ..checks import EXPLANATIONS
from ..config import Settings
from ..document import BOILERPLATE, Document, Flag, segment_language
from ..text.pattern_rules import load_rules


class PatternRules:
    name = "rules"
    reads = ("Segment.cleaned", "Segment.kind", "Segment.lang", "Document.lang")
    writes = ("Segment.flags",)
    shares = ()

    def __init__(self, settings: Settings):
        self.rule_set = load_rules(settings.rules, reserved=frozenset(EXPLANATIONS)) if settings.rules else None

    def describe(self) -> dict | None:
        """The rules file in use, for the batch summary."""
        if self.rule_set is None:
            return None
        return {"name": self.rule_set.name, "path": self.rule_set.path, "rules": len(self.rule_set.rules)}

    def __call__(self, doc: Document) -> Document:
        if self.rule_set is None:
            return doc
        for seg in doc.segments:
            if seg.kind == BOILERPLATE or not seg.cleaned.strip():
                continue
            lang = segment_language(seg, doc)
            for rule in self.rule_set.rules:
                if not rule.applies_to(lang):
                    continue
                for match in rule.pattern.finditer(seg.cleaned):
                    if match.end() > match.start():
                        message, suggestion = rule.told(match)
                        seg.flags.append(Flag(rule.code, rule.severity, message, match.start(), match.end(),
                                              suggestion=suggestion))
        return doc
