"""Spans of text that cleaning treats specially, shared by the stages that need them:
the places no punctuation rule may change (separators, URLs, e-mail addresses, handles),
the shape of two words run together ("pageClose"), and code (a word glued to a path or an
operator, a line that is a command or a program rather than prose)."""

from __future__ import annotations

import re
from functools import lru_cache

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


# Languages that quote with « »: a spaced guillemet there is a quote mark, not a separator
# (`language.conventions` reads it from here: the typography layer sits above this one).
GUILLEMET_QUOTES = {"fr"}


@lru_cache(maxsize=64)  # asked again by each rule that changes the same text
def protected_spans(text: str, lang: str = "en") -> tuple[tuple[int, int], ...]:
    """Spans no rule may change. In languages that quote with « », a spaced guillemet is a
    quote mark to fix, not a breadcrumb separator."""
    if not any(mark in text for mark in _PROTECTED_MARKS):
        return ()  # PROTECTED tries its e-mail branch at every letter: slow on long text
    return tuple(m.span() for m in PROTECTED.finditer(text)
                 if not (lang in GUILLEMET_QUOTES and m.group(0) in "«»"))


# One of these is in every text PROTECTED matches in.
_PROTECTED_MARKS = ("»", "«", ">>", "›", "‹", "://", "www.", "@", "#")


# A word inside code, a path or a file name ("/etc/stunnel/", "langly_stunnel_key.pem",
# "pyproject.toml", "<stdin>", "--dport"): glued to one of these, or to a dot and more of the
# name (a dot after a letter or digit: an ellipsis, "wait...tomorow", is prose).
_CODE_BEFORE = re.compile(r"(?:[_/\\@#$%=<>-]|[^\W_]\.)$")
_CODE_AFTER = re.compile(r"^(?:[_/\\=<>(]|\.[^\W_])")


def in_code(text: str, start: int, end: int) -> bool:
    """True when the word at text[start:end] is glued to code on either side."""
    return bool(_CODE_BEFORE.search(text, max(0, start - 2), start) or _CODE_AFTER.match(text, end))


# A piece of text between spaces that is code rather than a word: it holds an operator,
# bracket or path character, starts like an option ("-vv", "--daemon"), or is a name with
# an extension or an attribute ("foo.py", "bar.append"; "e.g." and "U.S." are not).
_CODE_TOKEN = re.compile(r"[_/\\=<>{}|$`]|\(\)|\w\(|\[\w*\]|^--?[a-z]|[^\W_]\.[^\W\d_]{2,}"
                         r"|^\(\w*\):?$|^[-+*/%&|!^]=?$")
# A line that opens with a shell or interpreter prompt, or with a keyword of a program.
_PROMPT = re.compile(r"\s*(?:\$ |>>> |\.\.\. |% |# (?=[a-z]))")
CODE_SHARE = 0.25


def reads_as_code(text: str) -> bool:
    """Whether a line is a command, a program or a listing rather than prose: it opens
    with a prompt, or a quarter or more of its space-separated pieces (two at least) are
    code (one is enough in a line of four pieces or fewer: "chmod 400 /etc/ssl/key.pem"). A
    sentence that names one file or address ("Download it from http://www.samba.org/.")
    stays prose."""
    if _PROMPT.match(text):
        return True
    pieces = text.split()
    code = sum(1 for piece in pieces if _CODE_TOKEN.search(piece))
    return code >= CODE_SHARE * len(pieces) and (code >= 2 or 0 < len(pieces) <= 4)
