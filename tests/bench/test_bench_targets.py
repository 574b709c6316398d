"""The targets benchmark's parts: what it compares is what it says it compares."""

from __future__ import annotations

import os

import pytest

from pipeline.bench.targets import _met, _pipeline, _row, _run_args, _write_po, format_targets

from ..conftest import FIXTURES


def test_a_target_is_met_on_the_side_its_bound_says():
    assert _met(1.09, "<= 1.1") and not _met(1.11, "<= 1.1")
    assert _met(1.8, ">= 1.8") and not _met(1.79, ">= 1.8")
    assert _met(1.01, "> 1") and not _met(1.0, "> 1")
    row = _row("a", 2.0, "b", 1.0, "<= 3", note="n")
    assert row["ratio"] == 2.0 and row["met"] and "| a | 2 | b | 1 | 2.00 | <= 3 | yes | n |" in format_targets([row])


def test_the_sentences_become_a_po_file_its_readers_read_back(tmp_path):
    pypo = pytest.importorskip("translate.storage.pypo")
    sentences = ['He said "yes", then left.', "A back\\slash.", "Twice.", "Twice."]
    path = tmp_path / "s.po"
    _write_po(path, sentences)
    units = [u for u in pypo.pofile.parsefile(str(path)).units if not u.isheader()]
    assert [u.source for u in units] == [u.target for u in units] == sentences[:3]


def test_a_measured_run_reports_its_time_and_memory(tmp_path):
    env = {**os.environ}
    measured = _pipeline(_run_args(FIXTURES / "no_breaks.txt", tmp_path / "out", "--no-report"), env)
    assert measured["seconds"] > 0 and measured["memory_mb"] > 10
    assert (tmp_path / "out" / "cleaned" / "no_breaks.txt").exists()


def test_the_langdetect_share_script_runs_on_pages():
    """The script runs in a process of its own (no import checker sees it): it must still
    import what it names after the modules moved."""
    import json
    import subprocess
    import sys

    from pipeline.bench.targets import _LANGDETECT_SHARE, FIXTURES, SAMPLE
    proc = subprocess.run([sys.executable, "-c", _LANGDETECT_SHARE, str(SAMPLE), str(FIXTURES / "news_page.html")],
                          capture_output=True, text=True, check=True)
    measured = json.loads(proc.stdout)
    assert measured["segments"] > 0 and 0 <= measured["calls"] <= measured["segments"]
