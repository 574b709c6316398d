"""Document language stage: tell the language of the document as a whole.

Reads: `Document.text`, `Document.blocks` (their kinds), `Document.declared_lang` (a
bilingual file's declared target language). Writes: `Document.lang`/`lang_prob`, and a
note in `Document.notes` when the text reads as another language than the file declares.

The language is the `lang` setting when it names one; else the language of the body
blocks' first `DOC_SAMPLE_CHARS` characters (by their common words when they plainly
belong to one likely language, else langdetect: `pipeline.langid`), or of any text the
document has when it has no body. A file's declaration is the language: detection
only adds the note. The segmenter splits sentences by this language and the language
stage judges each segment against it.
"""

from __future__ import annotations

from ..config import Settings
from ..document import BODY, BOILERPLATE, UNDETERMINED, Document
from ..langid import DOC_SAMPLE_CHARS, shared_identifier

# Detection this sure of another language than the file declares is worth a note.
DECLARED_DOUBT = 0.9


class DocumentLanguage:
    name = "document-language"

    def __init__(self, settings: Settings):
        self.expected = settings.lang
        self.identifier = shared_identifier(settings.language_min_letters)

    def describe(self) -> None:
        return None  # nothing beyond the settings, which the summary has

    def __call__(self, doc: Document) -> Document:
        if self.expected != "auto":
            doc.lang, doc.lang_prob = self.expected, 1.0
            return doc
        doc.lang, doc.lang_prob = self._identify(doc, BODY)
        if doc.declared_lang:
            if doc.lang not in (UNDETERMINED, doc.declared_lang) and doc.lang_prob >= DECLARED_DOUBT:
                doc.notes.append(f"The file declares the translation {doc.declared_lang}, but the text reads as "
                                 f"{doc.lang} (p={doc.lang_prob:.2f}); the declaration is used.")
            doc.lang, doc.lang_prob = doc.declared_lang, 1.0
        elif doc.lang == UNDETERMINED:  # no body to tell by: headings, captions, then anything
            doc.lang, doc.lang_prob = self._identify(doc, None)
        return doc

    def _identify(self, doc: Document, kind: str | None) -> tuple[str, float]:
        if kind is not None:
            sample = " ".join(doc.text[b.start:b.end] for b in doc.blocks if b.kind == kind)
        else:
            sample = " ".join(doc.text[b.start:b.end] for b in doc.blocks if b.kind != BOILERPLATE) or doc.text
        return self.identifier.identify_document(sample[:DOC_SAMPLE_CHARS])
