from pipeline.config import Settings
from pipeline.document import Document
from pipeline.langid import LanguageIdentifier


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
