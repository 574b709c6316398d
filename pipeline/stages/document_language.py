"""Document language stage: tell the language of the document as a whole.

Reads: `Document.text`, `Document.blocks` (their kinds: boilerplate is already marked),
`Document.declared_lang` (a bilingual file's declared target language) and
`Document.markup_lang` (a web page's `<html lang>`). Writes: `Document.lang`/`lang_prob`,
and a note in `Document.notes` when the text reads as another language than the file declares.

The language is the `lang` setting when it names one. Else it is the language of most of
the article's words: each body block is told on its own (by its common words when they
plainly belong to one likely language, else langdetect: `pipeline.language.langid`) and counts
with its words, so a page's English menus and notices at the top do not outvote the
German article below them. A web page's declared language is taken when at least
`MARKUP_AGREES` of those words are in it (sites declare their template's language, and a
page's own language is often the minority in no part of it); a bilingual file's
declaration is the language whatever the text, detection only adds the note. With no
body, headings and captions are told, then any text. The segmenter splits sentences by
this language and the language stage judges each segment against it.
"""

from __future__ import annotations

from collections import Counter

from ..config import Settings
from ..document import BODY, BOILERPLATE, UNDETERMINED, Document
from ..language.langid import DOC_SAMPLE_CHARS, LETTER, shared_identifier

# Detection this sure of another language than the file declares is worth a note.
DECLARED_DOUBT = 0.9
# A page's declared language is its language when this share of the article's words is in it.
MARKUP_AGREES = 1 / 3
# Body text told block by block, up to this much: enough to outweigh a page's top.
ARTICLE_SAMPLE_CHARS = 8 * DOC_SAMPLE_CHARS


class DocumentLanguage:
    name = "document-language"
    reads = ("Document.text", "Document.blocks", "Document.declared_lang", "Document.markup_lang")
    writes = ("Document.lang", "Document.lang_prob", "Document.notes")
    shares = ()

    def __init__(self, settings: Settings):
        self.expected = settings.lang
        self.identifier = shared_identifier(settings.language_min_letters)

    def describe(self) -> None:
        return None  # nothing beyond the settings, which the summary has

    def __call__(self, doc: Document) -> Document:
        if self.expected != "auto":
            doc.lang, doc.lang_prob = self.expected, 1.0
            return doc
        shares = self.word_shares([doc.text[b.start:b.end] for b in doc.blocks if b.kind == BODY])
        if not shares:  # no body to tell by: headings, captions, then anything
            texts = [doc.text[b.start:b.end] for b in doc.blocks if b.kind != BOILERPLATE]
            shares = self.word_shares(texts if any(t.strip() for t in texts) else [doc.text])
        doc.lang, doc.lang_prob = max(shares.items(), key=lambda item: item[1]) if shares else (UNDETERMINED, 0.0)
        if doc.declared_lang:
            if doc.lang not in (UNDETERMINED, doc.declared_lang) and doc.lang_prob >= DECLARED_DOUBT:
                doc.notes.append(f"The file declares the translation {doc.declared_lang}, but the text reads as "
                                 f"{doc.lang} (p={doc.lang_prob:.2f}); the declaration is used.")
            doc.lang, doc.lang_prob = doc.declared_lang, 1.0
        elif doc.markup_lang and shares.get(doc.markup_lang, 0.0) >= MARKUP_AGREES:
            doc.lang, doc.lang_prob = doc.markup_lang, shares[doc.markup_lang]
        return doc

    def word_shares(self, texts: list[str]) -> dict[str, float]:
        """Each language's share of the letters of `texts`, up to `ARTICLE_SAMPLE_CHARS`:
        told a piece at a time (consecutive texts joined up to `PIECE_CHARS`, so that
        short lines are told together, and each piece's first `DOC_SAMPLE_CHARS`), each
        piece weighted by its letters times the probability of its language. A piece too
        short to tell counts for no language."""
        weights: Counter[str] = Counter()
        total = 0
        for piece in _pieces(texts):
            letters = len(LETTER.findall(piece))
            lang, prob = self.identifier.identify_document(piece[:DOC_SAMPLE_CHARS])
            total += letters
            if lang != UNDETERMINED:
                weights[lang] += letters * prob
        return {lang: round(weight / total, 4) for lang, weight in weights.items()} if total else {}


# Paragraphs shorter than this are told together with the next.
PIECE_CHARS = 300


def _pieces(texts: list[str]) -> list[str]:
    pieces, current, seen = [], [], 0
    for text in texts:
        text = text[:max(0, ARTICLE_SAMPLE_CHARS - seen)]
        if not text:
            break
        seen += len(text)
        current.append(text)
        if sum(map(len, current)) >= PIECE_CHARS:
            pieces.append(" ".join(current))
            current = []
    if current:
        pieces.append(" ".join(current))
    return pieces
