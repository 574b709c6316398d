from pipeline.config import Settings
from pipeline.document import Block, Document
from pipeline.language.langid import LanguageIdentifier


def test_identification_is_seeded_and_repeatable():
    text = "Les familles relogées ont reçu de nouveaux logements près de la ville."
    a, b = LanguageIdentifier(12), LanguageIdentifier(12)
    assert a.identify(text) == b.identify(text) == a.identify(text)
    assert a.identify(text)[0] == "fr"


def test_a_short_text_asked_again_is_not_detected_again():
    ident = LanguageIdentifier(12)
    line = "Tongren Municipal People's Government"  # a site's footer, on every page
    first = ident.candidates(line)
    assert first == ident.detect(line)  # the same answer as a call of its own
    assert ident.candidates(line) is first  # looked up, not detected again
    long_text = "The relocated families moved into new houses near the county town. " * 10
    assert ident.candidates(long_text) is not ident.candidates(long_text)  # long texts are not kept


def test_the_benchmark_baseline_calls_langdetect_for_every_sentence(monkeypatch):
    from pipeline.bench import langdetect_baseline

    calls = []
    monkeypatch.setattr(LanguageIdentifier, "detect", lambda self, text: calls.append(text) or [])
    langdetect_baseline(["The same sentence, again and again."] * 5)
    assert len(calls) == 5


def test_chinese_is_reported_as_iso_639_1():
    assert LanguageIdentifier(4).identify("铜仁市全面完成易地扶贫搬迁任务，群众搬进新房。")[0] == "zh"


def test_too_short_or_letterless_segments_are_undetermined():
    ident = LanguageIdentifier(12)
    assert ident.identify("Next: None") == ("und", 0.0)
    assert ident.identify("2019-12-30 12642 ... !!") == ("und", 0.0)
    assert ident.identify("") == ("und", 0.0)


def test_document_and_segment_languages(process):
    doc = process("The relocated families moved into new houses near the county town.\n\n"
                  "Die Familien zogen in neue Häuser in der Nähe der Kreisstadt.\n\nOk.")
    assert doc.lang == "en"
    assert [s.lang for s in doc.segments] == ["en", "de", "und"]


def test_expected_language_setting_sets_the_document_language():
    from pipeline.config import load_settings
    from pipeline.stages import build_stages, run_stages
    text = ("Les familles relogées ont reçu de nouveaux logements près de la ville.\n\n"
            "The relocated families moved into new houses near the county town.\n")
    told = run_stages(Document("t", "t.txt", "txt", text), build_stages(load_settings(lang="fr")))
    assert (told.lang, told.lang_prob) == ("fr", 1.0)  # the setting, not a detection
    assert [s.lang for s in told.segments] == ["fr", "en"]  # segments are still identified each
    found = run_stages(Document("t", "t.txt", "txt", text.split("\n\n")[1]), build_stages(Settings()))
    assert Settings().lang == "auto" and found.lang == "en"


def _stages_without_garble():
    from pipeline.stages import build_stages
    return [s for s in build_stages(Settings()) if s.name in ("boilerplate", "document-language", "segment",
                                                              "language")]


def test_chrome_is_not_sent_to_langdetect_and_says_so(monkeypatch, tmp_path):
    """A page's menu and footer lines take the document's language unconfirmed (0.0):
    no stage that depends on a language reads them, and langdetect guesses at a few words."""
    from pipeline.language.langid import LanguageIdentifier
    from pipeline.stages import run_stages

    sent = []
    real = LanguageIdentifier.detect
    monkeypatch.setattr(LanguageIdentifier, "detect", lambda self, text: sent.append(text) or real(self, text))
    page = ("<html><body><nav><ul><li><a href='/a'>Kontemplation Aggression</a></li>"
            "<li><a href='/b'>Papst Franziskus Rom</a></li></ul></nav>"
            "<article><h1>Die Gemeinde baut eine neue Schule</h1>"
            "<p>Die Gemeinde hat am Montag beschlossen, im kommenden Jahr eine neue Schule für die Kinder "
            "des Ortes zu bauen, und die Kosten werden von dem Land und der Stadt gemeinsam getragen.</p>"
            "<p>Die Eltern haben sich über die Entscheidung gefreut, weil der Weg zur alten Schule sehr lang "
            "ist und viele Kinder jeden Tag mit dem Bus fahren müssen.</p></article>"
            "<footer><p>Impressum Datenschutz Kontakt Barrierefreiheit</p></footer></body></html>")
    from pipeline.formats.read import read_file
    path = tmp_path / "p.html"
    path.write_text(page, encoding="utf-8")
    (read,) = read_file(path, "p")
    doc = run_stages(read, _stages_without_garble())
    chrome = [s for s in doc.segments if s.kind == "boilerplate"]
    assert doc.lang == "de" and chrome
    # unconfirmed (0.0), or the document's own when its words are German ("Impressum Datenschutz")
    assert all(s.lang == "de" and s.lang_prob in (0.0, doc.lang_prob) for s in chrome if len(s.original) >= 12)
    assert not any(s.original in sent for s in chrome)
    assert all(s.lang == "de" for s in doc.segments if s.kind == "body")


def test_a_stated_language_holds_for_the_chrome_too():
    from pipeline.stages.language import Language
    told, found = Language(Settings(lang="de")), Language(Settings())
    assert told.boilerplate_language("Impressum Datenschutz Kontakt", "de", 1.0, 1.0) == ("de", 1.0)
    assert found.boilerplate_language("Impressum Datenschutz Kontakt", "de", 0.97, 0.0) == ("de", 0.97)  # its words
    assert found.boilerplate_language("Zwackelbrunn Quellochner", "de", 0.97, 0.0) == ("de", 0.0)
    assert found.boilerplate_language("责任编辑：李明", "en", 0.97, 0.0) == ("zh", 1.0)
    assert found.boilerplate_language("Ok 12", "en", 0.97, 0.0) == ("und", 0.0)


def test_the_document_language_is_told_before_sentences_are_split():
    """The document language stage sets the language the segmenter splits by; a file's
    declaration is the language, a contradicting text only adds a note."""
    from pipeline.stages.document_language import DocumentLanguage
    text = "Die Familien zogen in neue Häuser in der Nähe der Kreisstadt, die das Land gebaut hatte. " * 3
    doc = DocumentLanguage(Settings())(Document("d", "d.txt", "txt", text, blocks=[Block(0, len(text), "body")]))
    assert doc.lang == "de" and doc.lang_prob > 0.5
    declared = Document("d", "d.xlf", "xliff", text, blocks=[Block(0, len(text), "body")], declared_lang="en")
    declared = DocumentLanguage(Settings())(declared)
    assert (declared.lang, declared.lang_prob) == ("en", 1.0) and "declares the translation en" in declared.notes[0]
    told = DocumentLanguage(Settings(lang="fr"))(Document("d", "d.txt", "txt", text))
    assert (told.lang, told.lang_prob) == ("fr", 1.0)


# -- the language of a page is its article's (issue 31) -----------------------------------------

GERMAN = ("Die Familien zogen in neue Häuser in der Nähe der Kreisstadt, die das Land gebaut hatte. "
          "Viele Kinder gehen jetzt in eine Schule, die nur zehn Minuten entfernt ist. ")
ENGLISH = ("Welcome to our portal: here you will find news, services and information for residents and "
           "visitors. The town hall is open from Monday to Friday between eight and four o'clock. ")


def page(paragraphs, markup_lang=None):
    text, blocks = "", []
    for paragraph in paragraphs:
        if text:
            text += "\n\n"
        blocks.append(Block(len(text), len(text) + len(paragraph), "body"))
        text += paragraph
    return Document("d", "d.html", "html", text, blocks=blocks, markup_lang=markup_lang)


def test_english_notices_at_the_top_do_not_outvote_the_article_below():
    from pipeline.stages.document_language import DocumentLanguage
    stage = DocumentLanguage(Settings())
    top_heavy = page([ENGLISH] * 4 + [GERMAN] * 8)  # the first thousand characters are English
    assert stage(top_heavy).lang == "de"
    assert stage(page([ENGLISH] * 8 + [GERMAN] * 2)).lang == "en"  # most of it is English: English


def test_a_declared_page_language_holds_when_the_article_agrees():
    from pipeline.stages.document_language import DocumentLanguage
    stage = DocumentLanguage(Settings())
    # a German page with as much English as German: the declaration decides
    assert stage(page([ENGLISH] * 5 + [GERMAN] * 4, markup_lang="de")).lang == "de"
    # a template's declaration the article does not bear out: the article's language
    assert stage(page([ENGLISH] * 6, markup_lang="zh")).lang == "en"
    assert stage(page([GERMAN] * 6, markup_lang="en")).lang == "de"


def test_the_markup_declares_the_page_language():
    from pipeline.formats.html import extract_html
    assert extract_html('<html lang="de-DE"><body><p>Hallo Welt.</p></body></html>').lang == "de"
    assert extract_html('<html><head><meta http-equiv="Content-Language" content="fr-FR, en"></head>'
                        '<body><p>Bonjour.</p></body></html>').lang == "fr"
    assert extract_html("<html><body><p>No declaration.</p></body></html>").lang is None


def test_an_english_sentence_on_a_german_page_is_english():
    """The common words of German include the commonest English ones: a sentence made of
    them fits German only when fewer of its words are English."""
    from pipeline.language.langid import fits_language
    english = "The town hall is open from Monday to Friday between eight in the morning and four."
    assert not fits_language(english, "de") and fits_language(english, "en")
    assert fits_language("Die Stadt prüft dafür mehrere Grundstücke im Norden und im Osten.", "de")


def test_a_title_in_title_case_is_told_by_its_words():
    from pipeline.stages.language import Language
    stage = Language(Settings())
    for title in ("Beautiful Buhua Village.", "Happy Tongren Life.", "Beautiful Countryside Construction."):
        assert stage.segment_language(title, "en", 0.99)[0] == "en", title
    assert stage.segment_language("Neue Wohnungen Am Stadtrand", "en", 0.99)[0] != "en"
