"""How far the review of each document has come, from segments.jsonl and the decisions.

A segment needs review when it is not boilerplate and is flagged or garbled; it is done
when a reviewer accepted it, post-edited it, or dismissed every flag on it (the same rule
as the page's progress line, `review.js` `isDone`). A decision whose segment no longer
exists in its document (a re-run changed the sentence) is stale: listed, never dropped. A
reviewer's verdict on a document's quality is no segment's, and no part of this count.
"""

from __future__ import annotations

import json
from pathlib import Path

from ..decisions.store import StoredDecision

BOILERPLATE = "boilerplate"


def review_progress(segments_file: Path, active: list[StoredDecision]) -> dict:
    by_segment: dict[tuple[str, str], list[StoredDecision]] = {}
    for d in active:
        by_segment.setdefault((d.document, d.segment), []).append(d)
    documents: dict[str, dict] = {}
    keys: dict[str, set[str]] = {}
    with open(segments_file, encoding="utf-8") as fh:
        for line in fh:
            r = json.loads(line)
            counts = documents.setdefault(r["doc"], {"to_review": 0, "done": 0})
            keys.setdefault(r["doc"], set()).add(r["key"])
            if r["kind"] == BOILERPLATE or not (r["flags"] or r["garbled"]):
                continue
            counts["to_review"] += 1
            if _done(r, by_segment.get((r["doc"], r["key"]), [])):
                counts["done"] += 1
    stale = [{"id": d.id, **d.as_dict()} for d in active
             if d.action != "override-quality" and d.segment not in keys.get(d.document, set())]
    return {"documents": documents, "stale": stale}


def _done(record: dict, decisions: list[StoredDecision]) -> bool:
    if any(d.action in ("accept", "post-edit") for d in decisions):
        return True
    dismissed = {(d.code, d.start, d.end) for d in decisions if d.action == "dismiss-flag"}
    return bool(record["flags"]) and all((f["code"], f["start"], f["end"]) in dismissed for f in record["flags"])
