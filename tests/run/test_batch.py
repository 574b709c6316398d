"""Batch-level behaviour at scale: streamed summaries, parallel runs, long documents."""

import json
import sys

import pytest

from pipeline.run.batch import QUIET, run_batch

from pipeline.run.executors import ProcessPool, DaskCluster
from pipeline.config import EXPORT_FORMATS, Settings, load_settings
from pipeline.outputs import OUTPUTS
from pipeline.outputs.write import DocumentSummaries, summary_json, to_json

from ..conftest import FIXTURES


def _summary(tmp_path, documents):
    spool = DocumentSummaries(tmp_path / "spool.jsonl")
    for d in documents:
        spool.add(d)
    return spool, {"pipeline_version": "x", "settings": {"lang": "auto", "skip": []}, "documents": spool,
                   "failures": [{"doc": "bad", "reason": "empty file"}]}


def _doc(name, **counts):
    base = {"doc": name, "path": f"{name}.txt", "segments": 2, "body": 2, "headings": 0, "boilerplate": 0,
            "edits": 1, "edits_by_rule": {"trim": 1}, "flags": 0, "flags_by_code": {}, "garbled": 0, "suppressed": 0,
            "note": "«quoted» ünïcode"}
    return {**base, **counts}


def test_streamed_summary_is_byte_identical_to_plain_json(tmp_path):
    for documents in ([], [_doc("a")], [_doc("a"), _doc("b", edits_by_rule={})]):
        spool, summary = _summary(tmp_path, documents)
        streamed = "".join(summary_json(summary))
        assert streamed == to_json({**summary, "documents": documents})
        assert len(spool) == len(documents) and spool.totals["edits"] == sum(d["edits"] for d in documents)
        spool.discard()
        assert not spool.path.exists()


# -- the content-hash cache ---------------------------------------------------------------------

GLOSSARY = """name: test
source_language: zh
entries:
  - id: site
    source: 安置点
    en:
      preferred: resettlement site
      variants: [relocation settlement]
  - id: karst
    source: 喀斯特
    en:
      preferred: karst landform
      variants: [karst terrain]
"""
DOCS = {
    "site": "The county built a relocation settlement for 2,000 people.\nIt opened in 2019.\n",
    "karst": "The county sits on karst terrain.\nFarming there is hard.\n",
    "plain": "The school opened in September.\nIt has 1,200 pupils.\n",
}


def _batch(tmp_path):
    inputs = tmp_path / "in"
    inputs.mkdir()
    for name, text in DOCS.items():
        (inputs / f"{name}.txt").write_text(text, encoding="utf-8")
    glossary = tmp_path / "test.yaml"
    glossary.write_text(GLOSSARY, encoding="utf-8")
    return inputs, glossary


def _files(out):
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*"))
            if p.is_file() and ".cache" not in p.parts}


def _run(inputs, out, glossary, **kwargs):
    from pipeline.config import load_settings
    return run_batch([str(inputs)], out, load_settings(glossaries=(str(glossary),), **kwargs),
                     progress=QUIET)


def test_rerun_reuses_every_unchanged_document_with_the_same_outputs(tmp_path):
    inputs, glossary = _batch(tmp_path)
    out = tmp_path / "out"
    assert _run(inputs, out, glossary).reused == 0
    first = _files(out)
    assert _run(inputs, out, glossary).reused == 3
    assert _files(out) == first


def test_outputs_truncated_edited_or_removed_since_are_redone(tmp_path):
    """The cache checks each output file against the hash it recorded, not only that it exists."""
    inputs, glossary = _batch(tmp_path)
    out = tmp_path / "out"
    _run(inputs, out, glossary, export=("xliff",))
    first = _files(out)
    cleaned = out / "cleaned" / "site.txt"
    cleaned.write_bytes(cleaned.read_bytes()[:10])  # truncated, as a full disk or a killed copy leaves it
    (out / "docs" / "karst.html").write_text("<p>edited by hand</p>", encoding="utf-8")
    (out / "export" / "plain.xlf").unlink()
    assert _run(inputs, out, glossary, export=("xliff",)).reused == 0
    assert _files(out) == first
    assert _run(inputs, out, glossary, export=("xliff",)).reused == 3


@pytest.mark.parametrize("name", [o.name for o in OUTPUTS])
def test_every_declared_output_is_written_checked_by_the_cache_and_cleaned_up(tmp_path, name):
    """One registry (`pipeline.outputs.OUTPUTS`) says what a document becomes; the
    writer, the cache's reuse test and the clean-up all read it."""
    output = next(o for o in OUTPUTS if o.name == name)
    inputs, glossary = _batch(tmp_path)
    out = tmp_path / "out"
    everything = {"export": EXPORT_FORMATS}  # every format: each output of the registry
    _run(inputs, out, glossary, **everything)
    for doc in DOCS:
        assert (out / output.path(doc)).is_file()
    (out / output.path("karst")).write_bytes(b"changed")
    assert _run(inputs, out, glossary, **everything).reused == 2  # the changed file's document is redone
    (inputs / "karst.txt").unlink()
    run_batch([str(inputs)], out, load_settings(glossaries=(str(glossary),)), progress=QUIET, reports=False)
    assert not (out / output.path("karst")).exists()  # its document left the batch
    left = (out / output.path("site")).exists()
    assert left == (output.name == "cleaned")  # and outputs no longer asked for are gone


def test_an_edited_input_is_redone_and_the_rest_reused(tmp_path):
    inputs, glossary = _batch(tmp_path)
    out, fresh = tmp_path / "out", tmp_path / "fresh"
    _run(inputs, out, glossary)
    (inputs / "plain.txt").write_text("The school opened in October ,with 900 pupils.\n", encoding="utf-8")
    assert _run(inputs, out, glossary).reused == 2
    _run(inputs, fresh, glossary)
    assert _files(out) == _files(fresh)


def test_a_glossary_edit_redoes_only_the_documents_it_can_change(tmp_path):
    inputs, glossary = _batch(tmp_path)
    out, fresh = tmp_path / "out", tmp_path / "fresh"
    _run(inputs, out, glossary)
    edited = GLOSSARY.replace("preferred: karst landform", "preferred: karst topography")
    glossary.write_text(edited, encoding="utf-8")
    assert _run(inputs, out, glossary).reused == 2  # "site" and "plain" hold no form of the edited entry
    _run(inputs, fresh, glossary)
    assert _files(out) == _files(fresh)
    assert b"karst topography" in (out / "cleaned" / "karst.txt").read_bytes()
    # a new entry is an edit too
    with_school = edited + ("  - id: school\n    source: 学校\n    en:\n      preferred: school\n"
                            "      variants: [schoolhouse]\n")
    glossary.write_text(with_school, encoding="utf-8")
    assert _run(inputs, out, glossary).reused == 2  # only "plain" mentions a school
    # an entry added at the top moves every other entry down the file: only content counts
    top = with_school.replace("entries:\n", "entries:\n  - id: farming\n    source: 农业\n    en:\n"
                                       "      preferred: agriculture\n      variants: [farming]\n")
    glossary.write_text(top, encoding="utf-8")
    assert _run(inputs, out, glossary).reused == 2  # only "karst" mentions farming


def test_changed_settings_or_a_damaged_record_redo_everything(tmp_path):
    inputs, glossary = _batch(tmp_path)
    out = tmp_path / "out"
    _run(inputs, out, glossary)
    assert _run(inputs, out, glossary, skip_checks=("truncated",)).reused == 0
    assert _run(inputs, out, glossary, skip_checks=("truncated",)).reused == 3
    (out / ".cache" / "manifest.jsonl").write_text("not json\n", encoding="utf-8")
    assert _run(inputs, out, glossary, skip_checks=("truncated",)).reused == 0
    segments = out / "segments.jsonl"
    segments.write_bytes(segments.read_bytes().replace(b"September", b"Septembre"))
    assert _run(inputs, out, glossary, skip_checks=("truncated",)).reused == 2
    assert b"September" in segments.read_bytes()


def test_an_edited_file_any_setting_names_redoes_everything(tmp_path):
    """The files the settings name are read from the settings' declaration
    (`config.PATH_SETTINGS`), not from a list of their own: the garble weights, which such a
    list once forgot, count as the rules and line weights do."""
    from pipeline.checks.score import WEIGHTS_FILE
    from pipeline.config import PATH_SETTINGS
    from pipeline.run.batch import StagePlan

    assert {"weights", "line_weights", "rules", "decisions", "glossaries", "dictionaries"} <= set(PATH_SETTINGS)
    inputs, glossary = _batch(tmp_path)
    weights = tmp_path / "weights.json"
    weights.write_text(WEIGHTS_FILE.read_text(encoding="utf-8"), encoding="utf-8")
    out = tmp_path / "out"
    plan = StagePlan.of(Settings(weights=str(weights)))
    _run(inputs, out, glossary, weights=str(weights))
    assert _run(inputs, out, glossary, weights=str(weights)).reused == 3
    weights.write_text(weights.read_text(encoding="utf-8").replace('"about"', '"note"'), encoding="utf-8")
    assert _run(inputs, out, glossary, weights=str(weights)).reused == 0  # other weights: judged again
    assert StagePlan.of(Settings(weights=str(weights))).files_hash != plan.files_hash  # and workers build anew


def test_no_cache_processes_everything(tmp_path):
    inputs, glossary = _batch(tmp_path)
    out = tmp_path / "out"
    _run(inputs, out, glossary)
    from pipeline.config import load_settings
    result = run_batch([str(inputs)], out, load_settings(glossaries=(str(glossary),)), progress=QUIET,
                       cache=False)
    assert result.reused == 0


# -- parallel and distributed runs give the single-process output --------------------------------

def _sample_inputs():
    return [str(FIXTURES / name) for name in ("tongren_relocation.en.txt", "news_page.html", "bilingual.jsonl",
                                              "terms_bilingual.jsonl", "punctuation_mt.txt")] + \
        [str(FIXTURES / "languages"), str(FIXTURES / "bilingual"), str(FIXTURES / "bad")]


def test_two_local_jobs_give_the_single_process_output(tmp_path):
    one = run_batch(_sample_inputs(), tmp_path / "one", Settings(), progress=QUIET)
    two = run_batch(_sample_inputs(), tmp_path / "two", Settings(), progress=QUIET, executor=ProcessPool(2))
    assert _files(tmp_path / "one") == _files(tmp_path / "two")
    assert one.failures == two.failures and len(one.failures) == 2


def test_dask_cluster_gives_the_single_process_output(tmp_path):
    distributed = pytest.importorskip("distributed")
    one = run_batch(_sample_inputs(), tmp_path / "one", Settings(), progress=QUIET)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster:
        assert len(cluster.workers) == 2
        dask = run_batch(_sample_inputs(), tmp_path / "dask", Settings(), progress=QUIET,
                         executor=DaskCluster(cluster.scheduler_address))
    assert _files(tmp_path / "one") == _files(tmp_path / "dask")
    assert one.failures == dask.failures


def test_workers_started_elsewhere_never_read_the_inputs(tmp_path, monkeypatch):
    """A real `dask scheduler` and `dask worker`, as separate processes, the worker in a
    folder of its own: the input named by a relative path exists only where the run
    starts, so a worker that opened it (the XLIFF write-back once did) would fail."""
    pytest.importorskip("distributed")
    import shutil
    import subprocess
    import time
    here, elsewhere = tmp_path / "inputs", tmp_path / "worker"
    here.mkdir()
    elsewhere.mkdir()
    shutil.copy(FIXTURES / "bilingual" / "relocation.zh-en.xlf", here / "relocation.zh-en.xlf")
    address_file = tmp_path / "scheduler.json"
    common = dict(stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    scheduler = subprocess.Popen([sys.executable, "-m", "distributed.cli.dask_scheduler", "--host", "127.0.0.1",
                                  "--port", "0", "--no-dashboard", "--scheduler-file", str(address_file)],
                                 cwd=tmp_path, **common)
    worker = None
    try:
        deadline = time.monotonic() + 60
        while not address_file.exists() and time.monotonic() < deadline:
            time.sleep(0.2)
        worker = subprocess.Popen([sys.executable, "-m", "distributed.cli.dask_worker", "--scheduler-file",
                                   str(address_file), "--nthreads", "1", "--nworkers", "1", "--no-dashboard"],
                                  cwd=elsewhere, **common)
        address = json.loads(address_file.read_text())["address"]
        monkeypatch.chdir(here)
        settings = load_settings(export=("xliff", "tmx"))
        local = run_batch(["relocation.zh-en.xlf"], tmp_path / "local", settings, progress=QUIET)
        remote = run_batch(["relocation.zh-en.xlf"], tmp_path / "remote", settings, progress=QUIET,
                           executor=DaskCluster(address))
    finally:
        for process in (worker, scheduler):
            if process is not None:
                process.terminate()
                process.wait(timeout=30)
    assert local.failures == [] and remote.failures == []
    assert _files(tmp_path / "local") == _files(tmp_path / "remote")
    assert (tmp_path / "remote" / "export" / "relocation.zh-en.xlf").exists()


def test_unreachable_scheduler_is_a_clear_error(tmp_path, monkeypatch):
    pytest.importorskip("distributed")
    from pipeline.run import executors
    from pipeline.config import SettingsError
    monkeypatch.setattr(executors, "CONNECT_TIMEOUT", "1s")
    with pytest.raises(SettingsError, match="cannot reach the Dask scheduler"):
        run_batch(_sample_inputs(), tmp_path / "out", Settings(), progress=QUIET,
                  executor=DaskCluster("tcp://127.0.0.1:9"))


# -- cost linear in document length ---------------------------------------------------------------

def _long_document(path, megabytes: float, seed: int = 0, one_line: bool = False) -> None:
    import random

    from pipeline.bench import fixture_sentences, synthetic_sentence
    rng, pool, paragraphs, size = random.Random(seed), fixture_sentences(), [], 0
    while size < megabytes * 1_000_000:
        paragraphs.append(" ".join(synthetic_sentence(rng, pool) for _ in range(rng.randint(1, 3))))
        size += len(paragraphs[-1]) + 2
    path.write_text((" " if one_line else "\n\n").join(paragraphs), encoding="utf-8")


def _calls_per_segment(run) -> float:
    """Python function calls a run makes per segment: a count of work that, unlike a
    time, is the same on a busy machine. A stage that loops over a document's segments
    for each segment (or a page's word difference over a whole long line) makes it grow
    with the document's length; linear work keeps it flat. Times go to the benchmark."""
    import cProfile
    import pstats

    profile = cProfile.Profile()
    result = profile.runcall(run)
    return pstats.Stats(profile).total_calls / result.summary["totals"]["segments"]


def _ten_times(tmp_path, name: str, megabytes: float, one_line: bool = False):
    """A document and one ten times as long made of ten copies of it: the same sentences,
    so the work per segment can be compared (a longer random one holds longer sentences,
    whose word difference costs more, up to the diff's window)."""
    short, long = tmp_path / f"{name}1.txt", tmp_path / f"{name}10.txt"
    _long_document(short, megabytes, one_line)
    text = short.read_text(encoding="utf-8").rstrip("\n")
    long.write_text((" " if one_line else "\n\n").join([text] * 10) + "\n", encoding="utf-8")
    return short, long


def test_a_ten_times_longer_document_costs_the_same_per_segment(tmp_path):
    """No stage may be quadratic in a document's length (a 5 MB page is not unheard of)."""
    per_segment = [_calls_per_segment(lambda: run_batch([str(doc)], tmp_path / doc.stem, Settings(), progress=QUIET,
                                                        reports=False, cache=False))
                   for doc in _ten_times(tmp_path, "doc", 0.05)]
    # flat, less the fixed cost spread thinner (quadratic work would be ~10x)
    assert per_segment[1] < 1.1 * per_segment[0], per_segment


def test_one_long_line_costs_in_proportion_to_its_length_pages_included(tmp_path):
    """The same on a document that is one line, review pages drawn (the page's word
    difference, once quadratic on a long line, is counted on its own in test_diffing)."""
    per_segment = [_calls_per_segment(lambda: run_batch([str(doc)], tmp_path / doc.stem, Settings(), progress=QUIET,
                                                        cache=False))
                   for doc in _ten_times(tmp_path, "line", 0.02, one_line=True)]
    assert (tmp_path / "line10" / "docs" / "line10.html").stat().st_size > 200_000
    assert per_segment[1] < 1.1 * per_segment[0], per_segment


def test_one_sentence_without_a_stop_is_one_segment_and_its_page_is_drawn(tmp_path):
    """A 30,000-word run with no sentence end: one segment, cleaned, and its page drawn
    in seconds (the word difference works in windows, `pipeline.text.diffing`)."""
    words = ["the", "relocated", "people", "of", "the", "county", " ,", "moved", "in", "2019"]
    doc = tmp_path / "run-on.txt"
    doc.write_text(" ".join(words[n % len(words)] for n in range(30_000)) + "\n", encoding="utf-8")
    result = run_batch([str(doc)], tmp_path / "out", Settings(), progress=QUIET, cache=False)
    assert result.summary["totals"]["documents"] == 1 and not result.failures
    page = (tmp_path / "out" / "docs" / "run-on.html").read_text(encoding="utf-8")
    assert page.count("<del>  </del>") == 3000  # each removed pair of spaces before a comma shown


def test_background_writes_land_in_order_and_report_errors(tmp_path):
    from pipeline.outputs.write import FileWriter
    writer = FileWriter(limit=2)
    for i in range(10):
        writer.write(tmp_path / "out" / f"{i}.txt", f"text {i}\n")
    writer.write(tmp_path / "out" / "0.txt", "rewritten\n")  # a later write of one file wins
    writer.close()
    assert (tmp_path / "out" / "9.txt").read_text() == "text 9\n"
    assert (tmp_path / "out" / "0.txt").read_text() == "rewritten\n"
    (tmp_path / "blocker").write_text("a file, not a folder")
    writer = FileWriter()
    with pytest.raises(OSError):  # from this write, if it has already failed, or from close
        writer.write(tmp_path / "blocker" / "x.txt", "cannot be written")
        writer.close()


def test_atomic_writes_make_folders_keep_permissions_and_leave_no_temporaries(tmp_path, monkeypatch):
    import itertools
    import os

    from pipeline.outputs import write as outputs
    target = tmp_path / "new" / "folder" / "a.txt"
    outputs.write_atomic(target, "café\n")  # the folder is made on the way
    outputs.write_atomic(target, b"bytes\n")  # and a second write replaces the first
    outputs.write_atomic(tmp_path / "chunks.txt", iter(["a", "b\n"]))
    assert target.read_bytes() == b"bytes\n" and (tmp_path / "chunks.txt").read_text() == "ab\n"
    plain = tmp_path / "plain.txt"
    plain.write_text("made with open()")  # the permissions any new file gets here
    assert target.stat().st_mode & 0o777 == plain.stat().st_mode & 0o777
    # a temporary name taken (by a killed run with this process id) falls back to a random one
    monkeypatch.setattr(outputs, "_TEMPORARIES", itertools.repeat(7))
    outputs.write_atomic(target, "first\n")
    (target.parent / f".a.txt.{os.getpid()}-7.tmp").write_text("left over")
    outputs.write_atomic(target, "second\n")
    assert target.read_text() == "second\n"
    assert sorted(p.name for p in target.parent.iterdir()) == [f".a.txt.{os.getpid()}-7.tmp", "a.txt"]
    with pytest.raises(TypeError):  # a failed write leaves the old file and no temporary
        outputs.write_atomic(target, iter([b"not text"]))
    assert target.read_text() == "second\n" and len(list(target.parent.iterdir())) == 2


def test_a_run_is_its_steps_in_order_and_a_failing_step_leaves_no_half_written_file(tmp_path, monkeypatch):
    """`batch.STEPS` is the run, read top to bottom: each step runs once, in that order;
    when one raises, what the steps opened is aborted (no temporary file stays)."""
    from pipeline.run import batch

    seen = []

    def recorded(step):
        def wrapper(run):
            seen.append(step.__name__)
            step(run)
        return wrapper

    sample = tmp_path / "a.txt"
    sample.write_text("The county built 12 schools this year, the education bureau said on Monday.\n",
                      encoding="utf-8")
    steps = list(batch.STEPS)
    monkeypatch.setattr(batch, "STEPS", tuple(recorded(step) for step in steps))
    run_batch([str(sample)], tmp_path / "o", Settings(), progress=QUIET)
    assert seen == [step.__name__ for step in steps] == [
        "mark_incomplete", "read_baseline", "find_inputs", "open_cache_and_writers", "process_documents",
        "close_writers", "remove_stale", "summarise", "write_batch_files"]

    def fails(run):
        raise OSError("the disk went away")

    monkeypatch.setattr(batch, "STEPS", tuple(steps[:5] + [fails] + steps[5:]))
    with pytest.raises(OSError):
        run_batch([str(sample)], tmp_path / "p", Settings(), progress=QUIET)
    assert not [p for p in (tmp_path / "p").rglob("*") if p.name.endswith(".tmp")]
