"""The review database: every reviewer decision, stored the moment it is made.

`DIR/review.sqlite` (the standard library's sqlite3) has one row per decision event:
the document, the segment key (`document.segment_key`), the action, what it concerns
(the edit's stage, rule and text before and after, or the flag's code, with its place
in the segment), for a post-edit the new text, and who made it when (`--reviewer`,
UTC). Taking a decision back (a toggle
clicked again, `u`) marks its row undone rather than deleting it, so the table is also
the history of the review. Each decision has a `place`: the same string the review page
uses to tell decisions apart (segment, action, stage, rule or code, offsets, texts), so
toggling one place twice leaves it as it was.

The database runs in WAL mode (readers never wait for a writer), with foreign keys on
and a busy timeout, so two browser tabs saving at once both land. Every write is one
transaction: a server killed mid-save leaves the database as it was before that save or
after it. The schema has a version (`PRAGMA user_version`) and `MIGRATIONS` brings an
older file up to date when it is opened.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterable
from datetime import datetime, timezone
from dataclasses import dataclass
from pathlib import Path

from ..errors import PipelineError

FILE_NAME = "review.sqlite"
ACTIONS = ("reject-edit", "accept-edit", "dismiss-flag", "accept", "post-edit", "dismiss-verdict", "override-quality")
VERDICTS = ("pass", "fail")

# MIGRATIONS[n] takes a database of version n to n + 1.
MIGRATIONS = [
    """
    CREATE TABLE documents (
        id TEXT PRIMARY KEY
    );
    CREATE TABLE decisions (
        id INTEGER PRIMARY KEY,
        document TEXT NOT NULL REFERENCES documents(id),
        segment TEXT NOT NULL,
        place TEXT NOT NULL,
        action TEXT NOT NULL CHECK (action IN ('reject-edit', 'dismiss-flag', 'accept', 'post-edit',
                                               'dismiss-verdict')),
        stage TEXT, rule TEXT, code TEXT,
        before_text TEXT, after_text TEXT, span_start INTEGER, span_end INTEGER,
        segment_index INTEGER,
        new_text TEXT,
        undone INTEGER NOT NULL DEFAULT 0 CHECK (undone IN (0, 1))
    );
    CREATE INDEX decisions_by_document ON decisions (document, undone);
    CREATE INDEX decisions_by_place ON decisions (document, place, undone);
    """,
    # 2: edits can be accepted ('accept-edit'). SQLite cannot change a CHECK in place, so
    # the table is made again and the rows copied, ids and all (the indexes go with it).
    """
    CREATE TABLE decisions_2 (
        id INTEGER PRIMARY KEY,
        document TEXT NOT NULL REFERENCES documents(id),
        segment TEXT NOT NULL,
        place TEXT NOT NULL,
        action TEXT NOT NULL CHECK (action IN ('reject-edit', 'accept-edit', 'dismiss-flag', 'accept',
                                               'post-edit', 'dismiss-verdict')),
        stage TEXT, rule TEXT, code TEXT,
        before_text TEXT, after_text TEXT, span_start INTEGER, span_end INTEGER,
        segment_index INTEGER,
        new_text TEXT,
        undone INTEGER NOT NULL DEFAULT 0 CHECK (undone IN (0, 1))
    );
    INSERT INTO decisions_2 SELECT * FROM decisions;
    DROP TABLE decisions;
    ALTER TABLE decisions_2 RENAME TO decisions;
    CREATE INDEX decisions_by_document ON decisions (document, undone);
    CREATE INDEX decisions_by_place ON decisions (document, place, undone);
    """,
    # 3: who made each decision and when (UTC, ISO 8601), and when it was taken back;
    # rows from before have neither.
    """
    ALTER TABLE decisions ADD COLUMN reviewer TEXT;
    ALTER TABLE decisions ADD COLUMN made_at TEXT;
    ALTER TABLE decisions ADD COLUMN undone_at TEXT;
    CREATE INDEX decisions_by_segment ON decisions (document, segment);
    """,
    # 4: a reviewer's verdict on a document's quality ('override-quality': `segment` holds
    # the key of the document's text, `verdict` pass or fail, `reason` why). The table is
    # made again for the CHECK, as in 2.
    """
    CREATE TABLE decisions_4 (
        id INTEGER PRIMARY KEY,
        document TEXT NOT NULL REFERENCES documents(id),
        segment TEXT NOT NULL,
        place TEXT NOT NULL,
        action TEXT NOT NULL CHECK (action IN ('reject-edit', 'accept-edit', 'dismiss-flag', 'accept',
                                               'post-edit', 'dismiss-verdict', 'override-quality')),
        stage TEXT, rule TEXT, code TEXT,
        before_text TEXT, after_text TEXT, span_start INTEGER, span_end INTEGER,
        segment_index INTEGER,
        new_text TEXT,
        undone INTEGER NOT NULL DEFAULT 0 CHECK (undone IN (0, 1)),
        reviewer TEXT, made_at TEXT, undone_at TEXT,
        verdict TEXT CHECK (verdict IS NULL OR verdict IN ('pass', 'fail')),
        reason TEXT
    );
    INSERT INTO decisions_4 SELECT *, NULL, NULL FROM decisions;
    DROP TABLE decisions;
    ALTER TABLE decisions_4 RENAME TO decisions;
    CREATE INDEX decisions_by_document ON decisions (document, undone);
    CREATE INDEX decisions_by_place ON decisions (document, place, undone);
    CREATE INDEX decisions_by_segment ON decisions (document, segment);
    """,
]
SCHEMA_VERSION = len(MIGRATIONS)
BUSY_SECONDS = 30  # how long a store waits for another connection's write before giving up
# The oldest schema whose rows this version reads as they are: a run applying decisions
# opens the file read-only, so it cannot migrate it, and need not while the columns stay.
READABLE_FROM = 1
WHO_AND_WHEN = 3  # the schema that records who made a decision and when
VERDICT_OVERRIDES = 4  # the schema that records reviewers' verdicts on documents


class StoreError(PipelineError):
    """A decision the database refuses (unknown action, missing field): a 400 to the page."""


@dataclass(frozen=True)
class StoredDecision:
    id: int
    document: str
    segment: str
    place: str
    action: str
    stage: str | None = None
    rule: str | None = None
    code: str | None = None
    before: str | None = None
    after: str | None = None
    start: int | None = None
    end: int | None = None
    index: int | None = None
    new_text: str | None = None
    reviewer: str | None = None
    made_at: str | None = None
    verdict: str | None = None  # an override-quality's "pass" or "fail"
    reason: str | None = None  # and why
    undone_at: str | None = None  # only in a segment's history: the rows in force have none

    def as_dict(self) -> dict:
        """As the review page and `decisions.json` write a decision (no empty fields)."""
        data = {"segment": self.segment, "doc": self.document, "index": self.index, "action": self.action,
                "stage": self.stage, "rule": self.rule, "code": self.code, "before": self.before,
                "after": self.after, "start": self.start, "end": self.end, "text": self.new_text,
                "reviewer": self.reviewer, "at": self.made_at, "verdict": self.verdict, "reason": self.reason,
                "undone_at": self.undone_at}
        return {k: v for k, v in data.items() if v is not None}


_COLUMNS = ("id, document, segment, place, action, stage, rule, code, before_text, after_text, span_start, "
            "span_end, segment_index, new_text, reviewer, made_at, verdict, reason")


def _columns(version: int) -> str:
    """The columns to select from a database of schema `version`, read as it is: NULL for
    what it does not record yet."""
    columns = _COLUMNS
    if version < VERDICT_OVERRIDES:
        columns = columns.replace("verdict, reason", "NULL, NULL")
    if version < WHO_AND_WHEN:
        columns = columns.replace("reviewer, made_at", "NULL, NULL")
    return columns


def place_of(d: dict) -> str:
    """The page's identity of a decision (review.js `idOf`): one place, one decision."""
    parts = [d.get("segment"), d.get("action"), d.get("stage") or "", d.get("rule") or d.get("code"),
             d.get("start"), d.get("end"), d.get("before"), d.get("after")]
    return "|".join("" if p is None else str(p) for p in parts)


class ReviewStore:
    """The decisions of one output folder's review (`DIR/review.sqlite`)."""

    def __init__(self, path: str | Path, read_only: bool = False):
        """Open (creating it, unless `read_only`) and bring the schema up to date. A run
        that applies the decisions opens the file read-only: an input is never changed."""
        self.path = Path(path)
        # A connection per store and thread: the server makes one per request.
        if read_only:
            self.db = sqlite3.connect(f"{self.path.resolve().as_uri()}?mode=ro", uri=True, timeout=BUSY_SECONDS,
                                      isolation_level=None)
        else:
            self.db = sqlite3.connect(self.path, timeout=BUSY_SECONDS, isolation_level=None)
        self.db.execute("PRAGMA foreign_keys = ON")
        self.db.execute(f"PRAGMA busy_timeout = {BUSY_SECONDS * 1000}")
        self.columns = _COLUMNS
        if read_only:
            version = self.db.execute("PRAGMA user_version").fetchone()[0]
            if not READABLE_FROM <= version <= SCHEMA_VERSION:
                raise StoreError(f"{self.path}: review database of schema {version}, this version reads "
                                 f"{READABLE_FROM} to {SCHEMA_VERSION}")
            self.columns = _columns(version)
            self.version = version
            return
        if self._switch_to_wal().lower() != "wal":
            raise StoreError(f"{self.path}: cannot use write-ahead logging here")
        self._migrate()
        self.version = SCHEMA_VERSION

    def _switch_to_wal(self) -> str:
        """Turn write-ahead logging on; the journal mode it is then. The switch needs the
        file to itself for a moment, and SQLite does not wait for that (its busy timeout does
        not cover it): stores opening a database made before at once would fail with
        "database is locked" (1 in 30 on this machine, four at once). So it is tried again
        until the busy timeout has passed."""
        deadline = time.monotonic() + BUSY_SECONDS
        while True:
            try:
                return self.db.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) or time.monotonic() > deadline:
                    raise
                time.sleep(0.01)

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> ReviewStore:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _migrate(self) -> None:
        version = self.db.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise StoreError(f"{self.path}: made by a newer version of pipeline (schema {version}, "
                             f"this one knows {SCHEMA_VERSION})")
        while version < SCHEMA_VERSION:
            with self._transaction():  # read again under the lock: another connection may have migrated
                version = self.db.execute("PRAGMA user_version").fetchone()[0]
                if version >= SCHEMA_VERSION:
                    break
                for statement in _statements(MIGRATIONS[version]):
                    self.db.execute(statement)
                version += 1
                self.db.execute(f"PRAGMA user_version = {version}")

    def _transaction(self):
        return _Transaction(self.db)

    def add(self, document: str, decision: dict, reviewer: str | None = None) -> StoredDecision:
        """Store one decision (a dict as the page sends it), made by `reviewer` now, and
        return it with its id."""
        action = decision.get("action")
        if action not in ACTIONS:
            raise StoreError(f"unknown action {action!r} (expected {', '.join(ACTIONS)})")
        if not isinstance(decision.get("segment"), str) or not decision["segment"]:
            raise StoreError("a decision needs the key of its segment")
        if action in ("reject-edit", "accept-edit") and not decision.get("rule"):
            raise StoreError(f"{'a rejected' if action == 'reject-edit' else 'an accepted'} edit needs its rule")
        if action == "dismiss-flag" and not decision.get("code"):
            raise StoreError("a dismissed flag needs its code")
        if action == "post-edit" and not isinstance(decision.get("text"), str):
            raise StoreError("a post-edit needs its new text")
        if action == "override-quality":
            if decision.get("verdict") not in VERDICTS:
                raise StoreError("a verdict on a document's quality is 'pass' or 'fail'")
            if not isinstance(decision.get("reason"), str) or not decision["reason"].strip():
                raise StoreError("a verdict on a document's quality needs its reason")
        values = [_text(decision, "stage"), _text(decision, "rule"), _text(decision, "code"),
                  _text(decision, "before"), _text(decision, "after"), _number(decision, "start"),
                  _number(decision, "end"), _number(decision, "index"), _text(decision, "text"),
                  _text(decision, "verdict"), _text(decision, "reason")]
        with self._transaction():
            self.db.execute("INSERT OR IGNORE INTO documents (id) VALUES (?)", (document,))
            if action == "override-quality":  # one verdict per document stands: the newest
                self.db.execute("UPDATE decisions SET undone = 1, undone_at = ? WHERE document = ? "
                                "AND action = 'override-quality' AND undone = 0", (_now(), document))
            cursor = self.db.execute(
                "INSERT INTO decisions (document, segment, place, action, stage, rule, code, before_text, "
                "after_text, span_start, span_end, segment_index, new_text, verdict, reason, reviewer, made_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (document, decision["segment"], place_of(decision), action, *values, reviewer, _now()))
            row = self.db.execute(f"SELECT {self.columns} FROM decisions WHERE id = ?",
                                  (cursor.lastrowid,)).fetchone()
        return StoredDecision(*row)

    def undo(self, decision_id: int) -> bool:
        """Take a decision back; False when there is no such active decision."""
        with self._transaction():
            cursor = self.db.execute("UPDATE decisions SET undone = 1, undone_at = ? WHERE id = ? AND undone = 0",
                                     (_now(), decision_id))
        return cursor.rowcount == 1

    def undo_place(self, document: str, place: str) -> int:
        """Take back every active decision of `document` at `place` (a toggle clicked again)."""
        with self._transaction():
            cursor = self.db.execute("UPDATE decisions SET undone = 1, undone_at = ? "
                                     "WHERE document = ? AND place = ? AND undone = 0", (_now(), document, place))
        return cursor.rowcount

    def active(self, document: str | None = None) -> list[StoredDecision]:
        """The decisions in force, in the order they were made (one per document and
        place: the latest; two documents holding the same sentence each keep their own)."""
        where, args = ("AND document = ?", (document,)) if document is not None else ("", ())
        rows = self.db.execute(
            f"SELECT {self.columns} FROM decisions WHERE undone = 0 {where} AND id IN "
            f"(SELECT MAX(id) FROM decisions WHERE undone = 0 GROUP BY document, place) ORDER BY id", args).fetchall()
        return [StoredDecision(*row) for row in rows]

    def history(self, document: str, segment: str) -> list[StoredDecision]:
        """Every decision ever made about one segment (its key), taken back or not, in the
        order they were made: who, what and when."""
        undone_at = "undone_at" if self.version >= WHO_AND_WHEN else "NULL"
        rows = self.db.execute(f"SELECT {self.columns}, {undone_at} FROM decisions WHERE document = ? AND segment = ? "
                               f"ORDER BY id", (document, segment)).fetchall()
        return [StoredDecision(*row) for row in rows]

    def count(self) -> int:
        return self.db.execute("SELECT COUNT(*) FROM decisions").fetchone()[0]


class _Transaction:
    """BEGIN IMMEDIATE ... COMMIT, or ROLLBACK on an error: a write is whole or absent."""

    def __init__(self, db: sqlite3.Connection):
        self.db = db

    def __enter__(self):
        self.db.execute("BEGIN IMMEDIATE")

    def __exit__(self, exc_type, exc, tb) -> None:
        self.db.execute("ROLLBACK" if exc_type else "COMMIT")


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _statements(script: str) -> Iterable[str]:
    return [s.strip() for s in script.split(";") if s.strip()]


def _text(decision: dict, name: str) -> str | None:
    value = decision.get(name)
    if value is not None and not isinstance(value, str):
        raise StoreError(f"'{name}' must be text")
    return value


def _number(decision: dict, name: str) -> int | None:
    value = decision.get(name)
    if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
        raise StoreError(f"'{name}' must be a whole number")
    return value
