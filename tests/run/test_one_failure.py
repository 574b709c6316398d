"""One document, one failure: inputs that once aborted the batch or lost a document."""

import json

from lxml import etree

from pipeline.run.batch import DocumentIds, Progress, QUIET, run_batch
from pipeline.config import Settings


def _run(tmp_path, files: dict[str, str], **settings):
    folder = tmp_path / "in"
    folder.mkdir()
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    messages = []
    result = run_batch([str(folder)], out, Settings(**settings), progress=Progress(problem=messages.append), reports=False)
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


def test_links_out_of_an_input_folder_are_not_followed(tmp_path):
    elsewhere = tmp_path / "elsewhere"
    (elsewhere / "folder").mkdir(parents=True)
    secret = elsewhere / "secret.txt"
    secret.write_text("The password is hunter2 and nobody may read it.\n", encoding="utf-8")
    (elsewhere / "folder" / "more.txt").write_text("The secret plan of the county office.\n", encoding="utf-8")
    folder = tmp_path / "in"
    (folder / "sub").mkdir(parents=True)
    (folder / "page.txt").write_text("The county built a new road.\n", encoding="utf-8")
    (folder / "sub" / "inner.txt").symlink_to(folder / "page.txt")  # inside the folder: the same file
    (folder / "notes.txt").symlink_to(secret)
    (folder / "linked").symlink_to(elsewhere / "folder")
    (folder / "gone.txt").symlink_to(tmp_path / "removed.txt")
    (folder / "loop").symlink_to(folder)  # a cycle must not hang the walk

    out = tmp_path / "out"
    messages = []
    result = run_batch([str(folder)], out, Settings(), progress=Progress(problem=messages.append))
    reasons = {f["path"]: f["reason"] for f in result.failures}
    assert set(reasons) == {str(folder / "notes.txt"), str(folder / "linked"), str(folder / "gone.txt")}
    assert "outside the input folder; not followed (--follow-symlinks follows it)" in reasons[str(folder / "notes.txt")]
    assert "does not exist" in reasons[str(folder / "gone.txt")]
    published = "".join(p.read_text(encoding="utf-8") for p in out.rglob("*") if p.is_file() and p.suffix != ".lock")
    assert "hunter2" not in published and "secret plan" not in published
    assert [r["doc"] for r in map(json.loads, (out / "segments.jsonl").open())] == ["page"]
    assert len(messages) == 3 and all(m.startswith("error: ") for m in messages)

    followed = run_batch([str(folder)], tmp_path / "out2", Settings(follow_symlinks=True), progress=QUIET)
    docs = {r["doc"] for r in map(json.loads, (tmp_path / "out2" / "segments.jsonl").open())}
    assert docs == {"page", "notes", "more"}
    assert [f["path"] for f in followed.failures] == [str(folder / "gone.txt")]


def test_a_folder_link_out_of_the_input_folder_is_reported_whatever_it_holds(tmp_path):
    """Reported as the docs say, whether the folder it points to holds input files at its
    top, only deeper down, or none at all."""
    elsewhere = tmp_path / "elsewhere"
    (elsewhere / "deep" / "down").mkdir(parents=True)
    (elsewhere / "deep" / "down" / "page.txt").write_text("A page deep down.\n", encoding="utf-8")
    (elsewhere / "empty").mkdir()
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "page.txt").write_text("The county built a new road.\n", encoding="utf-8")
    (folder / "deep").symlink_to(elsewhere / "deep")
    (folder / "empty").symlink_to(elsewhere / "empty")
    result = run_batch([str(folder)], tmp_path / "out", Settings(), progress=QUIET, reports=False)
    reasons = {f["path"]: f["reason"] for f in result.failures}
    assert set(reasons) == {str(folder / "deep"), str(folder / "empty")}
    assert all("outside the input folder; not followed" in r for r in reasons.values())


def test_a_named_link_is_read_where_it_points(tmp_path):
    target = tmp_path / "target.txt"
    target.write_text("The county built a new bridge.\n", encoding="utf-8")
    (tmp_path / "named.txt").symlink_to(target)
    result = run_batch([str(tmp_path / "named.txt")], tmp_path / "out", Settings(), progress=QUIET, reports=False)
    assert result.failures == []
