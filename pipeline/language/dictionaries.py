"""Spelling from Hunspell dictionaries, through Enchant's Hunspell provider (pyenchant).

Why Enchant: it runs Hunspell itself, reading the same .dic/.aff files (Debian's
hunspell-en-us, hunspell-fr, hunspell-de-de, hunspell-es, hunspell-pt-pt), so a dictionary
loads in milliseconds and lives outside Python's heap; pyenchant is maintained and
installs from the package registry, and the Enchant library is one Debian package
(libenchant-2-2). spylls, the pure-Python port used before, kept each dictionary as a
million Python objects (0.2 to 0.6 s and 90 to 170 MB each). Enchant is handed exactly the
files `dictionary_files` found (`_load`), and only its Hunspell provider is asked, never
aspell, whose word lists differ. Where pyenchant or the Enchant library is missing, the
check is skipped and the run says why (`SpellingDictionaries.unavailable`).

A misspelling is a lower-case word no dictionary of the language knows that is one edit
(a letter left out, put in, changed, or two swapped) from a word the dictionary knows and
the language's word list finds at least ten times as common (`SpellChecker._correction`):
typing slips and garbled forms of real words, not the rare words and compounds a
dictionary lacks. The correction is that word (Hunspell's own suggestions are slow for a
batch: 0.2 s a word in spylls). Never flagged:
capitalised and all-capital words (names, acronyms), words with digits, words of three
letters or fewer, pinyin (left to `untranslated`), words in a glossary term the terms
stage found, web and e-mail addresses and codes, words inside code, paths and file
names, words the document has twice or more (`recurring_words`), and words the
language's word list knows well (wordfreq Zipf >= 3: "programme" and "online" are
English whatever an en_US dictionary says).
"""

from __future__ import annotations

import importlib
import os
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from ..text.spans import in_code
from . import words as wordlists
from .words import WordTable

# The dictionaries of each language by Hunspell file name, the first the one the check
# needs (with the Debian package it ships in); a word any of them knows is a word, so
# British English and Brazilian Portuguese are not misspellings when their files are there.
DICTIONARIES = {"en": ("hunspell-en-us", "en_US", "en_GB"), "fr": ("hunspell-fr", "fr_FR"),
                "de": ("hunspell-de-de", "de_DE"), "es": ("hunspell-es", "es_ES"),
                "pt": ("hunspell-pt-pt", "pt_PT", "pt_BR")}
FOLDERS = ("/usr/share/hunspell", "/usr/local/share/hunspell", "/usr/share/myspell")
KNOWN_ZIPF = 3.0  # this common in the language's word list: a word, whatever the dictionary says
MIN_LETTERS = 4
FOREIGN_ZIPF = 3.5  # a word this common in another of the languages is a foreign word in the text
ABBREVIATION_LETTERS = 5  # a word this short followed by a full stop may be an abbreviation
# A word: letters with inner apostrophes, hyphens or soft hyphens ("don't", "well-being",
# "Bekämp\u00adfung", which is "Bekämpfung" where a line may break); the parts of a
# hyphenated word the dictionary does not know whole are judged one by one.
WORD = re.compile(r"[^\W\d_]+(?:['’\u00ad-][^\W\d_]+)*")
SOFT_HYPHEN = "\u00ad"
_POSSESSIVE = re.compile(r"['’]s$")


def dictionary_files(lang: str, folder: str | None = None) -> list[Path]:
    """The .dic files (each with its .aff beside it) for `lang`, in `folder` or the usual
    places; empty when its first dictionary is not installed."""
    if lang not in DICTIONARIES:
        return []
    found = []
    for name in DICTIONARIES[lang][1:]:
        for base in ([folder] if folder else FOLDERS):
            dic = Path(base) / f"{name}.dic"
            if dic.is_file() and dic.with_suffix(".aff").is_file():
                found.append(dic)
                break
    return found if found and found[0].stem == DICTIONARIES[lang][1] else []


def enchant_problem() -> str | None:
    """Why Enchant cannot be used here, or None when it can."""
    try:
        importlib.import_module("enchant")  # pyenchant, which loads the C library when imported
    except ImportError as exc:
        return f"the Enchant spell checker is not installed ({exc}; apt-get install libenchant-2-2, " \
               "pip install pyenchant)"
    return None


def _load(dic: Path):
    """The Hunspell dictionary `dic` (its .aff beside it), loaded by Enchant's Hunspell
    provider: a `lookup(word) -> bool`. Enchant looks for a name's files in its
    configuration folder first; a temporary one holding links to these two files is that
    folder while the dictionary is asked for (`ENCHANT_CONFIG_DIR` is put back after), so
    the files found here are the ones read, whatever else is installed."""
    import enchant  # only for a language a document is in

    with tempfile.TemporaryDirectory(prefix="pipeline-enchant-") as config:
        folder = Path(config) / "hunspell"
        folder.mkdir()
        for suffix in (".dic", ".aff"):
            os.symlink(dic.with_suffix(suffix).resolve(), folder / f"{dic.stem}{suffix}")
        broker = enchant.Broker()  # its own: a broker keeps each name's dictionary once asked
        broker.set_ordering(dic.stem, "hunspell")
        before = os.environ.get("ENCHANT_CONFIG_DIR")
        os.environ["ENCHANT_CONFIG_DIR"] = config  # read when a dictionary is asked for
        try:
            dictionary = broker.request_dict(dic.stem)
        finally:
            if before is None:
                del os.environ["ENCHANT_CONFIG_DIR"]
            else:
                os.environ["ENCHANT_CONFIG_DIR"] = before
    return _Hunspell(dictionary)


@dataclass(frozen=True)
class _Hunspell:
    dictionary: object  # an enchant.Dict

    def lookup(self, word: str) -> bool:
        return self.dictionary.check(word)


# A misspelling is one edit away from a word far more common than itself: "goverment"
# for "government", "povrety" for "poverty". Rare words the dictionary lacks ("homestay",
# "tifones") have no such neighbour.
MORE_COMMON = 1.0  # Zipf units (ten times) by which the correction must be more common
# Letters an edit may put in, per language.
LETTERS = {"en": "abcdefghijklmnopqrstuvwxyz", "fr": "abcdefghijklmnopqrstuvwxyzàâæçéèêëîïôœùûüÿ",
           "de": "abcdefghijklmnopqrstuvwxyzäöüß", "es": "abcdefghijklmnopqrstuvwxyzáéíñóúü",
           "pt": "abcdefghijklmnopqrstuvwxyzáâãàçéêíóôõú"}


RECURRING = 2  # a word a document has this many times is a term of that document


def recurring_words(texts: list[str]) -> frozenset[str]:
    """The lower-case words that occur at least RECURRING times in `texts` (one document):
    a typing slip is seldom made twice the same way, while a product, a place or a program
    the dictionary lacks ("stunnel", "rsync", "homestay") recurs."""
    counts: dict[str, int] = {}
    for text in texts:
        for m in WORD.finditer(text):
            word = m.group().lower()
            counts[word] = counts.get(word, 0) + 1
    return frozenset(word for word, n in counts.items() if n >= RECURRING)


def one_edit(word: str, letters: str) -> set[str]:
    """Every string one edit from `word`: a letter left out, two neighbours swapped, a
    letter changed, a letter put in."""
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    return ({a + b[1:] for a, b in splits if b}
            | {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
            | {a + c + b[1:] for a, b in splits if b for c in letters}
            | {a + c + b for a, b in splits for c in letters}) - {word}


@dataclass
class SpellChecker:
    """One language's dictionaries, loaded on first use, with each word's verdict and
    suggestion computed once."""

    lang: str
    files: list[Path]
    _dictionaries: list | None = None
    known: WordTable = field(init=False)
    correction: WordTable = field(init=False)

    def __post_init__(self):
        self.known = WordTable(self._known)
        self.correction = WordTable(self._correction, limit=10_000)

    @property
    def name(self) -> str:
        return self.files[0].stem

    def dictionary(self, n: int):
        """The n-th dictionary, loaded when first asked for: a variant's only once the
        first dictionary does not know a word."""
        if self._dictionaries is None:
            self._dictionaries = [None] * len(self.files)
        if self._dictionaries[n] is None:
            self._dictionaries[n] = _load(self.files[n])
        return self._dictionaries[n]

    def _known(self, word: str) -> bool:
        """Known to the language's first dictionary (en_US, pt_PT ...)."""
        return bool(self.dictionary(0).lookup(word))

    def _known_to_a_variant(self, word: str) -> bool:
        """Known to another dictionary of the language (en_GB, pt_BR): asked only of a word
        about to be flagged or of a correction the first does not know, so a variant (90 MB
        and 0.4 s for en_GB) is loaded only for a batch that needs it."""
        return any(self.dictionary(n).lookup(word) for n in range(1, len(self.files)))

    def _correction(self, word: str) -> str | None:
        """The most common word one edit from `word` that the first dictionary knows (or,
        when it knows none, a variant), when it is a common word (Zipf >= 3) at least ten
        times as common as `word` (ties: the first in alphabetical order); else None, and
        `word` is a rare word, not a misspelling. The neighbours come from the word list
        first: a word without a common one needs no dictionary at all, and most of a
        batch's rare words have none."""
        freq = wordlists.zipf_table(self.lang)
        bar = max(freq[word] + MORE_COMMON, KNOWN_ZIPF)  # a common word: few candidates to look up
        candidates = sorted(c for c in one_edit(word, LETTERS[self.lang]) if freq[c] >= bar)
        if not candidates or self.known[word]:
            return None
        known = [c for c in candidates if self.known[c]] or [c for c in candidates if self._known_to_a_variant(c)]
        return max(known, key=lambda c: freq[c], default=None)

    def misspelt(self, text: str, ignored: list[tuple[int, int]], is_pinyin,
                 recurring: frozenset[str] = frozenset()) -> list[tuple[int, int, str, str]]:
        """(start, end, word, correction) of each misspelt word of `text` outside `ignored` spans,
        never one of the `recurring` words (`recurring_words`) nor a word inside code.
        The checks run cheapest first: a dictionary is asked only about a rare word with a
        common neighbour."""
        found = []
        for m in WORD.finditer(text):
            if any(a <= m.start() < b for a, b in ignored) or in_code(text, m.start(), m.end()):
                continue
            token = m.group().replace(SOFT_HYPHEN, "")
            if text.startswith(".", m.end()) and len(token) <= ABBREVIATION_LETTERS:
                continue  # "(verm.)", "approx.": an abbreviation
            for part in re.finditer(r"[^-]+", token):
                word = _POSSESSIVE.sub("", part.group())
                if (len(word) < MIN_LETTERS or not word.islower() or word in recurring or is_pinyin(word)
                        or self._common(word)):
                    continue
                correction = self.correction[word]
                if correction is None or self._foreign(word) or self._known_to_a_variant(word):
                    continue
                if "-" in token and (self._is_word(token) or self._is_word(token.replace("-", ""))):
                    break  # "well-being", or a word hyphenated across a line ("Bekämp-fung")
                # at the token when soft hyphens moved its letters
                start, end = (m.start() + part.start(), m.start() + part.start() + len(word)) \
                    if SOFT_HYPHEN not in m.group() else m.span()
                found.append((start, end, word, correction))
        return found

    def _common(self, word: str) -> bool:
        return wordlists.zipf(word.lower(), self.lang) >= KNOWN_ZIPF

    def _is_word(self, word: str) -> bool:
        """Common in the language, or known to its first dictionary."""
        return self._common(word) or self.known[word]

    def _foreign(self, word: str) -> bool:
        """A common word of another language the pipeline meets ("nicht" in an English
        sentence, "scramble" in a French one, "crema" in an English menu): quoted or
        borrowed, not misspelt. Asked only of a word about to be flagged, of the other
        languages' word tables (`words.common_table`)."""
        return any(wordlists.common_table(other, FOREIGN_ZIPF)[word] for other in DICTIONARIES if other != self.lang)


@dataclass(frozen=True)
class SpellingDictionaries:
    """Each language's `SpellChecker` whose dictionaries are installed (found in `folder`,
    else in the usual places; loaded when first used), and the languages that have none."""

    checkers: dict[str, SpellChecker]
    missing: list[str]
    unavailable: str | None = None  # why no language is checked (Enchant missing)

    @classmethod
    def find(cls, folder: str | None = None) -> SpellingDictionaries:
        problem = enchant_problem()
        if problem is not None:
            return cls({}, [], problem)
        found = {lang: dictionary_files(lang, folder) for lang in DICTIONARIES}
        return cls({lang: SpellChecker(lang, files) for lang, files in found.items() if files},
                   sorted(lang for lang, files in found.items() if not files))
