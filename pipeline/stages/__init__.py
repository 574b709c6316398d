"""The pipeline's stages and their order: the one place that says what runs when.

A stage is a callable `stage(doc) -> doc` built once from the Settings, with a `name`
and a `describe()` that says what it used (or None). Stages do no
I/O and keep no per-document state, so a batch may build them in worker processes.
The reader (`pipeline.formats.read`) and the writers (`pipeline.outputs`) sit
at the edges and are not in this list.
"""

from __future__ import annotations

import gc

from ..config import Settings
from ..document import Document
from .boilerplate import Boilerplate
from .document_language import DocumentLanguage
from .garble import Garble
from .language import Language
from .post_edit import PostEdit
from .punctuation import Punctuation
from .rules import PatternRules
from .segment import Segmenter
from .spelling import Spelling
from .terms import Terms

# Stage order. The document's language is told before sentences are split (their rules
# differ by language) and each segment's after. Terms run after punctuation so glossary forms meet normalised
# spacing and quotes; spelling (which passes glossary terms by), the user's pattern rules
# and the garble checks judge the text as it will be delivered (a reviewer's post-edit
# put in after every rule that changes text, so none rewrites it), and garble drops the
# skipped and dismissed flags of every stage.
STAGES = [Boilerplate, DocumentLanguage, Segmenter, Language, Punctuation, Terms, Spelling, PostEdit, PatternRules,
          Garble]


def build_stages(settings: Settings) -> list:
    return [stage(settings) for stage in STAGES]


def stage_named(stages: list, name: str):
    """The stage called `name` (each stage class has a `name`)."""
    return next(stage for stage in stages if stage.name == name)


def describe_stages(stages: list) -> dict:
    """What each stage says it used (glossaries, the parser), for the batch summary;
    a stage with nothing to say returns None and is left out."""
    described = {stage.name: stage.describe() for stage in stages}
    return {name: what for name, what in described.items() if what is not None}


def settle_heap() -> None:
    """Exempt everything built so far (glossary automata, word lists) from garbage
    collection. Otherwise each full collection walks them again, and a batch with a large
    glossary pays for its size on every document."""
    gc.collect()
    gc.freeze()


def run_stages(doc: Document, stages: list) -> Document:
    for stage in stages:
        doc = stage(doc)
    return doc
