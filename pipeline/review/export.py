"""`python -m pipeline review DIR --export`: the review database's decisions as files.

`DIR/reviewed/decisions.json` holds every decision in force, in the format the review
pages export and `run --decisions` reads (version 2), post-edits and acceptances
included (a run applies the rejected edits and dismissed flags; the rest is a record).
"""

from __future__ import annotations

import json
from pathlib import Path

from ..outputs import write_atomic
from .store import FILE_NAME, ReviewStore


def export_decisions(folder: Path) -> dict:
    with ReviewStore(folder / FILE_NAME) as store:
        active = store.active()
    path = folder / "reviewed" / "decisions.json"
    path.parent.mkdir(exist_ok=True)
    data = {"version": 2, "decisions": [d.as_dict() for d in active]}
    write_atomic(path, json.dumps(data, ensure_ascii=False, indent=2) + "\n")
    return {"decisions": len(active), "path": path}
