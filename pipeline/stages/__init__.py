"""The pipeline's stages and their order: the one place that says what runs when.

A stage is a callable `stage(doc) -> doc` built once from the Settings, with a `name`,
a `describe()` that says what it used (or None), and three declarations as data: the
fields of the document it `reads` and `writes`, and what it `shares` with other stages
and the run (`Shared`: glossaries, reviewer decisions, spelling dictionaries), which
`build_stages` hands it. Stages do no I/O and keep no per-document state, so a batch
may build them in worker processes. The reader (`pipeline.formats.read`) and the
writers (`pipeline.outputs`) sit at the edges and are not in this list.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..config import Settings
from ..decisions import Decisions, load_decisions
from ..decisions.suppressions import Suppressions, load_suppressions
from ..document import Document
from ..glossary import shipped_glossaries
from ..glossary.compiled import CompiledGlossaries, load_compiled
from ..language.dictionaries import SpellingDictionaries
from .boilerplate import Boilerplate
from .document_language import DocumentLanguage
from .garble import Garble
from .language import Language
from .post_edit import PostEdit
from .punctuation import Punctuation
from .quality import QualityScore
from .rules import PatternRules
from .segment import Segmenter
from .severity import Severities
from .spelling import Spelling
from .terms import Terms

# Stage order. The document's language is told before sentences are split (their rules
# differ by language) and each segment's after. Terms run after punctuation so glossary forms meet normalised
# spacing and quotes; spelling (which passes glossary terms by), the user's pattern rules
# and the garble checks judge the text as it will be delivered (a reviewer's post-edit
# put in after every rule that changes text, so none rewrites it), and garble drops the
# skipped and dismissed flags of every stage; the severities the settings give codes are
# set after the verdicts, and the quality score counts the flags left.
STAGES = [Boilerplate, DocumentLanguage, Segmenter, Language, Punctuation, Terms, Spelling, PostEdit, PatternRules,
          Garble, Severities, QualityScore]
# The stages from here on know the document's language, so they may run with that
# language's own settings (a settings file's [languages.CODE] table, `config.PER_LANGUAGE`).
LANGUAGE_TOLD = STAGES.index(DocumentLanguage) + 1


# What a document holds when the stages get it: the reader's fields, and the lines the
# batch found recurring on other pages of the site (`pipeline.run.recurring`).
GIVEN = ("Document.id", "Document.path", "Document.format", "Document.text", "Document.source",
         "Document.encoding", "Document.hints", "Document.source_lang", "Document.declared_lang",
         "Document.markup_lang", "Document.raw", "Document.recurring_lines")


@dataclass(frozen=True)
class Shared:
    """What several stages and the run use, loaded once per process: the compiled
    glossaries (terms stage; the re-run cache compares their entries), the reviewer
    decisions (punctuation, terms, post-edit, garble and quality stages; the summary and
    the review pages), the spelling dictionaries (each loaded when a document first needs it) and the
    lasting suppressions (garble stage; the summary)."""

    glossaries: CompiledGlossaries
    decisions: Decisions
    dictionaries: SpellingDictionaries
    suppressions: Suppressions = Suppressions()

    @classmethod
    def load(cls, settings: Settings) -> Shared:
        """Loaded from the files `settings` names: raises GlossaryError or SettingsError
        (an unreadable decisions file) before any document is read."""
        return cls(load_compiled(list(settings.glossaries) or shipped_glossaries()),
                   load_decisions(settings.decisions),
                   SpellingDictionaries.find(settings.dictionaries),
                   load_suppressions(settings.suppressions))


def build_stages(settings: Settings, shared: Shared | None = None) -> list:
    """The stages in order, each given what it `shares` from `shared` (loaded from the
    settings when not given)."""
    shared = shared if shared is not None else Shared.load(settings)
    return [_built(stage, settings, shared) for stage in STAGES]


def build_language_stages(settings: Settings, shared: Shared) -> dict[str, list]:
    """For each language the settings give settings of its own, the stages from
    `LANGUAGE_TOLD` on, built from that language's settings (`run_stages` takes them)."""
    return {code: [_built(stage, settings.for_language(code), shared) for stage in STAGES[LANGUAGE_TOLD:]]
            for code, _values in settings.languages}


def _built(stage, settings: Settings, shared: Shared):
    return stage(settings, **{name: getattr(shared, name) for name in stage.shares})


def unmet_reads(stages=STAGES) -> list[tuple[str, str]]:
    """(stage, field) for each field a stage reads that neither the reader nor an earlier
    stage writes: empty when the order is right. A stage that writes `Document.segments`
    makes every `Segment` field."""
    written, unmet = set(GIVEN), []
    for stage in stages:
        made_segments = "Document.segments" in written
        unmet += [(stage.name, name) for name in stage.reads
                  if name not in written and not (made_segments and name.startswith("Segment."))]
        written.update(stage.writes)
    return unmet


def stage_named(stages: list, name: str):
    """The stage called `name` (each stage class has a `name`)."""
    return next(stage for stage in stages if stage.name == name)


def describe_stages(stages: list) -> dict:
    """What each stage says it used (glossaries, the parser), for the batch summary;
    a stage with nothing to say returns None and is left out."""
    described = {stage.name: stage.describe() for stage in stages}
    return {name: what for name, what in described.items() if what is not None}


def run_stages(doc: Document, stages: list, by_language: dict[str, list] | None = None) -> Document:
    """`doc` through `stages`; with `by_language` (`build_language_stages`, for the whole
    list of stages), a document of one of its languages goes on through that language's
    stages once its language is told."""
    for n, stage in enumerate(stages):
        if by_language and n == LANGUAGE_TOLD and doc.lang in by_language:
            return run_stages(doc, by_language[doc.lang])
        doc = stage(doc)
    return doc
