"""Language identification with langdetect, seeded so the same text always gets the same
answer, shared by the stages that need a language: the document language stage and the
language stage (each segment's). One identifier per process and
setting, since loading langdetect's profiles takes a while (and only when first needed)."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING

from langdetect import DetectorFactory
from langdetect.detector_factory import PROFILES_DIRECTORY
from langdetect.lang_detect_exception import LangDetectException

from ..document import UNDETERMINED, script_language
from . import words as wordlists
from .words import WordTable

if TYPE_CHECKING:
    from .ngram_profiles import TableProfiles

SEED = 0
LETTER = re.compile(r"[^\W\d_]")
DOC_SAMPLE_CHARS = 1_000  # enough text to tell a document's language (langdetect's cost grows with it)
# A segment takes its document's language when langdetect gives it at least this much,
# and a short one (fewer letters than SHORT_LETTERS) also when langdetect is not SURE
# of another language in the same script.
EXPECTED_MIN_PROB = 0.1
SHORT_LETTERS = 40
SURE = 0.99
MEMO_TEXTS, MEMO_MAX_CHARS = 10_000, 300  # short texts whose langdetect answers are kept


def _same_script(text: str, lang: str) -> bool:
    """Latin-script text and a Latin-script language, or CJK text and a CJK language."""
    return (script_language(text) is not None) == (lang in ("zh", "ja", "ko"))


class LanguageIdentifier:
    """A seeded langdetect wrapper: `identify(text) -> (code, probability)`."""

    def __init__(self, min_letters: int):
        self.min_letters = min_letters
        self._factory: TableProfiles | DetectorFactory | None = None
        # langdetect reseeds for every text, so a text's answer never changes: a short text
        # asked again (a site's menu and footer on every page, a dateline) is looked up,
        # not redone. One call costs 2 to 30 ms.
        self._detected = WordTable(self.detect, limit=MEMO_TEXTS)

    @property
    def factory(self) -> TableProfiles | DetectorFactory:
        """langdetect's profiles, opened on the first call: as a table in the cache folder
        (`ngram_profiles`, the same answers), else loaded whole (0.2 s and 52 MB). A
        private factory rather than langdetect's module global: each process (and each
        worker) sets the seed itself."""
        if self._factory is None:
            from .ngram_profiles import table_profiles  # numpy: only once a text needs langdetect
            self._factory = table_profiles(SEED)
        if self._factory is None:
            factory = DetectorFactory()
            factory.load_profile(PROFILES_DIRECTORY)
            factory.set_seed(SEED)
            self._factory = factory
        return self._factory

    def candidates(self, text: str) -> list[tuple[str, float]]:
        """langdetect's languages for `text`, most probable first ([] if too short to judge)."""
        if len(LETTER.findall(text)) < self.min_letters:
            return []
        return self._detected[text] if len(text) <= MEMO_MAX_CHARS else self.detect(text)

    def detect(self, text: str) -> list[tuple[str, float]]:
        """One langdetect call: its languages for `text`, most probable first."""
        detector = self.factory.create()
        detector.append(text)
        try:
            return [(c.lang.split("-")[0], round(c.prob, 4)) for c in detector.get_probabilities()]
        except LangDetectException:
            return []

    def identify_document(self, text: str) -> tuple[str, float]:
        """A document's language: by its words when they plainly belong to one likely
        language (the probability is then the share of its words that do), else langdetect."""
        return fitting_language(text) or self.identify(text)

    def identify(self, text: str, expected: str | None = None) -> tuple[str, float]:
        """The language of `text`. When `expected` (the document's language) is among the
        candidates with some weight, it wins: short sentences of one language are often
        scored a little higher for a close neighbour (Spanish read as Portuguese)."""
        found = self.candidates(text)
        if not found:
            return UNDETERMINED, 0.0
        for lang, prob in found:
            if lang == expected and prob >= EXPECTED_MIN_PROB:
                return lang, prob
        top_lang, top_prob = found[0]
        if (expected and expected != UNDETERMINED and top_prob < SURE
                and len(LETTER.findall(text)) < SHORT_LETTERS and _same_script(text, expected)):
            return expected, 0.0  # too short to overrule the document: its language, unconfirmed
        return top_lang, top_prob


@lru_cache(maxsize=4)
def shared_identifier(min_letters: int) -> LanguageIdentifier:
    """One identifier per process and setting: loading langdetect's profiles takes a while."""
    return LanguageIdentifier(min_letters)


_WORD = re.compile(r"[^\W\d_]{2,}")
FIT_SHARE = 0.85  # share of a segment's lower-case words that must be common in the language
FIT_MIN_WORDS = 4
# A short segment or a title ("Of the 293,300 people", "Relocation in the Wuling
# Mountains") has too few lower-case words for a share; it fits when it has at least
# this many and every one is common. Another language almost always shows itself in
# its lower-case grammar words ("der", "la", "de"), which English lacks.
FIT_FEW_WORDS = 2
FIT_ZIPF = 2.5


def _lower_words(text: str) -> list[str]:
    # names, capitalised, are left out: they belong to no language
    words = _WORD.findall(text)
    return [word for word in words if word[0].islower()]


def _title_words(text: str) -> list[str]:
    """The words of a title in title case ("Beautiful Buhua Village"), in lower case, less
    the names: those no likely language has as a common word (`TITLE_ZIPF`: lists of
    words have many names in them). langdetect reads such a line by its letters and often
    calls it French or Romanian; its words tell."""
    words = [word.lower() for word in _WORD.findall(text)]
    return [word for word in words if any(wordlists.common_table(lang, TITLE_ZIPF)[word]
                                          for lang in LIKELY_LANGUAGES if lang in wordlists.languages())]


TITLE_ZIPF = 3.0


def _common_share(words: list[str], lang: str) -> float:
    if not words or lang in (UNDETERMINED, "zh", "ja", "ko") or lang not in wordlists.languages():
        return 0.0
    common = wordlists.common_table(lang, FIT_ZIPF)
    return sum(1 for word in words if common[word]) / len(words)


def fit(text: str, lang: str, min_words: int = 0) -> float:
    """Share of the lower-case words of `text` that are common words of `lang`; 0.0
    below `min_words` words."""
    words = _lower_words(text)
    return _common_share(words, lang) if len(words) >= min_words else 0.0


def fits_language(text: str, lang: str) -> bool:
    """True when nearly all the lower-case words of `text` are common words of `lang`
    (every one of them, when there are fewer than FIT_MIN_WORDS) and, for a language
    other than English, fewer are of any other likely language. The common words of
    German, French, Spanish and Portuguese include the commonest English ones ("the town
    hall is open from Monday" is 96% common German): without the comparison an English
    notice on a German page would fit German."""
    words = _lower_words(text)
    if len(words) < FIT_FEW_WORDS:
        words = _title_words(text)
    if len(words) < FIT_FEW_WORDS:
        return False
    share = _common_share(words, lang)
    if not (share >= FIT_SHARE if len(words) >= FIT_MIN_WORDS else share == 1.0):
        return False
    return lang == "en" or all(_common_share(words, other) < share for other in LIKELY_LANGUAGES if other != lang)


# Languages a document is first tested against with word lists, before langdetect:
# the target languages the pipeline has conventions for.
LIKELY_LANGUAGES = ("en", "fr", "de", "es", "pt")
DOC_FIT_SHARE = 0.9
DOC_FIT_MIN_WORDS = 30


def fitting_language(text: str) -> tuple[str, float] | None:
    """The one likely language whose common words make up nearly all of `text`, or None.
    Cheap (cached word lookups) where langdetect costs milliseconds per document."""
    for i, lang in enumerate(LIKELY_LANGUAGES):
        share = fit(text, lang, DOC_FIT_MIN_WORDS)
        if share < DOC_FIT_SHARE:
            continue
        # English shares too few common words with the others to be confused with them;
        # a Romance or Germanic fit must be the only one (Spanish and Portuguese overlap).
        # Testing English first keeps the other word lists unloaded for English batches.
        if lang != "en" and any(fit(text, other, DOC_FIT_MIN_WORDS) >= DOC_FIT_SHARE
                                for other in LIKELY_LANGUAGES[i + 1:]):
            return None
        return lang, round(share, 4)
    return None
