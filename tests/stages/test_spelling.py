"""The spelling check: near misses of common words flagged, names, pinyin, terms, codes,
foreign and rare words left alone. Skips a language whose Hunspell dictionary is absent, and
the checks of dictionaries when the Enchant spell checker is not installed."""

import json

import pytest

from pipeline.run.batch import QUIET, run_batch
from pipeline.config import Settings
from pipeline.document import Document, Segment, TermHit
from pipeline.language.dictionaries import SpellChecker, dictionary_files, enchant_problem, one_edit
from pipeline.stages.spelling import Spelling


ENCHANT = enchant_problem()


def needs(lang):
    return pytest.mark.skipif(ENCHANT is not None or not dictionary_files(lang),
                              reason=ENCHANT or f"no Hunspell dictionary for {lang}")


def _flags(text, lang="en", terms=(), settings=Settings()):
    doc = Document("t", "t.txt", "txt", text, lang=lang)
    doc.segments = [Segment(0, 0, len(text), "body", text, lang=lang, lang_prob=1.0, terms=list(terms))]
    Spelling(settings)(doc)
    return [(text[f.start:f.end], f.suggestion, f.severity) for f in doc.segments[0].flags]


@needs("en")
@pytest.mark.parametrize("text, expected", [
    ("The county goverment relocated the villagers.", [("goverment", "government", "info")]),
    ("Officals said the povrety rate fell.", [("povrety", "poverty", "info")]),  # capitalised: a name, perhaps
    ("The programme was a success and the homestays are full.", []),  # British, a compound the dictionary lacks
    ("Qian Xiaoqi and the dibao families moved to Tongren.", []),  # names and pinyin
    ("Write to fupin@trs.gov.cn or visit www.trs.gov.cn about COVID-19.", []),
    ("The plant makes 40MW, approx. the county's need.", []),
    ("He said nicht and ganz, and ordered crema.", []),  # common words of the other languages
    ("The samll shop wіth a Cyrillic letter.", [("samll", "small", "info"), ("wіth", "with", "info")]),
])
def test_english(text, expected):
    assert _flags(text) == expected


@needs("en")
def test_a_variant_dictionary_is_read_only_for_a_word_about_to_be_flagged():
    checker = SpellChecker("en", dictionary_files("en"))
    # rare words (smallholders, homesteads, irrigated: Zipf < 3) that en_US knows
    assert checker.misspelt("The smallholders resettled on irrigated homesteads.", [], lambda w: False) == []
    assert checker._dictionaries[0] is not None
    assert checker._dictionaries[1:] == [None] * (len(checker.files) - 1)
    if len(checker.files) > 1:  # en_GB there: British forms en_US lacks, near a British word, are words
        assert checker.misspelt("The harbours were catalogued.", [], lambda w: False) == []
        assert checker._dictionaries[1] is not None


@needs("en")
def test_a_word_the_document_repeats_is_its_term_and_a_slip_made_once_is_not():
    # "rsync" is one edit from "sync": a program name the dictionary lacks, used twice
    assert _flags("Run the rsync client, then the rsync server; the cleint waits.") == [
        ("cleint", "client", "info")]


@needs("en")
def test_words_inside_code_paths_and_file_names_are_not_misspellings():
    for text in ("Edit /etc/stunnel/app.conf first.", "Copy langly_stunnel_key.pem there.",
                 "Open pyproject.toml now.", 'File "<stdin>", line 3.', "Use --dport 273 here."):
        assert _flags(text) == [], text
    assert _flags("The stunnel program.") == [("stunnel", "tunnel", "info")]  # the same word in prose
    assert _flags("We waited...tomorow it opens.") == [("tomorow", "tomorrow", "info")]  # an ellipsis is prose


@needs("de")
def test_german_soft_hyphens_compounds_and_abbreviations():
    assert _flags("Die Bekämp\u00adfung des Hungers ist eigenlich wichtig.", "de") == [
        ("eigenlich", "eigentlich", "info")]
    assert _flags("Im Einsatz von (verm.) 1936 bis 1949 beim Wetter-Dienst.", "de") == []


@needs("fr")
def test_french():
    assert _flags("Le rapport complet ppour la ville.", "fr") == [("ppour", "pour", "info")]


@needs("en")
def test_words_of_a_glossary_term_found_there_are_not_misspellings():
    text = "The xiaokang society was built."
    assert _flags(text, terms=[TermHit("xiaokang", "preferred", 4, 12, "xiaokang society")]) == []


def test_off_or_skipped_loads_no_dictionary():
    for settings in (Settings(spelling=False), Settings(skip_checks=("spelling",))):
        stage = Spelling(settings)
        assert stage.checkers == {} and stage.describe() is None


@pytest.mark.skipif(ENCHANT is not None, reason=str(ENCHANT))
def test_the_dictionary_files_found_are_the_ones_read(tmp_path):
    # a dictionary of four words under en_US's name: what Hunspell knows is this file, not the
    # system's en_US, whatever else is installed
    (tmp_path / "en_US.aff").write_text("SET UTF-8\n", encoding="utf-8")
    (tmp_path / "en_US.dic").write_text("4\ncounty\ngovernment\nrelocated\nvillagers\n", encoding="utf-8")
    checker = SpellChecker("en", dictionary_files("en", str(tmp_path)))
    assert checker.dictionary(0).lookup("government") and not checker.dictionary(0).lookup("house")
    assert checker.misspelt("The county goverment.", [], lambda w: False) == [(11, 20, "goverment", "government")]


def test_without_enchant_the_check_is_skipped_and_the_run_says_why_once(tmp_path):
    import subprocess
    import sys

    from ..conftest import ROOT
    sample = tmp_path / "a.txt"
    sample.write_text("The county goverment relocated the villagers.\n", encoding="utf-8")
    code = ("import sys; sys.modules['enchant'] = None  # as if pyenchant were not installed\n"
            "from pipeline.cli import main; sys.exit(main(sys.argv[1:]))")
    proc = subprocess.run([sys.executable, "-c", code, "run", str(sample), "--out", str(tmp_path / "o")],
                          cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr.count("spelling: not checked: the Enchant spell checker is not installed") == 1
    summary = json.loads((tmp_path / "o" / "summary.json").read_text(encoding="utf-8"))
    assert "Enchant" in summary["resources"]["spelling"]["unavailable"]
    records = [json.loads(line) for line in (tmp_path / "o" / "segments.jsonl").read_text(encoding="utf-8").splitlines()]
    assert records and not [f for r in records for f in r["flags"] if f["code"] == "spelling"]


@pytest.mark.skipif(ENCHANT is not None, reason=str(ENCHANT))
def test_a_language_without_a_dictionary_is_named_once_and_not_checked(tmp_path):
    stage = Spelling(Settings(dictionaries=str(tmp_path)))  # an empty folder: no dictionary at all
    assert stage.describe() == {"dictionaries": {}, "missing": {"de": "hunspell-de-de", "en": "hunspell-en-us",
                                                                  "es": "hunspell-es", "fr": "hunspell-fr",
                                                                  "pt": "hunspell-pt-pt"}}
    assert _flags("The county goverment.", settings=Settings(dictionaries=str(tmp_path))) == []
    sample = tmp_path / "a.txt"
    sample.write_text("The county goverment relocated the villagers.\n", encoding="utf-8")
    import subprocess
    import sys

    from ..conftest import ROOT
    proc = subprocess.run([sys.executable, "-m", "pipeline", "run", str(sample), "--out", str(tmp_path / "o"),
                           "--dictionaries", str(tmp_path)], cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0 and proc.stderr.count("spelling: no dictionary for") == 1
    assert "en (apt-get install hunspell-en-us)" in proc.stderr


def test_one_edit_is_every_deletion_swap_change_and_insertion():
    assert one_edit("ab", "ab") == {"a", "b",  # a letter left out
                                    "ba",  # two swapped
                                    "bb", "aa",  # one changed
                                    "aab", "bab", "abb", "aba"}  # one put in


@needs("en")
def test_a_run_writes_spelling_flags_and_names_the_dictionaries(tmp_path):
    sample = tmp_path / "a.txt"
    sample.write_text("The county goverment relocated the villagers to new homes this year.\n", encoding="utf-8")
    run_batch([str(sample)], tmp_path / "o", Settings(), progress=QUIET)
    records = [json.loads(line) for line in (tmp_path / "o" / "segments.jsonl").read_text().splitlines()]
    assert [(f["code"], f["suggestion"]) for r in records for f in r["flags"] if f["code"] == "spelling"] == [
        ("spelling", "government")]
    summary = json.loads((tmp_path / "o" / "summary.json").read_text())
    assert summary["resources"]["spelling"]["dictionaries"]["en"][0].endswith("en_US.dic")
