"""Article text against chrome on real pages (../shared/extraction-dev, third-party: read
from there, never copied; skipped when absent). A fixed fifth of the 300 pages, scored the
way its score.py scores: a floor at the measured level, so a change that loses ground fails.
docs/chrome.md, "Article and chrome", has the figures on all 300."""

import gzip
import json
import re

import pytest

from pipeline.run.batch import QUIET, run_batch

from pipeline.run.executors import ProcessPool
from pipeline.config import Settings

from ..conftest import SHARED

PAGES = SHARED / "extraction-dev"


def _norm(text):
    return re.sub(r"\s+", " ", text).strip().lower()


@pytest.mark.skipif(not (PAGES / "snippets.json").exists(), reason="../shared/extraction-dev not present")
def test_a_fifth_of_the_extraction_pages(tmp_path):
    snippets = json.loads((PAGES / "snippets.json").read_text(encoding="utf-8"))
    names = sorted(snippets)[::5]
    folder = tmp_path / "pages"
    folder.mkdir()
    for name in names:
        (folder / name).write_bytes(gzip.decompress((PAGES / "html" / f"{name}.gz").read_bytes()))
    out = tmp_path / "out"
    result = run_batch([str(folder)], out, Settings(), progress=QUIET, executor=ProcessPool(2), reports=False, cache=False)
    assert not result.failures
    tp = fn = fp = 0
    empty = []
    for name in names:
        text = _norm((out / "cleaned" / (name[: -len(".html")] + ".txt")).read_text(encoding="utf-8"))
        empty += [name] if not text else []
        found = sum(_norm(s) in text for s in snippets[name]["with"])
        tp, fn = tp + found, fn + len(snippets[name]["with"]) - found
        fp += sum(_norm(s) in text for s in snippets[name]["without"])
    precision, recall = tp / (tp + fp), tp / (tp + fn)
    f1 = 2 * precision * recall / (precision + recall)
    assert not empty
    assert precision >= PRECISION and recall >= RECALL and f1 >= F1, (precision, recall, f1)
    # and the cleaned text, read again, comes out as it went in
    again = tmp_path / "again"
    run_batch([str(out / "cleaned")], again, Settings(), progress=QUIET, executor=ProcessPool(2), reports=False, cache=False)
    changed = [p.name for p in sorted((out / "cleaned").glob("*.txt"))
               if (again / "cleaned" / p.name).read_text(encoding="utf-8") != p.read_text(encoding="utf-8")]
    assert changed == []


# measured on this fifth: precision 0.970, recall 0.906, F1 0.937
PRECISION, RECALL, F1 = 0.96, 0.895, 0.925


def test_the_extraction_bench_times_both_on_the_same_pages(capsys):
    from pipeline.cli import main
    assert main(["bench", "extraction"]) == 0  # the fixtures' HTML page
    table = capsys.readouterr().out
    assert "| pages | read + boilerplate (s) | trafilatura extract() alone (s) | ratio |" in table
    assert table.strip().splitlines()[-1].startswith("| 1 |")
