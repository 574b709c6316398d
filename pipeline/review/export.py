"""`python -m pipeline review DIR --export`: the review database's work as files.

- `DIR/reviewed/decisions.json`: every decision in force, in the format the review pages
  export and `run --decisions` reads (version 2); a run applies the rejected edits and
  dismissed flags, and passes the rest (acceptances, post-edits) by as a record.
- `DIR/reviewed/<doc>.txt`: each document's cleaned text with the reviewers' post-edits
  in place of the sentences they rewrote, joined as `cleaned/<doc>.txt` is.

A post-edit names its segment by key and index; it replaces that segment's text when the
segment at that index still has that key, and is listed as stale otherwise (the
document changed since the review).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from ..document import joined_text
from ..outputs import write_atomic
from .store import FILE_NAME, ReviewStore


@dataclass
class _Segment:
    """What `joined_text` needs of a segments.jsonl record."""

    kind: str
    block: int
    start: int
    end: int
    cleaned: str


def export_reviewed(folder: Path) -> dict:
    with ReviewStore(folder / FILE_NAME) as store:
        active = store.active()
    reviewed = folder / "reviewed"
    reviewed.mkdir(exist_ok=True)
    data = {"version": 2, "decisions": [d.as_dict() for d in active]}
    write_atomic(reviewed / "decisions.json", json.dumps(data, ensure_ascii=False, indent=2) + "\n")
    post_edits = {(d.document, d.index): d for d in active if d.action == "post-edit"}
    documents: dict[str, list[_Segment]] = {}
    used = set()
    with open(folder / "segments.jsonl", encoding="utf-8") as fh:
        for line in fh:
            record = json.loads(line)
            edit = post_edits.get((record["doc"], record["index"]))
            text = record["cleaned"]
            if edit is not None and edit.segment == record["key"]:
                text = edit.new_text
                used.add((record["doc"], record["index"]))
            documents.setdefault(record["doc"], []).append(
                _Segment(record["kind"], record["block"], record["start"], record["end"], text))
    for doc_id, segments in documents.items():
        write_atomic(reviewed / f"{doc_id}.txt", joined_text(segments))
    stale = [d.as_dict() for key, d in post_edits.items() if key not in used]
    return {"decisions": len(active), "post_edits": len(used), "stale": stale, "documents": len(documents),
            "path": reviewed}
