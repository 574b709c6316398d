"""How glossary forms are compared: one folding function and English number variants.

Matching tolerates case, hyphen/space variation ("ex situ" = "ex-situ"), curly
apostrophes and line breaks, so every comparison of forms (validation and the
matcher alike) goes through `fold`.
"""

from __future__ import annotations

import re
from functools import lru_cache

from ..text.lean_imports import lemminflect

# White space and hyphens all read as a space, and runs of them as one space:
# "ex - situ" = "ex-situ" = "ex situ". Curly apostrophes read as straight ones.
# (Every Unicode space character is below U+3001.)
_SEPARATOR_CHARS = [chr(i) for i in range(0x3001) if chr(i).isspace()] + ["-", "\u2010", "\u2011"]
FOLD_TABLE = str.maketrans({**{c: " " for c in _SEPARATOR_CHARS}, "\u2019": "'", "\u2018": "'", "\u02bc": "'"})
# The same for ASCII text, as bytes: a table of 256 is much quicker than a lookup per character.
_ASCII = [c for c in FOLD_TABLE if c < 128]
_ASCII_FOLD = bytes.maketrans(bytes(_ASCII), bytes(ord(FOLD_TABLE[c]) for c in _ASCII))


def fold_separators(text: str) -> str:
    """`text` with FOLD_TABLE applied (white space and hyphens to spaces, curly apostrophes straight)."""
    if text.isascii():
        return text.encode("ascii").translate(_ASCII_FOLD).decode("ascii")
    return text.translate(FOLD_TABLE)


SPACE_RUNS = re.compile(r"  +")


def fold(text: str, case_sensitive: bool = False) -> str:
    """The comparison key of a form."""
    text = SPACE_RUNS.sub(" ", fold_separators(text)).strip()
    return text if case_sensitive else text.lower()


# The head noun of an English term is its last word, or the last word before a
# preposition or relative pronoun: "area[s] of extreme poverty", "household[s] who ...".
_HEAD = re.compile(r"^(?P<before>.*?)(?P<head>[A-Za-z]{3,})(?P<after>(?:\s+(?:of|for|in|on|to|with|against|"
                   r"through|from|by|at|who|that|which)\b.*)?)$", re.S)
@lru_cache(maxsize=None)
def _other_number_word(word: str) -> str | None:
    lower = word.lower()
    lemma = lemminflect().getLemma(lower, upos="NOUN")[0]
    if lemma != lower:
        other = lemma  # plural -> singular
    else:
        plurals = lemminflect().getInflection(lower, tag="NNS", inflect_oov=True)
        other = plurals[0] if plurals else None
    if not other or other == lower:
        return None
    if word.isupper():
        return other.upper()
    if word[0].isupper():
        return other[0].upper() + other[1:]
    return other


def other_number(form: str, lang: str) -> str | None:
    """The form with its head noun in the other grammatical number, or None.

    English only: "resettlement site" <-> "resettlement sites", "area of extreme
    poverty" <-> "areas of extreme poverty". This lets one entry match both numbers;
    the terms stage keeps the number it found when it rewrites a variant, so every
    form of an entry is written in the same number as its preferred form.
    """
    if lang != "en":
        return None
    m = _HEAD.match(form)
    if not m:
        return None
    other = _other_number_word(m["head"])
    return m["before"] + other + m["after"] if other else None
