"""What a check may know besides its segment: the document, its language, the settings."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..document import BOILERPLATE, Document, Flag, Segment, script_language, segment_language
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
    # cleaned text -> the language model's reading of it (`checks.lm`), with judge = "lm"
    readings: dict = field(default_factory=dict)
    # (source, cleaned text) -> the model's reading of the text after its source
    given: dict = field(default_factory=dict)

    def language(self, seg: Segment) -> str:
        """The language a segment's checks read it in: its own where it is surely in
        another language than its document (a German paragraph quoted in an English page
        gets no English grammar checks, a Spanish one no pinyin test of its rare words),
        else the document's (`document.segment_language`)."""
        return segment_language(seg, self.doc)

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


# Said of flags from a comparison with the whole document's source.
DOCUMENT_LEVEL = " (document-level check: the source is not aligned to sentences)"


@dataclass
class SourcePair:
    """A translation and its source, as the source checks compare them: one aligned
    segment, or (when the source is the whole document's) the document's body text, whose
    flags then go on its first body segment."""

    segment: Segment
    source: str
    target: str
    scope: str = ""  # said after each message: "" or DOCUMENT_LEVEL

    def add(self, flags: list[Flag]) -> None:
        if self.scope:
            for flag in flags:  # offsets into the joined body mean nothing in the first segment
                flag.start, flag.end = 0, len(self.segment.cleaned)
        self.segment.flags.extend(flags)


def source_pairs(segments: list[Segment], doc: Document) -> list[SourcePair]:
    """What the source checks compare: each aligned body segment with text, with its
    source; else, when the document has a source of its own, its body text with that."""
    body = [s for s in segments if s.kind != BOILERPLATE]
    aligned = [SourcePair(s, s.source, s.cleaned) for s in body if s.source and s.cleaned.strip()]
    if aligned:
        return aligned
    if doc.source and body:
        return [SourcePair(body[0], doc.source, " ".join(s.cleaned for s in body), DOCUMENT_LEVEL)]
    return []
