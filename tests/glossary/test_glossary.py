"""Glossary files: the shipped glossary, validation messages, and format round trips."""

import subprocess
import sys

import pytest

from pipeline.glossary import GlossaryError, load_glossaries, load_glossary, shipped_glossaries, write_glossary
from pipeline.glossary.forms import fold, other_number

from ..conftest import FIXTURES, ROOT

SHIPPED = ROOT / "glossaries" / "poverty-alleviation.zh-en.yaml"


@pytest.fixture(scope="module")
def shipped():
    return load_glossary(SHIPPED)


def test_shipped_glossary_is_found_and_valid(shipped):
    assert SHIPPED in shipped_glossaries()
    assert len(shipped.entries) >= 60
    load_glossaries([SHIPPED])  # raises on any validation error
    for entry in shipped.entries:
        assert entry.source, entry.id
        assert entry.targets["en"].preferred.strip(), entry.id


# Renderings the issue names; the shipped file must get each one right.
OFFICIAL = {
    "易地扶贫搬迁": ("ex-situ poverty alleviation relocation", ["ex situ poverty alleviation and relocation",
                                                           "relocation for poverty alleviation"]),
    "精准扶贫": ("targeted poverty alleviation", []),
    "建档立卡贫困户": ("registered poor households", ["poverty-stricken households who set up a file"]),
    "东西部扶贫协作": ("East-West cooperation on poverty alleviation", []),
    "对口帮扶": ("paired assistance", ["counterpart help"]),
    "人社局": ("Human Resources and Social Security Bureau", ["Bureau of Human Resources and Social Affairs"]),
    "乡村振兴": ("rural revitalization", ["revitalization of the countryside"]),
    "十三五": ("13th Five-Year Plan", ["Thirteenth Five-Year Plan"]),
    "两不愁三保障": ("two assurances and three guarantees", []),
    "公益性岗位": ("public welfare jobs", []),
    "安置点": ("resettlement site", []),
}


@pytest.mark.parametrize("source", OFFICIAL)
def test_shipped_glossary_has_the_official_rendering(shipped, source):
    preferred, variants = OFFICIAL[source]
    entry = next(e for e in shipped.entries if source in e.source)
    assert entry.targets["en"].preferred == preferred
    assert set(variants) <= set(entry.targets["en"].variants)


def test_the_masses_is_discouraged_with_a_suggestion(shipped):
    entry = next(e for e in shipped.entries if "群众" in e.source)
    advice = {a.form: a.suggestion for a in entry.targets["en"].discouraged}
    assert "residents" in advice["the masses"] and "the public" in advice["the masses"]
    hrss = next(e for e in shipped.entries if "人社局" in e.source)
    assert "human society" in {a.form for a in hrss.targets["en"].discouraged}


# -- round trips ---------------------------------------------------------------------

@pytest.mark.parametrize("suffix", [".tbx", ".tsv", ".csv", ".yaml"])
def test_round_trip_loses_nothing(shipped, tmp_path, suffix):
    path = tmp_path / f"exported{suffix}"
    write_glossary(shipped, path)
    back = load_glossary(path)
    assert back.entries == shipped.entries  # ids, sources, variants, advice, notes, settings
    assert sum(len(e.targets["en"].variants) for e in back.entries) > 200


def test_tbx_to_tsv_to_yaml_chain(shipped, tmp_path):
    write_glossary(shipped, tmp_path / "a.tbx")
    write_glossary(load_glossary(tmp_path / "a.tbx"), tmp_path / "b.tsv")
    write_glossary(load_glossary(tmp_path / "b.tsv"), tmp_path / "c.yaml")
    assert load_glossary(tmp_path / "c.yaml").entries == shipped.entries


def test_tbx_export_is_tbx_basic_v3(shipped, tmp_path):
    from lxml import etree
    write_glossary(shipped, tmp_path / "g.tbx")
    root = etree.parse(str(tmp_path / "g.tbx")).getroot()
    ns = {"t": "urn:iso:std:iso:30042:ed-2"}
    assert root.tag == "{urn:iso:std:iso:30042:ed-2}tbx" and root.get("type") == "TBX-Basic"
    assert len(root.findall(".//t:conceptEntry", ns)) == len(shipped.entries)
    statuses = {el.text for el in root.iterfind(".//t:termNote[@type='administrativeStatus']", ns)}
    assert statuses <= {"preferredTerm-admn-sts", "admittedTerm-admn-sts", "supersededTerm-admn-sts",
                        "deprecatedTerm-admn-sts"}


def test_reads_a_tbx_v2_export_from_a_cat_tool():
    g = load_glossary(FIXTURES / "glossaries" / "cat_export.tbx")
    assert g.name == "county-office-terms" and g.source_language == "zh"
    site, county = g.entries
    assert site.source == ["安置点"] and site.note.startswith("A place")
    assert site.targets["en"].preferred == "resettlement site"
    assert site.targets["en"].variants == ["placement point"] and site.action == "replace"
    assert [(a.form, a.suggestion) for a in site.targets["en"].discouraged] == [
        ("settlement spot", 'Use "resettlement site".')]
    # admitted synonyms only: flag, never rewrite; a "forbidden" status reads as forbidden
    assert county.action == "flag" and county.targets["en"].variants == ["impoverished county"]
    assert [a.form for a in county.targets["en"].forbidden] == ["poverty county"]


def test_reads_a_spreadsheet_csv():
    g = load_glossary(FIXTURES / "glossaries" / "spreadsheet.csv")
    residents = g.entries[0]
    assert residents.targets["en"].variants == ["relocated masses", "relocating masses"]
    assert [(a.form, a.suggestion) for a in residents.targets["en"].discouraged] == [("the masses", "residents")]
    assert g.entries[1].action == "replace" and g.entries[1].note == ""


TBX_V3 = """<?xml version="1.0" encoding="UTF-8"?>
<tbx xmlns="urn:iso:std:iso:30042:ed-2" type="TBX-Basic" style="dca" xml:lang="zh">
<text><body>
{}
</body></text></tbx>
"""


def _term(text, status=None):
    note = f'<termNote type="administrativeStatus">{status}</termNote>' if status else ""
    return f"<termSec><term>{text}</term>{note}</termSec>"


def _concept(langs, id_attr=""):
    secs = "".join(f'<langSec xml:lang="{lang}">{"".join(terms)}</langSec>' for lang, terms in langs)
    return f"<conceptEntry{id_attr}>{secs}</conceptEntry>"


def test_tbx_entries_without_an_id_are_given_one(tmp_path):
    # TBX makes the id optional; two id-less entries are two entries, not a "duplicate id"
    concepts = [_concept([("zh", [_term("村")]), ("en", [_term("village")])]),
                _concept([("zh", [_term("镇")]), ("en", [_term("town")])]),
                _concept([("zh", [_term("县")]), ("en", [_term("county")])], ' id="county"')]
    path = tmp_path / "g.tbx"
    path.write_text(TBX_V3.format("\n".join(concepts)), encoding="utf-8")
    [glossary] = load_glossaries([path])
    ids = [e.id for e in glossary.entries]
    assert ids[2] == "county" and all(i.startswith("tbx-") for i in ids[:2]) and len(set(ids)) == 3
    assert [e.id for e in load_glossary(path).entries] == ids  # the same ids on every read
    assert sum("entry has no id" in w for w in glossary.warnings) == 2
    checked = cli("glossary", "check", path)
    assert checked.returncode == 0 and f"warning: {path}:5: entry has no id" in checked.stderr


def test_tbx_unknown_status_is_a_variant_with_a_warning(tmp_path):
    path = tmp_path / "g.tbx"
    path.write_text(TBX_V3.format(_concept([
        ("zh", [_term("搬迁")]),
        ("en", [_term("removal", "obsolete"), _term("relocation", "admittedTerm-admn-sts")]),
        ("fr", [_term("déménagement", "obsoleteTerm"), _term("relogement")])], ' id="move"')), encoding="utf-8")
    [entry] = load_glossary(path).entries
    # never preferred because it comes first: an accepted status or none wins
    assert entry.targets["en"].preferred == "relocation" and entry.targets["en"].variants == ["removal"]
    assert entry.targets["fr"].preferred == "relogement"
    warnings = load_glossary(path).warnings
    assert any("en term 'removal' has an unknown administrativeStatus 'obsolete'" in w for w in warnings)


def test_tbx_with_many_languages_converts_to_yaml_that_reads_back(tmp_path):
    # languages the language stage does not detect (Basque, Malay, Icelandic), and two
    # regional tags that fall on one language
    path = tmp_path / "g.tbx"
    path.write_text(TBX_V3.format(_concept([
        ("zh", [_term("社区")]), ("en", [_term("community")]), ("eu", [_term("komunitatea")]),
        ("ms", [_term("komuniti")]), ("is", [_term("samfélag")]),
        ("pt-BR", [_term("comunidade")]), ("pt-PT", [_term("comunidade local")])], ' id="community"')),
        encoding="utf-8")
    glossary = load_glossary(path)
    assert any("'pt-PT' is read as 'pt'" in w for w in glossary.warnings)
    write_glossary(glossary, tmp_path / "g.yaml")
    back = load_glossary(tmp_path / "g.yaml")
    assert back.entries == glossary.entries
    assert back.entries[0].targets["pt"].preferred == "comunidade"
    assert any("'eu' is not a language the language stage detects" in w for w in back.warnings)


def test_yaml_alias_bomb_is_refused_at_once(tmp_path):
    lines = ["name: t", "source_language: zh", 'a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for i in range(1, 10):
        lines.append(f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]")
    lines += ["entries:", "  - id: a", "    en: one", "    note: *a9"]
    path = tmp_path / "bomb.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(GlossaryError) as info:  # refused before any alias is expanded
        load_glossaries([path])
    assert any("aliases are not allowed in a glossary" in m and f"{path}:" in m for m in info.value.problems)


# -- validation: every message names file, line and entry ----------------------------------

def problems(tmp_path, text, name="g.yaml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    with pytest.raises(GlossaryError) as info:
        load_glossaries([path])
    return info.value.problems


HEAD = "name: t\nsource_language: zh\nentries:\n"


def test_duplicate_id(tmp_path):
    found = problems(tmp_path, HEAD + "  - id: a\n    en: one\n  - id: a\n    en: two\n")
    assert found == [f"{tmp_path / 'g.yaml'}:6: entry 'a': duplicate id (first used at {tmp_path / 'g.yaml'}:4)"]


def test_variant_claimed_by_two_entries(tmp_path):
    text = HEAD + ("  - id: a\n    en:\n      preferred: alpha\n      variants: [shared form]\n"
                   "  - id: b\n    en:\n      preferred: beta\n      variants: [Shared-Form]\n")
    [message] = problems(tmp_path, text)
    assert message.startswith(f"{tmp_path / 'g.yaml'}:8: entry 'b': en variant 'Shared-Form' is also claimed "
                              f"by entry 'a'")
    assert "'beta' vs 'alpha'" in message


def test_same_variant_with_the_same_preferred_form_is_allowed(tmp_path):
    path = tmp_path / "g.yaml"
    path.write_text(HEAD + "  - id: a\n    source: 对口帮扶\n    en: {preferred: paired assistance, variants: [x y]}\n"
                           "  - id: b\n    source: 结对帮扶\n    en: {preferred: paired assistance, variants: [x y]}\n",
                    encoding="utf-8")
    assert len(load_glossaries([path])[0].entries) == 2


def test_preferred_form_also_forbidden(tmp_path):
    [message] = problems(tmp_path, HEAD + "  - id: a\n    en:\n      preferred: the public\n"
                                          "      forbidden: [{form: The Public, suggestion: x}]\n")
    assert message == f"{tmp_path / 'g.yaml'}:4: entry 'a': en forbidden form 'The Public' is also the preferred form"


def test_unknown_keys_empty_terms_and_yaml_booleans(tmp_path):
    text = HEAD + ("  - id: a\n    en:\n      preferred: ok\n      varients: [x]\n"
                   "  - id: b\n    colour: red\n    en: {preferred: ''}\n"
                   "  - id: c\n    en: {preferred: yes}\n")
    found = problems(tmp_path, text)
    path = tmp_path / "g.yaml"
    assert f"{path}:7: entry 'a': unknown key 'varients' in 'en' (allowed: preferred, variants, discouraged, " \
           f"forbidden, note)" in found
    assert any(m.startswith(f"{path}:9: entry 'b': unknown key 'colour'") for m in found)
    assert any(m.startswith(f"{path}:10: entry 'b': en preferred form is empty") for m in found)
    assert any(m.startswith(f"{path}:12: entry 'c': en preferred form must be text") for m in found)


def test_duplicate_yaml_key(tmp_path):
    found = problems(tmp_path, HEAD + "  - id: a\n    en: one\n    en: two\n")
    assert found == [f"{tmp_path / 'g.yaml'}:6: duplicate key 'en'"]


def test_broken_yaml(tmp_path):
    [message] = problems(tmp_path, HEAD + "  - id: a\n    en: [unclosed\n")
    # where the problem starts (the unclosed list, line 5) and where it was found (the end)
    assert message.startswith(f"{tmp_path / 'g.yaml'}:5:9: invalid YAML: while parsing a flow sequence")
    assert message.endswith("at line 6, column 1")


def test_an_unclosed_quote_is_reported_where_it_starts(tmp_path):
    [message] = problems(tmp_path, HEAD + '  - id: a\n    en: "unclosed\n  - id: b\n    en: two\n\n\n')
    assert message.startswith(f"{tmp_path / 'g.yaml'}:5:9: invalid YAML: while scanning a quoted scalar")
    assert "found unexpected end of stream at line 10" in message


def test_duplicate_id_across_files(tmp_path):
    (tmp_path / "one.yaml").write_text(HEAD + "  - id: a\n    en: one\n", encoding="utf-8")
    (tmp_path / "two.tsv").write_text("id\ten\na\ttwo\n", encoding="utf-8")
    with pytest.raises(GlossaryError) as info:
        load_glossaries([tmp_path / "one.yaml", tmp_path / "two.tsv"])
    assert info.value.problems == [f"{tmp_path / 'two.tsv'}:2: entry 'a': duplicate id "
                                   f"(first used at {tmp_path / 'one.yaml'}:4)"]


def test_bad_tsv_and_tbx_and_encoding(tmp_path):
    assert problems(tmp_path, "id\ten\tcolour\n", "g.tsv")[0].startswith(f"{tmp_path / 'g.tsv'}:1: unknown column 'colour'")
    assert problems(tmp_path, "id\ten\ten:variants\nx\t\tsomething\n", "h.tsv")[0] == \
        f"{tmp_path / 'h.tsv'}:2: entry 'x': 'en' forms given but the 'en' (preferred) cell is empty"
    assert problems(tmp_path, "<tbx><text><body><conceptEntry id='a'>\n</body></tbx>", "g.tbx")[0].startswith(
        f"{tmp_path / 'g.tbx'}:2: invalid XML")
    (tmp_path / "latin1.yaml").write_bytes((HEAD + "  - id: a\n    en: caf\xe9\n").encode("latin-1"))
    with pytest.raises(GlossaryError, match=r"latin1.yaml:5: not UTF-8 text"):
        load_glossaries([tmp_path / "latin1.yaml"])
    with pytest.raises(GlossaryError, match="unknown glossary format"):
        load_glossaries([tmp_path / "g.docx"])


# -- forms ---------------------------------------------------------------------------------

def test_fold_and_number():
    assert fold("Ex-situ  poverty\nalleviation") == fold("ex situ poverty alleviation") == "ex situ poverty alleviation"
    assert other_number("resettlement site", "en") == "resettlement sites"
    assert other_number("registered poor households", "en") == "registered poor household"
    assert other_number("area of extreme poverty", "en") == "areas of extreme poverty"
    assert other_number("poverty-stricken households who set up a file", "en") == \
        "poverty-stricken household who set up a file"
    assert other_number("site de réinstallation", "fr") is None


# -- command line --------------------------------------------------------------------------

def cli(*args, cwd=ROOT):
    return subprocess.run([sys.executable, "-m", "pipeline", *map(str, args)], capture_output=True, text=True,
                          cwd=cwd)


def test_cli_check_and_convert(tmp_path):
    ok = cli("glossary", "check", SHIPPED)
    assert ok.returncode == 0, ok.stderr
    assert "poverty-alleviation: 75 entries" in ok.stdout and "valid: 1 file(s)" in ok.stdout
    both = cli("glossary", "check", FIXTURES / "glossaries" / "cat_export.tbx", FIXTURES / "glossaries" / "spreadsheet.csv")
    assert both.returncode == 0 and "valid: 2 file(s), 4 entries" in both.stdout
    # checked together, files must not reuse each other's ids
    clash = cli("glossary", "check", SHIPPED, FIXTURES / "glossaries" / "cat_export.tbx")
    assert clash.returncode == 2 and "entry 'resettlement-site': duplicate id" in clash.stderr
    converted = cli("glossary", "convert", SHIPPED, "-o", tmp_path / "pa.tbx")
    assert converted.returncode == 0 and (tmp_path / "pa.tbx").exists()
    assert cli("glossary", "check", tmp_path / "pa.tbx").returncode == 0


def test_cli_refuses_an_invalid_glossary(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(HEAD + "  - id: a\n    en: one\n  - id: a\n    en: two\n", encoding="utf-8")
    checked = cli("glossary", "check", bad)
    assert checked.returncode == 2 and f"{bad}:6: entry 'a': duplicate id" in checked.stderr
    run = cli("run", FIXTURES / "no_breaks.txt", "--out", tmp_path / "out", "--glossary", bad)
    assert run.returncode == 2
    assert f"{bad}:6: entry 'a': duplicate id" in run.stderr and "Traceback" not in run.stderr
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("name, text", [
    ("g.yaml", HEAD + "  - id: 9bad\n    en: one\n"),
    ("g.tsv", "id\tsource:zh\ten\n9bad\t一\tone\n"),
])
def test_one_id_rule_for_every_format(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    with pytest.raises(GlossaryError) as info:
        load_glossaries([path])
    [message] = info.value.problems
    assert "entry '9bad'" in message and "id must start with a letter" in message and str(path) in message


def test_check_skips_files_that_are_not_glossaries(tmp_path):
    good = tmp_path / "g.yaml"
    good.write_text(HEAD + "  - id: a\n    en: one\n", encoding="utf-8")
    readme = tmp_path / "README.md"
    readme.write_text("# Glossaries\n", encoding="utf-8")
    checked = cli("glossary", "check", good, readme)
    assert checked.returncode == 0 and f"note: {readme}: skipped, not a glossary file" in checked.stderr
    only = cli("glossary", "check", readme)
    assert only.returncode == 2 and "no glossary file" in only.stderr


from hypothesis import given, settings, strategies as st  # noqa: E402


@settings(max_examples=300, deadline=None, derandomize=True, database=None)
@given(st.text(alphabet=" \t\n\r\x0b\x0c\x1c\x1f-_aZ'\u2019\u2018\u02bc\u00a0\u2010\u3000é", max_size=30))
def test_folding_separators_agrees_with_the_table(text):  # ASCII text takes a quicker path
    from pipeline.glossary.forms import FOLD_TABLE, fold_separators
    assert fold_separators(text) == text.translate(FOLD_TABLE)
