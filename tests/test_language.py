from pipeline.config import Settings
from pipeline.stages.language import LanguageIdentifier


def test_identification_is_seeded_and_repeatable():
    text = "Les familles relogées ont reçu de nouveaux logements près de la ville."
    a, b = LanguageIdentifier(12), LanguageIdentifier(12)
    assert a.identify(text) == b.identify(text) == a.identify(text)
    assert a.identify(text)[0] == "fr"


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
    assert load_settings(lang="fr").lang == "fr"
    assert Settings().lang == "auto"
