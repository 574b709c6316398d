"""lemminflect's English lexicon, asked a word at a time from a table on disk.

The grammar checks ask lemminflect which lemmas a word has (per part of speech) and
which verb forms it can be. Answering loads lemminflect's lookup tables: 0.35 s and
49 MB in every process, most of a one-document run, for the few hundred words a
document asks. So lemminflect's answers for every lower-case word of its vocabulary are
written once into a table in the derived-data cache folder (`datacache.cached_table`,
keyed on lemminflect's version) and read from there a word at a time.

A word outside the vocabulary has no lemmas and no verb forms, in lemminflect as here.
Any other word (with capitals: lemminflect gives its answers that capitalisation), and
every word when the cache folder is off, is asked of lemminflect itself.
`tests/language/test_lexicon.py` holds the two to the same answers.
"""

from __future__ import annotations

import gzip
from collections.abc import Iterator
from functools import lru_cache

from ..text.datacache import DiskTable, cached_table, key_of
from ..text.lean_imports import lemminflect

# Field separators of a stored entry: control characters, which no lemma contains.
_UPOS, _SPELLINGS, _PART = "\x1e", "\x1f", "\x1d"


def lemmas(word: str) -> dict[str, tuple[str, ...]]:
    """The word's lemmas by universal part of speech (NOUN, VERB, ADJ, ADV, AUX), as
    lemminflect's `getAllLemmas(word)` gives them."""
    stored = _stored(word)
    if stored is None:
        return lemminflect().getAllLemmas(word)
    return stored[0]


def verb_tags(word: str) -> frozenset[str]:
    """The Penn tags the word can have as a form of a verb it is a form of (VB, VBD,
    VBG, VBN, VBP, VBZ, MD): those under which lemminflect's inflections of each of its
    verb lemmas list the word itself."""
    stored = _stored(word)
    if stored is None:
        return _verb_tags_from_library(word)
    return stored[1]


def _stored(word: str) -> tuple[dict[str, tuple[str, ...]], frozenset[str]] | None:
    table = _table()
    if table is None or word != word.lower():
        return None
    value = table.get(word)
    return ({}, frozenset()) if value is None else _decode(value)


def _verb_tags_from_library(word: str) -> frozenset[str]:
    tags: set[str] = set()
    for lemma in lemminflect().getAllLemmas(word, upos="VERB").get("VERB", ()):
        for tag, forms in lemminflect().getAllInflections(lemma, upos="VERB").items():
            if word in forms:
                tags.add(tag)
    return frozenset(tags)


@lru_cache(maxsize=1)
def _table() -> DiskTable | None:
    return cached_table("lexicon-en", key_of(["lemmas, verb tags"], libraries=("lemminflect",)), _rows)


def _rows() -> Iterator[tuple[str, str]]:
    """Every lower-case word lemminflect has an answer for, with its answers."""
    for word in sorted(_vocabulary()):
        found, tags = lemminflect().getAllLemmas(word), _verb_tags_from_library(word)
        if found or tags:
            yield word, _encode(found, tags)


def _vocabulary() -> set[str]:
    """The words of lemminflect's lemma table and of its overrides: no other word has a
    lemma there (its `getAllLemmas` looks a word up in these two and nowhere else)."""
    config = lemminflect().config
    with gzip.open(config.lemma_lu_fn, "rt", encoding="utf-8") as fh:
        words = {line.split(",", 1)[0] for line in fh}
    with open(config.lemma_overrides_fn, encoding="utf-8") as fh:
        words |= {line.split(",", 1)[0] for line in fh if line.strip() and not line.startswith("#")}
    return {word for word in words if word and word == word.lower()}


def _encode(found: dict[str, tuple[str, ...]], tags: frozenset[str]) -> str:
    by_upos = _PART.join(upos + _SPELLINGS + _SPELLINGS.join(spellings) for upos, spellings in found.items())
    return by_upos + _UPOS + _SPELLINGS.join(sorted(tags))


def _decode(value: str) -> tuple[dict[str, tuple[str, ...]], frozenset[str]]:
    by_upos, _, tags = value.rpartition(_UPOS)
    found = {}
    for part in filter(None, by_upos.split(_PART)):
        upos, *spellings = part.split(_SPELLINGS)
        found[upos] = tuple(spellings)
    return found, frozenset(filter(None, tags.split(_SPELLINGS)))
