"""Reader: turn input files into Documents (the pipeline's first step).

Reads: files on disk, in the formats `pipeline.formats.FORMATS` declares (`.txt`,
`.html`/`.htm`, `.jsonl`, and the aligned bilingual formats `.xlf`/`.xliff`, `.tmx`, `.tsv`,
`.po`), each by its own module. Writes: `Document.id`, `path`, `format`, `encoding`,
`text`, `source`, and `hints`: for HTML one Block per HTML block element (`formats.html`),
for bilingual input one Block per unit with its id and source (`formats.bilingual`). A
file that cannot be read yields a `ReadFailure` with a one-line reason instead; the
batch goes on. Encodings: `formats.encoding`.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import NamedTuple

from ..document import Document
from . import SUFFIXES
from .failures import BilingualError, ReadError, ReadFailure

__all__ = ["Discovered", "ReadError", "ReadFailure", "discover", "read_file"]


class Discovered(NamedTuple):
    files: list[Path]
    skipped: list[ReadFailure]  # links not followed, dangling links


def discover(inputs: Iterable[str | Path], follow_symlinks: bool = False) -> Discovered:
    """Input files in a stable order: each argument in turn, folders searched recursively.

    A file named on the command line is read wherever it points. Inside a folder, a link
    (to a file or a folder) whose target lies outside that folder is not followed unless
    `follow_symlinks`: a folder of pages must not publish /etc/passwd because one entry
    points there. Such links, and links to nothing, are `skipped` with a reason."""
    found: list[Path] = []
    skipped: list[ReadFailure] = []
    for item in inputs:
        path = Path(item)
        if path.is_dir():
            files, passed_over = _walk(path, follow_symlinks)
            found.extend(files)
            skipped.extend(passed_over)
        else:
            found.append(path)
    seen: set[Path] = set()
    unique = []
    for p in found:
        key = p.resolve()
        if key not in seen:
            seen.add(key)
            unique.append(p)
    return Discovered(unique, skipped)


def _walk(folder: Path, follow_symlinks: bool) -> tuple[list[Path], list[ReadFailure]]:
    root = folder.resolve()
    files: list[Path] = []
    skipped: list[ReadFailure] = []
    visited: set[str] = set()  # real paths of the folders walked: a link cycle ends here

    def link_problem(path: Path) -> str | None:
        target = Path(os.path.realpath(path))
        if not target.exists():
            return f"a link to {os.readlink(path)}, which does not exist"
        if not follow_symlinks and not target.is_relative_to(root):
            return f"a link to {target}, outside the input folder; not followed (--follow-symlinks follows it)"
        return None

    for here, dirs, names in os.walk(folder, followlinks=True):
        real = os.path.realpath(here)
        if real in visited:
            dirs[:] = []
            continue
        visited.add(real)
        kept = []
        for name in sorted(dirs):
            sub = Path(here) / name
            problem = link_problem(sub) if sub.is_symlink() else None
            if problem is None:
                kept.append(name)
            else:  # whatever it holds, at its top or deeper: what is not read is said
                skipped.append(ReadFailure(sub.name, str(sub), problem))
        dirs[:] = kept
        for name in names:
            path = Path(here) / name
            if path.suffix.lower() not in SUFFIXES:
                continue
            problem = link_problem(path) if path.is_symlink() else None
            if problem is None:
                if path.is_file():  # not a pipe or a device, which would block or never end
                    files.append(path)
            else:
                skipped.append(ReadFailure(path.stem, str(path), problem))
    return sorted(files), sorted(skipped, key=lambda f: f.path)


def read_file(path: Path, doc_id: str, encoding: str | None = None) -> Iterator[Document | ReadFailure]:
    """Documents in one input file, read by its format's module: one for most formats, one per
    line (or per "doc" of aligned lines) for .jsonl."""
    fmt = SUFFIXES.get(path.suffix.lower())
    try:
        if fmt is None:
            raise ReadError(f"unsupported file type '{path.suffix}' (expected {', '.join(sorted(SUFFIXES))})")
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise ReadError(f"cannot read file: {exc.strerror or exc}") from None
        if not data.strip():
            raise ReadError("empty file")
        yield from fmt.read(path, doc_id, data, encoding)
    except (ReadError, BilingualError) as exc:
        yield ReadFailure(doc_id, str(path), str(exc))
