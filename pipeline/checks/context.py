"""What a check may know besides its segment: the document, its language, the settings."""

from __future__ import annotations

from dataclasses import dataclass

from ..document import Document


@dataclass
class Context:
    doc: Document
    lang: str  # the document's language
    source_lang: str = "zh"
