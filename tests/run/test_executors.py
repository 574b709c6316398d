"""Executors move documents and give results back in input order; they know nothing else."""

from __future__ import annotations

import pickle
from concurrent.futures import Future

from hypothesis import given, settings as hsettings, strategies as st

from pipeline.run.batch import DocumentWork, StagePlan
from pipeline.config import Settings
from pipeline.document import Document
from pipeline.outputs import Wanted
from pipeline.run.executors import CHUNK, InProcess, ProcessPool, executor_for, in_order


def _items(kinds: list[bool]):
    """(path, item) pairs: a Document where `kinds` says True, a pass-through string else."""
    return [(f"p{i}", Document(f"d{i}", f"p{i}", "txt", "x") if is_doc else f"mark{i}")
            for i, is_doc in enumerate(kinds)]


def _label(chunk):
    return [f"done:{doc.id}" for doc in chunk]


def _expected(items):
    return [(path, f"done:{item.id}" if isinstance(item, Document) else item) for path, item in items]


def _submitter(chunks: list):
    """A submit that runs each chunk at once and keeps it, as a pool would receive it."""
    def submit(chunk):
        assert 1 <= len(chunk) <= CHUNK
        chunks.append(chunk)
        future: Future = Future()
        future.set_result(_label(chunk))
        return future
    return submit


@given(st.lists(st.booleans(), max_size=60), st.integers(min_value=1, max_value=4))
@hsettings(max_examples=60, deadline=None)
def test_in_order_gives_every_item_back_in_input_order(kinds, window):
    items = _items(kinds)
    assert list(in_order(items, _submitter([]), window)) == _expected(items)


def test_the_window_bounds_the_chunks_in_flight():
    items = _items([True] * (CHUNK * 10))
    chunks: list = []
    out = in_order(items, _submitter(chunks), window_size=2)
    first = next(out)
    assert first[0] == "p0" and len(chunks) == 3  # two in the window, and the one that pushed it over
    assert [p for p, _ in [first, *out]] == [p for p, _ in items] and len(chunks) == 10


def test_in_process_and_a_pool_give_the_same_sequence():
    items = _items([True, False, True, True, False] * 5)
    assert list(InProcess().map_in_order(_label, items)) == _expected(items)
    assert list(ProcessPool(2).map_in_order(_label, items)) == _expected(items)


def test_the_command_line_choice_of_executor():
    import multiprocessing
    assert executor_for("local", 1) == InProcess() and not InProcess().forks
    assert ProcessPool(2).forks == (multiprocessing.get_start_method() == "fork")
    assert executor_for("local", 3) == ProcessPool(3)
    assert executor_for("dask", 2, "tcp://h:1").scheduler == "tcp://h:1"


def test_work_sent_to_a_worker_carries_no_stages():
    plan = StagePlan.of(Settings())
    work = DocumentWork(plan, Wanted(False, ()), built="built here")
    copy = pickle.loads(pickle.dumps(work))
    assert copy.built is None and copy.plan == plan and work.built == "built here"


def test_a_worker_never_reuses_stages_built_from_an_older_glossary(tmp_path):
    glossary = tmp_path / "g.tsv"
    glossary.write_text("source\ten\n村\tvillage\n", encoding="utf-8")
    before = StagePlan.of(Settings(glossaries=(str(glossary),)))
    glossary.write_text("source\ten\n村\thamlet\n", encoding="utf-8")
    after = StagePlan.of(Settings(glossaries=(str(glossary),)))
    assert before.settings == after.settings and before != after
