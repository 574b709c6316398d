"""`python -m pipeline bench targets`: the batch layer's cost targets, each as a ratio of
two things measured side by side in one run.

Every timing is a whole process (`python -m pipeline run ...`, or the thing compared
with), so start-up, imports and the glossary count as a user sees them. The two sides
of a ratio take turns within each repeat, so a slow spell of a shared machine hits both;
the table shows medians. The compiled-glossary cache is a folder of this run's own,
filled by a first run before the timings (a user's second run); the 10,000-entry row
also shows the first, cold run.

Rows (docs/throughput.md, "Targets", says what each compares and why). The yardstick is
translate-toolkit's `pofilter` (default checks), the QA tool translators already run, on
the same sentences as a PO file (each its own msgid and msgstr):
- one document (the punctuation fixture's lines) against pofilter on those lines;
- 300 synthetic documents, one job, against pofilter on their sentences (the ratio is
  pofilter's time over the pipeline's: sentences per second against pofilter's), and the
  run's peak memory (summed over its processes) against 250 MiB;
- the same 300 documents with `--jobs 2` against one job (and whether their outputs are
  byte for byte the same);
- a French page against an English one of similar length;
- 40 documents with a 10,000-entry glossary against the shipped glossaries;
- 40 documents with the review pages against `--no-report`;
- the share of the segments of `../shared/extraction-dev` that reach langdetect, and
  their cost per segment against the development pages' (when those folders are there).
"""

from __future__ import annotations

import gzip
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from . import SAMPLE, synthetic_batch, synthetic_glossary

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "fixtures"
SHARED = ROOT.parent / "shared"

# A `python -m pipeline` run in this process, with the peak of the memory it and its
# workers take together: the sum of their proportional set sizes (Linux's Pss, which
# shares each page among the processes that map it, so forked workers' common pages
# count once), sampled every 50 ms.
_MEASURED = """
import json, os, runpy, sys, threading, time

def descendants(pid):
    found = [pid]
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as fh:
                for child in fh.read().split():
                    found += descendants(int(child))
    except OSError:
        pass
    return found

def pss_kb(pid):
    try:
        with open(f"/proc/{pid}/smaps_rollup") as fh:
            return next(int(line.split()[1]) for line in fh if line.startswith("Pss:"))
    except (OSError, StopIteration):
        return 0

peak, done = [0], threading.Event()
def sample():
    while not done.wait(0.05):
        peak[0] = max(peak[0], sum(pss_kb(pid) for pid in descendants(os.getpid())))
threading.Thread(target=sample, daemon=True).start()
started = time.perf_counter()
sys.argv = ["pipeline"] + sys.argv[1:]
try:
    runpy.run_module("pipeline", run_name="__main__")
except SystemExit:
    pass
done.set()
print(json.dumps({"seconds": time.perf_counter() - started, "memory_mb": peak[0] / 1024}), file=sys.stderr)
"""


def _timed(command: list[str], env: dict) -> float:
    started = time.perf_counter()
    subprocess.run(command, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - started


def _pipeline(args: list[str], env: dict) -> dict:
    """A `python -m pipeline` process: wall seconds (whole process) and memory."""
    started = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", _MEASURED, *args], env=env, check=True,
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    seconds = time.perf_counter() - started
    measured = json.loads(proc.stderr.strip().splitlines()[-1])
    return {"seconds": seconds, "memory_mb": measured["memory_mb"]}


def _pair(left: Callable[[], float], right: Callable[[], float], repeats: int) -> tuple[float, float]:
    """Median of each side, the two taking turns."""
    a, b = [], []
    for _ in range(repeats):
        a.append(left())
        b.append(right())
    return statistics.median(a), statistics.median(b)


def _pofilter() -> str | None:
    """pofilter beside this interpreter (as the pipeline is run: `sys.executable -m`), else
    the first on PATH. A version manager's shim on PATH (pyenv's is a shell script) would
    add its own start-up to pofilter's side."""
    beside = Path(sys.executable).parent / "pofilter"
    return str(beside) if beside.is_file() else shutil.which("pofilter")


def _run_args(inputs, out: Path, *extra: str) -> list[str]:
    shutil.rmtree(out, ignore_errors=True)
    return ["run", *map(str, inputs if isinstance(inputs, list) else [inputs]), "--out", str(out),
            "--no-cache", "--quiet", *extra]


def bench_targets(repeats: int = 3, extraction_pages: int = 300) -> list[dict]:
    rows: list[dict] = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        env = {**os.environ, "PIPELINE_CACHE_DIR": str(folder / "glossary-cache")}

        def run(args: list[str]) -> float:
            return _pipeline(args, env)["seconds"]

        pofilter = _pofilter()
        if pofilter is None:
            raise SystemExit("bench targets: pofilter is not installed (pip install translate-toolkit)")

        def checked(po: Path) -> float:
            return _timed([pofilter, str(po), str(folder / "filtered.po")], env)

        # one document against pofilter on its lines
        small = FIXTURES / "punctuation_mt.txt"
        lines = [line for line in small.read_text(encoding="utf-8").splitlines() if line.strip()]
        small_po = folder / "small.po"
        _write_po(small_po, lines)
        run(_run_args(small, folder / "warm"))  # fills the compiled-glossary and word-list caches
        doc, filtered = _pair(lambda: run(_run_args(small, folder / "one", "--no-report")),
                              lambda: checked(small_po), repeats)
        rows.append(_row(f"one document ({len(lines)} lines), whole run", doc, "pofilter, same lines", filtered,
                         "<= 5"))

        # 300 documents: one job against pofilter, memory, and two jobs against one
        batch = folder / "batch"
        sentences = synthetic_batch(batch, 300)
        batch_po = folder / "batch.po"
        _write_po(batch_po, sentences)
        one, two, pofilter_s = [], [], []
        for _ in range(repeats):
            one.append(_pipeline(_run_args(batch, folder / "j1", "--no-report"), env))
            pofilter_s.append(checked(batch_po))
            two.append(_pipeline(_run_args(batch, folder / "j2", "--no-report", "--jobs", "2"), env))
        one_s = statistics.median(r["seconds"] for r in one)
        two_s = statistics.median(r["seconds"] for r in two)
        po_s = statistics.median(pofilter_s)
        segments = _segments(folder / "j1")
        units = len(dict.fromkeys(sentences))  # the PO file holds each sentence once
        rows.append(_row("pofilter, same sentences", po_s, "300 documents end to end, one job", one_s, ">= 1.0",
                         note=f"pipeline {len(sentences):,} sentences ({segments:,} segments), "
                              f"{len(sentences) / one_s:,.0f} a second; pofilter their {units:,} distinct ones, "
                              f"{units / po_s:,.0f} a second"))
        one_mb = statistics.median(r["memory_mb"] for r in one)
        two_mb = statistics.median(r["memory_mb"] for r in two)
        rows.append(_row("300 documents, one job: peak memory (MiB)", one_mb, "250 MiB", 250.0, "<= 1.0",
                         note=f"--jobs 2: {two_mb:.0f} MiB (peak Pss, summed over the processes)"))
        same = all((folder / "j1" / name).read_bytes() == (folder / "j2" / name).read_bytes()
                   for name in ("segments.jsonl", "summary.json"))
        rows.append(_row("300 documents, `--jobs 1`", one_s, "`--jobs 2`", two_s, ">= 1.8",
                         note=f"{os.cpu_count()} cores; outputs byte for byte the same: {'yes' if same else 'NO'}"))

        french, english = FIXTURES / "languages" / "fr_mt.txt", FIXTURES / "punctuation_mt.txt"
        fr, en = _pair(lambda: run(_run_args(french, folder / "fr", "--no-report")),
                       lambda: run(_run_args(english, folder / "en", "--no-report")), repeats)
        rows.append(_row(f"a French page ({french.stat().st_size} bytes)", fr,
                         f"an English page ({english.stat().st_size} bytes)", en, "<= 1.1"))

        forty = folder / "forty"
        synthetic_batch(forty, 40)
        big = folder / "glossary10000.tsv"
        _write_big_glossary(big)
        cold = run(_run_args(forty, folder / "cold", "--no-report", "--glossary", str(big)))
        large, shipped = _pair(lambda: run(_run_args(forty, folder / "g", "--no-report", "--glossary", str(big))),
                               lambda: run(_run_args(forty, folder / "s", "--no-report")), repeats)
        rows.append(_row("40 documents, 10,000 glossary entries", large, "the shipped glossaries", shipped,
                         "<= 1.1", note=f"first run, cache cold: {cold:.2f} s ({cold / shipped:.2f}x)"))

        reports, bare = _pair(lambda: run(_run_args(forty, folder / "r")),
                              lambda: run(_run_args(forty, folder / "n", "--no-report")), repeats)
        rows.append(_row("40 documents with review pages", reports, "`--no-report`", bare, "<= 1.1"))

        pages = sorted((SHARED / "extraction-dev" / "html").glob("*.html.gz"))[:extraction_pages]
        dev = sorted((SHARED / "garble-dev" / "docs").glob("*"))
        if pages and dev:
            rows += _langdetect_rows(pages, dev, folder, env)
    return rows


def _row(what: str, seconds: float, against: str, against_seconds: float, target: str, note: str = "") -> dict:
    ratio = seconds / against_seconds
    return {"what": what, "seconds": seconds, "against": against, "against_seconds": against_seconds,
            "ratio": ratio, "target": target, "met": _met(ratio, target), "note": note}


def _met(ratio: float, target: str) -> bool:
    op, bound = target.split()
    bound = float(bound)
    return {"<=": ratio <= bound, ">=": ratio >= bound, ">": ratio > bound}[op]


def _segments(out: Path) -> int:
    return json.loads((out / "summary.json").read_text(encoding="utf-8"))["totals"]["segments"]


def _write_big_glossary(path: Path) -> None:
    from ..glossary import load_glossaries, shipped_glossaries, write_glossary

    words = sorted({w.lower() for w in re.findall(r"[A-Za-z]{3,}", SAMPLE.read_text(encoding="utf-8"))})
    shipped = sorted(load_glossaries(shipped_glossaries()), key=lambda g: g.name != "poverty-alleviation")
    write_glossary(synthetic_glossary(10_000, words, [e for g in shipped for e in g.entries][:10]), path)


def _write_po(path: Path, sentences: list[str]) -> None:
    """The sentences as a PO file, each its own msgid and msgstr (the machine translation
    checked against itself: pofilter runs every check on every unit)."""
    def quoted(text: str) -> str:
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
    units = ['msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n']
    for i, sentence in enumerate(dict.fromkeys(sentences)):
        units.append(f"msgctxt {quoted(str(i))}\nmsgid {quoted(sentence)}\nmsgstr {quoted(sentence)}\n")
    path.write_text("\n".join(units), encoding="utf-8")


# In a process of its own: the stages over pages, counting langdetect's calls.
_LANGDETECT_SHARE = """
import json, sys, time
from pathlib import Path
from pipeline.config import Settings
from pipeline.document import Document
from pipeline.formats.read import read_file
from pipeline.language.langid import LanguageIdentifier
from pipeline.stages import build_stages, run_stages
calls = 0
real = LanguageIdentifier.detect
def counted(self, text):
    global calls
    calls += 1
    return real(self, text)
LanguageIdentifier.detect = counted
stages = build_stages(Settings())
warm_up, *paths = sys.argv[1:]  # word lists and tables load on first use: not the pages' cost
for doc in read_file(Path(warm_up), "warm-up"):
    run_stages(doc, stages)
calls, segments, seconds = 0, 0, 0.0
for path in map(Path, paths):
    for doc in read_file(path, path.stem.split(".")[0]):
        if isinstance(doc, Document):
            started = time.perf_counter()
            doc = run_stages(doc, stages)
            seconds += time.perf_counter() - started
            segments += len(doc.segments)
print(json.dumps({"calls": calls, "segments": segments, "seconds": seconds}))
"""


def _langdetect_rows(pages: list[Path], dev: list[Path], folder: Path, env: dict) -> list[dict]:
    unpacked = folder / "pages"
    unpacked.mkdir()
    for page in pages:
        (unpacked / page.name[:-len(".gz")]).write_bytes(gzip.decompress(page.read_bytes()))

    def measure(paths: list[Path]) -> dict:
        proc = subprocess.run([sys.executable, "-c", _LANGDETECT_SHARE, str(SAMPLE), *map(str, paths)], env=env,
                              check=True,
                              capture_output=True, text=True)
        return json.loads(proc.stdout)

    web = measure(sorted(unpacked.iterdir()))
    labelled = measure(dev)
    share = web["calls"] / web["segments"]
    web_cost, dev_cost = web["seconds"] / web["segments"], labelled["seconds"] / labelled["segments"]
    return [
        {"what": f"segments sent to langdetect, {len(pages)} extraction-dev pages", "seconds": None,
         "against": f"all {web['segments']:,} segments", "against_seconds": None, "ratio": share,
         "target": "<= 0.05", "met": share <= 0.05, "note": f"{web['calls']:,} calls"},
        _row("stage time per segment, extraction-dev pages", web_cost,
             f"the {len(dev)} development pages'", dev_cost, "<= 1.5",
             note=f"{web_cost * 1000:.2f} against {dev_cost * 1000:.2f} ms a segment (stages only, in one process)"),
    ]


def format_targets(rows: list[dict]) -> str:
    lines = ["| measured | seconds | against | seconds | ratio | target | met | note |",
             "|---|---:|---|---:|---:|---|---|---|"]
    for r in rows:
        seconds = f"{r['seconds']:.3g}" if r["seconds"] is not None else ""
        against = f"{r['against_seconds']:.3g}" if r["against_seconds"] is not None else ""
        ratio = f"{r['ratio']:.1%}" if r["seconds"] is None else f"{r['ratio']:.2f}"
        lines.append(f"| {r['what']} | {seconds} | {r['against']} | {against} | {ratio} | {r['target']} | "
                     f"{'yes' if r['met'] else 'no'} | {r['note']} |")
    return "\n".join(lines)
