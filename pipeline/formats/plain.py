"""Plain text (.txt): the file's text is the document's, in the encoding found (`encoding`).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from ..document import Document
from .encoding import decode, nonempty


def read(path: Path, doc_id: str, data: bytes, encoding: str | None) -> Iterator[Document]:
    text, used, warning = decode(data, encoding)
    yield Document(doc_id, str(path), "txt", nonempty(text), encoding=used, notes=[warning] if warning else [])
