"""Segment stage: split body blocks into sentences with offsets.

Reads: `Document.text`, `Document.blocks`, `Document.lang` (the document language
stage's). Writes: `Document.segments` (index,
start, end, kind, original, block). Boilerplate blocks and aligned units stay one
segment each. Body and heading blocks are split by sentencex (non-destructive,
reports offsets), with quote marks read as spaces so that sentence ends decide inside
quotations too; then a small pass gives each quote mark back to its sentence, repairs
splits after abbreviations common in news and official text ("Co., Ltd.", "No. 5",
"Art. 12"), keeps a list number ("2.", "Five.") with its sentence and a quotation
with its attribution ('"..!" Said Zhou'), folds stray punctuation (". .") into the
sentence before it, starts a new sentence at a stray mark before a capital (". , To"),
and cuts Latin-script sentences run together without a space ("counties.Relocation")
while keeping "www.Gov.cn" and "U.S.Army" whole. The result is final: the cleaned
text of a segment is one sentence to this stage too.
"""

from __future__ import annotations

import re
from bisect import bisect_left

import sentencex

from ..config import Settings
from ..document import BODY, CJK_END, HEADING, UNDETERMINED, Document, Segment

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


def split_sentences(text: str, lang: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence in `text`, trimmed of surrounding white space.

    Sentence ends decide, inside quotation marks too: sentencex skips what it takes
    for a quotation, and machine translation moves and drops quote marks, so it reads
    them as spaces (`_QUOTE_MARK`) and each is then given to the sentence it belongs
    to (`_give_back_quotes`)."""
    neutral = _QUOTE_MARK.sub(" ", _BULLET.sub(" ", text) if "•" in text or "■" in text else text)
    spans: list[tuple[int, int]] = []
    for b in sentencex.get_sentence_boundaries(lang, neutral):
        for start, end in _split_at_stray_marks(neutral, b["start_index"], b["end_index"]):
            piece = neutral[start:end]
            if not piece.strip():
                continue
            start += len(piece) - len(piece.lstrip())
            end -= len(piece) - len(piece.rstrip())
            spans.append((start, end))
    return _repair(text, _give_back_quotes(text, spans, lang))


# "communities. , To reduce": a sentence end, a stray mark, a capitalised word. sentencex
# does not cut there; the new sentence starts at the stray mark (the punctuation stage drops it).
_STRAY_MARK_START = re.compile(r"(?<=[^\W_][.!?])\s+(?=[,;:]\s*[^\W\d_][^\W\d_])")


def _split_at_stray_marks(text: str, start: int, end: int) -> list[tuple[int, int]]:
    cuts = [m.end() for m in _STRAY_MARK_START.finditer(text, start, end)
            if text[m.end():].lstrip(",;: ")[:1].isupper()]
    bounds = [start] + cuts + [end]
    return list(zip(bounds, bounds[1:]))


# Quote marks; an apostrophe or single quote only where it does not stand inside a word
# ("didn't", "Xi'an" stay).
_QUOTE_MARK = re.compile(r"[\"“”„«»‹›‚]|(?<![^\W_])['‘’]|['‘’](?![^\W_])")
# A list bullet standing alone: sentencex cuts a text that holds one only at its bullets
# ("A b. • C d. E f." stays one piece); read as a space, it goes to the sentence after it.
_BULLET = re.compile(r"(?:(?<=\s)|^)[•▪◦●■□](?=\s)")
_OPENING = {"en": "“‘«‹", "de": "„‚»›"}
_CLOSING = {"en": "”’»›", "de": "“‘«‹"}


def _quote_closes(text: str, i: int, lang: str, straight_before: int) -> bool:
    """Whether the quote mark at `i` closes a quotation. Curly marks say so themselves
    (German's „…“ the other way round); a straight one closes when it touches the word
    before and not the word after, and when it touches both, when an odd number of
    straight marks precede it in the text."""
    mark = text[i]
    if not _QUOTE_MARK.match(text, i):
        return False  # a bullet opens what follows it
    table = "de" if lang == "de" else "en"
    if mark in _CLOSING[table]:
        return True
    if mark in _OPENING[table]:
        return False
    before = i > 0 and not text[i - 1].isspace()
    after = i + 1 < len(text) and not text[i + 1].isspace()
    if before != after:
        return before
    return straight_before % 2 == 1


def _straight_marks(text: str) -> dict[str, list[int]]:
    """Where each straight quote mark (\" and a quote-like ') stands in `text`, in order."""
    found: dict[str, list[int]] = {'"': [], "'": []}
    for m in _QUOTE_MARK.finditer(text):
        if m.group(0) in found:
            found[m.group(0)].append(m.start())
    return found


def _give_back_quotes(text: str, spans: list[tuple[int, int]], lang: str) -> list[tuple[int, int]]:
    """Widen the sentences over the quote marks between them: closing marks to the
    sentence before, opening marks and bullets to the sentence after."""
    if not spans:
        return spans
    out = [list(span) for span in spans]
    straight: dict[str, list[int]] | None = None  # found once, when a gap holds a straight mark
    # Marks before the first sentence open it, marks after the last close it: no text
    # falls outside the sentences.
    out[0][0] = min(out[0][0], len(text) - len(text.lstrip()))
    out[-1][1] = max(out[-1][1], len(text.rstrip()))
    for i, span in enumerate(out):
        gap_end = out[i + 1][0] if i + 1 < len(out) else len(text)
        last_closing = span[1]
        for j in range(span[1], gap_end):
            if text[j].isspace():
                continue
            before = 0
            if text[j] in "\"'":
                straight = straight if straight is not None else _straight_marks(text)
                before = bisect_left(straight[text[j]], j)
            if _quote_closes(text, j, lang, before):
                last_closing = j + 1
            else:
                break
        span[1] = last_closing
        if i + 1 < len(out):
            rest = text[last_closing:gap_end]
            out[i + 1][0] = last_closing + len(rest) - len(rest.lstrip())
    return [(a, b) for a, b in out if b > a]


# A piece that is only a list number ("2.", "Five.", "(3)", "Five. 1."): it heads the
# sentence after it.
_ENUMERATOR = re.compile(r"(?:\(?(?:\d{1,2}|[ivxIVX]{1,4}|[a-hA-H])[.)]|\((?:\d{1,2}|[a-h])\)|"
                         r"(?:One|Two|Three|Four|Five|Six|Seven|Eight|Nine|Ten)\.)"
                         r"(?:\s+(?:\(?\d{1,2}[.)]|\(\d{1,2}\)))*")
# A sentence run into the next without a space ("counties.Relocation", "May 22).Photographed",
# "country.”We", "others”.We", "Region.A few", or with the space on the wrong side: "the
# city .It was"): the stop follows two letters, two digits or a closing bracket or quote,
# and a capitalised word follows it. A spaced stop is one mark ("waits ...Tomorrow" is an
# ellipsis, and stays).
_RUN_TOGETHER_END = re.compile(r"(?:(?:[^\W\d_]{2}|\d\d|[^\W_][)\]\"”’»])[.!?]+|[^\W\d_]{2}[ \t][.!?])[\"”’»)]*$")
_RUN_TOGETHER_START = re.compile(r"[\"“‘«(]?[^\W\d_](?:[^\W\d_]|\s)")
# An address or a file name: "www.Gov.cn", "info@Town.Gov", ".Docx.gz" (two dots in one word).
_URL_LIKE = re.compile(r"://|www\.|@|\.(?:com|org|net|gov|edu|cn)\b|\.[^\W_]+\.[^\W_]", re.I)
# A quotation and then who said it: '"... full!" Said Zhou', '"Is it?" he asked'.
_QUOTE_END = re.compile(r"[.!?][\"”’»]+$")
_REPORTING = re.compile(r"(?:[a-z]|(?:Said|Says|Asked|Asks|Added|Adds|Told|Noted|Explained|Stressed)\b)")


def _run_together(text: str, prev_start: int, prev_end: int, start: int, end: int) -> bool:
    previous, piece = text[prev_start:prev_end], text[start:end]
    m = _RUN_TOGETHER_END.search(previous)
    if not m or not _RUN_TOGETHER_START.match(piece):
        return False
    before_stop = previous.rstrip("\"”’»)")[:-1].rstrip(".!?")[-1:]
    if (before_stop.isalpha() and not before_stop.islower()) or ABBREVIATIONS.search(previous):
        return False  # "U.S.Army", "No.Five"
    first = next(c for c in piece if c.isalpha())
    second = piece[piece.index(first) + 1: piece.index(first) + 2]
    if not (first.isupper() and (second.islower() or (second.isspace() and first in "AI"))):
        return False
    word_start = text.rfind(" ", 0, prev_end) + 1
    word_end = text.find(" ", start)
    return not _URL_LIKE.search(text[word_start: word_end if word_end >= 0 else len(text)])


def _repair(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for start, end in spans:
        if out:
            prev_start, prev_end = out[-1]
            piece = text[start:end]
            previous = text[prev_start:prev_end]
            after_punct = LEADING_PUNCT.match(piece)
            if (NO_WORDS.match(piece)
                    # ". , To reduce": a new sentence after a stray mark (the punctuation
                    # stage drops the mark); ", and then" continues the sentence before.
                    or (after_punct and not piece[after_punct.end():].lstrip(" \"“‘«(")[:1].isupper())
                    or (CONTINUATION.match(piece) and ABBREVIATIONS.search(previous))
                    or _ENUMERATOR.fullmatch(previous)
                    or (_QUOTE_END.search(previous) and _REPORTING.match(piece))
                    # "www.Gov.cn": a split with no space is kept together unless it has
                    # the shape of two sentences run together (the cleaned text then gets
                    # the space, `document.cleaned_text`).
                    or (start == prev_end and not CJK_END.search(previous)
                        and not _run_together(text, prev_start, prev_end, start, end))):
                out[-1] = (prev_start, end)
                continue
        out.append((start, end))
    return out


class Segmenter:
    name = "segment"
    reads = ("Document.text", "Document.blocks", "Document.lang")
    writes = ("Document.segments",)
    shares = ()

    def __init__(self, settings: Settings):
        pass  # nothing to set up: sentencex's rules are chosen per document

    def describe(self) -> None:
        return None  # nothing beyond the settings, which the summary has

    def __call__(self, doc: Document) -> Document:
        # sentencex's rules for the document's language (abbreviations differ: "M.", "Nr.")
        lang = doc.lang if doc.lang != UNDETERMINED else "en"
        segments: list[Segment] = []
        for block_index, block in enumerate(doc.blocks):
            block_text = doc.text[block.start:block.end]
            if block.source is not None:
                spans = [(0, len(block_text))]  # an aligned unit stays one segment, with its source
            elif block.kind in (BODY, HEADING):  # a "heading" may be a caption of two sentences
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
