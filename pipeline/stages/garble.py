"""Garble stage: run the checks in `pipeline.checks` and score every sentence.

Reads: each non-boilerplate segment's `cleaned` text, `lang`, `source`, `kind`, and the
flags earlier stages raised (terms: `calque`, `term-discouraged`).
Writes: more `Segment.flags` (codes in the flag table in docs/garble.md), `garble_score` in
[0, 1], `garbled`, `Document.notes` (when the source checks cannot read the source's
language), `Document.garble_threshold` and `Document.decisions_applied` (the dismissals
it applied: of flags, and of verdicts, which make `garbled` false). `garbled` is
score >= the `garble_threshold` setting; a garbled segment also gets a flag for each
measurement (length, rare words, commas per verb, the parse) that carried the verdict.
With a parser (`parser` setting), the English body sentences of a document are parsed
in one batch for the parse measurements. Boilerplate segments are not judged: their
score stays null. An empty segment (a unit not yet translated) gets only
`empty-target`. Flags whose code is in the `skip_checks` setting, or that a reviewer
dismissed (`decisions` setting), are dropped (from this and earlier stages) before scoring.
"""

from __future__ import annotations

from ..checks import DOCUMENT_CHECKS, EMPTY_CHECKS, SEGMENT_CHECKS, Context, parse
from ..checks.context import source_language, source_texts
from ..checks.score import PARSE_WEIGHTS_FILE, WEIGHTS_FILE, GarbleModel
from ..config import Settings, SettingsError
from ..decisions import decisions_file, dismissed
from ..document import BODY, BOILERPLATE, Document


class Garble:
    name = "garble"

    def __init__(self, settings: Settings):
        self.parser = _parser(settings.parser)
        self.model = GarbleModel.load(PARSE_WEIGHTS_FILE if self.parser else WEIGHTS_FILE)
        self.threshold = self.model.threshold if settings.garble_threshold is None else settings.garble_threshold
        self.skip = set(settings.skip_checks)
        self.decisions = decisions_file(settings.decisions)

    def describe(self) -> dict:
        """Which parser the measurements used, for the batch summary."""
        return {"parser": self.parser.name if self.parser else None}

    def context(self, doc: Document) -> Context:
        """What the checks and the score know besides each segment: the document, its
        languages and, with a parser, the parse of its English body sentences (one batch)."""
        ctx = Context(doc, doc.lang, source_language(doc))
        if self.parser and doc.lang == "en":
            ctx.parses = self.parser.parse([s.cleaned for s in doc.segments if s.kind == BODY and s.cleaned.strip()])
        return ctx

    def __call__(self, doc: Document) -> Document:
        doc.garble_threshold = self.threshold
        ctx = self.context(doc)
        if ctx.source_lang not in (None, "zh") or (ctx.source_lang is None and source_texts(doc)):
            doc.notes.append(f"The source checks (numbers, length, untranslated text) know Chinese sources only; "
                             f"skipped for this document's source ({ctx.source_lang or 'language unknown'}).")
        body = [s for s in doc.segments if s.kind != BOILERPLATE]
        for seg in body:
            for check in SEGMENT_CHECKS if seg.cleaned.strip() else EMPTY_CHECKS:
                seg.flags.extend(check(seg, ctx))
        for check in DOCUMENT_CHECKS:
            check(doc.segments, ctx)
        for seg in body:
            if seg.flags:
                seg.flags = sorted(self._kept(doc, seg), key=lambda f: (f.start, f.end, f.code))
            score = self.model.score(seg, ctx)
            seg.garble_score = round(score, 4)
            seg.garbled = score >= self.threshold
            overruled = self.decisions.verdict_dismissal(seg.original) if seg.garbled else None
            if overruled is not None:  # a reviewer judged it not garbled: the score stands, the verdict goes
                seg.garbled = False
                doc.decisions_applied.append((seg.index, overruled))
            if seg.garbled:
                reasons = self.model.explain(seg, ctx, self.threshold)
                if reasons:
                    seg.flags = sorted(seg.flags + self._kept(doc, seg, reasons), key=lambda f: (f.start, f.end, f.code))
        return doc

    def _kept(self, doc: Document, seg, flags: list | None = None) -> list:
        """The segment's flags (or `flags`) less skipped codes and those a reviewer
        dismissed (each applied decision recorded once)."""
        decisions, used, kept = self.decisions.dismissals(seg.original), [], []
        for flag in seg.flags if flags is None else flags:
            decision = dismissed(flag, decisions) if decisions else None
            if decision is not None and decision not in used:
                used.append(decision)
            if flag.code not in self.skip and decision is None:
                kept.append(flag)
        doc.decisions_applied.extend((seg.index, d) for d in used)
        return kept


def _parser(setting: str):
    """The parser the `parser` setting asks for: None for "none", or for "auto" when no
    model is installed; a settings error when "spacy" finds none or the model is wrong."""
    if setting == "none":
        return None
    try:
        parser = parse.load_parser()
    except parse.ParserError as exc:
        raise SettingsError(f"parser: {exc}") from None
    if parser is None and setting == "spacy":
        raise SettingsError('parser = "spacy": no English model installed (pip install ".[grammar]")')
    return parser
