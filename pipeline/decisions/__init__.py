"""Reviewer decisions from the HTML report: rejected edits and dismissed flags.

The review page exports them as JSON; `python -m pipeline run --decisions FILE`
applies them. Each decision is keyed by the segment's content hash
(`document.segment_key`), never by its position in the document, so it survives
re-runs and edits elsewhere; within the segment it names one place:

    {"version": 2, "decisions": [
      {"segment": "<key>", "action": "reject-edit", "stage": "punctuation", "rule": "moses.quotes",
       "before": "“", "after": "\"", "start": 12, "end": 13},
      {"segment": "<key>", "action": "dismiss-flag", "code": "repetition", "start": 4, "end": 19},
      {"segment": "<key>", "action": "dismiss-verdict"},
      {"segment": "<key>", "action": "post-edit", "text": "The reviewer's own sentence."},
      {"segment": "<document key>", "action": "override-quality", "verdict": "pass",
       "reason": "the flags are the site's house style", "reviewer": "ana", "at": "2026-12-05T09:00:00+00:00"}]}

- A rejected edit blocks that change at that place (`start`:`end` of the text the stage
  received holds `before`): no rule of that stage may change that text there, whichever
  rule would. For the terms stage it also accepts the form found there: it is neither
  flagged as a variant nor counted as an inconsistent rendering.
- A dismissed flag drops the one flag of that code at that span of the cleaned text.
- A dismissed verdict says the segment is not garbled: its score stays, `garbled` is
  false, and the flags the score raised to explain a verdict are not raised.
- A post-edit is the reviewer's own sentence: it replaces the cleaned text (the
  `post-edit` stage), and the user's rules and the garble checks judge it.
- A verdict on a document's quality (`override-quality`) stands in place of its quality
  score's pass or fail (the quality stage), with its reason, reviewer and time. Its
  `segment` is the key of the whole document's text as read (`segment_key(doc.text)`),
  so it lapses when the document changes; the newest verdict for a text stands.

Decisions written before places were recorded (version 1: `rule` or `code` only) still
apply, to every edit of that rule or flag of that code in the segment. Other fields
(doc, index, text, message) are kept for people reading the file and ignored. A run
records which decisions it applied (`Document.decisions_applied`); the batch summary
lists those that matched nothing, because their sentence changed.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from ..config import SettingsError
from ..document import segment_key

ACTIONS = ("reject-edit", "dismiss-flag", "dismiss-verdict", "post-edit", "override-quality")  # what a run applies
VERDICTS = ("pass", "fail")
RECORDED = ("accept", "accept-edit")  # what review records besides; a run passes them by


@dataclass(frozen=True)
class Decision:
    number: int  # its position in the file, from 1: how reports name it
    segment: str  # the segment's key (content hash of its text as read); a verdict's, the document's
    action: str  # one of ACTIONS
    rule: str | None = None
    code: str | None = None
    stage: str | None = None
    before: str | None = None
    after: str | None = None
    start: int | None = None
    end: int | None = None
    text: str | None = None  # a post-edit's new sentence
    verdict: str | None = None  # an override-quality's pass or fail, why, who and when
    reason: str | None = None
    reviewer: str | None = None
    at: str | None = None

    @property
    def placed(self) -> bool:
        """True when it names one place (version 2), not every edit of a rule or flag of a code."""
        if self.start is None or self.end is None:
            return False
        return self.action == "dismiss-flag" or (self.before is not None and self.stage is not None)

    def describe(self) -> str:
        if self.action == "dismiss-verdict":
            return f"decision {self.number}: dismiss-verdict (not garbled)"
        if self.action == "post-edit":
            return f"decision {self.number}: post-edit “{self.text}”"
        if self.action == "override-quality":
            by = f" by {self.reviewer}" if self.reviewer else ""
            return f"decision {self.number}: the document's quality verdict set to {self.verdict}{by} ({self.reason})"
        what = self.rule if self.action == "reject-edit" else self.code
        change = f" “{self.before}” → “{self.after}”" if self.before is not None else ""
        return f"decision {self.number}: {self.action} {what}{change}"

    def lapsed(self) -> str:
        """Why a run applied it nowhere: what changed since it was made."""
        changed = "its document's text" if self.action == "override-quality" else "its sentence or the text at its place"
        return f"{self.describe()}: {changed} changed"

    def as_dict(self) -> dict:
        return {k: v for k, v in vars(self).items() if v is not None}


@dataclass
class Decisions:
    by_segment: dict[str, list[Decision]] = field(default_factory=dict)
    verdicts: dict[str, Decision] = field(default_factory=dict)  # document key -> the verdict that stands

    def add(self, decision: Decision) -> None:
        if decision.action == "override-quality":
            self.verdicts[decision.segment] = decision  # a later one replaces an earlier
        else:
            self.by_segment.setdefault(decision.segment, []).append(decision)

    def verdict_override(self, text: str) -> Decision | None:
        """The reviewer's verdict on the quality of the document whose text as read is
        `text`, if any (hashed only when there are verdicts at all)."""
        return self.verdicts.get(segment_key(text)) if self.verdicts else None

    def for_segment(self, original: str) -> list[Decision]:
        """The decisions about the segment whose text as read is `original` (hashed only
        when there are decisions at all)."""
        return self.by_segment.get(segment_key(original), []) if self.by_segment else []

    def rejected_edits(self, original: str, stage: str) -> list[Decision]:
        """Rejected edits of `stage` for this segment: placed ones of that stage, and
        version-1 ones whose rule is that stage's (`stage_of_rule`)."""
        return [d for d in self.for_segment(original) if d.action == "reject-edit"
                and (d.stage if d.placed else stage_of_rule(d.rule)) == stage]

    def dismissals(self, original: str) -> list[Decision]:
        return [d for d in self.for_segment(original) if d.action == "dismiss-flag"]

    def post_edit(self, original: str) -> Decision | None:
        """The reviewer's own sentence for this segment, if any (the latest)."""
        edits = [d for d in self.for_segment(original) if d.action == "post-edit"]
        return edits[-1] if edits else None

    def verdict_dismissal(self, original: str) -> Decision | None:
        """The decision that the segment is not garbled, whatever its score, if any."""
        return next((d for d in self.for_segment(original) if d.action == "dismiss-verdict"), None)

    def all(self) -> list[Decision]:
        return sorted([*(d for ds in self.by_segment.values() for d in ds), *self.verdicts.values()],
                      key=lambda d: d.number)

    def __len__(self) -> int:
        return sum(map(len, self.by_segment.values())) + len(self.verdicts)


def stage_of_rule(rule: str | None) -> str:
    """The stage whose edits carry `rule` (for version-1 decisions, which name no stage)."""
    return "terms" if (rule or "").startswith("term:") else "punctuation"


def dismissed(flag, decisions: list[Decision]) -> Decision | None:
    """The decision that dismisses `flag`, if any: one placed at its span, or a version-1
    one for its whole code."""
    for d in decisions:
        if d.code == flag.code and (not d.placed or (d.start, d.end) == (flag.start, flag.end)):
            return d
    return None


def found_at(text: str, decision: Decision) -> tuple[int, int] | None:
    """Where a placed rejected edit's `before` stands in `text`: at its recorded offsets,
    or None when the text there changed (the decision no longer matches)."""
    if decision.start is None or decision.end is None or decision.before is None:
        return None
    return (decision.start, decision.end) if text[decision.start:decision.end] == decision.before else None


def decisions_hash(path: str) -> str | None:
    """A hash of the decisions `path` holds: the file's bytes and, for a review database,
    its write-ahead log's, where its latest decisions may still be. None if unreadable."""
    import hashlib

    digest = hashlib.sha256()
    try:
        digest.update(Path(path).read_bytes())
    except OSError:
        return None
    try:
        digest.update(Path(f"{path}-wal").read_bytes())
    except OSError:
        pass  # a JSON file, or a database with nothing in its log
    return digest.hexdigest()


def _optional(item: dict, name: str, kind: type, where: str):
    value = item.get(name)
    if value is not None and (not isinstance(value, kind) or isinstance(value, bool)):
        raise SettingsError(f"{where}: '{name}' must be {'a whole number' if kind is int else 'a string'}")
    return value


SQLITE_HEADER = b"SQLite format 3\x00"


def load_decisions(path: str | Path | None) -> Decisions:
    """The decisions of a `decisions.json` the review page exported, or of a review
    database (`DIR/review.sqlite`, `python -m pipeline review`): its rejected edits and
    dismissed flags in force, numbered in the order they were made."""
    decisions = Decisions()
    if not path:
        return decisions
    path = Path(path)
    try:
        with open(path, "rb") as fh:
            is_database = fh.read(len(SQLITE_HEADER)) == SQLITE_HEADER
    except OSError as exc:
        raise SettingsError(f"{path}: cannot read decisions: {exc.strerror}") from None
    if is_database:
        return _from_database(path)
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
        if isinstance(item, dict) and item.get("action") in RECORDED:
            continue
        if not isinstance(item, dict) or item.get("action") not in ACTIONS or not isinstance(item.get("segment"), str):
            raise SettingsError(f"{where}: needs 'segment' and 'action' ({' or '.join(ACTIONS)})")
        fields = {name: _optional(item, name, kind, where) for name, kind in
                  (("rule", str), ("code", str), ("stage", str), ("before", str), ("after", str),
                   ("start", int), ("end", int), ("text", str))}
        if item["action"] == "override-quality":
            fields |= _verdict(item, where)
        if item["action"] == "reject-edit" and fields["rule"] is None:
            raise SettingsError(f"{where}: a rejected edit needs its 'rule'")
        if item["action"] == "dismiss-flag" and fields["code"] is None:
            raise SettingsError(f"{where}: a dismissed flag needs its 'code'")
        if item["action"] == "post-edit" and fields["text"] is None:
            raise SettingsError(f"{where}: a post-edit needs its 'text'")
        decisions.add(Decision(n, item["segment"], item["action"], **fields))
    return decisions


def _verdict(item: dict, where: str) -> dict:
    """An override-quality's own fields, checked: a verdict, a reason, and who and when."""
    if item.get("verdict") not in VERDICTS:
        raise SettingsError(f"{where}: a verdict on a document's quality needs 'verdict' (pass or fail)")
    reason = _optional(item, "reason", str, where)
    if not reason or not reason.strip():
        raise SettingsError(f"{where}: a verdict on a document's quality needs its 'reason'")
    return {"verdict": item["verdict"], "reason": reason, "reviewer": _optional(item, "reviewer", str, where),
            "at": _optional(item, "at", str, where)}


def active_decisions(path: str | Path) -> list:
    """The decisions of a review database that stand (not undone), read-only; a database
    that cannot be read is a settings error naming it."""
    from .store import ReviewStore, StoreError  # only for a database

    try:
        with ReviewStore(path, read_only=True) as store:
            return store.active()
    except (StoreError, OSError) as exc:
        raise SettingsError(f"{path}: {exc}") from None
    except Exception as exc:  # sqlite3.DatabaseError: damaged, or not ours  # noqa: BLE001
        raise SettingsError(f"{path}: not a review database: {exc}") from None


def _from_database(path: Path) -> Decisions:
    decisions = Decisions()
    applicable = [d for d in active_decisions(path) if d.action in ACTIONS]
    for n, stored in enumerate(applicable, 1):
        verdict = ({"verdict": stored.verdict, "reason": stored.reason, "reviewer": stored.reviewer,
                    "at": stored.made_at} if stored.action == "override-quality" else {})
        decisions.add(Decision(n, stored.segment, stored.action, rule=stored.rule, code=stored.code, stage=stored.stage,
                               before=stored.before, after=stored.after, start=stored.start, end=stored.end,
                               text=stored.new_text, **verdict))
    return decisions
