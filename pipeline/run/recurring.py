"""Lines a site repeats on every page: counted over a batch before it is processed.

A batch usually holds several pages of one site, and what the site prints on each of
them (its name, menu, edition bar, footer, the same "share to" line) recurs from page to
page while the articles do not. No per-page extractor can see that; a first pass over the
batch can. `RecurringLines.count` reads the batch's plain-text pages once and counts, for
each short line (not a paragraph: an article syndicated to several pages must not vanish),
how many pages hold it (lines that end like a sentence are not counted either). The counts are kept as 8-byte hashes, so memory grows with the
number of distinct short lines, not with the text. `of(doc)` gives the lines of one
document that recur in at least RECUR_PAGES pages; the batch layer puts them on
`Document.recurring_lines` and the boilerplate stage marks them.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ..document import Document, reads_as_paragraph
from ..text.lines import normal_form

# A line in this many pages of the batch or more is the site's, not an article's.
RECUR_PAGES = 3
# Lines of this many words or more that end like a sentence are article text.
PARAGRAPH_WORDS = 12


def _key(line: str) -> int:
    return int.from_bytes(hashlib.blake2b(line.encode("utf-8"), digest_size=8).digest(), "big")


def short_lines(text: str) -> set[str]:
    """The document's lines that could be the site's, as `normal_form`s: labels, names
    and link rows, not sentences (a short sentence such as "It was not easy." may well
    recur in three articles; a site's furniture does not end like one)."""
    lines = set()
    for line in text.splitlines():
        line = line.strip()
        if line and not _ENDS_LIKE_SENTENCE.search(line) and not reads_as_paragraph(line, PARAGRAPH_WORDS):
            normal = normal_form(line)
            if normal:
                lines.add(normal)
    return lines


_ENDS_LIKE_SENTENCE = re.compile(r"[.!?。！？][\"”’»)\]]*$")


@dataclass
class RecurringLines:
    """How many pages of the batch hold each short line (by hash)."""

    pages: Counter = field(default_factory=Counter)

    @classmethod
    def count(cls, documents: Iterable[Document]) -> RecurringLines:
        counts: Counter = Counter()
        for doc in documents:
            counts.update(_key(line) for line in short_lines(doc.text))
        return cls(Counter({k: n for k, n in counts.items() if n >= RECUR_PAGES}))

    def of(self, doc: Document) -> frozenset[str]:
        """The lines of `doc` that recur across the batch."""
        if not self.pages:
            return frozenset()
        return frozenset(line for line in short_lines(doc.text) if self.pages.get(_key(line), 0) >= RECUR_PAGES)


def is_plain_text_page(path: Path) -> bool:
    """Whether the count reads this input: plain-text pages only (HTML has its structure
    and the extractor; aligned files are not pages)."""
    return path.suffix.lower() == ".txt"


def count_files(files: Iterable[Path], encoding: str | None = None) -> RecurringLines:
    """`RecurringLines.count` over the plain-text pages among `files` (a file that cannot
    be read is left out here; the main pass reports it)."""
    from ..formats.read import read_file
    return RecurringLines.count(doc for path in files if is_plain_text_page(path)
                                for doc in read_file(path, path.stem, encoding) if isinstance(doc, Document))
