"""Lasting suppressions: findings a reviewer silenced for good, kept in a file of their own
(the `suppressions` setting, beside the glossary), each with who, when and why.

A reviewer's dismissal on a review page holds for that segment in that output folder. A
suppression holds wherever its finding recurs: in any later run, and in every segment of
the batch with the same text. It is a fingerprint of the finding: the flag's `code`, the
`text` it flags, and the `context`, the segment's whole text; both compared case-folded,
NFC, with runs of white space as one space. A change to the sentence is a new finding,
and it fires again. An entry with neither text nor context silences the whole check (its
code), in every language or in `lang` alone: one action for a rule that does not suit a
client, undone by removing the entry.

    {"version": 1, "suppressions": [
      {"code": "fragment", "text": "Motivation and willingness",
       "context": "Motivation and willingness to relocate the county families.",
       "who": "li", "when": "2026-12-05T10:00:00+00:00", "why": "a list item"},
      {"code": "too-long", "lang": "en", "who": "li", "when": "2026-12-05T10:02:00+00:00",
       "why": "long sentences are this client's house style"}]}

Silenced flags are dropped by the garble stage with skipped and dismissed ones (they carry
no weight in the garble or the quality score); each document counts its silenced findings
(`Document.suppressed`), and the summary and the index say how many there were.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
import unicodedata
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from pathlib import Path

from ..config import SettingsError

VERSION = 1
_SPACES = re.compile(r"\s+")


def normal(text: str) -> str:
    """How a finding's text and context are compared: NFC, case-folded, spaces collapsed."""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", text)).strip().casefold()


@dataclass(frozen=True)
class Suppression:
    code: str
    who: str
    when: str
    why: str
    text: str | None = None  # the flagged text; None with context None: the whole check
    context: str | None = None  # the segment's text
    lang: str | None = None  # a whole check's language; None: every language

    @property
    def whole_check(self) -> bool:
        return self.text is None and self.context is None

    def describe(self) -> str:
        where = (f"every {self.code} flag" + (f" in {self.lang}" if self.lang else "") if self.whole_check
                 else f"{self.code} on “{self.text}” in “{self.context}”")
        return f"{where} (by {self.who}, {self.when}: {self.why})"

    def as_dict(self) -> dict:
        return {key: value for key, value in asdict(self).items() if value is not None}


def finding(code: str, text: str, context: str, who: str, why: str, when: str | None = None) -> Suppression:
    """A suppression of one finding: `code` on `text` in the segment `context`."""
    return Suppression(code, who, when or _now(), why, text=text, context=context)


def whole_check(code: str, who: str, why: str, lang: str | None = None, when: str | None = None) -> Suppression:
    """A suppression of every flag of `code` (in `lang`, or every language)."""
    return Suppression(code, who, when or _now(), why, lang=lang)


def _now() -> str:
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()


class Suppressions:
    """The entries of a suppressions file, looked up by a flag's fingerprint."""

    def __init__(self, entries: list[Suppression] = (), path: Path | None = None):
        self.entries = list(entries)
        self.path = path
        self._findings = {(s.code, normal(s.text or ""), normal(s.context or "")): n
                          for n, s in enumerate(self.entries, start=1) if not s.whole_check}
        self._checks = {(s.code, s.lang): n for n, s in enumerate(self.entries, start=1) if s.whole_check}

    def __len__(self) -> int:
        return len(self.entries)

    def silencing(self, code: str, text: str, context: str, lang: str) -> int | None:
        """The number (from 1) of the entry that silences a flag of `code` on `text` in a
        segment `context` of language `lang`, or None."""
        found = self._checks.get((code, None)) or self._checks.get((code, lang))
        if found is None and self._findings:
            found = self._findings.get((code, normal(text), normal(context)))
        return found

    def added(self, suppression: Suppression) -> Suppressions:
        """These entries and `suppression` (an entry already here is not added twice)."""
        same = [s for s in self.entries if (s.code, s.text, s.context, s.lang) ==
                (suppression.code, suppression.text, suppression.context, suppression.lang)]
        return self if same else Suppressions([*self.entries, suppression], self.path)

    def removed(self, number: int) -> Suppressions:
        if not 1 <= number <= len(self.entries):
            raise SettingsError(f"{self.path}: no suppression {number} (there are {len(self.entries)})")
        return Suppressions(self.entries[:number - 1] + self.entries[number:], self.path)

    def write(self, path: Path | None = None) -> None:
        """Write the file whole (a temporary file renamed into place); SettingsError when
        it cannot be written."""
        path = Path(path or self.path)
        body = json.dumps({"version": VERSION, "suppressions": [s.as_dict() for s in self.entries]},
                          ensure_ascii=False, indent=2) + "\n"
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        except OSError as exc:
            raise SettingsError(f"suppressions: {path}: cannot write: {exc.strerror}") from None
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(body)
            os.replace(temporary, path)
        except OSError as exc:
            Path(temporary).unlink(missing_ok=True)
            raise SettingsError(f"suppressions: {path}: cannot write: {exc.strerror}") from None
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise


_FIELDS = {"code", "text", "context", "lang", "who", "when", "why"}


def load_suppressions(path: str | Path | None, missing_ok: bool = False) -> Suppressions:
    """The suppressions in `path` (none for None; none for a missing file with
    `missing_ok`, as when one is about to be written); SettingsError naming the file and
    the entry for anything malformed."""
    if path is None:
        return Suppressions()
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        if missing_ok:
            return Suppressions(path=path)
        raise SettingsError(f"suppressions: {path}: no such file") from None
    except OSError as exc:
        raise SettingsError(f"suppressions: {path}: cannot read: {exc.strerror}") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise SettingsError(f"suppressions: {path}: not a suppressions file (JSON): {exc}") from None
    if not isinstance(data, dict) or data.get("version") != VERSION or not isinstance(data.get("suppressions"), list):
        raise SettingsError(f'suppressions: {path}: expected {{"version": {VERSION}, "suppressions": [...]}}')
    entries = []
    for n, item in enumerate(data["suppressions"], start=1):
        where = f"suppressions: {path}: entry {n}"
        if not isinstance(item, dict) or set(item) - _FIELDS:
            raise SettingsError(f"{where}: expected an object with {', '.join(sorted(_FIELDS))}")
        if not all(isinstance(item.get(key), str) and item[key].strip() for key in ("code", "who", "when", "why")):
            raise SettingsError(f"{where}: code, who, when and why must each be given (text)")
        if not all(item.get(key) is None or isinstance(item[key], str) for key in ("text", "context", "lang")):
            raise SettingsError(f"{where}: text, context and lang must be text")
        if (item.get("text") is None) != (item.get("context") is None):
            raise SettingsError(f"{where}: a finding needs both text and context (neither: the whole check)")
        if item.get("lang") is not None and item.get("text") is not None:
            raise SettingsError(f"{where}: lang is for a whole check (a finding is in its own sentence)")
        entries.append(Suppression(**item))
    return Suppressions(entries, path)
