"""Reviewers' verdicts as labels for the garble score (`python -m pipeline fit --reviews DB`).

A review database (`DIR/review.sqlite`, written by `python -m pipeline review DIR`) says
what a reviewer made of each segment of the run in DIR. Read as labels, for the segments
of DIR/segments.jsonl whose body a reviewer touched:
- "Not garbled" (a dismissed verdict): ok;
- a post-edit that rewrites a sentence the detector passed (a third of its words or
  more changed): garbled, whatever the score said; a smaller post-edit is a fix, not a
  verdict, and no label;
- a garbled verdict the reviewer accepted: garbled;
- a segment accepted, or whose flags were all dismissed, and not post-edited: ok.
Each label keeps the segment's own features (`score.features` of its record: its flags
and text as the run wrote them; with judge = "lm" the model's reading of it too), so
a team's reviews make the score fit its own texts. Rows are grouped by the review's
documents for cross-validation ("review/<doc>").
"""

from __future__ import annotations

import difflib
import json
import os
from collections import defaultdict
from pathlib import Path

from ..checks.context import Context
from ..checks.lm import judges
from ..config import Settings, SettingsError
from ..decisions import active_decisions
from ..document import BOILERPLATE, Document, Flag, Segment

# A post-edit that changes at least this share of a sentence's words rewrites it.
REWRITE_SHARE = 1 / 3


def rewrites(before: str, after: str) -> bool:
    """Whether `after` rewrites `before` rather than fixing it (`REWRITE_SHARE` of the words)."""
    a, b = before.split(), after.split()
    if not a:
        return False
    kept = sum(block.size for block in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_matching_blocks())
    return 1 - kept / max(len(a), len(b)) >= REWRITE_SHARE


def review_labels(active: list) -> dict[tuple[str, str], str]:
    """(document, segment key) -> "ok", "rewritten" or "accepted", from a review's standing
    decisions (`decisions.active_decisions`)."""
    by_segment: dict[tuple[str, str], list] = defaultdict(list)
    for decision in active:
        by_segment[(decision.document, decision.segment)].append(decision)
    return {key: label for key, decisions in by_segment.items() if (label := _label(decisions)) is not None}


def _label(decisions: list) -> str | None:
    actions = {d.action for d in decisions}
    if "dismiss-verdict" in actions:
        return "ok"
    if "post-edit" in actions:
        return "rewritten"  # decided against the segment's text (`review_rows`)
    if "accept" in actions:
        return "accepted"
    if "dismiss-flag" in actions:
        return "ok"
    return None


def review_rows(db: str | Path, settings: Settings) -> list:
    """The labelled segments of the review in `db` (DIR/review.sqlite beside DIR/segments.jsonl),
    as `evaluate.Judged` rows (kind "review") for `evaluation.fit`."""
    from .evaluate import Judged

    db = Path(db)
    folder = db.parent
    try:
        records = [json.loads(line) for line in (folder / "segments.jsonl").read_text(encoding="utf-8").splitlines()
                   if line.strip()]
        summary = json.loads((folder / "summary.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise SettingsError(f"{db}: cannot read the run beside it ({folder}): {exc}") from None
    active = active_decisions(db)
    labels = review_labels(active)
    post_edits = {(d.document, d.segment): d.new_text for d in active
                  if d.action == "post-edit" and d.new_text is not None}
    languages = {d["doc"]: d.get("lang", "und") for d in summary.get("documents", [])}
    by_doc: dict[str, list[dict]] = defaultdict(list)
    for record in records:
        by_doc[record["doc"]].append(record)
    model = _language_model(settings)
    rows = []
    for doc_id, doc_records in by_doc.items():
        doc = Document(doc_id, doc_id, "txt", "", lang=languages.get(doc_id, "und"))
        doc.segments = [_segment(r) for r in doc_records]
        ctx = Context(doc, doc.lang)
        for record, seg in zip(doc_records, doc.segments):
            found = labels.get((doc_id, record["key"]))
            if found is None or seg.kind == BOILERPLATE:
                continue
            if found == "rewritten":
                new = post_edits.get((doc_id, record["key"]))
                label = "garbled" if new is not None and rewrites(seg.cleaned, new) else None
            elif found == "accepted":
                label = "garbled" if record.get("garbled") else "ok"
            else:
                label = found
            if label is None:
                continue
            if model is not None and judges(seg, ctx):  # as the garble stage reads them
                ctx.readings.update(model.read([seg.cleaned]))
                if seg.source and seg.source.strip():
                    ctx.given.update(model.read_given([(seg.source, seg.cleaned)]))
            rows.append(Judged({"doc": f"review/{doc_id}", "sentence": seg.cleaned, "label": label, "kind": "review",
                                "lang": seg.lang}, [seg], doc, ctx=ctx, alignment="own"))
    return rows


def _segment(record: dict) -> Segment:
    flags = [Flag(f["code"], f["severity"], f["message"], f["start"], f["end"], f.get("suggestion"))
             for f in record.get("flags", [])]
    return Segment(record["index"], record["start"], record["end"], record["kind"], record["original"],
                   block=record.get("block", 0), lang=record.get("lang", "und"),
                   lang_prob=record.get("lang_prob", 0.0), source=record.get("source"), cleaned=record["cleaned"],
                   flags=flags, garble_score=record.get("garble_score"), garbled=record.get("garbled"))


def _language_model(settings: Settings):
    if settings.judge != "lm":
        return None
    from ..checks import lm
    try:
        return lm.LanguageModel(lm.model_file(), settings.lm_threads or os.cpu_count() or 1, settings.lm_gpu_layers,
                                lm.ReadingCache.default())
    except lm.LanguageModelUnavailable as exc:
        raise SettingsError(f"judge = lm: {exc}") from None
