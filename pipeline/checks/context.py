"""What a check may know besides its segment: the document, its language, the settings."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..document import Document, script_language
from .sentence import Sentence


@dataclass
class Context:
    doc: Document
    lang: str  # the document's language
    source_lang: str | None = None  # the source text's language, when there is source text and it is known
    # cleaned text -> its parse (`checks.parse`), for the sentences the parser read; empty without one
    parses: dict = field(default_factory=dict)
    # text -> its Sentence: what the checks and the score read of it, worked out once
    sentences: dict[str, Sentence] = field(default_factory=dict)

    def sentence(self, text: str) -> Sentence:
        """The analysis of `text` (a segment's cleaned text, or one sentence of it)."""
        found = self.sentences.get(text)
        if found is None:
            found = self.sentences[text] = Sentence(text)
        return found


def source_language(doc: Document) -> str | None:
    """The language of the document's source text: as the reader was told (an XLIFF or TMX
    header), else Chinese, Japanese or Korean when its script says so, else unknown."""
    if doc.source_lang:
        return doc.source_lang
    sources = source_texts(doc)
    return script_language(" ".join(sources)) if sources else None


def source_texts(doc: Document) -> list[str]:
    """The document's source text: whole (JSONL `source`), or its aligned units' sources."""
    return [doc.source] if doc.source else [seg.source for seg in doc.segments if seg.source]
