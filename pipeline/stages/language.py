"""Language stage: identify the language of the document and of every segment.

Reads: `Document.segments` (text and kind), `Document.lang`/`lang_prob` (the document
language stage's). Writes: each segment's `lang`/`lang_prob`; boilerplate segments are
not sent to langdetect (see `Language.boilerplate_language`). The identification itself
is `pipeline.language.langid`: langdetect with a fixed seed, so the same text always gets the
same answer. Segments with fewer letters
than `language_min_letters` (or none) get "und": langdetect guesses wildly on a few
words. langdetect's "zh-cn"/"zh-tw" are reported as ISO 639-1 "zh".
"""

from __future__ import annotations

from ..config import Settings
from ..document import BOILERPLATE, UNDETERMINED, Document, script_language
from ..language.langid import LETTER, fits_language, shared_identifier


class Language:
    name = "language"
    reads = ("Document.segments", "Document.lang", "Document.lang_prob")
    writes = ("Segment.lang", "Segment.lang_prob")
    shares = ()

    def __init__(self, settings: Settings):
        self.expected = settings.lang
        self.identifier = shared_identifier(settings.language_min_letters)

    def describe(self) -> None:
        return None  # nothing beyond the settings, which the summary has

    def __call__(self, doc: Document) -> Document:
        # a language the settings or the file state holds for the file's chrome too
        stated = 1.0 if self.expected != "auto" or doc.declared_lang else 0.0
        for seg in doc.segments:
            if seg.kind == BOILERPLATE:
                seg.lang, seg.lang_prob = self.boilerplate_language(seg.original, doc.lang, doc.lang_prob, stated)
            else:
                seg.lang, seg.lang_prob = self.segment_language(seg.original, doc.lang, doc.lang_prob)
        return doc

    def boilerplate_language(self, text: str, doc_lang: str, doc_prob: float, stated: float) -> tuple[str, float]:
        """Chrome goes to no langdetect call: nothing that depends on a language runs on
        it, and most of it is a few words langdetect guesses at (a menu item read as
        Latvian). Its script or its words tell as for any segment; the rest takes the
        document's language, with probability 1.0 when the settings or the file state it,
        else unconfirmed (0.0). Too few letters to judge is "und", as for any segment."""
        told = _told_without_langdetect(text, doc_lang, doc_prob)
        if told is not None:
            return told
        if len(LETTER.findall(text)) < self.identifier.min_letters:
            return UNDETERMINED, 0.0
        return doc_lang, stated

    def segment_language(self, text: str, doc_lang: str, doc_prob: float) -> tuple[str, float]:
        """A segment's language, calling langdetect only where it can change the answer:
        the rest (another language's words, names and numbers only, too few words to
        tell) goes to langdetect, which costs milliseconds per call."""
        told = _told_without_langdetect(text, doc_lang, doc_prob)
        return told if told is not None else self.identifier.identify(text, expected=doc_lang)


def _told_without_langdetect(text: str, doc_lang: str, doc_prob: float) -> tuple[str, float] | None:
    """Text in Chinese, Japanese or Korean script has that language from its script; text
    whose words are ordinary words of the document's language has the document's language
    and probability. None when neither tells."""
    script = script_language(text)
    if script:
        return (script, 1.0) if script != doc_lang else (doc_lang, doc_prob)
    if fits_language(text, doc_lang):
        return doc_lang, doc_prob
    return None
