"""Language stage: identify the language of the document and of every segment.

Reads: `Document.segments`. Writes: `Document.lang`/`lang_prob` and each segment's
`lang`/`lang_prob`. Uses langdetect with a fixed seed, so the same text always gets
the same answer. Segments with fewer letters than `language_min_letters` (or none)
get "und": langdetect guesses wildly on a few words. langdetect's "zh-cn"/"zh-tw"
are reported as ISO 639-1 "zh".
"""

from __future__ import annotations

import re

from langdetect import DetectorFactory
from langdetect.detector_factory import PROFILES_DIRECTORY
from langdetect.lang_detect_exception import LangDetectException

from ..config import Settings
from ..document import BOILERPLATE, UNDETERMINED, Document

SEED = 0
LETTER = re.compile(r"[^\W\d_]")
DOC_SAMPLE_CHARS = 20_000  # enough text to tell a document's language


class LanguageIdentifier:
    """A seeded langdetect wrapper: `identify(text) -> (code, probability)`."""

    def __init__(self, min_letters: int):
        self.min_letters = min_letters
        # A private factory rather than langdetect's module global: each process
        # (and each worker) loads the profiles and sets the seed itself.
        self.factory = DetectorFactory()
        self.factory.load_profile(PROFILES_DIRECTORY)
        self.factory.set_seed(SEED)

    def identify(self, text: str) -> tuple[str, float]:
        if len(LETTER.findall(text)) < self.min_letters:
            return UNDETERMINED, 0.0
        detector = self.factory.create()
        detector.append(text)
        try:
            best = detector.get_probabilities()[0]
        except (LangDetectException, IndexError):
            return UNDETERMINED, 0.0
        return best.lang.split("-")[0], round(best.prob, 4)


class Language:
    name = "language"

    def __init__(self, settings: Settings):
        self.expected = settings.lang
        self.identifier = LanguageIdentifier(settings.language_min_letters)

    def __call__(self, doc: Document) -> Document:
        for seg in doc.segments:
            seg.lang, seg.lang_prob = self.identifier.identify(seg.original)
        if self.expected != "auto":
            doc.lang, doc.lang_prob = self.expected, 1.0
        else:
            article = " ".join(s.original for s in doc.segments if s.kind != BOILERPLATE)
            doc.lang, doc.lang_prob = self.identifier.identify(article[:DOC_SAMPLE_CHARS] or doc.text[:DOC_SAMPLE_CHARS])
        return doc
