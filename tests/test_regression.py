"""Regression tests over fixtures/: segments and cleaned text against stored expectations.

A behaviour change shows up as a diff of tests/test_regression/*. Review it; if it is
an improvement, accept it with `pytest tests/test_regression.py --force-regen`.
"""

import json

import pytest

from pipeline.run.batch import QUIET, run_batch
from pipeline.config import Settings
from pipeline.formats.read import discover

from .conftest import FIXTURES

GOOD = [p for p in discover([FIXTURES]).files if p.parent in (FIXTURES, FIXTURES / "bilingual", FIXTURES / "languages")]


@pytest.fixture(scope="module")
def fixture_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("fixtures-out")
    # without the parser or the spelling dictionaries: the expectations do not depend on
    # whether the model or the Hunspell dictionaries are installed
    result = run_batch([str(p) for p in GOOD], out, Settings(parser="none", spelling=False), progress=QUIET)
    assert result.failures == []
    records = [json.loads(line) for line in (out / "segments.jsonl").read_text(encoding="utf-8").splitlines()]
    return out, records, {**result.summary, "documents": result.documents()}


def docs_read_from(summary, path):
    """Ids of the documents read from one fixture file (a JSONL file holds several)."""
    docs = [d["doc"] for d in summary["documents"] if d["path"].split(":")[0] == str(path)]
    assert docs, f"no document read from {path}"
    return docs


@pytest.mark.parametrize("path", GOOD, ids=lambda p: p.name)
def test_segments(fixture_run, path, data_regression):
    _, records, summary = fixture_run
    docs = docs_read_from(summary, path)
    data_regression.check({doc: [r for r in records if r["doc"] == doc] for doc in docs})


@pytest.mark.parametrize("path", GOOD, ids=lambda p: p.name)
def test_cleaned_text(fixture_run, path, file_regression):
    out, _, summary = fixture_run
    docs = docs_read_from(summary, path)
    text = "".join(f"=== {doc}\n" + (out / "cleaned" / f"{doc}.txt").read_text(encoding="utf-8") for doc in docs)
    file_regression.check(text, extension=".txt")
