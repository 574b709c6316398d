"""The derived-data cache: an entry per name and key, rebuilt whenever it cannot be used."""

from __future__ import annotations

import multiprocessing
import pickle

import pytest

from pipeline.text import datacache
from pipeline.text import lines
from pipeline.text.datacache import KEEP, cached, cached_table, key_of


@pytest.fixture
def cache(tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    monkeypatch.setenv("PIPELINE_CACHE_DIR", str(folder))
    return folder


def counting(value):
    calls = []

    def build():
        calls.append(1)
        return value
    return build, calls


def test_an_entry_is_built_once_and_then_read(cache):
    build, calls = counting(frozenset({"a", "b"}))
    assert cached("words", "k1", build, frozenset) == {"a", "b"}
    assert cached("words", "k1", build, frozenset) == {"a", "b"}
    assert len(calls) == 1 and len(list(cache.glob("words-k1.pickle"))) == 1


def test_another_key_or_name_is_another_entry(cache):
    build, calls = counting(frozenset())
    cached("words", "k1", build, frozenset)
    cached("words", "k2", build, frozenset)
    cached("other", "k1", build, frozenset)
    assert len(calls) == 3


def test_a_damaged_or_foreign_entry_is_rebuilt(cache):
    build, calls = counting(frozenset({"x"}))
    cached("words", "k", build, frozenset)
    (cache / "words-k.pickle").write_bytes(b"not a pickle")
    assert cached("words", "k", build, frozenset) == {"x"}
    build_list, _ = counting(["a list"])
    cached("lists", "k", build_list, list)
    (cache / "lists-k.pickle").replace(cache / "words-k.pickle")  # a list where a frozenset belongs
    assert cached("words", "k", build, frozenset) == {"x"}
    assert len(calls) == 3


def test_off_unwritable_or_unkeyed_means_built_every_time(cache, monkeypatch, tmp_path):
    build, calls = counting(frozenset())
    cached("words", None, build, frozenset)
    monkeypatch.setenv("PIPELINE_CACHE_DIR", "")
    cached("words", "k", build, frozenset)
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    monkeypatch.setenv("PIPELINE_CACHE_DIR", str(blocker / "below"))
    cached("words", "k", build, frozenset)
    cached("words", "k", build, frozenset)
    assert len(calls) == 4 and not cache.exists()


def test_inputs_changed_while_building_are_not_kept(cache):
    build, calls = counting(frozenset())
    cached("words", "k", build, frozenset, still_valid=lambda: False)
    cached("words", "k", build, frozenset)
    assert len(calls) == 2


def test_only_the_newest_entries_of_a_name_are_kept(cache):
    for i in range(KEEP + 2):
        cached("words", f"k{i}", lambda: frozenset(), frozenset)
    cached("other", "k", lambda: frozenset(), frozenset)
    assert len(list(cache.glob("words-*.pickle"))) == KEEP
    assert len(list(cache.glob("other-*.pickle"))) == 1


def test_a_key_hashes_its_parts_in_order_and_the_library_versions(monkeypatch):
    assert key_of(["ab", "c"]) != key_of(["a", "bc"]) != key_of(["c", "ab"])
    installed = key_of(["a"], libraries=("wordfreq",))
    assert installed == key_of(["a"], libraries=("wordfreq",)) != key_of(["a"])
    monkeypatch.setattr(datacache.metadata, "version", lambda name: "0.0-other")
    datacache._version.cache_clear()  # versions are asked once per process
    try:
        assert key_of(["a"], libraries=("wordfreq",)) != installed
    finally:
        datacache._version.cache_clear()


def test_the_kept_common_words_are_those_of_the_word_lists(cache, monkeypatch):
    read = lines.common_words.__wrapped__
    first = read()
    assert first == lines.read_common_words() and {"the", "und", "les"} <= first
    monkeypatch.setattr(lines, "read_common_words", lambda: pytest.fail("read the lists again"))
    assert read() == first


def test_a_table_is_built_once_and_then_read_a_key_at_a_time(cache):
    calls = []

    def rows():
        calls.append(1)
        return iter([("cat", 3), ("dog", "x"), ("", 1.5)])
    table = cached_table("lexicon", "k1", rows)
    assert (table.get("cat"), table.get("dog"), table.get(""), table.get("cow"), len(table)) == (3, "x", 1.5, None, 3)
    again = cached_table("lexicon", "k1", rows)
    assert again.get("cat") == 3 and len(calls) == 1 and list(cache.glob("lexicon-k1.sqlite"))
    assert not list(cache.glob("*.tmp"))


def test_a_damaged_table_is_rebuilt_and_a_failed_build_leaves_nothing(cache):
    cached_table("lexicon", "k", lambda: [("a", 1)])
    (cache / "lexicon-k.sqlite").write_bytes(b"not a database" * 100)
    assert cached_table("lexicon", "k", lambda: [("a", 2)]).get("a") == 2

    def broken():
        yield "a", 1
        raise RuntimeError("the library failed")
    with pytest.raises(RuntimeError):
        cached_table("other", "k", broken)
    assert not list(cache.glob("other-*")) and not list(cache.glob(".other-*"))


def test_without_a_writable_cache_folder_there_is_no_table(cache, monkeypatch, tmp_path):
    monkeypatch.setenv("PIPELINE_CACHE_DIR", "")
    assert cached_table("lexicon", "k", lambda: [("a", 1)]) is None
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    monkeypatch.setenv("PIPELINE_CACHE_DIR", str(blocker / "below"))
    assert cached_table("lexicon", "k", lambda: [("a", 1)]) is None


def test_only_the_newest_tables_of_a_name_are_kept(cache):
    for i in range(KEEP + 2):
        cached_table("lexicon", f"k{i}", lambda: [])
    cached("lexicon", "k", lambda: frozenset(), frozenset)
    assert len(list(cache.glob("lexicon-*.sqlite"))) == KEEP
    assert len(list(cache.glob("lexicon-*.pickle"))) == 1


def test_a_forked_process_reads_a_table_through_its_own_connection(cache):
    table = cached_table("lexicon", "k", lambda: [(f"w{i}", i) for i in range(1000)])
    assert table.get("w7") == 7  # the parent's connection is open before the fork
    with multiprocessing.get_context("fork").Pool(2) as pool:
        assert pool.map(table.get, ["w1", "w999", "none"]) == [1, 999, None]
    assert pickle.loads(pickle.dumps(table)).get("w3") == 3
