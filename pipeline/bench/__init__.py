"""Benchmarks: `python -m pipeline bench run|terms|garble|extraction`.

`bench_run` runs whole batches (no reports) of synthetic documents built from the
fixtures' sentences at growing batch sizes, worker counts and glossary sizes, with the
time of each stage, against one langdetect call per sentence on the same sentences.

`bench_extraction` times the reader and boilerplate stage on HTML pages against
trafilatura's `extract()` alone on the same pages, in the same run.

`bench_garble` times the garble checks and score per sentence against one langdetect
call per sentence on the same sentences, so the ratio holds across machines.

`bench_terms` times the terms stage on the same text with glossaries of growing
size. The first ten shipped entries are always present, so the real matches and
edits are the same at every size; the rest are synthetic entries (seeded, so runs
are comparable): words from the text itself ending in a made-up word. That is the
hard case for a matcher: many partial matches, no extra whole ones. A matcher that
loops over entries per segment grows linearly here; the automaton stays nearly flat.
"""

from __future__ import annotations

import copy
import random
import re
import statistics
import time
from collections.abc import Callable
from pathlib import Path

from ..config import Settings
from ..document import BOILERPLATE, Document
from ..glossary import Entry, Glossary, Rendering, load_glossaries, shipped_glossaries
from ..glossary.compiled import compile_glossaries
from ..run.batch import BuiltStages, settle_heap
from ..stages import build_stages, run_stages
from ..stages.terms import Terms

SAMPLE = Path(__file__).resolve().parents[2] / "fixtures" / "tongren_relocation.en.txt"


HEAD_NOUNS = 2000


def synthetic_glossary(size: int, words: list[str], real: list[Entry], seed: int = 0) -> Glossary:
    """`size` entries: the `real` ones, then synthetic ones built from `words`, each form
    ending in one of a few thousand made-up head nouns (a real glossary of 10,000 terms
    has a few thousand head nouns too; each is inflected once when the matcher is built)."""
    rng = random.Random(seed)
    heads = ["".join(rng.choice("bcdfgklmnprstvz") + rng.choice("aeiou") for _ in range(3))
             for _ in range(HEAD_NOUNS)]
    entries = list(real[:size])
    used: set[str] = set()

    def phrase() -> str:  # a new one each time: two entries claiming one form is a glossary error
        while True:
            form = " ".join([rng.choice(words) for _ in range(rng.randint(1, 3))] + [rng.choice(heads)])
            if form not in used:
                used.add(form)
                return form

    for i in range(size - len(entries)):
        entries.append(Entry(id=f"synthetic-{i}", source=[f"合成{i}"],
                             targets={"en": Rendering(preferred=phrase(), variants=[phrase(), phrase()])}))
    return Glossary(name=f"synthetic-{size}", source_language="zh", entries=entries)


PASSES = 10


def bench_terms(sizes=(10, 1000, 10000), repeats: int = 7, text: str | None = None) -> list[dict]:
    """Median time of the terms stage on one document for each glossary size."""
    text = text if text is not None else SAMPLE.read_text(encoding="utf-8")
    settings = Settings()
    stages = build_stages(settings)
    before_terms = stages[:next(i for i, s in enumerate(stages) if isinstance(s, Terms))]
    prepared = run_stages(Document("bench", "bench.txt", "txt", text), before_terms)
    segments = sum(1 for s in prepared.segments if s.kind != "boilerplate")
    words = sorted({w.lower() for w in re.findall(r"[A-Za-z]{3,}", text)})
    # the policy glossary's first entries (the calque list sorts first by file name)
    glossaries = sorted(load_glossaries(shipped_glossaries()), key=lambda g: g.name != "poverty-alleviation")
    real = [e for g in glossaries for e in g.entries][:10]
    built = []
    for size in sizes:
        glossary = synthetic_glossary(size, words, real)
        started = time.perf_counter()
        built.append((Terms(settings, compile_glossaries([glossary])), time.perf_counter() - started))
    settle_heap()  # as run_batch does after building its stages
    # Sizes take turns within each repeat, so a slow spell of the machine (they last
    # seconds on a shared one) hits every size alike; each sample is several passes.
    times: list[list[float]] = [[] for _ in sizes]
    for _ in range(repeats):
        for k, (stage, _) in enumerate(built):
            docs = [copy.deepcopy(prepared) for _ in range(PASSES)]
            started = time.perf_counter()
            for doc in docs:
                stage(doc)
            times[k].append((time.perf_counter() - started) / PASSES)
    rows = []
    for size, (stage, build), samples in zip(sizes, built, times):
        median = statistics.median(samples)
        doc = stage(copy.deepcopy(prepared))
        hits = sum(len(s.terms) for s in doc.segments)
        rows.append({"entries": size, "keys": stage.matchers["en"].size, "build_s": build, "median_s": median,
                     "segments_per_s": segments / median, "segments": segments, "terms_found": hits})
    base = rows[0]["median_s"]
    for row in rows:
        row["ratio"] = row["median_s"] / base
    return rows


def format_terms(rows: list[dict]) -> str:
    lines = ["| glossary entries | automaton keys | compile (s) | terms found | stage time, median (ms) "
             "| segments/s | vs smallest |",
             "|---:|---:|---:|---:|---:|---:|---:|"]
    for r in rows:
        lines.append(f"| {r['entries']:,} | {r['keys']:,} | {r['build_s']:.2f} | {r['terms_found']} | "
                     f"{r['median_s'] * 1000:.2f} | {r['segments_per_s']:,.0f} | {r['ratio']:.2f} |")
    return "\n".join(lines)


def bench_garble(repeats: int = 7, text: str | None = None, parser: str = "none") -> dict:
    """Median cost per segment of the garble stage (with the `parser` setting: "none" or
    "spacy", the parse included) and of one langdetect call."""
    from ..stages.garble import Garble
    from ..language.langid import LanguageIdentifier

    text = text if text is not None else SAMPLE.read_text(encoding="utf-8")
    settings = Settings(parser=parser)
    stages = build_stages(settings)
    garble_at = next(i for i, s in enumerate(stages) if isinstance(s, Garble))
    prepared = run_stages(Document("bench", "bench.txt", "txt", text), stages[:garble_at])
    sentences = [s.cleaned for s in prepared.segments if s.kind != "boilerplate"]
    stage = stages[garble_at]
    stage(copy.deepcopy(prepared))  # first run fills the word-class caches
    garble_times, detect_times = [], []
    identifier = LanguageIdentifier(1)  # every sentence goes to langdetect, every time
    for _ in range(repeats):
        doc = copy.deepcopy(prepared)
        started = time.perf_counter()
        stage(doc)
        garble_times.append(time.perf_counter() - started)
        started = time.perf_counter()
        for sentence in sentences:
            identifier.detect(sentence)
        detect_times.append(time.perf_counter() - started)
    n = len(sentences)
    garble_ms = statistics.median(garble_times) / n * 1000
    detect_ms = statistics.median(detect_times) / n * 1000
    return {"parser": parser, "segments": n, "garble_ms": garble_ms, "langdetect_ms": detect_ms,
            "ratio": garble_ms / detect_ms}


def format_garble(rows: list[dict]) -> str:
    lines = ["| parser | segments | garble stage per segment (ms) | langdetect per segment (ms) | ratio |",
             "|---|---:|---:|---:|---:|"]
    lines += [f"| {row['parser']} | {row['segments']} | {row['garble_ms']:.3f} | {row['langdetect_ms']:.3f} | "
              f"{row['ratio']:.2f} |" for row in rows]
    return "\n".join(lines)


# -- HTML extraction -----------------------------------------------------------------------------

def bench_extraction(pages: list[Path], repeats: int = 1, snippets: dict | None = None) -> dict:
    """Seconds for the reader and boilerplate stage (trafilatura's opinion included) on
    `pages`, against trafilatura's `extract()` alone on the same pages, in one run; with
    `snippets` (an evaluation set's `{page: {"with": [...], "without": [...]}}`), the
    article text each keeps, scored as that set's scorer does (`snippet_scores`)."""
    import trafilatura

    from ..stages.boilerplate import Boilerplate
    from ..formats.read import read_file

    markup = [p.read_bytes() for p in pages]
    stage = Boilerplate(Settings())
    ours, theirs = [], []
    our_text: dict[str, str] = {}
    their_text: dict[str, str] = {}
    for _ in range(repeats):
        started = time.perf_counter()
        for path, data in zip(pages, markup):
            their_text[path.name] = trafilatura.extract(data) or ""
        theirs.append(time.perf_counter() - started)
        started = time.perf_counter()
        for path in pages:
            kept = []
            for doc in read_file(path, path.stem):
                if isinstance(doc, Document):
                    doc = stage(doc)
                    kept += [doc.text[b.start:b.end] for b in doc.blocks if b.kind != BOILERPLATE]
            our_text[path.name] = "\n".join(kept)
        ours.append(time.perf_counter() - started)
    row = {"pages": len(pages), "ours_s": statistics.median(ours), "trafilatura_s": statistics.median(theirs),
           "ratio": statistics.median(ours) / statistics.median(theirs)}
    if snippets is not None:
        row["ours"] = snippet_scores(our_text, snippets)
        row["trafilatura"] = snippet_scores(their_text, snippets)
    return row


def _normal(text: str) -> str:
    return " ".join(text.split()).lower()


def snippet_scores(texts: dict[str, str], snippets: dict) -> dict:
    """Precision, recall and F1 of kept text against an evaluation set's snippets, as
    trafilatura's evaluation (and extraction-dev's `score.py`) counts them: a `with`
    snippet found is a true positive, one missing a false negative, a `without` snippet
    found a false positive. Pages not in `texts` are left out."""
    tp = fn = fp = 0
    for page, gold in snippets.items():
        if page not in texts:
            continue
        text = _normal(texts[page])
        found = sum(_normal(s) in text for s in gold["with"])
        tp, fn = tp + found, fn + len(gold["with"]) - found
        fp += sum(_normal(s) in text for s in gold["without"])
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1}


def format_extraction(row: dict) -> str:
    lines = ["| pages | read + boilerplate (s) | trafilatura extract() alone (s) | ratio |",
             "|---:|---:|---:|---:|",
             f"| {row['pages']} | {row['ours_s']:.2f} | {row['trafilatura_s']:.2f} | {row['ratio']:.2f} |"]
    if "ours" in row:
        lines += ["", "| article text kept | precision | recall | F1 |", "|---|---:|---:|---:|"]
        lines += [f"| {name} | {row[key]['precision']:.3f} | {row[key]['recall']:.3f} | {row[key]['f1']:.3f} |"
                  for name, key in (("pipeline (reader + boilerplate stage)", "ours"),
                                    ("trafilatura extract()", "trafilatura"))]
    return "\n".join(lines)


# -- end to end -------------------------------------------------------------------------------

# One configuration, in a fresh process so its peak memory is its own.
_CHILD = """
import json, resource, sys, time
from pipeline.batch import Progress, run_batch
from pipeline.executors import executor_for
from pipeline.config import Settings
inputs, out, jobs, glossary = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
settings = Settings(glossaries=(glossary,) if glossary else ())
done = []  # when each input file was finished: the first one marks the end of start-up
started = time.perf_counter()
progress = Progress(file_done=lambda path: done.append(time.perf_counter()), problem=lambda m: None)
result = run_batch([inputs], out, settings, executor=executor_for("local", jobs), reports=False, cache=False,
                   progress=progress)
elapsed = time.perf_counter() - started
peak = max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
print(json.dumps({"seconds": elapsed, "startup": done[0] - started, "documents": result.summary["totals"]["documents"],
                  "segments": result.summary["totals"]["segments"], "peak_mb": peak / 1024}))
"""


def fixture_sentences() -> list[str]:
    """English body sentences of the bundled fixtures (every format), as the pipeline
    segments them: the material synthetic batches are made of."""
    from ..stages.boilerplate import Boilerplate
    from ..stages.document_language import DocumentLanguage
    from ..formats.read import discover, read_file
    from ..stages.segment import Segmenter

    settings = Settings()
    stages = [Boilerplate(settings), DocumentLanguage(settings), Segmenter(settings)]
    fixtures = SAMPLE.parent
    files = [p for p in discover([str(fixtures)]).files if p.parent.name not in ("bad", "languages", "glossaries")]
    sentences = set()
    for path in files:
        for doc in read_file(path, path.stem):
            if isinstance(doc, Document):
                doc = run_stages(doc, stages)
                sentences.update(" ".join(s.original.split()) for s in doc.segments
                                 if s.kind == "body" and len(s.original.split()) >= 6
                                 and not re.search("[\u3400-\u9fff]", s.original))
    return sorted(sentences)


def synthetic_sentence(rng: random.Random, pool: list[str]) -> str:
    """A fixture sentence with its figures changed, or clauses of two or three of them
    joined at commas: varied text (so no per-text cache flatters the numbers) that keeps
    the vocabulary, punctuation faults and calques of real machine translation."""
    if rng.random() < 0.5:
        sentence = rng.choice(pool)
    else:
        clauses = [rng.choice(rng.choice(pool).rstrip(".!?").split(", ")) for _ in range(rng.randint(2, 3))]
        sentence = ", ".join(clauses) + "."
    return re.sub(r"\d+", lambda m: str(rng.randrange(10 ** (len(m.group(0)) - 1), 10 ** len(m.group(0)))), sentence)


def synthetic_batch(folder: Path, documents: int, seed: int = 0) -> list[str]:
    """`documents` articles (a title and 8 to 24 sentences in paragraphs of one to three)
    made from the fixtures' sentences, seeded; returns the sentences, titles included."""
    rng = random.Random(seed)
    pool = fixture_sentences()
    folder.mkdir(parents=True, exist_ok=True)
    written: list[str] = []
    for i in range(documents):
        sentences = [synthetic_sentence(rng, pool) for _ in range(rng.randint(8, 24))]
        paragraphs, at = [], 0
        while at < len(sentences):
            take = rng.randint(1, 3)
            paragraphs.append(" ".join(sentences[at:at + take]))
            at += take
        title = rng.choice(pool).split(", ")[0].rstrip(".")
        (folder / f"doc{i:05d}.txt").write_text(title + "\n\n" + "\n\n".join(paragraphs) + "\n", encoding="utf-8")
        written += [title] + sentences
    return written


BASELINE_SENTENCES = 1000  # per baseline pass: about two seconds


def langdetect_baseline(sentences: list[str], limit: int = 2000) -> float:
    """Sentences per second of one seeded langdetect call per sentence (on the first `limit`;
    every call made, even for a sentence seen before)."""
    from ..language.langid import LanguageIdentifier

    identifier = LanguageIdentifier(1)
    sample = sentences[:limit]
    started = time.perf_counter()
    for sentence in sample:
        identifier.detect(sentence)
    return len(sample) / (time.perf_counter() - started)


def _run_child(inputs: Path, out: Path, jobs: int, glossary: Path | None, repeats: int,
               baseline: Callable[[], float]) -> dict:
    """Median seconds, rates and peak memory of `repeats` runs of one configuration, and
    each run's rate against the langdetect baseline timed just before and just after it
    (the machine's speed drifts over minutes; a ratio of neighbours in time does not)."""
    import json
    import subprocess
    import sys

    runs, passes = [], [baseline()]
    for r in range(repeats):
        proc = subprocess.run([sys.executable, "-c", _CHILD, str(inputs), str(out / str(r)), str(jobs),
                               str(glossary or "")], capture_output=True, text=True, check=True)
        runs.append(json.loads(proc.stdout))
        passes.append(baseline())
    documents, segments = runs[0]["documents"], runs[0]["segments"]
    for run, before, after in zip(runs, passes, passes[1:]):
        # after start-up (loading, compiling, the first document): the rate a long batch runs at
        run["steady"] = segments * (documents - 1) / documents / max(run["seconds"] - run["startup"], 1e-9)
        run["ratio"] = segments / run["seconds"] / ((before + after) / 2)
        run["steady_ratio"] = run["steady"] / ((before + after) / 2)
    seconds = statistics.median(r["seconds"] for r in runs)
    return {"jobs": jobs, "documents": documents, "segments": segments, "seconds": seconds,
            "startup": statistics.median(r["startup"] for r in runs),
            "segments_per_s": segments / seconds, "documents_per_s": documents / seconds,
            "steady_segments_per_s": statistics.median(r["steady"] for r in runs),
            "vs_langdetect": statistics.median(r["ratio"] for r in runs),
            "steady_vs_langdetect": statistics.median(r["steady_ratio"] for r in runs),
            "peak_mb": statistics.median(r["peak_mb"] for r in runs), "baselines": passes}


def bench_stages(inputs: Path) -> list[dict]:
    """Each stage's own time over a batch, in this process (no writing)."""
    from ..formats.read import discover, read_file

    built = BuiltStages.of(Settings())
    stages = built.stages
    seconds = dict.fromkeys((stage.name for stage in stages), 0.0)
    documents = segments = 0
    read = 0.0
    for path in discover([str(inputs)]).files:
        started = time.perf_counter()
        docs = [d for d in read_file(path, path.stem) if isinstance(d, Document)]
        read += time.perf_counter() - started
        for doc in docs:
            for stage in stages:
                started = time.perf_counter()
                doc = stage(doc)
                seconds[stage.name] += time.perf_counter() - started
            documents += 1
            segments += len(doc.segments)
    peaks = _stage_peaks(inputs, stages)
    rows = [{"stage": "read", "seconds": read}] + [{"stage": k, "seconds": v} for k, v in seconds.items()]
    rows.append({"stage": "all stages", "seconds": sum(seconds.values())})
    for row in rows:
        row.update(segments_per_s=segments / row["seconds"], documents_per_s=documents / row["seconds"],
                   share=row["seconds"] / rows[-1]["seconds"], peak_kb=peaks.get(row["stage"], 0) / 1024)
    return rows


def _stage_peaks(inputs: Path, stages: list, documents: int = 200) -> dict[str, int]:
    """Most memory (bytes, Python allocations) each stage takes at once on one document, over
    the first `documents` documents; a second pass, as tracing slows everything down."""
    import tracemalloc

    from ..formats.read import discover, read_file

    peaks: dict[str, int] = dict.fromkeys(["read", *(stage.name for stage in stages)], 0)
    tracemalloc.start()
    try:
        for path in discover([str(inputs)]).files[:documents]:
            tracemalloc.reset_peak()
            before = tracemalloc.get_traced_memory()[0]
            docs = [d for d in read_file(path, path.stem) if isinstance(d, Document)]
            peaks["read"] = max(peaks["read"], tracemalloc.get_traced_memory()[1] - before)
            for doc in docs:
                for stage in stages:
                    tracemalloc.reset_peak()
                    before = tracemalloc.get_traced_memory()[0]
                    doc = stage(doc)
                    peaks[stage.name] = max(peaks[stage.name], tracemalloc.get_traced_memory()[1] - before)
    finally:
        tracemalloc.stop()
    return peaks


def bench_run(sizes=(100, 1000, 10000), jobs=(1, 2), repeats: int = 3,
              glossary_sizes=(10, 1000, 10000)) -> dict:
    """End to end without reports against batch size and workers, then against glossary
    size (at the middle batch size, one worker); per-stage times; and the baseline of
    one langdetect call per sentence on the same sentences."""
    import tempfile

    result: dict = {"batch": [], "glossary": []}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        sentences: list[str] = []
        for size in sizes:
            batch_sentences = synthetic_batch(folder / f"in{size}", size)
            sentences = sentences or batch_sentences

            def baseline() -> float:  # one pass, between runs: slow spells of a shared machine last minutes
                return langdetect_baseline(sentences, BASELINE_SENTENCES)

            for n in jobs:
                row = _run_child(folder / f"in{size}", folder / f"out{size}-{n}", n, None, repeats, baseline)
                result["batch"].append(row)
        middle = sorted(sizes)[len(sizes) // 2]
        if glossary_sizes:
            text = SAMPLE.read_text(encoding="utf-8")
            words = sorted({w.lower() for w in re.findall(r"[A-Za-z]{3,}", text)})
            shipped = sorted(load_glossaries(shipped_glossaries()), key=lambda g: g.name != "poverty-alleviation")
            real = [e for g in shipped for e in g.entries][:10]  # the same real matches at every size
            for size in glossary_sizes:
                from ..glossary import write_glossary
                path = folder / f"glossary{size}.yaml"
                write_glossary(synthetic_glossary(size, words, real), path)
                row = _run_child(folder / f"in{middle}", folder / f"g{size}", 1, path, repeats, baseline)
                result["glossary"].append({"entries": size, **row})
        result["stages"] = bench_stages(folder / f"in{middle}")
        result["stage_documents"] = middle
        result["baselines"] = [b for row in result["batch"] + result["glossary"] for b in row["baselines"]]
        result["baseline"] = statistics.median(result["baselines"])
    for row in result["stages"]:
        row["vs_langdetect"] = row["segments_per_s"] / result["baseline"]
    return result


def format_run(result: dict) -> str:
    baseline = result["baseline"]
    lines = [f"langdetect once per sentence (baseline, this machine): {baseline:,.0f} sentences/s "
             f"(median of {len(result['baselines'])} passes, one before each run and after the last of each "
             f"configuration; from {min(result['baselines']):,.0f} to {max(result['baselines']):,.0f})", "",
             "End to end, no reports, shipped glossaries (medians). Start-up is the time to the first "
             "document written (imports, langdetect profiles, word lists, glossary); 'after start-up' "
             "is the rate from then on. 'vs baseline' is the median over the runs of each run's rate "
             "against the baseline passes just before and after it.", "",
             "| documents | jobs | segments | seconds | start-up (s) | segments/s | documents/s | peak memory (MB) "
             "| vs baseline | after start-up: segments/s | vs baseline |",
             "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for r in result["batch"]:
        lines.append(f"| {r['documents']:,} | {r['jobs']} | {r['segments']:,} | {r['seconds']:.2f} | "
                     f"{r['startup']:.2f} | {r['segments_per_s']:,.0f} | {r['documents_per_s']:,.1f} | "
                     f"{r['peak_mb']:.0f} | {r['vs_langdetect']:.2f} | {r['steady_segments_per_s']:,.0f} | "
                     f"{r['steady_vs_langdetect']:.2f} |")
    if result["glossary"]:
        first = result["glossary"][0]
        lines += ["", f"Against glossary size ({first['documents']:,} documents, one job; the policy glossary's "
                      "first 10 entries, then synthetic ones):", "",
                  "| glossary entries | seconds | start-up (s) | segments/s after start-up | peak memory (MB) "
                  "| time vs smallest | cost vs smallest, against the baseline | the same after start-up |",
                  "|---:|---:|---:|---:|---:|---:|---:|---:|"]
        for r in result["glossary"]:
            # cost against the baseline: the rate per baseline rate, so the machine's drift cancels
            lines.append(f"| {r['entries']:,} | {r['seconds']:.2f} | {r['startup']:.2f} | "
                         f"{r['steady_segments_per_s']:,.0f} | {r['peak_mb']:.0f} | "
                         f"{r['seconds'] / first['seconds']:.2f} | "
                         f"{first['vs_langdetect'] / r['vs_langdetect']:.2f} | "
                         f"{first['steady_vs_langdetect'] / r['steady_vs_langdetect']:.2f} |")
    lines += ["", f"Per stage ({result['stage_documents']:,} documents, in one process, reading included, "
                  "writing not; peak memory is the most a stage allocates at once on one document, traced "
                  "over the first 200):", "",
              "| stage | seconds | segments/s | documents/s | share of stage time | vs baseline "
              "| peak memory per document (KB) |",
              "|---|---:|---:|---:|---:|---:|---:|"]
    for r in result["stages"]:
        peak = f"{r['peak_kb']:,.0f}" if r["stage"] != "all stages" else ""
        lines.append(f"| {r['stage']} | {r['seconds']:.2f} | {r['segments_per_s']:,.0f} | "
                     f"{r['documents_per_s']:,.0f} | {r['share']:.0%} | {r['vs_langdetect']:.1f} | {peak} |")
    return "\n".join(lines)
