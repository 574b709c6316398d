"""Garble stage: run the checks in `pipeline.checks` and score every sentence.

Reads: each non-boilerplate segment's `cleaned` text, `lang`, `source`, `kind`, and the
flags earlier stages raised (terms: `calque`, `term-discouraged`).
Writes: more `Segment.flags` (codes in the flag table in docs/garble.md; a line that reads
as code, a command or a program, gets no prose checks), `garble_score` in
[0, 1], `garbled`, `Document.notes` (when the source checks cannot read the source's
language), `Document.garble_threshold` and `Document.decisions_applied` (the dismissals
it applied: of flags, and of verdicts, which make `garbled` false). `garbled` is
score >= the `garble_threshold` setting; a garbled segment also gets a flag for each
measurement (length, rare words, commas per verb, the parse) that carried the verdict.
With a parser (`parser` setting), the English body sentences of a document are parsed
in one batch for the parse measurements. With the language-model judge (`judge = "lm"`,
`checks.lm`), its English prose body sentences are read by the model (with their source
too, where they have one) and scored with the judge's weights; the others (other
languages, code, short pieces) with the rules'. A garbled segment's `garble_reasons` name
the features that added most to its score. Boilerplate segments are not judged: their
score stays null. An empty segment (a unit not yet translated) gets only
`empty-target`. Flags whose code is in the `skip_checks` setting, that a reviewer
dismissed (`decisions` setting) or that a lasting suppression silences (`suppressions`
setting; recorded in `Document.suppressed`) are dropped (from this and earlier stages)
before scoring.
"""

from __future__ import annotations

import os

from ..checks import DOCUMENT_CHECKS, EMPTY_CHECKS, PROSE_CHECKS, SEGMENT_CHECKS, Context, lm, parse
from ..checks.context import source_language, source_texts
from ..checks.score import LM_WEIGHTS_FILE, PARSE_WEIGHTS_FILE, WEIGHTS_FILE, GarbleModel
from ..config import Settings, SettingsError
from ..decisions import Decisions, dismissed, load_decisions
from ..decisions.suppressions import Suppressions, load_suppressions
from ..document import BODY, BOILERPLATE, Document


class Garble:
    name = "garble"
    reads = ("Segment.cleaned", "Segment.kind", "Segment.lang", "Segment.source", "Segment.flags", "Segment.terms",
             "Document.lang", "Document.source")
    writes = ("Segment.flags", "Segment.garble_score", "Segment.garbled", "Segment.garble_reasons", "Document.notes",
              "Document.garble_threshold", "Document.decisions_applied", "Document.suppressed")
    shares = ("decisions", "suppressions")

    def __init__(self, settings: Settings, decisions: Decisions | None = None,
                 suppressions: Suppressions | None = None):
        """`decisions`, `suppressions`: the run's (`stages.Shared`); else those the settings name."""
        self.parser = _parser(settings.parser)
        self.language_model = _language_model(settings)
        own = settings.weights  # the weights of the judge in use
        rules_weights = PARSE_WEIGHTS_FILE if self.parser else WEIGHTS_FILE
        self.model = _weights(own if own and not self.language_model else rules_weights, "rules")
        self.lm_model = _weights(own or LM_WEIGHTS_FILE, "lm") if self.language_model else None
        self.chosen_threshold = settings.garble_threshold  # None: each model's own
        self.skip = set(settings.skip_checks)
        self.decisions = decisions if decisions is not None else load_decisions(settings.decisions)
        self.suppressions = suppressions if suppressions is not None else load_suppressions(settings.suppressions)

    def describe(self) -> dict:
        """Which parser the measurements used and which judge decided, for the batch summary."""
        return {"parser": self.parser.name if self.parser else None,
                "judge": "lm" if self.language_model else "rules"}

    def context(self, doc: Document) -> Context:
        """What the checks and the score know besides each segment: the document, its
        languages and, with a parser, the parse of its English body sentences (one batch);
        with the language-model judge, the model's reading of its English prose."""
        ctx = Context(doc, doc.lang, source_language(doc))
        if self.parser and doc.lang == "en":
            ctx.parses = self.parser.parse([s.cleaned for s in doc.segments if s.kind == BODY and s.cleaned.strip()])
        if self.language_model:
            judged = [s for s in doc.segments if s.kind == BODY and s.cleaned.strip() and lm.judges(s, ctx)]
            try:
                ctx.readings = self.language_model.read([s.cleaned for s in judged]) if judged else {}
                pairs = [(s.source, s.cleaned) for s in judged if s.source and s.source.strip()]
                ctx.given = self.language_model.read_given(pairs) if pairs else {}
            except lm.LanguageModelUnavailable as exc:  # in this worker only: the run's probe passed
                doc.notes.append(f"The language-model judge could not read this document ({exc}); "
                                 "the rules judged it.")
        return ctx

    def _model_for(self, seg, ctx: Context) -> GarbleModel:
        return self.lm_model if self.lm_model and seg.cleaned in ctx.readings else self.model

    def _threshold_of(self, model: GarbleModel) -> float:
        return model.threshold if self.chosen_threshold is None else self.chosen_threshold

    def __call__(self, doc: Document) -> Document:
        ctx = self.context(doc)
        doc.garble_threshold = self._threshold_of(self.lm_model if ctx.readings else self.model)
        if ctx.source_lang not in (None, "zh") or (ctx.source_lang is None and source_texts(doc)):
            doc.notes.append(f"The source checks (numbers, length, untranslated text) know Chinese sources only; "
                             f"skipped for this document's source ({ctx.source_lang or 'language unknown'}).")
        body = [s for s in doc.segments if s.kind != BOILERPLATE]
        for seg in body:
            for check in self._checks(seg, ctx):
                seg.flags.extend(check(seg, ctx))
        for check in DOCUMENT_CHECKS:
            check(doc.segments, ctx)
        for seg in body:
            if seg.flags:
                seg.flags = sorted(self._kept(doc, seg), key=lambda f: (f.start, f.end, f.code))
            model = self._model_for(seg, ctx)
            threshold = self._threshold_of(model)
            score = model.score(seg, ctx)
            seg.garble_score = round(score, 4)
            seg.garbled = score >= threshold
            overruled = self.decisions.verdict_dismissal(seg.original) if seg.garbled else None
            if overruled is not None:  # a reviewer judged it not garbled: the score stands, the verdict goes
                seg.garbled = False
                doc.decisions_applied.append((seg.index, overruled))
            if seg.garbled:
                seg.garble_reasons = model.weighed_most(seg, ctx)
                reasons = model.explain(seg, ctx, threshold)
                if reasons:
                    seg.flags = sorted(seg.flags + self._kept(doc, seg, reasons), key=lambda f: (f.start, f.end, f.code))
        return doc

    @staticmethod
    def _checks(seg, ctx: Context) -> list:
        """The checks a segment gets: prose checks unless it reads as code, only
        `empty-target` when it has no text."""
        if not seg.cleaned.strip():
            return EMPTY_CHECKS
        return SEGMENT_CHECKS if ctx.sentence(seg.cleaned).is_code else SEGMENT_CHECKS + PROSE_CHECKS

    def _kept(self, doc: Document, seg, flags: list | None = None) -> list:
        """The segment's flags (or `flags`) less skipped codes, those a reviewer dismissed
        (each applied decision recorded once) and those a lasting suppression silences
        (each recorded)."""
        decisions, used, kept = self.decisions.dismissals(seg.original), [], []
        for flag in seg.flags if flags is None else flags:
            decision = dismissed(flag, decisions) if decisions else None
            if decision is not None and decision not in used:
                used.append(decision)
            if flag.code in self.skip or decision is not None:
                continue
            silenced = self.suppressions.silencing(flag.code, seg.cleaned[flag.start:flag.end], seg.cleaned,
                                                   seg.lang or doc.lang) if len(self.suppressions) else None
            if silenced is not None:
                doc.suppressed.append((seg.index, silenced))
            else:
                kept.append(flag)
        doc.decisions_applied.extend((seg.index, d) for d in used)
        return kept


def _weights(path, judge: str) -> GarbleModel:
    """The weights in `path`, which must be a judge's as `python -m pipeline fit` writes them."""
    try:
        model = GarbleModel.load(path)
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise SettingsError(f"weights: {path}: not a weights file of python -m pipeline fit: {exc}") from None
    if model.judge != judge:
        raise SettingsError(f"weights: {path}: fitted for judge = {model.judge}, but the run uses judge = {judge} "
                            f"(python -m pipeline fit --judge {judge} --out FILE)")
    return model


def _language_model(settings: Settings) -> lm.LanguageModel | None:
    """The judge's model with judge = "lm" (not loaded until a worker reads with it), else
    None. The run has checked it (`prepare_judge`); a model that cannot be found here is a
    settings error."""
    if settings.judge != "lm":
        return None
    try:
        path = lm.model_file()
    except lm.LanguageModelUnavailable as exc:
        raise SettingsError(f"judge = lm: {exc}") from None
    threads = settings.lm_threads or os.cpu_count() or 1
    return lm.LanguageModel(path, threads, settings.lm_gpu_layers, lm.ReadingCache.default())


def prepare_judge(settings: Settings, workers: int = 1) -> tuple[Settings, str | None]:
    """The settings a run uses for its judge, and why the one asked for cannot be used:
    with judge = "lm", the model is found (assembled and checked the first time) and
    probed in a child process; when that fails the run goes on with judge = "rules" and
    says why in one line. The model's threads, when not set, are the machine's cores
    divided among the run's `workers`."""
    if settings.judge != "lm":
        return settings, None
    from dataclasses import replace

    try:
        path = lm.model_file()
    except (lm.LanguageModelUnavailable, OSError) as exc:
        return replace(settings, judge="rules"), f"the language-model judge is off: {exc}"
    reason = lm.probe(path, settings.lm_gpu_layers)
    if reason is not None:
        return replace(settings, judge="rules"), f"the language-model judge is off: {reason}"
    threads = settings.lm_threads or max(1, (os.cpu_count() or 1) // max(1, workers))
    return replace(settings, lm_threads=threads), None


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
