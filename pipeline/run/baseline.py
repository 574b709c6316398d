"""Compare a run's flags with an earlier run's: what is new, what was fixed, what stayed.

Flags are matched by segment content hash (`key`) and code, as reviewer decisions
are, so a baseline survives re-runs and edits elsewhere in a document. CI uses it
with `--fail-on`: only flags that were not there before can fail a build.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from ..config import SettingsError

SEVERITY_RANK = {"info": 0, "warning": 1, "error": 2}
LISTED = 200  # flags listed by name in summary.json; the counts are always complete


def flag_ids(records: list[dict]) -> Counter:
    """(key, code, severity) -> how many such flags; doc and message kept aside for display."""
    return Counter((r["key"], f["code"], f["severity"]) for r in records for f in r["flags"])


def load_records(out_dir: str | Path) -> list[dict]:
    path = Path(out_dir) / "segments.jsonl"
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise SettingsError(f"--baseline {out_dir}: cannot read {path}: {exc.strerror}") from None
    try:
        records = [json.loads(line) for line in lines if line.strip()]
    except json.JSONDecodeError as exc:
        raise SettingsError(f"--baseline {out_dir}: {path} is not JSONL: {exc}") from None
    if records and "key" not in records[0]:
        raise SettingsError(f"--baseline {out_dir}: written by an older pipeline without segment keys; "
                            f"run it again to make a baseline")
    return records


def compare(old: list[dict], new: list[dict]) -> dict:
    before, after = flag_ids(old), flag_ids(new)
    added, fixed = after - before, before - after
    where = {}
    for r in new + old:
        for f in r["flags"]:
            where.setdefault((r["key"], f["code"], f["severity"]), {"doc": r["doc"], "index": r["index"],
                                                                    "message": f["message"]})

    def listing(counter: Counter) -> list[dict]:
        items = [{"code": code, "severity": sev, "count": n, **where[(key, code, sev)]}
                 for (key, code, sev), n in sorted(counter.items(), key=lambda kv: (where[kv[0]]["doc"],
                                                                                   where[kv[0]]["index"], kv[0]))]
        return items[:LISTED]

    return {
        "new": sum(added.values()), "fixed": sum(fixed.values()),
        "unchanged": sum((after & before).values()),
        "new_by_severity": dict(sorted(Counter(sev for (_k, _c, sev), n in added.items() for _ in range(n)).items())),
        "new_flags": listing(added), "fixed_flags": listing(fixed),
    }


def fails(comparison: dict, level: str) -> bool:
    """True when a new flag is at least as severe as `level` ("warning" or "error")."""
    return any(SEVERITY_RANK[sev] >= SEVERITY_RANK[level] for sev in comparison["new_by_severity"])
