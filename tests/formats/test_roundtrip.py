"""CAT files written back: every element, attribute and byte of text kept but the edits
to targets and the notes the pipeline adds; the notes where the formats' schemas allow
them; and translate-toolkit, as a CAT tool would, reopens each file with its units.

The official XSD/DTD files (XLIFF 1.2 and 2.x from OASIS, TMX 1.4 from LISA) are not on
the package registries this project can reach, so the placement rules they set for what
the pipeline adds are checked here directly (`assert_notes_placed`)."""

import json
import re

import pytest
from lxml import etree
from translate.storage import tmx as tt_tmx
from translate.storage import xliff as tt_xliff
from translate.storage import xliff2 as tt_xliff2

from pipeline.run.batch import QUIET, run_batch
from pipeline.config import load_settings
from pipeline.formats.tmx import tmx_units
from pipeline.formats.xliff import xliff_units, xliff_version
from pipeline.formats.xmltools import NATIVE_CODES, local_name, safe_parser, segment_text

from ..conftest import FIXTURES

CAT_FILES = sorted(p for p in (FIXTURES / "bilingual").iterdir() if p.suffix in (".xlf", ".tmx"))
PIPELINE_NOTE = re.compile(r"^(error|warning|info) [\w-]+: ")


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    """Each CAT fixture run with the export of its own format: (input tree, output tree, records)."""
    out = tmp_path_factory.mktemp("roundtrip")
    run_batch([str(p) for p in CAT_FILES], out, load_settings(export=("xliff", "tmx")),
              progress=QUIET, reports=False)
    records: dict[str, dict] = {}
    for line in (out / "segments.jsonl").open(encoding="utf-8"):
        r = json.loads(line)
        records.setdefault(r["doc"], {})[r["unit"]] = r
    ids = {d["path"]: d["doc"] for d in json.loads((out / "summary.json").read_text(encoding="utf-8"))["documents"]}
    return {p.name: (p, out / "export" / (ids[str(p)] + p.suffix), records[ids[str(p)]]) for p in CAT_FILES}


def _parse(path):
    return etree.parse(str(path), safe_parser()).getroot()


def _targets(root):
    """unit key -> the element holding its target text (XLIFF <target>, TMX target <seg>)."""
    if local_name(root) == "tmx":
        header = root.find("header")
        return {key: target.find("seg") for key, _tu, _source, target in tmx_units(root, header.get("srclang"))
                if target is not None}
    return {key: target for key, _source, target, _unit in xliff_units(root) if target is not None}


def _drop_pipeline_notes(root, original):
    """The notes the pipeline added, taken out of `root` (those of `original` stay)."""
    kept = {n.text for n in original.iter() if local_name(n) == "note"}
    for note in [n for n in root.iter() if local_name(n) == "note"]:
        ours = note.get("from") == "pipeline" or note.get("category") == "pipeline" or (
            local_name(root) == "tmx" and PIPELINE_NOTE.match(note.text or "") and note.text not in kept)
        if ours:
            holder = note.getparent()
            holder.remove(note)
            if local_name(holder) == "notes" and len(holder) == 0:
                holder.getparent().remove(holder)


def assert_notes_placed(root):
    """Where the schemas let the added notes stand: TMX notes before a unit's <tuv>s; XLIFF 2
    <notes> after the module elements and before the segments; XLIFF 1.2 notes after the
    source and target."""
    kind = local_name(root)
    for parent in root.iter():
        names = [local_name(c) for c in parent if isinstance(c.tag, str)]
        if kind == "tmx" and local_name(parent) == "tu" and "note" in names:
            assert max(i for i, n in enumerate(names) if n == "note") < names.index("tuv"), names
        if kind == "xliff" and local_name(parent) == "unit" and "notes" in names:
            at = names.index("notes")
            assert all(n not in ("segment", "ignorable") for n in names[:at]), names
            native = etree.QName(root).namespace
            assert all(etree.QName(c).namespace == native for c in parent[at + 1:] if isinstance(c.tag, str)), names
        if kind == "xliff" and local_name(parent) == "trans-unit" and "note" in names:
            assert names.index("note") > names.index("source") and ("target" not in names
                                                                    or names.index("note") > names.index("target"))


@pytest.mark.parametrize("name", [p.name for p in CAT_FILES])
def test_only_the_edits_change_a_written_back_file(written, name):
    source, exported, records = written[name]
    before, after = _parse(source), _parse(exported)
    assert_notes_placed(after)
    _drop_pipeline_notes(after, before)
    old, new = _targets(before), _targets(after)
    assert old.keys() == new.keys()
    rewritten = 0
    for key, target in new.items():
        record = records[key]
        was = old[key]
        if etree.tostring(target) != etree.tostring(was):
            rewritten += 1
            # the inline markup as it was: every element, attribute and native code
            assert [(c.tag, dict(c.attrib)) for c in target.iter()] == [(c.tag, dict(c.attrib)) for c in was.iter()]
            assert [c.text for c in target.iter() if local_name(c) in NATIVE_CODES] == \
                   [c.text for c in was.iter() if local_name(c) in NATIVE_CODES]
            assert " ".join(segment_text(target).split()) == record["cleaned"]
            assert re.sub(r"\s", "", segment_text(target)) == re.sub(r"\s", "", record["cleaned"])
            for now, then in zip(target.iter(), was.iter()):  # compared; the rest must be as it was
                now.text = then.text
                if now is not target:
                    now.tail = then.tail
    assert etree.tostring(after) == etree.tostring(before)  # every element, attribute, text and tail
    changed = [r for r in records.values() if r["cleaned"] != r["original"]]
    assert rewritten <= len(changed)


def test_the_write_back_leaves_alone_what_it_must(written):
    _source, exported, records = written["codes.zh-en.tmx"]
    text = exported.read_text(encoding="utf-8")
    # inline codes stay codes, and the edits go around them (a comma outside the bold)
    assert '<bpt i="1">&lt;b&gt;</bpt>' in text and '<it pos="begin" x="2">' in text and '<hi type="em">' in text
    assert '293,300 people<ept i="1">&lt;/b&gt;</ept>, in all.</seg>' in text
    assert '<hi type="em">first</hi> annex.</seg>' in text
    # the third language, the unit without a source and the boilerplate unit are all there
    assert "La ville a relogé 293 300 personnes .</seg>" in text
    assert records["p6"]["kind"] == "boilerplate" and "Responsible editor: Li Ming</seg>" in text
    assert text.count("<tu ") == 6 and records["p2@2"]["original"].startswith("The schools")
    _source, exported, _records = written["modules.zh-en.xlf"]
    text = exported.read_text(encoding="utf-8")
    assert "Tongren  Municipal People's Government .</target>" in text  # translate="no"
    assert "The schools opened in September ,and classes began .</target>" in text  # state="final"
    assert "The relocated  people found\n\tjobs, near home.</target>" in text  # white space kept


@pytest.mark.parametrize("name", [p.name for p in CAT_FILES])
def test_translate_toolkit_reopens_every_export(written, name):
    source, exported, _records = written[name]
    if exported.suffix == ".tmx":
        opened, original = tt_tmx.tmxfile.parsefile(str(exported)), tt_tmx.tmxfile.parsefile(str(source))
    elif xliff_version(_parse(source))[0] == 2:
        opened, original = tt_xliff2.Xliff2File.parsefile(str(exported)), tt_xliff2.Xliff2File.parsefile(str(source))
    else:
        opened, original = tt_xliff.xlifffile.parsefile(str(exported)), tt_xliff.xlifffile.parsefile(str(source))
    assert len(opened.units) == len(original.units)
    assert [u.source for u in opened.units] == [u.source for u in original.units]
