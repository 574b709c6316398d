"""Each stage declares, as data, the fields it reads and writes and what it shares with the
others: the order is checked from those declarations, and running the stages checks that
none writes a field it does not declare."""

import copy
from dataclasses import fields
from pathlib import Path

import pytest

from pipeline.config import Settings
from pipeline.decisions import Decision, Decisions
from pipeline.document import Document, Segment, segment_key

from pipeline.formats.read import read_file
from pipeline.stages import GIVEN, STAGES, Shared, build_stages, stage_named, unmet_reads
from pipeline.stages.segment import Segmenter

from ..conftest import FIXTURES

FIELDS = {"Document": {f.name for f in fields(Document)}, "Segment": {f.name for f in fields(Segment)}}


def test_every_declared_field_is_a_field_of_the_document():
    for stage in STAGES:
        for name in (*stage.reads, *stage.writes):
            kind, _, field_name = name.partition(".")
            assert field_name in FIELDS.get(kind, ()), f"{stage.name} declares {name}"
    assert all(name.partition(".")[2] in FIELDS["Document"] for name in GIVEN)


def test_each_stage_reads_only_what_the_reader_or_an_earlier_stage_wrote():
    assert unmet_reads() == []


def test_the_order_check_finds_a_stage_put_before_what_it_reads():
    moved = [Segmenter] + [stage for stage in STAGES if stage is not Segmenter]  # before the blocks exist
    assert ("segment", "Document.blocks") in unmet_reads(moved)
    assert ("segment", "Document.lang") in unmet_reads(moved)


def test_what_a_stage_shares_is_what_the_run_loads_once():
    shared = {f.name for f in fields(Shared)}
    for stage in STAGES:
        assert set(stage.shares) <= shared, stage.name


def test_the_stages_are_handed_the_run_s_shared_objects():
    shared = Shared.load(Settings(parser="none"))
    stages = {stage.name: stage for stage in build_stages(Settings(parser="none"), shared)}
    for name in ("punctuation", "terms", "post-edit", "garble"):
        assert stages[name].decisions is shared.decisions
    assert stages["terms"].matchers is shared.glossaries.matchers
    assert stages["spelling"].checkers is shared.dictionaries.checkers or not shared.dictionaries.checkers


def _snapshot(doc: Document) -> dict:
    state = {f"Document.{f.name}": copy.deepcopy(getattr(doc, f.name)) for f in fields(Document)
             if f.name != "segments"}
    state["Document.segments"] = len(doc.segments)
    for seg in doc.segments:
        for f in fields(Segment):
            state[f"Segment.{f.name}#{seg.index}"] = copy.deepcopy(getattr(seg, f.name))
    return state


def _changed(before: dict, after: dict) -> set[str]:
    return {key.split("#")[0] for key in before.keys() | after.keys() if before.get(key) != after.get(key)}


INPUTS = ["tongren_relocation.en.txt", "punctuation_mt.txt", "terms_mt.txt", "news_page.html",
          "languages/de_page.html", "languages/fr_mt.txt", "bilingual/relocation.zh-en.xlf",
          "bilingual/markup-12.zh-en.xlf", "bilingual/notice.zh-en.po", "bilingual/relocation.zh-en.tmx"]


def _assert_declared_writes(doc: Document, stages: list, what: str) -> Document:
    for stage in stages:
        before = _snapshot(doc)
        doc = stage(doc)
        changed = _changed(before, _snapshot(doc))
        if "Document.segments" in stage.writes:  # it makes the segments, and every field of each
            changed = {key for key in changed if not key.startswith("Segment.")}
        assert changed <= set(stage.writes), f"{stage.name} on {what} wrote {changed - set(stage.writes)}"
    return doc


@pytest.mark.parametrize("name", INPUTS)
def test_no_stage_writes_a_field_it_does_not_declare(name):
    stages = build_stages(Settings(parser="none"))
    for doc in read_file(FIXTURES / name, Path(name).stem):
        _assert_declared_writes(doc, stages, name)


def test_no_stage_writes_an_undeclared_field_when_applying_a_reviewer_s_decisions():
    text = "The relocation sites,is ready .\n\nOne party cannot support one party with soil and water.\n"
    settings = Settings(parser="none")
    first, second = stage_named(build_stages(settings), "garble")(
        _assert_declared_writes(Document("d", "d.txt", "txt", text), build_stages(settings), "text")).segments
    edit = first.edits[0]
    decided = [Decision(1, segment_key(first.original), "reject-edit", rule=edit.rule, stage="punctuation",
                        before=edit.before, after=edit.after, start=edit.start, end=edit.end),
               Decision(2, segment_key(first.original), "post-edit", text="The relocation sites are ready."),
               Decision(3, segment_key(second.original), "dismiss-verdict")]
    decisions = Decisions()
    for d in decided:
        decisions.by_segment.setdefault(d.segment, []).append(d)
    shared = Shared.load(settings)
    stages = build_stages(settings, Shared(shared.glossaries, decisions, shared.dictionaries))
    doc = _assert_declared_writes(Document("d", "d.txt", "txt", text), stages, "text with decisions")
    assert {d.action for _, d in doc.decisions_applied} >= {"post-edit"}
