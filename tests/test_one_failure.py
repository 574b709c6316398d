"""One document, one failure: inputs that once aborted the batch or lost a document."""

import json

from lxml import etree

from pipeline.batch import DocumentIds, run_batch
from pipeline.config import Settings


def _run(tmp_path, files: dict[str, str], **settings):
    folder = tmp_path / "in"
    folder.mkdir()
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    messages = []
    result = run_batch([str(folder)], out, Settings(**settings), report=messages.append, reports=False)
    records = [json.loads(line) for line in (out / "segments.jsonl").open(encoding="utf-8")]
    return result, out, records, messages


def test_a_long_id_or_file_name_is_cut_with_a_hash(tmp_path):
    long_id = "x" * 300
    files = {"a" * 240 + ".txt": "The county built a road.\n",
             "units.jsonl": json.dumps({"id": long_id, "text": "The county built a bridge."}) + "\n"
                            + json.dumps({"id": long_id + "y", "text": "The county built a school."}) + "\n"}
    result, out, records, messages = _run(tmp_path, files)
    assert result.failures == [] and messages == []
    ids = {r["doc"] for r in records}
    assert len(ids) == 3 and all(len(i.encode()) <= 160 for i in ids)
    assert len({i for i in ids if i.startswith("xxxx")}) == 2  # two long ids that share a start stay two
    assert len(list((out / "cleaned").glob("*.txt"))) == 3


def test_claimed_ids_are_stable_and_unique():
    ids = DocumentIds()
    first = ids.claim("é" * 200)
    assert len(first.encode()) <= 160 and DocumentIds().claim("é" * 200) == first
    assert ids.claim("é" * 200) != first


def test_a_lone_surrogate_is_replaced_and_said(tmp_path):
    files = {"units.jsonl": '{"id": "s", "text": "Bad \\ud800 surrogate here."}\n'
                            '{"id": "t", "text": "A fine line."}\n'}
    result, out, records, _ = _run(tmp_path, files)
    assert result.failures == []
    assert next(r for r in records if r["doc"] == "s")["cleaned"] == "Bad \ufffd surrogate here."
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    notes = next(d for d in summary["documents"] if d["doc"] == "s")["notes"]
    assert any("lone surrogate" in n for n in notes)


def test_control_characters_are_removed_as_edits_and_exports_stay_xml(tmp_path):
    files = {"units.jsonl": json.dumps({"id": "c", "text": "Control \u0001 char and \u000b here.",
                                        "source": "控制\u0002字符"}) + "\n"}
    result, out, records, _ = _run(tmp_path, files, export=("xliff", "tmx"))
    assert result.failures == []
    record = records[0]
    assert record["cleaned"] == "Control char and here."
    assert all("control-char" in e["rule"] for e in record["edits"])
    for name in ("c.xlf", "c.tmx"):
        etree.parse(str(out / "export" / name))  # well-formed
