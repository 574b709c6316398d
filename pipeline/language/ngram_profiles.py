"""langdetect's n-gram profiles, read from a table on disk a row at a time.

langdetect keeps, for each of its 87,598 n-grams, a list of 55 language probabilities:
52 MB in every process and 0.2 s to load, for the few thousand n-grams a batch's texts
have. So the profiles are written once into a table in the derived-data cache folder
(`datacache.cached_table`, keyed on langdetect's version; each n-gram with only the
languages it has, 2 on average), and an n-gram's row is read when a text first has it.
Detection is langdetect's own `Detector`, given these rows where it takes the loaded
profiles: the same answers (`tests/language/test_ngram_profiles.py`).
"""

from __future__ import annotations

import struct
from collections.abc import Iterator
from types import SimpleNamespace

from langdetect.detector import Detector

from ..text.datacache import DiskTable, cached_table, key_of

_LANGUAGES = "\0languages"  # the table's own fact: the profiles' languages, in langdetect's order
_PAIR = struct.Struct("<Hd")  # a language's index and the n-gram's probability in it


class ProfileRows:
    """n-gram -> its probabilities in each language (in the profiles' order),
    read from the table when first asked; what langdetect's Detector takes as its
    `word_lang_prob_map`. An n-gram the profiles lack is kept as None."""

    def __init__(self, table: DiskTable, limit: int = 50_000):
        self.table = table
        self.languages: list[str] = table.get(_LANGUAGES).split()
        self.limit = limit
        self._rows: dict[str, list[float] | None] = {}

    def __contains__(self, ngram: str) -> bool:
        return self.row(ngram) is not None

    def __getitem__(self, ngram: str) -> list[float]:
        row = self.row(ngram)
        if row is None:
            raise KeyError(ngram)
        return row

    def row(self, ngram: str) -> list[float] | None:
        try:
            return self._rows[ngram]
        except KeyError:
            pass
        if len(self._rows) >= self.limit:
            self._rows.clear()
        stored = self.table.get(ngram)
        row = None
        if stored is not None:
            row = [0.0] * len(self.languages)
            for index, probability in _PAIR.iter_unpack(stored):
                row[index] = probability
        self._rows[ngram] = row
        return row


class TableProfiles:
    """What `langdetect.DetectorFactory` gives a Detector (profiles, languages, seed),
    with the profiles read from the table."""

    def __init__(self, rows: ProfileRows, seed: int):
        self.rows, self.seed = rows, seed

    def create(self) -> Detector:
        return Detector(SimpleNamespace(word_lang_prob_map=self.rows, langlist=self.rows.languages, seed=self.seed))


def table_profiles(seed: int) -> TableProfiles | None:
    """langdetect's profiles as a table in the cache folder, or None without one."""
    table = cached_table("langdetect", key_of(["profiles"], libraries=("langdetect",)), _rows)
    return None if table is None else TableProfiles(ProfileRows(table), seed)


def _rows() -> Iterator[tuple[str, object]]:
    from langdetect import DetectorFactory
    from langdetect.detector_factory import PROFILES_DIRECTORY
    factory = DetectorFactory()
    factory.load_profile(PROFILES_DIRECTORY)
    yield _LANGUAGES, " ".join(factory.langlist)
    for ngram, probabilities in factory.word_lang_prob_map.items():
        yield ngram, b"".join(_PAIR.pack(i, p) for i, p in enumerate(probabilities) if p)
