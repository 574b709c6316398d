"""Segment stage: split body blocks into sentences with offsets.

Reads: `Document.text`, `Document.blocks`. Writes: `Document.segments` (index,
start, end, kind, original, block). Headings and boilerplate blocks stay one segment
each. Body blocks are split by sentencex (non-destructive, reports offsets), then a
small pass repairs splits after abbreviations common in news and official text
("Co., Ltd.", "No. 5", "Art. 12"), folds stray punctuation (". .") into the
sentence before it, and rejoins Latin-script sentences run together without a space
("counties.Relocation"), which the punctuation stage then repairs.
"""

from __future__ import annotations

import re

import sentencex

from ..config import Settings
from ..document import BODY, UNDETERMINED, Document, Segment
from .language import DOC_SAMPLE_CHARS, shared_identifier

# Abbreviations after which a split is wrong when the next piece starts with a digit,
# a lower-case letter, or (for "Co.") "Ltd".
ABBREVIATIONS = re.compile(
    r"(?:^|[\s(])(?:Co|Ltd|Inc|Corp|No|Nos|Art|Arts|Para|Sec|Vol|pp?|Fig|Mr|Mrs|Ms|Dr|Prof|St|Gov|Dept|"
    r"Rep|Sen|Gen|Lt|Col|vs|approx|e\.g|i\.e|cf|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|"
    r"M|Mme|Mlle|Sr|Sra|Dña|Nr|Abs|bzw|ca|z\.B|d\.h)\.$"
)
CONTINUATION = re.compile(r"^(?:[\d(]|[a-zß-ÿ]|Ltd\b|Limited\b)")
NO_WORDS = re.compile(r"^[\W_]+$")
# A sentence cannot start with closing punctuation: ". Among them" belongs to the one before.
LEADING_PUNCT = re.compile(r"^[,.;:!?…，。；：！？、]")
# Sentence ends that need no space after them (CJK full stops and the like).
CJK_END = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]$")


def split_sentences(text: str, lang: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence in `text`, trimmed of surrounding white space."""
    spans: list[tuple[int, int]] = []
    for b in sentencex.get_sentence_boundaries(lang, text):
        start, end = b["start_index"], b["end_index"]
        piece = text[start:end]
        if not piece.strip():
            continue
        start += len(piece) - len(piece.lstrip())
        end -= len(piece) - len(piece.rstrip())
        spans.append((start, end))
    return _repair(text, _move_quotes(text, spans))


# sentencex can cut on the wrong side of a quote mark: `force." Qinglong` comes out
# as `force.` + `" Qinglong ... reporters. "` + `The central ...`.
_CLOSING_AT_START = re.compile(r"[\"”’'»)\]）」』】]+(?=\s+\S)")  # used with .match(text, pos)
_OPENERS = "\"“‘'«([（「『【"
_OPENING_AT_END = re.compile(rf"(?<=\S)\s+[{re.escape(_OPENERS)}]+$")  # searched only where a piece ends in one


def _move_quotes(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Give a closing quote that starts a piece to the sentence before it, and an
    opening quote that ends a piece to the sentence after it."""
    spans = list(spans)
    for i in range(len(spans)):
        start, end = spans[i]
        m = _CLOSING_AT_START.match(text, start, end)
        if m and i and not text[spans[i - 1][1]:start].strip():
            prev_start, _ = spans[i - 1]
            spans[i - 1] = (prev_start, m.end())
            start = m.end() + len(text[m.end():end]) - len(text[m.end():end].lstrip())
        m = _OPENING_AT_END.search(text, start, end) if text[end - 1] in _OPENERS else None
        if m and i + 1 < len(spans) and not text[end:spans[i + 1][0]].strip():
            quote_start = m.start() + len(m.group(0)) - len(m.group(0).lstrip())
            spans[i + 1] = (quote_start, spans[i + 1][1])
            end = m.start()
        spans[i] = (start, end)
    return [(s, e) for s, e in spans if e > s]


def _repair(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for start, end in spans:
        if out:
            prev_start, prev_end = out[-1]
            piece = text[start:end]
            previous = text[prev_start:prev_end]
            if (NO_WORDS.match(piece) or LEADING_PUNCT.match(piece)
                    or (CONTINUATION.match(piece) and ABBREVIATIONS.search(previous))
                    # "counties.Relocation": keep one segment, so the punctuation stage
                    # adds the missing space as a recorded edit.
                    or (start == prev_end and not CJK_END.search(previous))):
                out[-1] = (prev_start, end)
                continue
        out.append((start, end))
    return out


class Segmenter:
    name = "segment"

    def __init__(self, settings: Settings):
        self.lang = settings.lang
        self.identifier = shared_identifier(settings.language_min_letters)

    def _language(self, doc: Document) -> str:
        """sentencex's rules for the document's language (abbreviations differ: "M.", "Nr.").
        Sets `Document.lang`; the language stage judges every segment afterwards."""
        if self.lang != "auto":
            return self.lang
        body = " ".join(doc.text[b.start:b.end] for b in doc.blocks if b.kind == BODY)
        doc.lang, doc.lang_prob = self.identifier.identify_document(body[:DOC_SAMPLE_CHARS])  # the language stage keeps it
        return doc.lang if doc.lang != UNDETERMINED else "en"

    def __call__(self, doc: Document) -> Document:
        lang = self._language(doc)
        segments: list[Segment] = []
        for block_index, block in enumerate(doc.blocks):
            block_text = doc.text[block.start:block.end]
            if block.source is not None:
                spans = [(0, len(block_text))]  # an aligned unit stays one segment, with its source
            elif block.kind == BODY:
                spans = split_sentences(block_text, lang)
            else:
                spans = [(0, len(block_text))]
            for start, end in spans:
                a, b = block.start + start, block.start + end
                segments.append(Segment(
                    index=len(segments), start=a, end=b, kind=block.kind,
                    original=doc.text[a:b], block=block_index, kind_rule=block.rule, source=block.source,
                ))
        doc.segments = segments
        return doc
