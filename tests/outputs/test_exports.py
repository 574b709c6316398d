"""What the exports and the index say of a run (issue 31). Every export carries each
segment's verdict and score: a CAT tool can filter the garbled units, a spreadsheet sort by score."""

from __future__ import annotations

import csv
import json
import re

import polib
from lxml import etree

from pipeline.run.batch import QUIET, run_batch
from pipeline.config import load_settings
from pipeline.formats.xliff import MDA

from ..conftest import FIXTURES, SAMPLE as SAMPLE_ARTICLE

GARBLED = "One party cannot support one party with soil and water."
FINE = "The county built new schools for the children of the relocated families."


def run(tmp_path, inputs, reports=True, **settings):
    out = tmp_path / "out"
    result = run_batch([str(p) for p in inputs], out, load_settings(**settings), progress=QUIET, reports=reports)
    assert result.failures == []
    records = [json.loads(line) for line in (out / "segments.jsonl").read_text(encoding="utf-8").splitlines()]
    return out, records


def article(tmp_path):
    path = tmp_path / "article.txt"
    path.write_text(f"{FINE}\n\n{GARBLED}\n", encoding="utf-8")
    return path


def test_a_new_xliff_carries_the_verdict_and_score_of_every_unit(tmp_path):
    out, records = run(tmp_path, [article(tmp_path)], export=("xliff",))
    root = etree.parse(str(out / "export" / "article.xlf")).getroot()
    ns = {"x": "urn:oasis:names:tc:xliff:document:2.0", "mda": MDA}
    verdicts = {}
    for unit in root.iterfind(".//x:unit", ns):
        meta = {m.get("type"): m.text for m in unit.iterfind("mda:metadata/mda:metaGroup/mda:meta", ns)}
        verdicts["".join(unit.find(".//x:target", ns).itertext())] = meta
        notes = [n.text for n in unit.iterfind("x:notes/x:note", ns)]
        assert any(n.startswith("warning garbled: score ") for n in notes) == (meta["garbled"] == "yes")
        # the Metadata module comes first in a unit, as the schema orders it
        assert etree.QName(unit[0]).localname == "metadata"
    by_text = {r["cleaned"]: r for r in records}
    assert {text: meta["garbled"] for text, meta in verdicts.items()} == {FINE: "no", GARBLED: "yes"}
    assert float(verdicts[GARBLED]["garble-score"]) == round(by_text[GARBLED]["garble_score"], 4)
    # no source is claimed that the input did not have: the source is the text as read, in its own language
    assert root.get("srcLang") == root.get("trgLang") == "en"
    assert "No source text was given" in root.findtext(".//x:file/x:notes/x:note", namespaces=ns)


def test_a_new_tmx_and_po_carry_the_verdict(tmp_path):
    out, _ = run(tmp_path, [article(tmp_path)], export=("tmx", "po"))
    tmx = etree.parse(str(out / "export" / "article.tmx")).getroot()
    props = {tu.findtext("tuv[2]/seg"): {p.get("type"): p.text for p in tu.iterfind("prop")} for tu in tmx.iter("tu")}
    assert props[GARBLED]["x-pipeline-garbled"] == "yes" and props[FINE]["x-pipeline-garbled"] == "no"
    assert 0.0 <= float(props[FINE]["x-pipeline-garble-score"]) < float(props[GARBLED]["x-pipeline-garble-score"])
    po = {e.msgstr: e for e in polib.pofile(str(out / "export" / "article.po"))}
    assert "fuzzy" in po[GARBLED].flags and "pipeline: warning garbled: score" in po[GARBLED].tcomment
    assert "garbled" not in po[FINE].tcomment and "fuzzy" not in po[FINE].flags


def test_a_written_back_xliff_notes_its_garbled_units(tmp_path):
    source = (FIXTURES / "bilingual" / "relocation.zh-en.xlf").read_text(encoding="utf-8")
    path = tmp_path / "brief.zh-en.xlf"
    path.write_text(source.replace("From January to September, the city invested 12.44 million yuan.", GARBLED),
                    encoding="utf-8")
    out, records = run(tmp_path, [path], export=("xliff",))
    garbled = {r["unit"] for r in records if r["garbled"]}
    assert garbled
    root = etree.parse(str(out / "export" / path.name)).getroot()
    ns = {"x": "urn:oasis:names:tc:xliff:document:1.2"}
    noted = {unit.get("id") for unit in root.iterfind(".//x:trans-unit", ns)
             if any((n.text or "").startswith("warning garbled: score ") for n in unit.iterfind("x:note", ns))}
    assert noted == garbled


def test_the_qa_table_has_the_verdict_and_score_and_a_row_for_every_garbled_segment(tmp_path):
    out = tmp_path / "out"
    run_batch([str(article(tmp_path))], out, load_settings(report_formats=("csv",)), progress=QUIET, reports=False)
    rows = list(csv.DictReader((out / "qa.csv").read_text(encoding="utf-8-sig").splitlines()))
    assert {"garbled", "score"} <= set(rows[0])
    garbled_rows = [r for r in rows if r["cleaned"] == GARBLED]
    assert garbled_rows and all(r["garbled"] == "yes" and float(r["score"]) > 0.5 for r in garbled_rows)


def test_a_garbled_segment_without_a_flag_is_a_row_of_its_own():
    from pipeline.outputs.qa_reports import _rows_of
    record = {"doc": "d", "index": 0, "key": "k", "kind": "body", "block": 0, "start": 0, "end": 20,
              "original": "It reads wrong here.", "cleaned": "It reads wrong here.", "flags": [],
              "garbled": True, "garble_score": 0.91, "garble_reasons": ["the language model's reading (+3.10)"]}
    [row] = _rows_of([record, dict(record, index=1, garbled=False, garble_score=0.1)])
    assert (row.segment, row.code, row.garbled, row.score) == (0, "garbled", True, 0.91)
    assert "language model" in row.message
    assert row.cells()[6:8] == ["yes", 0.91]


def test_the_index_counts_in_words_people_read(tmp_path):
    path = tmp_path / "one.txt"
    path.write_text("The people,and the village were moved in spring.\n", encoding="utf-8")
    out = tmp_path / "out"
    run_batch([str(path)], out, load_settings(), progress=QUIET)
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "1 document processed" in index and "1 segment ·" in index and "1 edit ·" in index


def test_the_page_says_each_rule_in_plain_words_with_its_code_beside(tmp_path):
    from pipeline.outputs.report.plain import EDIT_RULES, plain_kind, plain_rule
    from pipeline.config import Settings
    from pipeline.stages import build_stages, stage_named

    # every rule the punctuation stage can name has plain words
    punctuation = stage_named(build_stages(Settings(parser="none")), "punctuation")
    names = {r.name for lang in ("en", "fr", "de", "es", "pt") for r in punctuation.rules_for(lang)}
    assert names <= set(EDIT_RULES), names - set(EDIT_RULES)
    assert plain_rule("moses.unicode-punct+quote-pairs") == (
        "full-width or typographic punctuation made plain; quotation marks made one pair, in the language's style")
    assert plain_rule("term:ex-situ-relocation") == "the glossary's preferred term"
    assert plain_kind("heading:short-line") == "a short line read as a heading"
    out, _ = run(tmp_path, [SAMPLE_ARTICLE])
    page = (out / "docs" / "tongren_relocation.en.html").read_text(encoding="utf-8")
    assert "a short line read as a heading</span> <code class=\"code\">heading:short-line</code>" in page
    assert '<span class="rule">space before punctuation</span> <code class="code">space-before-punct</code>' in page


def test_a_page_with_a_huge_menu_gives_a_short_review_page(tmp_path):
    """The chrome is drawn on a page of its own, at most `CHROME_ROWS` lines: 20,000 menu
    lines and a short article make a short review page (issue 31: 90 MB before)."""
    from pipeline.outputs.report import CHROME_ROWS

    menu = "".join(f"<li><a href='/p{i}'>Menu entry number {i}</a></li>" for i in range(20_000))
    article = "<p>The county opened a new school for the children of the relocated families this spring.</p>" * 3
    path = tmp_path / "menu.html"
    path.write_text(f"<html><body><nav><ul>{menu}</ul></nav><article>{article}</article></body></html>",
                    encoding="utf-8")
    out, records = run(tmp_path, [path])
    chrome = sum(r["kind"] == "boilerplate" for r in records)
    assert chrome >= 20_000
    page = (out / "docs" / "menu.html").stat().st_size
    chrome_page = (out / "chrome" / "menu.html").read_text(encoding="utf-8")
    assert page < 100_000, page
    assert chrome_page.count("<tr id=") == CHROME_ROWS and f"{chrome:,} lines" in chrome_page
    assert len(chrome_page) < 2_000_000


def test_a_document_of_many_segments_gives_a_page_that_opens(tmp_path, monkeypatch):
    """Past `PAGE_ROWS` segments a page draws those to review first, then the first others,
    and says how many it leaves out and where they are."""
    import pipeline.outputs.report as report

    monkeypatch.setattr(report, "PAGE_ROWS", 40)
    sentences = [f"The county built road number {i} this year." for i in range(60)]
    sentences[50] = "The county built built a road this year."  # to review, past the first 40
    path = tmp_path / "long.txt"
    path.write_text("\n\n".join(sentences) + "\n", encoding="utf-8")
    out, records = run(tmp_path, [path])
    page = (out / "docs" / "long.html").read_text(encoding="utf-8")
    drawn = re.findall(r'<tr class="seg [a-z]+" id="s(\d+)"', page)
    flagged = next(r["index"] for r in records if r["original"].startswith("The county built built"))
    assert len(drawn) == 40 and str(flagged) in drawn
    assert 'id="not-drawn"' in page and "the 20 segments not drawn are in" in page
