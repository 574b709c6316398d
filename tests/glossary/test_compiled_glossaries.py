"""The compiled-glossary cache: the same result as compiling, for exactly the same files."""

from __future__ import annotations

import os
import pickle
import threading

import pytest

from pipeline.glossary import GlossaryError, load_glossaries
from pipeline.glossary import compiled as compiled_module
from pipeline.text.datacache import KEEP
from pipeline.glossary.compiled import cache_key, compile_glossaries, load_compiled

GLOSSARY = ("id\tsource:zh\ten\ten:variants\n"
            "relocation\t易地扶贫搬迁\tex-situ poverty alleviation relocation\tex situ relocation\n"
            "site\t安置点\tresettlement site\trelocation site\n")


@pytest.fixture
def cache(tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    monkeypatch.setenv("PIPELINE_CACHE_DIR", str(folder))
    return folder


def _glossary(tmp_path, text=GLOSSARY, name="g.tsv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _found(compiled, text):
    return [(m.start, m.end, m.candidate.entry.id, m.candidate.status) for m in compiled.matchers["en"].find(text)]


TEXT = "Relocation sites for ex situ relocation, and one resettlement site."


def test_a_cached_glossary_finds_what_a_compiled_one_finds(tmp_path, cache):
    path = _glossary(tmp_path)
    first = load_compiled([path])
    assert len(list(cache.glob("glossaries-*.pickle"))) == 1
    second = load_compiled([path])
    fresh = compile_glossaries(load_glossaries([path]))
    assert second is not first and _found(second, TEXT) == _found(fresh, TEXT) == _found(first, TEXT)
    assert [e.id for g in second.glossaries for e in g.entries] == [e.id for g in fresh.glossaries for e in g.entries]
    assert _found(fresh, TEXT)  # the text does hold the terms


def test_an_edited_file_is_compiled_again(tmp_path, cache):
    path = _glossary(tmp_path)
    before = load_compiled([path])
    path.write_text(GLOSSARY.replace("resettlement site\t", "resettlement area\t"), encoding="utf-8")
    after = load_compiled([path])
    assert _found(before, "one resettlement site") and not _found(after, "one resettlement site")
    assert len(list(cache.glob("glossaries-*.pickle"))) == 2


def test_the_same_content_at_another_path_is_another_entry(tmp_path, cache):
    one, two = _glossary(tmp_path, name="a.tsv"), _glossary(tmp_path, name="b.tsv")
    assert cache_key([one]) != cache_key([two])
    assert load_compiled([two]).glossaries[0].path == str(two)


def test_a_damaged_entry_is_rebuilt(tmp_path, cache):
    path = _glossary(tmp_path)
    load_compiled([path])
    (entry,) = cache.glob("glossaries-*.pickle")
    entry.write_bytes(b"\x80\x05 not a pickle")
    assert _found(load_compiled([path]), TEXT)
    assert isinstance(pickle.loads(entry.read_bytes()), compiled_module.CompiledGlossaries)


def test_an_invalid_glossary_is_an_error_every_time_and_never_cached(tmp_path, cache):
    path = _glossary(tmp_path, "id\tsource:zh\ten\nx\t易地扶贫搬迁\t\n")
    for _ in range(2):
        with pytest.raises(GlossaryError):
            load_compiled([path])
    assert not list(cache.glob("glossaries-*.pickle"))


def test_the_cache_can_be_turned_off_or_unwritable(tmp_path, monkeypatch):
    path = _glossary(tmp_path)
    monkeypatch.setenv("PIPELINE_CACHE_DIR", "")
    assert _found(load_compiled([path]), TEXT)
    blocked = tmp_path / "a-file"
    blocked.write_text("x", encoding="utf-8")
    monkeypatch.setenv("PIPELINE_CACHE_DIR", str(blocked / "cache"))  # cannot be made
    assert _found(load_compiled([path]), TEXT)


def test_the_folder_keeps_the_newest_entries(tmp_path, cache):
    for i in range(KEEP + 3):
        path = _glossary(tmp_path, GLOSSARY + f"v{i}\t村{i}\tvillage {i}\t\n", name=f"g{i}.tsv")
        load_compiled([path])
        entry = cache / f"glossaries-{cache_key([path])}.pickle"
        os.utime(entry, (1_000_000 + i, 1_000_000 + i))  # one a second, oldest first
    assert len(list(cache.glob("glossaries-*.pickle"))) == KEEP


def test_runs_at_once_each_get_the_whole_glossary(tmp_path, cache):
    path = _glossary(tmp_path)
    results, errors = [], []

    def load():
        try:
            results.append(_found(load_compiled([path]), TEXT))
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=load) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors and len(results) == 6 and all(r == results[0] for r in results)
    assert not list(cache.glob(".glossaries-*.tmp"))
