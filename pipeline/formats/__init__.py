"""The input formats: the one place that says which files the pipeline reads and writes.

Each `Format` names a module of this folder holding the format's reader, `read(path,
doc_id, data, encoding)` -> Documents (or ReadFailures), and, for the formats a CAT tool
takes back (`--export NAME`), its writers `write_back(doc)` -> bytes (the input file itself
re-read with only what the edits change changed) and `new(doc)` -> bytes (a new file, for
an input of another format); `Format.export` picks one. A module is imported when a file
of its format is first read or written, so a batch of text files never loads the HTML
parser or the XML and PO libraries.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass


@dataclass(frozen=True)
class Format:
    name: str  # Document.format, and the --export name of a written format
    suffixes: tuple[str, ...]
    module: str  # pipeline.formats.<module>
    export_suffix: str | None = None  # written back (`--export name`) with this suffix

    def read(self, path, doc_id: str, data: bytes, encoding: str | None):
        return self._module().read(path, doc_id, data, encoding)

    def export(self, doc) -> bytes:
        """`doc` as a file of this format: the input written back (`write_back`, from the
        bytes read) when it was this format, else a new file (`new`)."""
        module = self._module()
        return module.write_back(doc) if doc.format == self.name and doc.raw is not None else module.new(doc)

    def _module(self):
        return importlib.import_module(f"{__name__}.{self.module}")


FORMATS = (
    Format("txt", (".txt",), "plain"),
    Format("html", (".html", ".htm"), "html"),
    Format("jsonl", (".jsonl",), "jsonl"),
    Format("xliff", (".xlf", ".xliff"), "xliff", export_suffix=".xlf"),
    Format("tmx", (".tmx",), "tmx", export_suffix=".tmx"),
    Format("tsv", (".tsv",), "tsv"),
    Format("po", (".po",), "po", export_suffix=".po"),
)
SUFFIXES = {suffix: fmt for fmt in FORMATS for suffix in fmt.suffixes}
WRITTEN = tuple(fmt for fmt in FORMATS if fmt.export_suffix)  # the formats --export writes
