"""The output folder's record of what it holds, so a re-run redoes only what changed.

`DIR/.cache/manifest.jsonl` has a header line (fingerprints of the pipeline's code and
of the settings other than glossaries) and one line per document: the hash of the
document as read, where its records sit in `segments.jsonl` (byte offset, length,
hash), the SHA-256 of each of its other output files (cleaned text, page, exports) and
its summary. `DIR/.cache/glossaries/` holds copies of the glossary files
the run used.

A document is reused (its records copied, its cleaned text, page and exports left
in place) when its hash, the code and the settings are unchanged, each of its output
files is still as this record says (not truncated, edited or removed), and no glossary
entry it contains was added, edited or removed since. Whether a glossary edit can
touch a document is decided by matching the changed entries (old and new versions)
against the document's text as read and as it was cleaned: a document that contains
none of their forms comes out the same. When the code or the other settings changed,
or the folder's record is missing or does not check out, everything is redone.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from .. import __version__
from ..checks.parse import installed_model
from ..config import PATH_SETTINGS, Settings
from ..decisions import decisions_hash
from ..document import Document
from ..glossary import Entry, Glossary, GlossaryError, load_glossaries, shipped_glossaries
from ..glossary.matcher import GlossaryMatcher

CACHE_DIR = ".cache"
FORMAT = 2  # 2: output files' hashes recorded


def code_fingerprint() -> str:
    """A hash of the pipeline's own files (code, weights, templates): a changed rule is a changed result."""
    digest = hashlib.sha256(__version__.encode())
    package = Path(__file__).resolve().parents[1]  # the whole pipeline package, not this layer
    for path in sorted(package.rglob("*")):
        if path.is_file() and path.suffix in (".py", ".json", ".html", ".js", ".css", ".txt", ".yaml"):
            digest.update(str(path.relative_to(package)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def settings_fingerprint(settings: Settings) -> str:
    """Every setting but the glossaries (those are compared entry by entry), the link
    policy and the batch reports, with the content of every file a setting names
    (`config.PATH_SETTINGS`) besides its name: an edited file is other settings."""
    values = settings.as_dict()
    values.pop("glossaries")
    values.pop("follow_symlinks")  # which files are read, not how: each file has its own key
    values.pop("report_formats")  # reports of the whole batch, written after every run
    if settings.parser == "auto":  # what "auto" finds is part of the result
        values["parser"] = f"auto: {installed_model()}"
    for name in PATH_SETTINGS:
        if name in values and values[name]:
            values[name] = named_content(name, values[name])
    return hashlib.sha256(json.dumps(values, sort_keys=True).encode()).hexdigest()


def named_content(name: str, path: str) -> str:
    """A path setting's value with what it names: a file's hash (a review database's with
    its write-ahead log), a folder's files' names, sizes and times. An unreadable file has
    no hash: the stage that reads it says so."""
    if name == "decisions":
        return f"{path}={decisions_hash(path)}"
    target = Path(path)
    if target.is_dir():
        listing = []
        for p in sorted(target.iterdir()):
            if p.is_file():
                stat = p.stat()
                listing.append((p.name, stat.st_size, stat.st_mtime_ns))
        return f"{path}={hashlib.sha256(json.dumps(listing).encode()).hexdigest()}"
    return f"{path}={file_hash(target)}"


def document_key(doc: Document) -> str:
    """A hash of a document as read (text, format, structure hints, aligned sources, the
    lines it shares with the rest of its batch)."""
    fields = [doc.id, doc.path, doc.format, doc.encoding, doc.text, doc.source, doc.source_lang, doc.lang,
              doc.lang_prob, [dataclasses.astuple(h) for h in doc.hints], sorted(doc.recurring_lines),
              doc.declared_lang, doc.markup_lang]
    return hashlib.sha256(json.dumps(fields, ensure_ascii=False).encode()).hexdigest()


def content_hash(content: str | bytes) -> str:
    """The SHA-256 of an output file's content, as `outputs.write_atomic` writes it."""
    return hashlib.sha256(content.encode("utf-8") if isinstance(content, str) else content).hexdigest()


def file_hash(path: Path) -> str | None:
    digest = hashlib.sha256()
    try:
        with open(path, "rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                digest.update(block)
    except OSError:
        return None
    return digest.hexdigest()


@dataclass
class CachedDocument:
    """A document whose outputs from the previous run stand: its records, summary and
    the hashes of its output files (carried into this run's record)."""

    id: str
    path: str
    records: bytes
    summary: dict
    file_hashes: dict[str, str]


class RunCache:
    """Looks documents up in the previous run's record and writes this run's."""

    def __init__(self, out: Path, settings: Settings, glossaries: list[Glossary], enabled: bool = True):
        """`glossaries`: those the run uses (loaded once, `stages.Shared`), whose entries
        are compared with the previous run's copies."""
        self.out = out
        self.folder = out / CACHE_DIR
        self.header = {"format": FORMAT, "code": code_fingerprint(), "settings": settings_fingerprint(settings)}
        self.glossary_files = [Path(p) for p in (list(settings.glossaries) or shipped_glossaries())]
        self.glossaries = glossaries
        self.entries: dict[str, tuple[str, int, int, str, int]] = {}  # id -> key, offset, length, sha, line offset
        self.changed: list[GlossaryMatcher] = []
        self.reused = 0
        self._old_segments = None
        self._manifest = None
        if enabled:
            self._load()
        self._new = None

    # -- the previous run ------------------------------------------------------------------

    def _load(self) -> None:
        manifest, segments = self.folder / "manifest.jsonl", self.out / "segments.jsonl"
        try:
            fh = open(manifest, "rb")
        except OSError:
            return
        try:
            header = json.loads(fh.readline())
            if {k: header.get(k) for k in self.header} != self.header:
                fh.close()
                return  # other code or settings: everything is redone
            offset = fh.tell()
            for line in fh:
                item = json.loads(line)
                self.entries[item["doc"]] = (item["key"], item["offset"], item["length"], item["sha"], offset)
                offset += len(line)
            self.changed = self._changed_entries()
            self._old_segments = open(segments, "rb")
        except (OSError, ValueError, KeyError, TypeError, GlossaryError):
            fh.close()
            self.entries = {}
            return
        self._manifest = fh

    def _changed_entries(self) -> list[GlossaryMatcher]:
        """Matchers for every glossary entry added, edited or removed since the last run."""
        old_files = sorted((self.folder / "glossaries").glob("*"))
        old = {e.id: e for g in load_glossaries(old_files) for e in g.entries} if old_files else {}
        new = {e.id: e for g in self.glossaries for e in g.entries}
        changed: list[Entry] = [e for i, e in new.items() if old.get(i) != e]
        changed += [e for i, e in old.items() if new.get(i) != e]
        if not changed:
            return []
        languages = sorted({lang for e in changed for lang in e.targets})
        return ([GlossaryMatcher.for_target(changed, lang) for lang in languages]
                + [GlossaryMatcher.for_source(changed)])

    def lookup(self, doc: Document, key: str, outputs: list[Path]) -> CachedDocument | None:
        """The previous run's outputs of `doc`, if they stand (see the module docstring)."""
        entry = self.entries.get(doc.id)
        if entry is None or entry[0] != key:
            return None
        _, offset, length, sha, line_at = entry
        self._manifest.seek(line_at)
        item = json.loads(self._manifest.readline())
        hashes = item.get("files", {})
        for path in outputs:
            name = path.relative_to(self.out).as_posix()
            if name not in hashes or file_hash(path) != hashes[name]:
                return None  # missing, truncated or changed since: redo
        self._old_segments.seek(offset)
        records = self._old_segments.read(length)
        if len(records) != length or hashlib.sha1(records).hexdigest() != sha:
            return None  # segments.jsonl was changed by hand: recompute
        if self.changed:
            cleaned = [json.loads(line)["cleaned"] for line in records.decode("utf-8").splitlines()]
            texts = [doc.text, doc.source or "", *cleaned]
            if any(m.find(t) for m in self.changed for t in texts):
                return None  # holds a glossary entry that changed
        return CachedDocument(doc.id, doc.path, records, item["summary"], {n: hashes[n] for n in sorted(hashes)})

    # -- this run --------------------------------------------------------------------------

    def start(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        self._new_path = self.folder / f"manifest.{os.getpid()}.tmp"
        self._new = open(self._new_path, "w", encoding="utf-8", newline="\n")
        self._new.write(json.dumps(self.header) + "\n")

    def record(self, doc_id: str, key: str, offset: int, records: bytes, summary: dict,
               file_hashes: dict[str, str]) -> None:
        """`file_hashes`: the document's output files (path in the folder -> SHA-256)."""
        self._new.write(json.dumps({"doc": doc_id, "key": key, "offset": offset, "length": len(records),
                                    "sha": hashlib.sha1(records).hexdigest(), "files": file_hashes,
                                    "summary": summary}, ensure_ascii=False) + "\n")

    def commit(self) -> None:
        """Put this run's record in place (after segments.jsonl, which it points into)."""
        self.close()
        copies = self.folder / "glossaries"
        shutil.rmtree(copies, ignore_errors=True)
        copies.mkdir()
        for i, path in enumerate(self.glossary_files):
            shutil.copyfile(path, copies / f"{i:03d}-{path.name}")
        os.replace(self._new_path, self.folder / "manifest.jsonl")

    def close(self) -> None:
        for fh in (self._manifest, self._old_segments, self._new):
            if fh is not None:
                fh.close()

    def abort(self) -> None:
        self.close()
        if self._new is not None:
            Path(self._new_path).unlink(missing_ok=True)
