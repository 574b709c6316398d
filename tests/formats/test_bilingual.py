"""Aligned bilingual input (XLIFF 1.2/2.x, TMX, TSV, JSONL units), source-aware checks, CAT exports."""

import json

import pytest
from lxml import etree

from pipeline.run.batch import QUIET, run_batch
from pipeline.config import load_settings
from pipeline.formats.read import read_file

from ..conftest import FIXTURES

BILINGUAL = FIXTURES / "bilingual"
XLIFF2_DOC = """<?xml version="1.0" encoding="UTF-8"?>
<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0" srcLang="zh" trgLang="en">
  <file id="f1" original="brief.docx">
    <unit id="u1" name="first"><segment id="s1" state="translated"><source>全市共搬迁29.33万人。</source>
      <target>The city relocated 293,300 people .</target></segment></unit>
    <unit id="u2"><notes><note category="translator">check the figure</note></notes>
      <segment state="initial"><source>精准扶贫。</source><target>Precise poverty alleviation is the <pc id="1">basic</pc> strategy.</target></segment></unit>
  </file>
</xliff>
"""


def docs(path):
    return list(read_file(path, path.stem))


@pytest.mark.parametrize("name, units", [("relocation.zh-en.xlf", 6), ("relocation.zh-en.tmx", 3),
                                         ("pairs.zh-en.tsv", 2), ("units.zh-en.jsonl", 3)])
def test_readers_give_one_block_per_unit_with_its_source(name, units):
    [doc] = docs(BILINGUAL / name)
    assert len(doc.hints) == units
    assert all(b.source and b.unit for b in doc.hints)
    assert doc.text[doc.hints[0].start:doc.hints[0].end].strip()


def test_xliff_2_and_bad_files(tmp_path):
    path = tmp_path / "brief.xlf"
    path.write_text(XLIFF2_DOC, encoding="utf-8")
    [doc] = docs(path)
    assert [b.unit for b in doc.hints] == ["u1", "u2"] and doc.source_lang == "zh"
    bad = tmp_path / "bad.tmx"
    bad.write_text("<tmx><body><tu><tuv xml:lang='en'><seg>x</seg></tuv></tu>", encoding="utf-8")
    [failure] = docs(bad)
    assert "invalid XML at line" in failure.reason
    tsv = tmp_path / "three.tsv"
    tsv.write_text("a\tb\tc\n", encoding="utf-8")
    assert "expected 2 tab-separated columns" in docs(tsv)[0].reason


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    out = tmp_path_factory.mktemp("bilingual")
    run_batch([str(BILINGUAL)], out, load_settings(export=("xliff", "tmx")), progress=QUIET)
    records = [json.loads(line) for line in (out / "segments.jsonl").read_text(encoding="utf-8").splitlines()]
    return out, records


def codes(records, doc, index):
    [r] = [r for r in records if r["doc"] == doc and r["index"] == index]
    return {f["code"] for f in r["flags"]}, r


def test_aligned_units_are_segments_with_their_source(run):
    _, records = run
    # every unit but the one codes.zh-en.tmx keeps without a source
    assert [(r["doc"], r["unit"]) for r in records if not r["source"]] == [("codes.zh-en", "p5")]
    _, r = codes(records, "pairs.zh-en", 0)
    assert r["source"] == "铜仁市位于武陵山区。" and r["cleaned"] == "Tongren is located in the Wuling Mountains."


def test_source_checks_on_units(run):
    _, records = run
    written_differently, _ = codes(records, "units", 0)  # 1,244万元 = 12.44 million yuan
    assert "number-mismatch" not in written_differently
    left_in_chinese, r = codes(records, "units", 1)
    assert {"untranslated-segment", "untranslated"} <= left_in_chinese
    assert r["cleaned"] == "搬迁群众29.33万人。"  # Chinese punctuation left alone in Chinese text
    dropped, _ = codes(records, "units", 2)
    assert "number-mismatch" in dropped
    swapped, _ = codes(records, "relocation.zh-en-2", 4)  # 98% translated as 89%
    assert "number-mismatch" in swapped
    months, _ = codes(records, "relocation.zh-en-2", 2)  # 1至9月 = January to September
    assert "number-mismatch" not in months


def test_xliff_written_back_keeps_everything_it_did_not_change(run):
    out, records = run
    original = etree.parse(str(BILINGUAL / "relocation.zh-en.xlf"))
    exported = etree.parse(str(out / "export" / "relocation.zh-en-2.xlf"))
    ns = {"x": "urn:oasis:names:tc:xliff:document:1.2"}
    pipeline_notes = exported.findall(".//x:note[@from='pipeline']", ns)
    assert pipeline_notes  # flags travel as notes
    for note in pipeline_notes:
        note.getparent().remove(note)
    before, after = list(original.iter()), list(exported.iter())
    assert len(before) == len(after)
    cleaned = {r["index"]: r["cleaned"] for r in records if r["doc"] == "relocation.zh-en-2"}
    targets = 0
    for a, b in zip(before, after):
        assert a.tag == b.tag and dict(a.attrib) == dict(b.attrib)
        if isinstance(a.tag, str) and etree.QName(a).localname == "target":
            assert b.text == cleaned[targets]
            targets += 1
        else:
            assert (a.text or "").strip() == (b.text or "").strip()
    assert targets == 6
    assert "<!-- Written for the fixtures" in (out / "export" / "relocation.zh-en-2.xlf").read_text(encoding="utf-8")


def test_xliff_2_write_back_keeps_inline_markup(tmp_path):
    path = tmp_path / "brief.xlf"
    path.write_text(XLIFF2_DOC, encoding="utf-8")
    out = tmp_path / "out"
    run_batch([str(path)], out, load_settings(export=("xliff",)), progress=QUIET)
    tree = etree.parse(str(out / "export" / "brief.xlf"))
    ns = {"x": "urn:oasis:names:tc:xliff:document:2.0"}
    first, second = tree.findall(".//x:unit", ns)
    assert first.find(".//x:target", ns).text == "The city relocated 293,300 people."
    target = second.find(".//x:target", ns)
    assert target.find("x:pc", ns).text == "basic" and target.find("x:pc", ns).get("id") == "1"  # markup kept
    record = [json.loads(line) for line in (out / "segments.jsonl").read_text(encoding="utf-8").splitlines()][1]
    assert " ".join("".join(target.itertext()).split()) == record["cleaned"]  # the edits made around it
    notes = [n.text for n in second.findall("x:notes/x:note", ns)]
    assert notes[0] == "check the figure"


def test_new_xliff_and_tmx_for_other_inputs(run):
    out, records = run
    tmx = etree.parse(str(out / "export" / "units.tmx"))
    tus = tmx.findall(".//tu")
    assert len(tus) == 3 and tmx.find("header").get("srclang") == "zh"
    assert [t.text for t in tus[0].findall("tuv/seg")] == [
        "全市1,244万元用于安置点建设。", "The city spent 12.44 million yuan on building resettlement sites."]
    xliff = etree.parse(str(out / "export" / "units.xlf")).getroot()
    assert xliff.get("version") == "2.1" and xliff.get("srcLang") == "zh" and xliff.get("trgLang") == "en"


def test_jsonl_lines_with_source_and_target_are_units_of_one_document(tmp_path):
    path = tmp_path / "docs.jsonl"
    path.write_text('{"id": "d1", "source": "全市共搬迁29.33万人。", "target": "The city relocated 293,300 people. '
                    'All of them have moved in."}\n{"id": "d2", "source": "新建学校3所。", "target": ""}\n'
                    '{"id": "d3", "source": "群众满意。"}\n', encoding="utf-8")
    [doc] = docs(path)
    assert doc.id == "docs" and [b.unit for b in doc.hints] == ["d1", "d2", "d3"]
    assert [b.source for b in doc.hints] == ["全市共搬迁29.33万人。", "新建学校3所。", "群众满意。"]


def test_units_with_empty_or_missing_targets_are_kept_and_flagged(tmp_path):
    units = tmp_path / "units.jsonl"
    units.write_text('{"id": "a1", "source": "全县完成搬迁。", "target": "The county completed the relocation."}\n'
                     '{"id": "a2", "source": "新建学校3所。", "target": ""}\n{"id": "a3", "source": "群众满意。"}\n',
                     encoding="utf-8")
    out = tmp_path / "out"
    run_batch([str(BILINGUAL / "empty-targets.zh-en.xlf"), str(units)], out,
              load_settings(export=("xliff", "tmx")), progress=QUIET)
    records = [json.loads(line) for line in (out / "segments.jsonl").read_text(encoding="utf-8").splitlines()]
    for doc, ids in (("empty-targets.zh-en", ["t1", "t2", "t3"]), ("units", ["a1", "a2", "a3"])):
        mine = [r for r in records if r["doc"] == doc]
        assert [r["unit"] for r in mine] == ids  # three units in, three segments out
        assert [[f["code"] for f in r["flags"]] for r in mine][1:] == [["empty-target"], ["empty-target"]]
        assert all(f["severity"] == "error" for r in mine[1:] for f in r["flags"])
        assert not mine[0]["flags"]
    # XLIFF written back: the empty and the missing target stay as they were, with a note each
    back = etree.parse(str(out / "export" / "empty-targets.zh-en.xlf")).getroot()
    ns = {"x": "urn:oasis:names:tc:xliff:document:1.2"}
    t2, t3 = back.findall(".//x:trans-unit", ns)[1:]
    assert t2.find("x:target", ns).text is None and t3.find("x:target", ns) is None
    assert all("empty-target" in u.find("x:note", ns).text for u in (t2, t3))
    # new XLIFF 2.1 and TMX: every unit, under its own id; no target where there is none
    xliff = etree.parse(str(out / "export" / "units.xlf")).getroot()
    ns2 = {"x": "urn:oasis:names:tc:xliff:document:2.0"}
    assert [u.get("id") for u in xliff.findall(".//x:unit", ns2)] == ["a1", "a2", "a3"]
    assert [s.get("state") for s in xliff.findall(".//x:segment", ns2)] == ["translated", "initial", "initial"]
    assert len(xliff.findall(".//x:target", ns2)) == 1
    tmx = etree.parse(str(out / "export" / "units.tmx"))
    assert [tu.get("tuid") for tu in tmx.findall(".//tu")] == ["a1", "a2", "a3"]
    assert [len(tu.findall("tuv")) for tu in tmx.findall(".//tu")] == [2, 1, 1]

def test_a_source_in_another_language_is_not_judged_by_chinese_rules(tmp_path):
    xlf = tmp_path / "match.es-en.xlf"
    xlf.write_text('<?xml version="1.0" encoding="UTF-8"?>\n<xliff version="1.2" '
                   'xmlns="urn:oasis:names:tc:xliff:document:1.2"><file original="m.txt" source-language="es" '
                   'target-language="en" datatype="plaintext"><body>'
                   '<trans-unit id="1"><source>Real Madrid</source><target>Real Madrid</target></trans-unit>'
                   '<trans-unit id="2"><source>El equipo ganó tres partidos en 2019.</source>'
                   '<target>The team won three matches in 2018.</target></trans-unit></body></file></xliff>\n',
                   encoding="utf-8")
    out = tmp_path / "out"
    run_batch([str(xlf)], out, load_settings(), progress=QUIET)
    records = [json.loads(line) for line in (out / "segments.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [r["flags"] for r in records] == [[], []] and not any(r["garbled"] for r in records)
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    [note] = summary["documents"][0]["notes"]
    assert "Chinese sources only" in note and "(es)" in note
    assert "Chinese sources only" in (out / "index.html").read_text(encoding="utf-8")


XLIFF12_DOC = """<?xml version="1.0" encoding="UTF-8"?>
<xliff xmlns="urn:oasis:names:tc:xliff:document:1.2" version="1.2">
  <file original="a.docx" source-language="zh" target-language="en" datatype="plaintext"><body>
    <trans-unit id="1" xml:space="preserve"><source>全市共搬迁29.33万人。</source><target>The city
relocated\u00a0293,300 people .\tIn all .</target></trans-unit>
    <trans-unit id="2" translate="no"><source>铜仁市</source><target>Tongren City ,  Guizhou</target></trans-unit>
    <trans-unit id="3" approved="yes"><source>铜仁市</source><target>Tongren City ,  Guizhou</target></trans-unit>
    <trans-unit id="4"><source>铜仁市</source><target state="final">Tongren City ,  Guizhou</target></trans-unit>
  </body></file>
  <file original="a.docx" source-language="zh" target-language="en" datatype="plaintext"><body>
    <trans-unit id="1"><source>精准扶贫。</source><target>Targeted poverty alleviation .</target></trans-unit>
    <trans-unit id="1"><source>全面小康。</source><target>A moderately prosperous society .</target></trans-unit>
  </body></file>
</xliff>
"""


def _written_back(tmp_path, text, name="doc.xlf"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    run_batch([str(path)], out, load_settings(export=("xliff",)), progress=QUIET, reports=False)
    return etree.parse(str(out / "export" / name))


def test_xliff_write_back_changes_only_what_the_edits_change(tmp_path):
    tree = _written_back(tmp_path, XLIFF12_DOC)
    ns = {"x": "urn:oasis:names:tc:xliff:document:1.2"}
    targets = [t.text for t in tree.iterfind(".//x:target", ns)]
    # the space before the stops went; the newline, the no-break space and the tab stayed
    assert targets[0] == "The city\nrelocated\u00a0293,300 people.\tIn all."
    # translate="no", approved="yes", state="final": checked, never rewritten, and said so
    assert targets[1:4] == ["Tongren City ,  Guizhou"] * 3
    units = tree.findall(".//x:trans-unit", ns)
    for unit, why in zip(units[1:4], ('translate="no"', 'approved="yes"', 'state is "final"')):
        assert any(why in (n.text or "") for n in unit.findall("x:note", ns)), why
    # two files with the same original and one id used twice: every unit gets its own text
    assert targets[4:] == ["Targeted poverty alleviation.", "A moderately prosperous society."]


def test_xliff_2_notes_go_after_the_metadata_module(tmp_path):
    doc = XLIFF2_DOC.replace('xmlns="urn:oasis:names:tc:xliff:document:2.0"',
                             'xmlns="urn:oasis:names:tc:xliff:document:2.0" '
                             'xmlns:mda="urn:oasis:names:tc:xliff:metadata:2.0"').replace(
        '<unit id="u1" name="first">',
        '<unit id="u1" name="first"><mda:metadata><mda:metaGroup><mda:meta type="k">v</mda:meta>'
        '</mda:metaGroup></mda:metadata>').replace("relocated 293,300", "relocated 搬迁 293,300")  # a flag, so a note
    tree = _written_back(tmp_path, doc)
    unit = tree.find(".//{urn:oasis:names:tc:xliff:document:2.0}unit")
    names = [etree.QName(child).localname for child in unit]
    assert names[:3] == ["metadata", "notes", "segment"]  # the schema's order


JA_XLIFF = """<?xml version="1.0" encoding="UTF-8"?>
<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0" srcLang="zh-CN" trgLang="ja-JP">
  <file id="f1"><unit id="u1"><segment><source>铜仁市全面完成易地扶贫搬迁任务。</source>
    <target>銅仁市は移転による貧困削減の任務を全面的に完了した。</target></segment></unit>
  <unit id="u2"><segment><source>全市共搬迁29.33万人。</source><target>全市で29.33万人が移転した。</target></segment></unit>
  </file>
</xliff>
"""


def test_declared_languages_are_the_languages(tmp_path):
    path = tmp_path / "ja.xlf"
    path.write_text(JA_XLIFF, encoding="utf-8")
    doc = next(read_file(path, "ja"))
    assert (doc.source_lang, doc.declared_lang) == ("zh", "ja")
    out = tmp_path / "out"
    run_batch([str(path)], out, load_settings(export=("tmx",)), progress=QUIET, reports=False)
    records = [json.loads(line) for line in (out / "segments.jsonl").open(encoding="utf-8")]
    assert {r["lang"] for r in records} == {"ja"}
    assert not any(f["code"] == "untranslated-segment" for r in records for f in r["flags"])  # not "still Chinese"
    tmx = etree.parse(str(out / "export" / "ja.tmx"))
    langs = {tuv.get("{http://www.w3.org/XML/1998/namespace}lang") for tuv in tmx.iter("tuv")}
    assert langs == {"zh", "ja"}


def test_a_declaration_the_text_contradicts_is_kept_with_a_note(tmp_path):
    path = tmp_path / "it.xlf"
    path.write_text(XLIFF2_DOC.replace('trgLang="en"', 'trgLang="it"'), encoding="utf-8")
    out = tmp_path / "out"
    result = run_batch([str(path)], out, load_settings(), progress=QUIET, reports=False)
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    doc = next(d for d in summary["documents"] if d["doc"] == "it")
    assert doc["lang"] == "it"
    assert any("declares the translation it" in note for note in doc["notes"])
    assert result.failures == []


@pytest.mark.parametrize("head", [
    '<xliff version="1.1" xmlns="urn:oasis:names:tc:xliff:document:1.1">',
    '<xliff version="1.0">',  # XLIFF 1.0 has no namespace
    '<xliff xmlns="urn:oasis:names:tc:xliff:document:1.2">',  # no version: the namespace says it
])
def test_xliff_1_0_and_1_1_are_read_and_written_back_as_1_2(tmp_path, head):
    body = XLIFF12_DOC.split("\n", 2)[2].split("</xliff>")[0]
    tree = _written_back(tmp_path, '<?xml version="1.0" encoding="UTF-8"?>\n' + head + body + "</xliff>\n")
    namespace = etree.QName(tree.getroot()).namespace
    q = (lambda n: f"{{{namespace}}}{n}") if namespace else (lambda n: n)
    targets = [t.text for t in tree.iter(q("target"))]
    assert targets[0] == "The city\nrelocated\u00a0293,300 people.\tIn all."
    assert len(targets) == 6 and list(tree.iter(q("note")))


def test_a_tmx_unit_without_its_source_fails_alone(tmp_path):
    path = tmp_path / "mem.tmx"
    path.write_text("""<?xml version="1.0" encoding="UTF-8"?>
<tmx version="1.4"><header srclang="zh" datatype="plaintext" segtype="sentence" adminlang="en"
  o-tmf="x" creationtool="x" creationtoolversion="1"/><body>
  <tu tuid="a"><tuv xml:lang="zh"><seg>铜仁市</seg></tuv><tuv xml:lang="en"><seg>Tongren City</seg></tuv></tu>
  <tu tuid="b"><tuv xml:lang="en"><seg>A target with no source .</seg></tuv></tu>
  <tu tuid="c"><tuv xml:lang="zh"><seg>贵州省</seg></tuv><tuv xml:lang="en"><seg>Guizhou Province</seg></tuv></tu>
</body></tmx>
""", encoding="utf-8")
    doc = next(read_file(path, "mem"))
    assert [b.unit for b in doc.hints] == ["a", "b", "c"] and doc.hints[1].source == ""
    assert any("no source text (b)" in note for note in doc.notes)


ENTITIES = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE xliff [
  <!ENTITY xxe SYSTEM "file:///etc/passwd">
  <!ENTITY lol "lol">
  <!ENTITY lol3 "&lol;&lol;&lol;">
]>
<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">
  <file original="e.txt" source-language="zh-CN" target-language="en" datatype="plaintext">
    <body>
      <trans-unit id="1"><source>一</source><target>The village &xxe; was moved.</target></trans-unit>
      <trans-unit id="2"><source>二</source><target>It said &lol3; three times.</target></trans-unit>
      <trans-unit id="3"><source>三</source><target>Plain text &amp; more.</target></trans-unit>
    </body>
  </file>
</xliff>
"""


def test_entity_references_are_kept_as_written_and_noted_never_expanded_or_dropped(tmp_path):
    path = tmp_path / "e.zh-en.xlf"
    path.write_text(ENTITIES, encoding="utf-8")
    out = tmp_path / "out"
    run_batch([str(path)], out, load_settings(export=("xliff",)), progress=QUIET, reports=False)
    records = [json.loads(line) for line in (out / "segments.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [r["original"] for r in records] == ["The village &xxe; was moved.", "It said &lol3; three times.",
                                                "Plain text & more."]
    [doc] = json.loads((out / "summary.json").read_text(encoding="utf-8"))["documents"]
    assert any("hold entity references (&xxe;, &lol3;)" in note and "(1, 2)" in note for note in doc["notes"])
    written = (out / "export" / "e.zh-en.xlf").read_text(encoding="utf-8")
    assert "root:" not in written and "&xxe;" in written and "&lol3;" in written  # as written, nothing read
