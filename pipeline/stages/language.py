"""Language stage: identify the language of the document and of every segment.

Reads: `Document.segments`. Writes: `Document.lang`/`lang_prob` and each segment's
`lang`/`lang_prob`. The identification itself is `pipeline.langid`: langdetect with a
fixed seed, so the same text always gets the same answer. Segments with fewer letters
than `language_min_letters` (or none) get "und": langdetect guesses wildly on a few
words. langdetect's "zh-cn"/"zh-tw" are reported as ISO 639-1 "zh".
"""

from __future__ import annotations

from ..config import Settings
from ..document import BOILERPLATE, UNDETERMINED, Document, script_language
from ..langid import DOC_SAMPLE_CHARS, fits_language, shared_identifier


class Language:
    name = "language"

    def __init__(self, settings: Settings):
        self.expected = settings.lang
        self.identifier = shared_identifier(settings.language_min_letters)

    def describe(self) -> None:
        return None  # nothing beyond the settings, which the summary has

    def __call__(self, doc: Document) -> Document:
        if self.expected != "auto":
            doc.lang, doc.lang_prob = self.expected, 1.0
        elif doc.declared_lang:  # the file's own declaration (the segmenter noted any doubt)
            doc.lang, doc.lang_prob = doc.declared_lang, 1.0
        elif doc.lang == UNDETERMINED:  # the segmenter usually has told it already
            doc.lang, doc.lang_prob = self.document_language(doc)
        for seg in doc.segments:
            seg.lang, seg.lang_prob = self.segment_language(seg.original, doc.lang, doc.lang_prob)
        return doc

    def document_language(self, doc: Document) -> tuple[str, float]:
        article = " ".join(s.original for s in doc.segments if s.kind != BOILERPLATE)
        return self.identifier.identify_document(article[:DOC_SAMPLE_CHARS] or doc.text[:DOC_SAMPLE_CHARS])

    def segment_language(self, text: str, doc_lang: str, doc_prob: float) -> tuple[str, float]:
        """A segment's language, calling langdetect only where it can change the answer.

        Text in Chinese, Japanese or Korean script gets that language from its script.
        Text whose words are ordinary words of the document's language gets the
        document's language and probability. Only the rest (another language's words,
        names and numbers only, too few words to tell) goes to langdetect, which costs
        milliseconds per call.
        """
        script = script_language(text)
        if script:
            return (script, 1.0) if script != doc_lang else (doc_lang, doc_prob)
        if fits_language(text, doc_lang):
            return doc_lang, doc_prob
        return self.identifier.identify(text, expected=doc_lang)
