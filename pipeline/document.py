"""The one data model every stage shares: Document, Block, Segment, Edit, Flag.

A Document is created by the reader and then passed through the stages in order
(see `pipeline.stages.STAGES`). Each stage fills in or refines some fields:

    read               -> id, path, format, text, source, hints
    boilerplate        -> blocks (paragraph-sized spans with a kind)
    document-language  -> lang and lang_prob of the document (and a note on a doubted declaration)
    segment            -> segments (sentences with offsets into `text`)
    language           -> lang and lang_prob of every segment
    punctuation        -> segment.cleaned and segment.edits
    terms              -> segment.cleaned, segment.edits, segment.terms and term flags
    garble             -> the checks' flags, segment.garble_score and segment.garbled

Offsets (`start`, `end`) are Python string indices into `Document.text`, the text as
read (decoded, line endings normalised to "\\n"; for HTML, the extracted text).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from functools import lru_cache

BODY = "body"
HEADING = "heading"
BOILERPLATE = "boilerplate"

UNDETERMINED = "und"


@dataclass
class Edit:
    """One change to a segment's text, made by one named rule of one stage.

    `start`/`end` index the segment text *as that stage received it*, so replaying
    the edits of each stage in order on `Segment.original` gives `Segment.cleaned`.
    """

    stage: str
    rule: str
    before: str
    after: str
    start: int
    end: int


@dataclass
class Flag:
    """A problem a translator should look at; offsets index `Segment.cleaned`."""

    code: str
    severity: str  # "info" | "warning" | "error"
    message: str
    start: int
    end: int
    suggestion: str | None = None  # what to write instead, when the check knows (left out of a record when None)


@dataclass
class TermHit:
    """A glossary term found in `Segment.cleaned` (offsets index it)."""

    entry: str  # the glossary entry id
    status: str  # preferred | variant | discouraged | forbidden
    start: int
    end: int
    preferred: str  # the entry's preferred form, in the number found


@dataclass
class Block:
    """A paragraph-sized span of the document text (a line, or an HTML block)."""

    start: int
    end: int
    kind: str = BODY
    rule: str | None = None  # why the block got its kind, e.g. "boilerplate:breadcrumb"
    # Aligned bilingual input: the unit's id and source text (one unit, one segment), and
    # the inline markup of its source and target as the file has it (XLIFF, TMX).
    unit: str | None = None
    source: str | None = None
    source_tags: tuple[str, ...] = ()
    target_tags: tuple[str, ...] = ()


@dataclass
class Segment:
    """A sentence (or a heading, or a piece of web chrome) of a document."""

    index: int
    start: int
    end: int
    kind: str
    original: str
    block: int = 0  # index of the Block the segment lies in
    kind_rule: str | None = None
    lang: str = UNDETERMINED
    lang_prob: float = 0.0
    source: str | None = None
    cleaned: str = ""
    edits: list[Edit] = field(default_factory=list)
    flags: list[Flag] = field(default_factory=list)
    terms: list[TermHit] = field(default_factory=list)
    # None until the garble stage has judged the segment (`pipeline.stages.garble`).
    garble_score: float | None = None
    garbled: bool | None = None
    # For a garbled segment: the features that added most to its score, in words.
    garble_reasons: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        if not self.cleaned:
            self.cleaned = self.original


@dataclass(frozen=True)
class VerdictOverride:
    """A reviewer's verdict on a document's quality, in place of its score's: who, when, why
    (a decision of the review, `pipeline.decisions`; `number` is its place in the decisions)."""

    verdict: str  # "pass" | "fail"
    reason: str
    reviewer: str | None = None
    at: str | None = None  # UTC, ISO 8601
    number: int | None = None

    def as_dict(self) -> dict:
        data = {"verdict": self.verdict, "reason": self.reason, "reviewer": self.reviewer, "at": self.at}
        return {k: v for k, v in data.items() if v is not None}


@dataclass(frozen=True)
class Quality:
    """A document's quality score (the quality stage), MQM's way: each error (a flag on
    its text, chrome aside) weighs its severity's points; the points per 1,000 words of
    text are the score, and the document passes when that is at most the threshold,
    unless a reviewer gave it a verdict (`override`), which then stands."""

    words: int
    points: float
    threshold: float
    errors: dict[str, dict[str, int]]  # error type (ITS 2.0 issue type) -> severity (minor, major, critical) -> count
    override: VerdictOverride | None = None

    @property
    def score(self) -> float:
        return round(self.points * 1000 / self.words, 2) if self.words else 0.0

    @property
    def passed_by_score(self) -> bool:
        return self.score <= self.threshold

    @property
    def passed(self) -> bool:
        return self.override.verdict == "pass" if self.override is not None else self.passed_by_score

    def as_dict(self) -> dict:
        data = {"words": self.words, "points": round(self.points, 2), "score": self.score,
                "threshold": self.threshold, "passed": self.passed,
                "errors": {kind: dict(sorted(by.items())) for kind, by in sorted(self.errors.items())}}
        if self.override is not None:
            data |= {"passed_by_score": self.passed_by_score, "override": self.override.as_dict()}
        return data


@dataclass
class Document:
    id: str
    path: str
    format: str  # "txt" | "html" | "jsonl"
    text: str
    source: str | None = None
    encoding: str | None = None
    # Block hints from the reader (HTML structure: <nav>, <h2>, ...); the boilerplate
    # stage turns them into `blocks`.
    hints: list[Block] = field(default_factory=list)
    blocks: list[Block] = field(default_factory=list)
    segments: list[Segment] = field(default_factory=list)
    lang: str = UNDETERMINED
    lang_prob: float = 0.0
    # Usage notes of the glossary entries found in the document, by entry id (terms
    # stage), for the review page; not part of segments.jsonl.
    term_notes: dict[str, str] = field(default_factory=dict)
    # Language of `source` (from the bilingual file's header), when known.
    source_lang: str | None = None
    # The translation's language as the file declares it (XLIFF target-language/trgLang,
    # the TMX target's xml:lang), primary subtag: the segmenter and the language stage
    # take it as the document's language (detection only warns when the text disagrees).
    declared_lang: str | None = None
    # The language a web page's markup declares (`<html lang>`, primary subtag). Sites
    # often declare a template's language, so it is the document's language only when the
    # article agrees (`stages.document_language`).
    markup_lang: str | None = None
    # What a stage could not do for this document and why, for the summary and the index.
    notes: list[str] = field(default_factory=list)
    # The input file's bytes, for a writer that writes the input back (XLIFF): workers
    # render outputs and must never read input files themselves (they may run elsewhere).
    raw: bytes | None = None
    # Reviewer decisions the stages applied: (segment index, decisions.Decision).
    decisions_applied: list = field(default_factory=list)
    garble_threshold: float | None = None  # the score at which the garble stage calls a segment garbled
    # Findings the lasting suppressions silenced: (segment index, the entry's number).
    suppressed: list = field(default_factory=list)
    quality: Quality | None = None  # the quality stage's score
    # Lines of this page that recur in other pages of its batch (`pipeline.run.recurring`, as
    # `lines.normal_form`s), set by the batch layer before the stages: the boilerplate
    # stage marks them as the site's chrome.
    recurring_lines: frozenset[str] = frozenset()


def primary_subtag(tag: str | None) -> str | None:
    """A language tag's primary subtag in lower case ("en-US" -> "en"), or None."""
    primary = (tag or "").replace("_", "-").split("-")[0].strip().lower()
    return primary if primary.isalpha() and 2 <= len(primary) <= 3 else None


# A segment's own language overrides its document's only when langdetect is this sure
# on this much text: on short, name-heavy sentences it flips between languages as
# the text is cleaned, and stages must decide the same way on every run.
SEGMENT_LANG_PROB = 0.95
SEGMENT_LANG_LETTERS = 40


# Chinese characters (CJK Unified Ideographs, Extension A, Compatibility Ideographs).
HAN = "[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]"
_HAN = re.compile(HAN)
_KANA = re.compile(r"[\u3040-\u30ff]")
_HANGUL = re.compile(r"[\uac00-\ud7af]")


_LETTER = re.compile(r"[^\W\d_]")


@lru_cache(maxsize=8192)
def script_language(text: str) -> str | None:
    """zh, ja or ko when most letters are in that script: script, unlike langdetect, is
    certain even for a few characters."""
    if text.isascii() or not (_HAN.search(text) or _KANA.search(text) or _HANGUL.search(text)):
        return None
    letters = len(_LETTER.findall(text))
    if not letters:
        return None
    for lang, pattern in (("ja", _KANA), ("ko", _HANGUL), ("zh", _HAN)):
        if len(pattern.findall(text)) * 2 >= letters:
            return lang if lang != "zh" or not _KANA.search(text) else "ja"
    return None


def segment_language(seg: Segment, doc: Document) -> str:
    """The language rules should treat the segment as: its script's if it is written in
    Chinese, Japanese or Korean; its own if langdetect is sure; else its document's."""
    script = script_language(seg.original)
    if script and script != doc.lang:
        return seg.lang if seg.lang in ("zh", "ja", "ko") else script
    if (seg.lang not in (UNDETERMINED, doc.lang) and seg.lang_prob >= SEGMENT_LANG_PROB
            and letter_count(seg.original) >= SEGMENT_LANG_LETTERS):
        return seg.lang
    return doc.lang


@lru_cache(maxsize=4096)  # every stage asks segment_language of the same segments
def letter_count(text: str) -> int:
    return len(_LETTER.findall(text))


def segment_key(text: str) -> str:
    """A segment's identity across runs: a hash of its text as read, not its position.

    Reviewer decisions and baseline comparisons are keyed by it, so they survive
    re-runs and edits elsewhere in the document.
    """
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:16]


# Field order of a segments.jsonl record (the data contract, DESIGN.md section 3).
RECORD_FIELDS = (
    "doc", "index", "key", "start", "end", "kind", "kind_rule", "block", "unit", "lang", "lang_prob",
    "source", "original", "cleaned", "edits", "flags", "terms", "garble_score", "garbled", "garble_reasons",
)


def unit_of(doc: Document, seg: Segment) -> str | None:
    """The id of the aligned unit (XLIFF, TMX, TSV or JSONL line) the segment is, if any."""
    return doc.blocks[seg.block].unit if seg.block < len(doc.blocks) else None


def segment_record(doc: Document, seg: Segment) -> dict:
    """The JSON-ready record of one segment, in contract field order."""
    # Edit, Flag and TermHit are flat, so a copy of each one's fields is its record
    # (dataclasses.asdict's deep recursion was a sixth of a run's time).
    values = dict(vars(seg))
    values["doc"] = doc.id
    values["key"] = segment_key(seg.original)
    values["unit"] = unit_of(doc, seg)
    for name in ("edits", "terms"):
        values[name] = [dict(vars(item)) for item in values[name]]
    values["flags"] = [_flag_record(flag) for flag in seg.flags]
    return {name: values[name] for name in RECORD_FIELDS}


def _flag_record(flag: Flag) -> dict:
    record = dict(vars(flag))
    if record["suggestion"] is None:
        del record["suggestion"]
    return record


# A text ending in a CJK character or CJK punctuation: such sentences need no space after them.
CJK_END = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]$")
_HAN = re.compile(r"[\u3400-\u9fff]")
_SENTENCE_END_CHARS = ".!?。！？\"”»)"


def reads_as_paragraph(text: str, min_words: int) -> bool:
    """At least `min_words` words (Chinese has no spaces: two characters count as a word)
    and the end of a sentence: article text rather than a label, a menu entry or a title."""
    words = len(text.split()) + len(_HAN.findall(text)) // 2
    return words >= min_words and text.rstrip()[-1:] in _SENTENCE_END_CHARS


def cleaned_text(doc: Document) -> str:
    """The document's cleaned article text: non-boilerplate segments, in order.

    Blocks (paragraphs, headings) are separated by a blank line, so re-reading the
    cleaned text gives the same blocks. Within a block, segments are joined by a
    space, except where the original had nothing between them after a Chinese or
    Japanese sentence (those are not space-separated). Latin-script sentences with
    nothing between them were run together ("counties.Relocation"): the segmenter cut
    them apart, and the space goes back here.
    """
    return joined_text(doc.segments)


def joined_text(segments) -> str:
    """`cleaned_text` of segments given on their own (anything with kind, block, start,
    end and cleaned: a Segment, or a record of segments.jsonl with a post-edit applied)."""
    return joined_layout(segments)[0]


def joined_layout(segments) -> tuple[str, list[int | None]]:
    """`joined_text(segments)`, and where each segment's cleaned text starts in it (None
    for a segment left out: boilerplate, or empty)."""
    paragraphs: list[str] = []
    offsets: list[int | None] = []
    done = 0  # length of the paragraphs before the last one, with their separators
    last = None
    for seg in segments:
        if seg.kind == BOILERPLATE or not seg.cleaned.strip():
            offsets.append(None)
            continue
        if last is None or seg.block != last.block:
            if paragraphs:
                done += len(paragraphs[-1]) + 2
            offsets.append(done)
            paragraphs.append(seg.cleaned)
        else:
            gap = seg.start > last.end  # white space only between them: segments tile their block
            paragraphs[-1] += " " if gap or not CJK_END.search(last.cleaned) else ""
            offsets.append(done + len(paragraphs[-1]))
            paragraphs[-1] += seg.cleaned
        last = seg
    return ("\n\n".join(paragraphs) + "\n" if paragraphs else ""), offsets


def counted(n: int, noun: str) -> str:
    """A count as people read it: "1 document", "2 documents", "1,204 edits"."""
    return f"{n:,} {noun}" + ("" if n == 1 else "s")
