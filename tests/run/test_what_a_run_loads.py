"""A run loads what its documents need and nothing else (issue 34): checked in a fresh
interpreter, since a test process has imported everything already."""

import json
import subprocess
import sys

from ..conftest import FIXTURES, ROOT

# Modules an English text file never needs: other formats' readers and their libraries,
# the TBX glossary reader, the optional parser and language model, the review server, the
# workbook writer, the cluster executor, the evaluation and benchmark tools; and, once
# the cache folder holds their tables, lemminflect (and numpy, which it imports) and
# wordfreq, whose answers are read from there a word at a time.
NOT_FOR_A_TEXT_FILE = ("lemminflect", "numpy", "wordfreq", "lxml", "polib", "openpyxl", "spacy", "llama_cpp",
                       "flask", "waitress", "dask",
                       "distributed", "trafilatura", "pipeline.formats.html", "pipeline.formats.xliff",
                       "pipeline.formats.tmx", "pipeline.formats.po", "pipeline.formats.jsonl",
                       "pipeline.formats.tsv", "pipeline.glossary.tbx", "pipeline.review", "pipeline.evaluation",
                       "pipeline.bench")

_RUN = """
import json, sys
from pipeline.cli import main
status = main(sys.argv[1:])
print(json.dumps({"status": status, "modules": sorted(sys.modules)}))
"""


def _loaded(tmp_path, *options):
    """What a run loads once the derived-data cache is filled (the first run on a machine
    builds the word tables and the common-word sets from each language's whole list, once)."""
    for _ in range(2):
        proc = subprocess.run([sys.executable, "-c", _RUN, "run", str(FIXTURES / "punctuation_mt.txt"), "--out",
                               str(tmp_path / "out"), "--no-cache", "--quiet", *options],
                              cwd=ROOT, capture_output=True, text=True, check=True)
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _unwanted(modules):
    return [name for name in NOT_FOR_A_TEXT_FILE if any(m == name or m.startswith(name + ".") for m in modules)]


def test_a_run_on_one_english_text_file_loads_only_what_it_needs(tmp_path):
    loaded = _loaded(tmp_path)
    assert loaded["status"] == 0
    assert _unwanted(loaded["modules"]) == []  # no language's whole word list either: not even wordfreq
    assert "jinja2" in loaded["modules"]  # the review pages are asked for


def test_without_review_pages_no_template_engine_is_loaded(tmp_path):
    loaded = _loaded(tmp_path, "--no-report")
    assert _unwanted(loaded["modules"]) == [] and "jinja2" not in loaded["modules"]
