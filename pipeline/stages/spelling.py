"""Spelling stage: words no Hunspell dictionary of the segment's language knows (`spelling`).

Reads: each non-boilerplate segment's `cleaned` text, language and `terms` (words in a
glossary term are not misspellings), and the words the document's segments repeat
(a recurring word is a term of the document, not a misspelling).
Writes: a `spelling` flag per unknown word, at the word, with the dictionary's first
suggestion. Languages: en, fr, de, es and pt (`pipeline.language.dictionaries`); for a language whose
dictionary is not installed it does nothing, and `describe()` says which are missing,
so the run says so once (and, without the Enchant spell checker, that none is checked). Off with `spelling = false` or `skip_checks = ["spelling"]`
(then no dictionary is loaded). Runs before the garble stage, which drops dismissed
flags from these as from its own; they carry no weight in the garble score.
"""

from __future__ import annotations

from ..checks.surface import is_pinyin
from ..checks.verbatim import verbatim_spans
from ..config import Settings
from ..document import BOILERPLATE, Document, Flag, segment_language
from ..language.dictionaries import DICTIONARIES, SpellingDictionaries, recurring_words


class Spelling:
    name = "spelling"
    reads = ("Segment.cleaned", "Segment.kind", "Segment.lang", "Segment.terms", "Document.lang")
    writes = ("Segment.flags",)
    shares = ("dictionaries",)

    def __init__(self, settings: Settings, dictionaries: SpellingDictionaries | None = None):
        """`dictionaries`: the run's (`stages.Shared`); else those of the `dictionaries` setting."""
        self.on = settings.spelling and "spelling" not in settings.skip_checks
        if self.on and dictionaries is None:
            dictionaries = SpellingDictionaries.find(settings.dictionaries)
        self.checkers = dictionaries.checkers if self.on else {}
        self.missing = dictionaries.missing if self.on else []
        self.unavailable = dictionaries.unavailable if self.on else None

    def describe(self) -> dict | None:
        """Which dictionaries the check uses and which languages have none (or why none is
        checked), for the summary."""
        if not self.on:
            return None
        described = {"dictionaries": {lang: [str(f) for f in c.files] for lang, c in sorted(self.checkers.items())},
                     "missing": {lang: DICTIONARIES[lang][0] for lang in self.missing}}
        if self.unavailable:
            described["unavailable"] = self.unavailable
        return described

    def __call__(self, doc: Document) -> Document:
        if not self.checkers:
            return doc
        body = [seg for seg in doc.segments if seg.kind != BOILERPLATE and seg.cleaned.strip()]
        recurring = recurring_words([seg.cleaned for seg in body])
        for seg in body:
            lang = segment_language(seg, doc)
            checker = self.checkers.get(lang)
            if checker is None or seg.lang != lang:
                continue  # a segment not itself identified as the language it is treated as: no judging its words
            ignored = [(t.start, t.end) for t in seg.terms] + verbatim_spans(seg.cleaned)
            for start, end, word, correction in checker.misspelt(seg.cleaned, ignored, is_pinyin, recurring):
                seg.flags.append(Flag("spelling", "info", f"\u201c{word}\u201d is not in the {checker.name} "
                                      f"dictionary: did you mean \u201c{correction}\u201d?", start, end,
                                      suggestion=correction))
        return doc
