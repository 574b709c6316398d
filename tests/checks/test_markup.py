"""Inline markup: tag-mismatch between source and target, and edits written back around
the markup of a target (never across a tag)."""

import pytest
from hypothesis import given
from hypothesis import strategies as st
from lxml import etree

from pipeline.formats.xliff import read_xliff
from pipeline.checks.context import Context
from pipeline.checks.markup import tag_mismatch
from pipeline.document import Block, Document, Segment
from pipeline.formats.writeback import edits_into_markup
from pipeline.formats.xmltools import inline_tags, segment_text

from ..conftest import FIXTURES

X12 = "urn:oasis:names:tc:xliff:document:1.2"


def _target(xml):
    return etree.fromstring(f'<target xmlns="{X12}">{xml}</target>')


def test_inline_tags_in_order_with_their_ids():
    assert inline_tags(_target('A <g id="1">b <x id="2"/></g> <bpt id="3">&lt;i&gt;</bpt>c<ept id="3">&lt;/i&gt;</ept>')) \
        == ('<g id="1">', '<x id="2"/>', '</g id="1">', '<bpt id="3"/>', '<ept id="3"/>')
    units, _, _ = read_xliff(FIXTURES / "bilingual" / "markup-20.zh-en.xlf",
                             (FIXTURES / "bilingual" / "markup-20.zh-en.xlf").read_bytes())
    assert units[0].source_tags == units[0].target_tags == ('<pc id="1">', '</pc id="1">')
    assert units[2].source_tags == ('<sc id="3"/>', '<ec startRef="3"/>') and units[2].target_tags == ()


def _check(source_tags, target_tags):
    doc = Document("t", "t.xlf", "xliff", "x", lang="en")
    doc.blocks = [Block(0, 1, unit="u1", source="源", source_tags=source_tags, target_tags=target_tags)]
    seg = Segment(0, 0, 1, "body", "Text.", lang="en", lang_prob=1.0, source="源")
    tag_mismatch([seg], Context(doc, "en", "zh"))
    return [(f.code, f.severity, f.message) for f in seg.flags]


@pytest.mark.parametrize("source, target, severity, says", [
    (('<x id="1"/>',), (), "error", 'lacks <x id="1"/>'),
    ((), ('<ph id="2"/>',), "error", 'adds <ph id="2"/>'),
    (('<g id="1">', '</g id="1">', '<g id="2">', '</g id="2">'),
     ('<g id="2">', '</g id="2">', '<g id="1">', '</g id="1">'), "warning", "another order"),
    (('<g id="1">', '</g id="1">'), ('<g id="2">', '</g id="2">'), "error", 'lacks <g id="1">'),
])
def test_missing_added_and_reordered_markup_is_flagged(source, target, severity, says):
    (flag,) = _check(source, target)
    assert flag[0] == "tag-mismatch" and flag[1] == severity and says in flag[2]


def test_matching_markup_is_not_flagged():
    assert _check(('<g id="1">', '</g id="1">'), ('<g id="1">', '</g id="1">')) == []


def test_edits_go_into_the_text_node_they_fall_in():
    target = _target('The city relocated <g id="1">293,300 people</g> ,in all .')
    read = " ".join(segment_text(target).split())
    assert edits_into_markup(target, read, "The city relocated 293,300 people, in all.") == []
    assert etree.tostring(target).decode().endswith('The city relocated <g id="1">293,300 people</g>, in all.</target>')


def test_a_change_across_a_tag_is_left_out_and_reported():
    target = _target('ex situ <g id="1">poverty alleviation and</g> relocation')
    read = " ".join(segment_text(target).split())
    left_out = edits_into_markup(target, read, "ex-situ poverty alleviation relocation")
    assert left_out and all(before for before, _ in left_out)
    assert inline_tags(target) == ('<g id="1">', '</g id="1">')  # the markup stays whatever happens
    assert segment_text(target).startswith("ex-situ ")  # the change inside one node was made


markup = st.lists(st.one_of(st.text(alphabet="ab ,.", max_size=4), st.sampled_from(['<x id="1"/>', '<g id="2">c</g>',
                                                                                  '<bpt id="3">&lt;b&gt;</bpt>'])),
                  max_size=6)


@given(markup)
def test_no_change_changes_nothing(pieces):
    xml = "".join(pieces)
    target = _target(xml)
    before = etree.tostring(target)
    read = " ".join(segment_text(target).split())
    assert edits_into_markup(target, read, read) == [] and etree.tostring(target) == before


@given(markup, st.text(alphabet="ab ,.", max_size=3))
def test_whatever_is_left_out_the_markup_stays_and_the_rest_of_the_text_is_the_cleaned(pieces, added):
    target = _target("".join(pieces))
    tags = inline_tags(target)
    read = " ".join(segment_text(target).split())
    cleaned = " ".join((read + added).split())
    left_out = edits_into_markup(target, read, cleaned)
    assert inline_tags(target) == tags
    if not left_out:
        assert " ".join(segment_text(target).split()) == cleaned


def test_the_quality_marks_of_an_export_are_not_markup_when_it_is_read_again(tmp_path):
    """A run on its own XLIFF 2.1 export: the ITS marks on the targets are not a tag-mismatch."""
    import json

    from pipeline.run.batch import QUIET, run_batch
    from pipeline.config import Settings

    first = tmp_path / "first"
    run_batch([str(FIXTURES / "bilingual" / "contacts.zh-en.tsv")], first, Settings(export=("xliff",)),
              progress=QUIET, reports=False)
    exported = first / "export" / "contacts.zh-en.xlf"
    assert b"locQualityIssueType" in exported.read_bytes()
    again = tmp_path / "again"
    run_batch([str(exported)], again, Settings(), progress=QUIET, reports=False)
    records = [json.loads(line) for line in (again / "segments.jsonl").read_text(encoding="utf-8").splitlines()]
    assert not any(f["code"] == "tag-mismatch" for r in records for f in r["flags"])
