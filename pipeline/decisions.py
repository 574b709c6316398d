"""Reviewer decisions from the HTML report: rejected edits and dismissed flags.

The review page exports them as JSON; `python -m pipeline run --decisions FILE`
applies them: a rejected edit is not made again, a dismissed flag is not raised
again. Each decision is keyed by the segment's content hash (`document.segment_key`)
and the rule or flag code, never by position, so it survives re-runs and edits
elsewhere in the document.

    {"version": 1, "decisions": [
      {"segment": "<key>", "action": "reject-edit", "rule": "moses.quotes", ...},
      {"segment": "<key>", "action": "dismiss-flag", "code": "fragment", ...}]}

Other fields (doc, text, message) are kept for people reading the file and ignored.
A merged edit's rule ("a+b") rejects each rule it names for that segment.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from .config import SettingsError
from .document import segment_key

ACTIONS = ("reject-edit", "dismiss-flag")


@dataclass
class Decisions:
    rejected: dict[str, set[str]] = field(default_factory=dict)  # segment key -> rule names
    dismissed: dict[str, set[str]] = field(default_factory=dict)  # segment key -> flag codes

    # Both take the segment's text as read; it is hashed (segment_key) only when there
    # are decisions to look up.
    def rejected_rules(self, original: str) -> set[str]:
        return self.rejected.get(segment_key(original), set()) if self.rejected else set()

    def dismissed_codes(self, original: str) -> set[str]:
        return self.dismissed.get(segment_key(original), set()) if self.dismissed else set()

    def __len__(self) -> int:
        return sum(map(len, self.rejected.values())) + sum(map(len, self.dismissed.values()))


@lru_cache(maxsize=4)
def decisions_file(path: str | None) -> Decisions:
    """The decisions in `path` (the `decisions` setting), read once per process."""
    return load_decisions(path)


def load_decisions(path: str | Path | None) -> Decisions:
    decisions = Decisions()
    if not path:
        return decisions
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise SettingsError(f"{path}: cannot read decisions: {exc.strerror}") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise SettingsError(f"{path}: not a decisions file (JSON): {exc}") from None
    items = data.get("decisions") if isinstance(data, dict) else None
    if not isinstance(items, list):
        raise SettingsError(f"{path}: expected {{\"decisions\": [...]}}, as the review page exports")
    for n, item in enumerate(items, 1):
        where = f"{path}: decision {n}"
        if not isinstance(item, dict) or item.get("action") not in ACTIONS or not isinstance(item.get("segment"), str):
            raise SettingsError(f"{where}: needs 'segment' and 'action' ({' or '.join(ACTIONS)})")
        if item["action"] == "reject-edit":
            if not isinstance(item.get("rule"), str):
                raise SettingsError(f"{where}: a rejected edit needs its 'rule'")
            decisions.rejected.setdefault(item["segment"], set()).update(item["rule"].split("+"))
        else:
            if not isinstance(item.get("code"), str):
                raise SettingsError(f"{where}: a dismissed flag needs its 'code'")
            decisions.dismissed.setdefault(item["segment"], set()).add(item["code"])
    return decisions
