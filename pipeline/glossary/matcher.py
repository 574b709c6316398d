"""GlossaryMatcher: every form of every entry, compiled once into one Aho-Corasick automaton.

Finding terms costs one pass over the text plus the matches found, whatever the
glossary's size: the automaton (pyahocorasick) is searched on a folded copy of the
text (lower case, hyphen and white-space runs as one space, straight apostrophes),
and each hit is mapped back to offsets in the original text.

Candidates then go through, in order: word boundaries (not needed between Chinese
or Japanese characters), case (a case-sensitive entry must match exactly), protected
spans (URLs, e-mail addresses), and overlap resolution: the longest match wins; among
equal spans `keep` beats `preferred` beats `variant` beats `forbidden` beats
`discouraged`, then the entry id decides, so the outcome never depends on order.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable
from dataclasses import dataclass

import ahocorasick

from .forms import SPACE_RUNS, fold, fold_separators, other_number
from .model import Entry

STATUS_RANK = {"keep": 0, "preferred": 1, "variant": 2, "forbidden": 3, "discouraged": 4, "source": 5}
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af]")


@dataclass(frozen=True)
class Candidate:
    """One way a key can be read: a form of an entry, maybe in the other number."""

    entry: Entry
    status: str  # keep | preferred | variant | discouraged | forbidden
    form: str  # the form as the glossary writes it
    written: str  # the form as it must appear in text: `form`, or `form` in the other number
    suggestion: str = ""
    preferred: str = ""  # the entry's preferred form in the number of `written` (target forms)

    @property
    def flipped(self) -> bool:
        """True when the text has the form's head noun in the other grammatical number."""
        return self.written != self.form


@dataclass(frozen=True)
class TermMatch:
    start: int
    end: int
    text: str
    candidate: Candidate


def _is_word(ch: str) -> bool:
    return (ch.isalnum() or ch == "_") and not _CJK.match(ch)


class FoldedText:
    """`text` folded as `forms.fold` does (without stripping), mapping offsets back.

    Folding is one-for-one except that a run of spaces becomes one space, so the
    map back only needs the places where runs were shortened.
    """

    def __init__(self, text: str):
        spaced = fold_separators(text)
        lowered = spaced.lower()
        if len(lowered) != len(spaced):  # a few characters lower-case to two ("İ")
            lowered = "".join(c.lower() if len(c.lower()) == 1 else c for c in spaced)
        self._after: list[int] = []  # folded index from which `_removed` applies
        self._removed: list[int] = []  # characters dropped before that index, in total
        pieces, pos, removed = [], 0, 0
        for m in SPACE_RUNS.finditer(lowered) if "  " in lowered else ():  # most texts have no run
            pieces.append(lowered[pos:m.start() + 1])
            self._after.append(m.start() + 1 - removed)
            removed += m.end() - m.start() - 1
            self._removed.append(removed)
            pos = m.end()
        pieces.append(lowered[pos:])
        self.text = "".join(pieces) if self._after else lowered

    def original(self, index: int) -> int:
        """Offset in the original text of the folded character at `index` (not a space)."""
        i = bisect.bisect_right(self._after, index)
        return index + (self._removed[i - 1] if i else 0)


class GlossaryMatcher:
    """Finds glossary forms in text. Build once per glossary and language; reuse for every text."""

    def __init__(self, candidates: Iterable[tuple[str, Candidate]]):
        self._automaton = ahocorasick.Automaton()
        index: dict[str, list[Candidate]] = {}
        for key, candidate in candidates:
            if key:
                index.setdefault(key, []).append(candidate)
        for key, cands in index.items():
            cands.sort(key=lambda c: (STATUS_RANK[c.status], c.entry.id, c.flipped))
            self._automaton.add_word(key, (len(key), tuple(cands)))
        self.size = len(index)
        if self.size:
            self._automaton.make_automaton()

    @classmethod
    def for_target(cls, entries: Iterable[Entry], lang: str) -> GlossaryMatcher:
        """Every target-language form of `entries` in `lang`, in both numbers where inflected."""
        def candidates():
            for entry in entries:
                rendering = entry.targets.get(lang)
                if rendering is None:
                    continue
                advice = {a.form: a.suggestion for a in rendering.discouraged + rendering.forbidden}
                preferred = rendering.preferred
                # a form found in the other number is rewritten to the preferred form in that number
                preferred_other = (other_number(preferred, lang) if entry.inflect else None) or preferred
                for status, form in rendering.forms():
                    status = "keep" if entry.action == "keep" and status in ("preferred", "variant") else status
                    yield fold(form), Candidate(entry, status, form, form, advice.get(form, ""), preferred)
                    other = other_number(form, lang) if entry.inflect else None
                    if other and fold(other) != fold(form):
                        yield fold(other), Candidate(entry, status, form, other, advice.get(form, ""), preferred_other)
        return cls(candidates())

    @classmethod
    def for_source(cls, entries: Iterable[Entry]) -> GlossaryMatcher:
        """The source-language terms of `entries` (Chinese needs no spaces to match)."""
        return cls((fold(term), Candidate(entry, "source", term, term))
                   for entry in entries for term in entry.source)

    def find(self, text: str, protected: Iterable[tuple[int, int]] = ()) -> list[TermMatch]:
        """Non-overlapping matches in `text`, in text order."""
        if not self.size or not text:
            return []
        folded_text = FoldedText(text)
        folded = folded_text.text
        found: list[TermMatch] = []
        for last, (length, cands) in self._automaton.iter(folded):
            first = last - length + 1
            if first > 0 and _is_word(folded[first - 1]) and _is_word(folded[first]):
                continue
            if last + 1 < len(folded) and _is_word(folded[last]) and _is_word(folded[last + 1]):
                continue
            # keys never start or end with a space, so both ends map one-to-one
            start, end = folded_text.original(first), folded_text.original(last) + 1
            seen = text[start:end]
            for cand in cands:
                if cand.entry.case_sensitive and fold(seen, True) != fold(cand.written, True):
                    continue
                found.append(TermMatch(start, end, seen, cand))
                break
        guarded = sorted(protected)
        if guarded:
            found = [m for m in found if not any(ps < m.end and m.start < pe for ps, pe in guarded)]
        return _resolve(found)


def _resolve(matches: list[TermMatch]) -> list[TermMatch]:
    """Longest first, then leftmost, then by status and id; drop any that overlaps a kept one."""
    if len(matches) < 2:
        return matches
    order = sorted(matches, key=lambda m: (m.start - m.end, m.start, STATUS_RANK.get(m.candidate.status, 9),
                                           m.candidate.entry.id))
    starts: list[int] = []
    kept: list[TermMatch] = []  # sorted by start, disjoint
    for m in order:
        i = bisect.bisect_left(starts, m.start)
        if i > 0 and kept[i - 1].end > m.start:
            continue
        if i < len(kept) and kept[i].start < m.end:
            continue
        starts.insert(i, m.start)
        kept.insert(i, m)
    return kept
