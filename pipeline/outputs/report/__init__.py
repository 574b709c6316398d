"""HTML review pages: one per document and a batch index.

Rendered with jinja2, autoescape on for every template, so document text can never
become markup. Pages are self-contained: inline CSS and one inline script whose
SHA-256 the Content-Security-Policy names, so nothing else can run and nothing is
fetched; they open from file:// and print without the controls.

A document page lists each segment as read and as cleaned. In the cleaned column
every change is marked with the rule that made it, flagged spans and glossary terms
are highlighted, and the reviewer can reject an edit or dismiss a flag; decisions are
kept in the browser (localStorage) and exported as JSON for `run --decisions`.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

from jinja2 import Environment, FileSystemBytecodeCache, PackageLoader, StrictUndefined
from markupsafe import Markup, escape

from ...checks import EXPLANATIONS
from ...document import BOILERPLATE, Document, Segment, counted, segment_key
from ...text.datacache import cache_folder
from ...text.diffing import opcodes
from ...text.invisible import INVISIBLE, describe, find_invisible, label
from .plain import plain_kind, plain_rule

class _TemplateCache(FileSystemBytecodeCache):
    """jinja2's compiled templates kept in the cache folder: compiling the pages' six
    templates costs a run with review pages 0.06 s, loading them a few milliseconds (jinja2
    checks each against its template's source and Python's version). A cache that cannot
    be written is only no cache."""

    def dump_bytecode(self, bucket) -> None:
        try:
            super().dump_bytecode(bucket)
        except OSError:
            pass


def _template_cache() -> _TemplateCache | None:
    folder = cache_folder()
    if folder is None:
        return None
    try:
        (folder / "templates").mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError:
        return None
    return _TemplateCache(str(folder / "templates"))


_env = Environment(
    loader=PackageLoader("pipeline.outputs.report", "templates"),
    bytecode_cache=_template_cache(),
    autoescape=True,  # every template, whatever its file name
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=True,
)


def visible(text: str) -> Markup:
    """Document text for a page, escaped, with each invisible character that has no use
    where it stands (`pipeline.text.invisible`) drawn as a labelled mark instead of itself: an
    override left in would turn the text after it around on screen."""
    text = str(text)
    runs = find_invisible(text)
    if not runs:
        return escape(text)
    out, at = [], 0
    for run in runs:
        out.append(escape(text[at:run.start]))
        for ch in text[run.start:run.end]:
            out.append(Markup('<span class="invisible" title="{}">{}</span>').format(describe(ch), label(ch)))
        at = run.end
    out.append(escape(text[at:]))
    return Markup("").join(out)


def attribute(text: str) -> Markup:
    """Document text for an attribute a script reads (the sentence a reviewer post-edits),
    escaped, with every invisible character (`pipeline.text.invisible.INVISIBLE`) written as a
    character reference: the script gets the text as it is, the page's source holds no
    character that could turn what follows around."""
    return Markup(INVISIBLE.sub(lambda m: f"&#x{ord(m.group()):x};", str(escape(str(text)))))


_env.filters["visible"] = visible
_env.filters["counted"] = counted
_env.filters["plain_rule"] = plain_rule
_env.filters["plain_kind"] = plain_kind
_env.filters["attribute"] = attribute
_TOKEN = re.compile(r"\w+|\s+|[^\w\s]")
SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}


@lru_cache(maxsize=None)
def _script(name: str) -> tuple[str, str]:
    """An inline script and its CSP hash (read once per process, not once per page)."""
    text = resources.files("pipeline.outputs.report").joinpath("templates", name).read_text(encoding="utf-8")
    digest = base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii")
    return text, f"'sha256-{digest}'"


@dataclass
class Piece:
    text: str
    change: str = ""  # "" unchanged, "del" removed from the original, "ins" added in the cleaned text
    rule: str = ""  # the rule that made an inserted piece
    flags: list[str] = field(default_factory=list)  # codes of flags covering the piece
    term: dict | None = None  # glossary hit covering the piece


def diff_pieces(original: str, cleaned: str) -> tuple[list[Piece], list[Piece]]:
    """Word-level difference: pieces of the original column and of the cleaned column."""
    a, b = _TOKEN.findall(original), _TOKEN.findall(cleaned)
    left: list[Piece] = []
    right: list[Piece] = []
    for op, i1, i2, j1, j2 in opcodes(a, b):
        if op == "equal":
            left.append(Piece("".join(a[i1:i2])))
            right.append(Piece("".join(b[j1:j2])))
            continue
        if i2 > i1:
            left.append(Piece("".join(a[i1:i2]), "del"))
        if j2 > j1:
            right.append(Piece("".join(b[j1:j2]), "ins"))
    return left, right


def edit_spans(seg: Segment) -> list[tuple[int, int, str]]:
    """Where each edit's new text sits in `seg.cleaned`, with its rule.

    Edits index the text their stage received, so spans are carried forward stage by
    stage; a span a later edit overlaps is dropped (the later edit shows instead).
    """
    spans: list[tuple[int, int, str]] = []
    by_stage: dict[str, list] = {}
    for edit in seg.edits:
        by_stage.setdefault(edit.stage, []).append(edit)
    for edits in by_stage.values():
        edits = sorted(edits, key=lambda e: e.start)
        new_spans, shift = [], 0
        for e in edits:
            new_spans.append((e.start + shift, e.start + shift + len(e.after), e.rule))
            shift += len(e.after) - (e.end - e.start)
        carried = []
        for s, t, rule in spans:
            if any(e.start < t and s < e.end or (e.start == e.end and s < e.start < t) for e in edits):
                continue
            moved = sum(len(e.after) - (e.end - e.start) for e in edits if e.end <= s)
            carried.append((s + moved, t + moved, rule))
        spans = sorted(carried + new_spans)
    return spans


def cleaned_pieces(seg: Segment) -> list[Piece]:
    """The cleaned text cut at every edit, flag and glossary-term boundary."""
    text = seg.cleaned
    marks: list[tuple[int, int, str, object]] = []
    marks += [(s, t, "ins", rule) for s, t, rule in edit_spans(seg) if t > s]
    marks += [(f.start, f.end, "flag", f.code) for f in seg.flags if f.end > f.start and f.end - f.start < len(text)]
    marks += [(h.start, h.end, "term", h) for h in seg.terms]
    cuts = sorted({0, len(text)} | {p for s, t, _k, _v in marks for p in (s, t) if 0 <= p <= len(text)})
    # one sweep over the cuts: marks join when the sweep reaches their start, leave at their end
    by_start = sorted(range(len(marks)), key=lambda n: marks[n][0])
    active: set[int] = set()
    added = 0
    pieces = []
    for a, b in zip(cuts, cuts[1:]):
        while added < len(by_start) and marks[by_start[added]][0] <= a:
            active.add(by_start[added])
            added += 1
        active = {n for n in active if marks[n][1] >= b}
        piece = Piece(text[a:b])
        for n in sorted(active):  # in the order the marks were listed
            _s, _t, kind, value = marks[n]
            if kind == "ins":
                piece.change, piece.rule = "ins", value
            elif kind == "flag":
                piece.flags.append(value)
            else:
                piece.term = {"entry": value.entry, "status": value.status, "preferred": value.preferred}
        pieces.append(piece)
    return pieces


def _row(doc: Document, seg: Segment) -> dict:
    left, _ = diff_pieces(seg.original, seg.cleaned)
    key = segment_key(seg.original)
    flags = sorted(seg.flags, key=lambda f: (SEVERITY_ORDER.get(f.severity, 3), f.start, f.code))
    return {
        "seg": seg, "key": key, "left": left, "right": cleaned_pieces(seg), "flags": flags,
        "codes": sorted({f.code for f in seg.flags}),
        "severities": sorted({f.severity for f in seg.flags}, key=lambda s: SEVERITY_ORDER.get(s, 3)),
        "edits": seg.edits,
        "applied": [d for index, d in doc.decisions_applied if index == seg.index],
        # each glossary hit once, its note only where no flag of the segment already says it
        "term_hits": _hits_once(doc, seg),
    }


def _hits_once(doc: Document, seg: Segment) -> list[dict]:
    shown, hits = set(), []
    for h in seg.terms:
        found = seg.cleaned[h.start:h.end]
        if (h.entry, found) in shown:
            continue
        shown.add((h.entry, found))
        note = doc.term_notes.get(h.entry)
        if note and any(note in f.message for f in seg.flags):
            note = None
        hits.append({"hit": h, "found": found, "note": note})
    return hits


def flag_groups(doc: Document) -> list[dict]:
    """Flags of a document grouped by code, most severe first: one line per code."""
    groups: dict[str, dict] = {}
    for seg in doc.segments:
        for f in seg.flags:
            g = groups.setdefault(f.code, {"code": f.code, "severity": f.severity, "segments": [], "message": f.message})
            if SEVERITY_ORDER.get(f.severity, 3) < SEVERITY_ORDER.get(g["severity"], 3):
                g["severity"] = f.severity
            g["segments"].append(seg.index)
    return sorted(groups.values(), key=lambda g: (SEVERITY_ORDER.get(g["severity"], 3), -len(g["segments"]), g["code"]))


def render_document(doc: Document, explanations: dict[str, str] | None = None,
                    decisions: list[dict] | None = None) -> str:
    """One document's review page. `decisions` are the reviewer decisions the run was given:
    the page's export carries them (less those the reviewer undoes), so exporting from any
    one page loses none."""
    script, script_hash = _script("review.js")
    # The chrome has a page of its own (`render_chrome`): a page of 60,000 menu lines and
    # a short article must open as a short page.
    drawn = drawn_segments([seg for seg in doc.segments if seg.kind != BOILERPLATE])
    rows = [_row(doc, seg) for seg in drawn]
    return _env.get_template("document.html").render(
        doc=doc, doc_key=segment_key(doc.text), rows=rows, groups=flag_groups(doc), script=script,
        script_hash=script_hash,
        carried=json.dumps(decisions or [], ensure_ascii=False, sort_keys=True),
        has_source=any(seg.source for seg in doc.segments), explanations=explanations or EXPLANATIONS,
        boilerplate=BOILERPLATE, codes=sorted({f.code for seg in doc.segments for f in seg.flags}),
        chrome_lines=sum(seg.kind == BOILERPLATE for seg in doc.segments),
        not_drawn=sum(seg.kind != BOILERPLATE for seg in doc.segments) - len(rows),
    )


PAGE_ROWS = 5000  # the most segments a review page draws: a browser still opens it at once


def drawn_segments(body: list[Segment]) -> list[Segment]:
    """The segments a review page draws, in document order: all of them up to `PAGE_ROWS`;
    past that, those to review (flagged or garbled) first, then the first others."""
    if len(body) <= PAGE_ROWS:
        return body
    to_review = [seg for seg in body if seg.flags or seg.garbled][:PAGE_ROWS]
    chosen = {seg.index for seg in to_review}
    for seg in body:
        if len(chosen) >= PAGE_ROWS:
            break
        chosen.add(seg.index)
    return [seg for seg in body if seg.index in chosen]


CHROME_ROWS = 5000  # the most chrome lines a chrome page draws: past that, segments.jsonl has them


def render_chrome(doc: Document) -> str:
    """The lines of a document taken for chrome, each with why, on a page of their own
    (no script: there is nothing to decide about them)."""
    lines = [seg for seg in doc.segments if seg.kind == BOILERPLATE]
    return _env.get_template("chrome.html").render(doc=doc, lines=lines[:CHROME_ROWS], total=len(lines),
                                                   shown=min(len(lines), CHROME_ROWS), script="",
                                                   script_hash=_script_hash(""))


def render_index(summary: dict, explanations: dict[str, str] | None = None) -> Iterator[str]:
    """The batch index page, in pieces as the template renders them (the summary's
    document list may be read from disk as it goes: see `outputs.DocumentSummaries`)."""
    script, script_hash = _script("index.js")
    return _env.get_template("index.html").generate(summary=summary, script=script, script_hash=script_hash,
                                                    explanations=explanations or EXPLANATIONS)


def render_incomplete(message: str, pages: list[str]) -> str:
    """The page that stands in for the index while a run writes the folder (or after it
    died): what the folder's INCOMPLETE mark says, and the document pages already there."""
    return _env.get_template("incomplete.html").render(message=message, pages=pages, script="",
                                                        script_hash=_script_hash(""))


_CHART = 320  # pixels: the side of each square chart


_CURVE_COLOURS = ("#b3261e", "#0b57a4", "#1e7b34")


def render_evaluation(ev, heading: str, intervals: dict, kinds: list, sites: list, bins: list,
                      curves: list, ablation: list | None, lists: dict, pct) -> str:
    """The evaluation page (`evaluate --html`): figures with intervals, per kind and site,
    the reliability diagram and the precision/recall curve of each judge (`curves`:
    (judge, [(threshold, precision, recall)])) drawn as inline SVG (no script, no
    request), every miss and false alarm (`lists`, with `pct` to print a share) with its
    flags. Label text is escaped like document text."""

    def to_chart(x: float, y: float) -> tuple[float, float]:
        return round(x * _CHART, 1), round((1 - y) * _CHART, 1)

    reliability = []
    for b in bins:
        x, y = to_chart(b.mean_score, b.share_garbled)
        reliability.append({"x": x, "y": y, "r": round(3 + 9 * (b.count / max(1, max(c.count for c in bins))) ** 0.5, 1),
                            "count": b.count})
    lines = []
    for (name, curve), colour in zip(curves, _CURVE_COLOURS):
        pr = []
        for t, precision, recall in curve:
            x, y = to_chart(recall, precision)
            pr.append({"x": x, "y": y, "label": f"{t:.2f}" if round(t * 100) % 25 == 0 else ""})
        lines.append({"name": name, "colour": colour, "pr": pr, "points": " ".join(f"{p['x']},{p['y']}" for p in pr)})
    chart = {"size": _CHART, "reliability": reliability, "curves": lines}
    return _env.get_template("evaluation.html").render(
        heading=heading, m=ev.metrics(), intervals=intervals, kinds=kinds, sites=sites, chart=chart,
        controls=ev.control_rates(),
        ablation=ablation, lists=lists, problems=ev.problems, pct=pct,
        script="", script_hash=_script_hash(""))


def _script_hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii") + "'"
