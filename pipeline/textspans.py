"""Spans of text that cleaning treats specially, shared by the stages that need them:
the places no punctuation rule may change (separators, URLs, e-mail addresses, handles)
and the shape of two words run together ("pageClose")."""

from __future__ import annotations

import re
from functools import lru_cache

from . import conventions

# A lower-case word run into a capitalised one ("pageClose"); 3+ letters each side
# keeps "iPhone", "eBay" and "McDonald" out.
GLUED_WORDS = r"\b([a-z]{3,})([A-Z][a-z]{2,})\b"
# A lower-case letter before a capital: in every text GLUED_WORDS matches in. Written to
# stop only at capitals, which is quicker than "[a-z][A-Z]" (that stops at every letter).
LOWER_UPPER = r"[A-Z](?<=[a-z][A-Z])"

PROTECTED = re.compile(
    r"(?<=\s)(?:»|«|>>|›|‹)(?=\s)"  # separators, as in "Home » News"
    r"|\b(?:https?://|www\.)\S+"  # URLs
    r"|[\w.+-]+@[\w-]+(?:\.[\w-]+)+"  # e-mail addresses
    r"|(?<!\w)[#@]\w+"  # hashtags and handles
)


@lru_cache(maxsize=64)  # asked again by each rule that changes the same text
def protected_spans(text: str, lang: str = "en") -> tuple[tuple[int, int], ...]:
    """Spans no rule may change. In languages that quote with « », a spaced guillemet is a
    quote mark to fix, not a breadcrumb separator."""
    if not any(mark in text for mark in _PROTECTED_MARKS):
        return ()  # PROTECTED tries its e-mail branch at every letter: slow on long text
    return tuple(m.span() for m in PROTECTED.finditer(text)
                 if not (lang in conventions.GUILLEMET_QUOTES and m.group(0) in "«»"))


# One of these is in every text PROTECTED matches in.
_PROTECTED_MARKS = ("»", "«", ">>", "›", "‹", "://", "www.", "@", "#")
