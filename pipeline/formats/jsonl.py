"""JSON lines (.jsonl): a document per line ({"id", "text", "source"}), or aligned segment
lines ({"doc", "id", "source", "target"}) grouped into one document per "doc".
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

from ..document import Document
from .bilingual import BilingualError, Unit, aligned_document
from .encoding import decode, newlines
from .failures import ReadFailure


def read(path: Path, doc_id: str, data: bytes, encoding: str | None) -> Iterator[Document | ReadFailure]:
    text, used, _warning = decode(data, encoding)
    yield from _read_jsonl(path, doc_id, text, used)


def _read_jsonl(path: Path, file_id: str, text: str, encoding: str) -> Iterator[Document | ReadFailure]:
    lines = [(n, line) for n, line in enumerate(text.split("\n"), 1) if line.strip()]
    if not lines:
        yield ReadFailure(file_id, str(path), "empty file")
    units: dict[str, list[Unit]] = {}  # aligned segment lines, grouped by their "doc"
    unit_notes: dict[str, list[str]] = {}
    for number, line in lines:
        where = f"{path}:{number}"
        fallback_id = f"{file_id}-{number}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            yield ReadFailure(fallback_id, where, f"invalid JSON: {exc.msg} (column {exc.colno})")
            continue
        if not isinstance(record, dict):
            yield ReadFailure(fallback_id, where, "a line must be a JSON object with 'id' and 'text'")
            continue
        record, replaced = _without_lone_surrogates(record)
        notes = [f"{replaced} lone surrogate(s) (half a UTF-16 pair, escaped in the JSON) replaced with "
                 f"U+FFFD at {where}."] if replaced else []
        if "text" not in record and ("target" in record or "doc" in record or "source" in record):
            # one aligned unit of document "doc" (else of the file): {"doc", "id", "source", "target"};
            # a missing or null target is a unit not yet translated
            target, source = record.get("target") or "", record.get("source", "")
            if not isinstance(target, str) or not isinstance(source, str):
                yield ReadFailure(fallback_id, where, "'source' and 'target' must be strings")
                continue
            group = str(record.get("doc", file_id))
            units.setdefault(group, []).append(Unit(str(record.get("id", number)), source, target))
            unit_notes.setdefault(group, []).extend(notes)
            continue
        doc_id = record.get("id", fallback_id)
        body, source = record.get("text"), record.get("source")
        if not isinstance(doc_id, (str, int)) or isinstance(doc_id, bool):
            yield ReadFailure(fallback_id, where, "'id' must be a string or a number")
        elif not isinstance(body, str):
            yield ReadFailure(str(doc_id), where, "missing 'text' (a string)")
        elif source is not None and not isinstance(source, str):
            yield ReadFailure(str(doc_id), where, "'source' must be a string")
        elif not body.strip():
            yield ReadFailure(str(doc_id), where, "empty document (no text)")
        else:
            yield Document(str(doc_id), where, "jsonl", newlines(body),
                           source=newlines(source) if source else None, encoding=encoding, notes=notes)
    for group, group_units in units.items():
        try:
            doc = aligned_document(group, str(path), "jsonl", group_units, encoding=encoding)
        except BilingualError as exc:
            yield ReadFailure(group, str(path), str(exc))
            continue
        doc.notes[:0] = unit_notes.get(group, [])
        yield doc


_LONE_SURROGATE = re.compile(r"[\ud800-\udfff]")


def _without_lone_surrogates(record: dict) -> tuple[dict, int]:
    """The record with each lone surrogate in its strings (JSON allows "\\ud800" alone; no
    encoder writes it) replaced by U+FFFD, and how many there were."""
    count = 0

    def clean(value):
        nonlocal count
        if isinstance(value, str):
            value, n = _LONE_SURROGATE.subn("\ufffd", value)
            count += n
        return value
    return {clean(k): clean(v) for k, v in record.items()}, count
