"""The catalogue is filled by the checks themselves (`@catalogued`): each code names what
raises it, each sample input raises its code, and docs/garble.md lists the same codes."""

import importlib
import inspect
import re
from pathlib import Path

import pytest

from pipeline.checks import CATALOGUE, CODES
from pipeline.checks.catalogue import Check, catalogued
from pipeline.config import Settings
from pipeline.formats.read import read_file
from pipeline.language.dictionaries import dictionary_files
from pipeline.stages import build_stages, run_stages

DOCS = Path(__file__).resolve().parents[2] / "docs" / "garble.md"


@pytest.fixture(scope="module")
def stages():
    return build_stages(Settings(parser="none"))


def test_each_code_is_catalogued_once_with_what_raises_it():
    assert len(CODES) == len(CATALOGUE)
    for check in CATALOGUE:
        assert check.severity in ("info", "warning", "error") and check.catches and check.example
        parts = check.raised_by.split(".")  # "checks.surface.untranslated", or a stage: "stages.terms"
        module = importlib.import_module("pipeline." + ".".join(parts[:2]))
        assert f'"{check.code}"' in inspect.getsource(module), f"{check.raised_by} never writes {check.code}"
        if len(parts) == 3:
            assert callable(getattr(module, parts[2])), check.raised_by


def test_a_code_catalogued_twice_is_refused():
    first = CATALOGUE[0]
    with pytest.raises(ValueError, match="catalogued twice"):
        catalogued(Check(first.code, "info", "again", "again"))(lambda seg, ctx: [])
    assert [c.code for c in CATALOGUE].count(first.code) == 1


@pytest.mark.parametrize("check", [c for c in CATALOGUE if c.sample], ids=lambda c: c.code)
def test_each_sample_raises_its_code(check, stages, tmp_path):
    if check.code == "spelling" and not dictionary_files("en"):
        pytest.skip("no English Hunspell dictionary")
    suffix, content = check.sample
    path = tmp_path / f"sample.{suffix}"
    path.write_text(content, encoding="utf-8")
    raised = {flag.code for doc in read_file(path, "sample") for seg in run_stages(doc, stages).segments
              for flag in seg.flags}
    assert check.code in raised, f"{check.code} sample raised {sorted(raised)}"


def test_only_the_score_s_codes_go_without_a_sample():
    assert {c.raised_by.rpartition(".")[0] for c in CATALOGUE if c.sample is None} == {"checks.score"}


def test_docs_table_lists_the_catalogued_codes():
    table = re.findall(r"^\| `([a-z-]+)` \|", DOCS.read_text(encoding="utf-8"), re.M)
    assert set(table) == set(CODES)
