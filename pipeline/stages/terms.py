"""Terms stage: normalise policy terminology against the glossaries, flag what it cannot fix.

Reads: each non-boilerplate segment's `cleaned` text, the document's `lang`, and
source text (`Segment.source`, or `Document.source` when segments are not aligned).
Writes: `Segment.cleaned`, one `Edit` per rewritten term (rule `term:<entry id>`),
`Segment.terms` (every glossary term found), `Document.term_notes` (the usage notes of
the entries found, for the review page), `Document.decisions_applied` (rejected term
rewrites it honoured) and these flags:

    term-variant       a variant left in place: the entry's action is `flag`, or the
                       words around it forbid rewriting it (it would change a digit,
                       repeat a word, run into a neighbouring term: see `glossary.rewrite`)
    term-discouraged   a discouraged form, with the glossary's suggestion
    term-forbidden     a forbidden form, with the glossary's suggestion
    term-inconsistent  the document renders one concept in more than one way
    term-missing       the source has a glossary term; the translation renders it in no form
    calque             a discouraged form of an entry tagged `calque` (a literal rendering
                       of a Chinese set phrase), with the suggested rendering

Rewriting keeps a sentence-initial capital and the number found ("relocation sites"
-> "resettlement sites"); text already in the preferred form (extra capitals
allowed) is left alone. Whether a variant is rewritten where it stands is decided
by `glossary.rewrite.plan_rewrite` from the words around it. Digits, URLs and e-mail
addresses are never rewritten.
Entries whose action is `keep` are protected names: text inside them is never touched.
A form whose rewrite a reviewer rejected (`decisions` setting) is accepted where it
stands: not rewritten, not flagged, not counted as an inconsistent rendering.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from pathlib import Path

from ..config import Settings
from ..decisions import Decisions, found_at, load_decisions
from ..document import BOILERPLATE, Document, Edit, Flag, Segment, TermHit, segment_language
from ..glossary import shipped_glossaries
from ..glossary.compiled import CompiledGlossaries, load_compiled
from ..glossary.forms import fold
from ..glossary.matcher import GlossaryMatcher, TermMatch
from ..glossary.rewrite import Rewrite, plan_rewrite
from ..text.edits import TrackedText
from ..text.repeats import repeats_added
from ..text.spans import protected_spans

MAX_ROUNDS = 3
_SPACES = re.compile(r"\s+")


def has_form(found: str, form: str, case_sensitive: bool) -> bool:
    """True when `found` is `form`, allowing extra capitals (a sentence start, a title)."""
    if found == form:
        return True
    found = _SPACES.sub(" ", found)
    if case_sensitive or len(found) != len(form):
        return found == form
    return all(f == p or (p.islower() and f == p.upper()) for f, p in zip(found, form))


def _quote(text: str) -> str:
    return f"\u201c{text}\u201d"


class Terms:
    name = "terms"
    reads = ("Segment.cleaned", "Segment.kind", "Segment.lang", "Segment.source", "Document.lang", "Document.source")
    writes = ("Segment.cleaned", "Segment.edits", "Segment.terms", "Segment.flags", "Document.term_notes",
              "Document.decisions_applied")
    shares = ("glossaries", "decisions")

    def __init__(self, settings: Settings, glossaries: CompiledGlossaries | None = None,
                 decisions: Decisions | None = None):
        """`glossaries` and `decisions`: the run's (`stages.Shared`); else the glossaries
        named by `settings` (or the shipped ones) from the compiled-glossary cache
        (`glossary.compiled`), and the decisions of the `decisions` setting."""
        compiled = glossaries if glossaries is not None else load_compiled(
            list(settings.glossaries) or shipped_glossaries())
        self.glossaries = compiled.glossaries
        self.matchers = compiled.matchers
        self.source_matchers = compiled.source_matchers
        self.decisions = decisions if decisions is not None else load_decisions(settings.decisions)

    def describe(self) -> list[dict]:
        """Which glossaries the stage uses, for the batch summary."""
        return [{"name": g.name, "file": Path(g.path).name, "entries": len(g.entries),
                 "languages": g.target_languages} for g in self.glossaries]

    def __call__(self, doc: Document) -> Document:
        lang = doc.lang
        matcher = self.matchers.get(lang)
        if matcher is None:
            return doc
        hits: list[tuple[Segment, TermMatch]] = []
        for seg in doc.segments:
            if seg.kind == BOILERPLATE:
                continue
            if segment_language(seg, doc) != lang:
                continue  # another language's text: this glossary does not apply
            for match in self._normalise(doc, seg, matcher, lang):
                hits.append((seg, match))
        self._flag_inconsistent(hits, lang)
        self._flag_missing(doc, hits, lang)
        return doc

    # -- one segment -------------------------------------------------------------------

    def _target(self, match: TermMatch, lang: str) -> str:
        """The preferred form, in the grammatical number that was found (worked out when
        the glossary was compiled)."""
        return match.candidate.preferred

    def _plan(self, text: str, match: TermMatch, matches: list[TermMatch], lang: str) -> Rewrite | str | None:
        """How to rewrite `match` in `text`, why it stays (a reason to flag), or None when
        there is nothing to do (a form that is not rewritten, or already the preferred one)."""
        cand = match.candidate
        if cand.status not in ("preferred", "variant"):
            return None
        if cand.status == "variant" and cand.entry.action != "replace":
            return None
        target = self._target(match, lang)
        if has_form(match.text, target, cand.entry.case_sensitive):
            return None
        others = [(m.start, m.end) for m in matches if m is not match]
        return plan_rewrite(text, match.start, match.end, target, cand.entry.case_sensitive, others, lang)

    def _rejections(self, doc: Document, seg: Segment) -> tuple[set[str], list[tuple[int, int]]]:
        """Rules (version-1 decisions) and places (spans of the input) where a reviewer
        rejected a term rewrite in this segment; records each decision that applies."""
        rules, spans = set(), []
        for decision in self.decisions.rejected_edits(seg.original, self.name):
            span = found_at(seg.cleaned, decision) if decision.placed else None
            if decision.placed and span is None:
                continue  # the text there changed: the decision no longer matches
            if span is None:
                rules.update(decision.rule.split("+"))
            else:
                spans.append(span)
            doc.decisions_applied.append((seg.index, decision))
        return rules, spans

    def _normalise(self, doc: Document, seg: Segment, matcher: GlossaryMatcher, lang: str) -> list[TermMatch]:
        tracked = TrackedText(seg.cleaned)
        rejected_rules, rejected_spans = self._rejections(doc, seg)

        def accepted(m: TermMatch) -> bool:
            """A reviewer rejected rewriting this form here, so accepted it: it is not
            rewritten, flagged as a variant, or counted as an inconsistent rendering."""
            if f"term:{m.candidate.entry.id}" in rejected_rules:
                return True
            now = (tracked.current_span(a, b) for a, b in rejected_spans)
            return any(span and span[0] < m.end and m.start < span[1] for span in now)

        def plans(matches: list[TermMatch]) -> list[Rewrite | str | None]:
            return [None if accepted(m) else self._plan(tracked.text, m, matches, lang) for m in matches]

        matches = matcher.find(tracked.text, protected_spans(tracked.text))
        planned = plans(matches)
        for _ in range(MAX_ROUNDS):
            changes = [(m, plan) for m, plan in zip(matches, planned) if isinstance(plan, Rewrite)]
            if not changes:
                break
            made_from = len(tracked.text) + 1  # start of the leftmost change made this round
            for m, plan in reversed(changes):  # right to left keeps the offsets on the left valid
                current = tracked.text
                if plan.end > made_from or repeats_added(current, plan.start, plan.end, plan.after):
                    continue  # it would clash with the rewrite just made on its right
                tracked.replace(plan.start, plan.end, plan.after, f"term:{m.candidate.entry.id}")
                made_from = plan.start
            matches = matcher.find(tracked.text, protected_spans(tracked.text))
            planned = plans(matches)
        seg.edits.extend(Edit(self.name, rule, before, after, start, end)
                         for start, end, before, after, rule in tracked.edits())
        seg.cleaned = tracked.text
        counted = []
        for m, plan in zip(matches, planned):  # the plans of the text as it now stands
            flag = not accepted(m)
            self._record(doc, seg, m, lang, plan, flag=flag)
            if flag and m.candidate.status != "keep":
                counted.append(m)
        return counted

    def _record(self, doc: Document, seg: Segment, m: TermMatch, lang: str, plan: Rewrite | str | None,
                flag: bool = True) -> None:
        cand = m.candidate
        if cand.status == "keep":
            return
        entry = cand.entry
        target = self._target(m, lang)
        seg.terms.append(TermHit(entry.id, cand.status, m.start, m.end, target))
        if not flag:
            return  # a form a reviewer accepted here
        note = entry.targets[lang].note or entry.note
        if note:
            doc.term_notes[entry.id] = note
        tail = f" Glossary note: {note}" if note else ""
        if cand.status == "variant":
            if entry.action != "replace":
                why = "the glossary flags this variant instead of rewriting it"
            elif isinstance(plan, str):
                why = f"not rewritten because {plan}; check it by hand"
            else:
                why = "not rewritten because it would clash with a neighbouring rewrite; check it by hand"
            seg.flags.append(Flag("term-variant", "warning",
                                  f"{_quote(m.text)} is a variant of the preferred {_quote(target)} "
                                  f"[{entry.id}]; {why}.{tail}", m.start, m.end, suggestion=target))
        elif cand.status in ("discouraged", "forbidden"):
            advice = cand.suggestion or target
            if "calque" in entry.tags:
                seg.flags.append(Flag("calque", "warning", f"{_quote(m.text)} is a literal rendering of a Chinese "
                                      f"set phrase [{entry.id}]: write {advice}.{tail}", m.start, m.end,
                                      suggestion=advice))
                return
            seg.flags.append(Flag(f"term-{cand.status}", "error" if cand.status == "forbidden" else "warning",
                                  f"{_quote(m.text)} is a {cand.status} rendering [{entry.id}]: "
                                  f"use {advice}.{tail}", m.start, m.end, suggestion=advice))

    # -- the whole document --------------------------------------------------------------

    def _flag_inconsistent(self, hits: list[tuple[Segment, TermMatch]], lang: str) -> None:
        by_entry: dict[str, list[tuple[Segment, TermMatch]]] = defaultdict(list)
        for seg, m in hits:
            if m.candidate.status in ("preferred", "variant"):
                by_entry[m.candidate.entry.id].append((seg, m))
        for entry_id, found in sorted(by_entry.items()):
            forms = Counter(fold(m.candidate.form) for _seg, m in found)
            if len(forms) < 2:
                continue
            listing = ", ".join(f"{_quote(form)} ({n}\u00d7)" for form, n in sorted(forms.items()))
            for seg, m in found:
                seg.flags.append(Flag("term-inconsistent", "warning",
                                      f"This document renders one concept [{entry_id}] in {len(forms)} ways: "
                                      f"{listing}; the glossary prefers {_quote(self._target(m, lang))}.",
                                      m.start, m.end, suggestion=self._target(m, lang)))

    def _flag_missing(self, doc: Document, hits: list[tuple[Segment, TermMatch]], lang: str) -> None:
        source_matcher = self.source_matchers[lang]
        # segment index -> entries rendered in any form (a variant or discouraged form has
        # its own flag; term-missing is for a concept the translation dropped)
        rendered: dict[int, set[str]] = defaultdict(set)
        for seg, m in hits:
            rendered[seg.index].add(m.candidate.entry.id)
        body = [s for s in doc.segments if s.kind != BOILERPLATE]
        aligned = [s for s in body if s.source and s.cleaned.strip()]  # an empty target is flagged empty-target
        if aligned:
            for seg in aligned:
                self._missing(seg, source_matcher.find(seg.source), rendered[seg.index], lang, "")
        elif doc.source and body:
            everywhere = set().union(*rendered.values()) if rendered else set()
            self._missing(body[0], source_matcher.find(doc.source), everywhere, lang,
                          " (document-level check: the source is not aligned to sentences)")

    def _missing(self, seg: Segment, found: list[TermMatch], rendered: set[str], lang: str, scope: str) -> None:
        reported: set[str] = set()
        for m in found:
            entry = m.candidate.entry
            if entry.id in rendered or entry.id in reported or entry.action == "keep":
                continue
            reported.add(entry.id)
            seg.flags.append(Flag("term-missing", "warning",
                                  f"The source has {_quote(m.text)} but the translation lacks the glossary's "
                                  f"{_quote(entry.targets[lang].preferred)} [{entry.id}]{scope}.",
                                  0, len(seg.cleaned), suggestion=entry.targets[lang].preferred))
