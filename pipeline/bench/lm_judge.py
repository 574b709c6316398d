"""`python -m pipeline bench lm`: what the language-model judge costs, as ratios measured in one run.

- Reading speed: the judge's tokens per second (`LanguageModel.read` with no reading
  cache: tokenising, the shared prefix, decoding, log-probabilities, token offsets)
  against llama.cpp alone decoding the same tokens in the same calls with the same
  threads (only `llama_decode`, no Python around it). Target: at least 0.8 of llama.cpp's.
- A repeated sentence: read once (the reading cache answers the second time).
- Two workers: a whole `python -m pipeline run --judge lm` over the same documents with
  `--jobs 2` against `--jobs 1`, each with an empty reading cache. Target: 1.7x.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from ..checks import lm
from . import fixture_sentences, synthetic_batch


def _llama_alone(model: lm._Loaded, texts: list[str]) -> tuple[int, float]:
    """Tokens and seconds for llama.cpp to decode `texts` as the judge does (each after the
    shared prefix, one call each, every token's logits wanted), and nothing else."""
    n_prefix, _ = model._prefix("en")
    tokenised = [model.tokenize(t, False)[:lm.MAX_TOKENS] for t in texts]
    L = model.L
    start = time.perf_counter()
    for tokens in tokenised:
        L.llama_memory_seq_cp(model.memory, 0, 1, 0, n_prefix)
        model._decode([(t, n_prefix + j, 1, j < len(tokens) - 1) for j, t in enumerate(tokens)])
        L.llama_memory_seq_rm(model.memory, 1, -1, -1)
    return sum(map(len, tokenised)), time.perf_counter() - start


def bench_lm(repeats: int = 3, sentences: int = 96, threads: int | None = None, documents: int = 40) -> dict:
    threads = threads or os.cpu_count() or 1
    path = lm.model_file()
    texts = list(dict.fromkeys(fixture_sentences()))[:sentences]
    ours, alone = [], []
    model = lm.LanguageModel(path, threads)  # no reading cache: every sentence is read
    loaded = model._model()
    model.read(texts[:4])  # the prefix and first allocations, out of the timing
    for _ in range(repeats):
        tokens, seconds = _llama_alone(loaded, texts)
        alone.append(tokens / seconds)
        before = model.tokens_read
        start = time.perf_counter()
        model.read(list(texts))
        ours.append((model.tokens_read - before) / (time.perf_counter() - start))
    with tempfile.TemporaryDirectory() as folder:
        cached = lm.LanguageModel(path, threads, cache=lm.ReadingCache(Path(folder) / "readings.sqlite"))
        cached.read(texts[:8])
        first = cached.tokens_read
        cached.read(texts[:8] + texts[:8])
        repeated_tokens = cached.tokens_read - first
    jobs = _jobs_ratio(documents, repeats)
    return {"threads": threads, "sentences": len(texts), "ours": statistics.median(ours),
            "llama": statistics.median(alone), "repeated_tokens": repeated_tokens, **jobs}


def _jobs_ratio(documents: int, repeats: int) -> dict:
    """Seconds of a whole run with --judge lm over `documents` synthetic articles (varied
    sentences from the fixtures', `bench.synthetic_batch`), one job and two, each with an
    empty reading cache."""
    times: dict[int, list[float]] = {1: [], 2: []}
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder)
        inputs = base / "in"
        sentences = len(synthetic_batch(inputs, documents))
        cache = base / "cache"
        lm.model_file(cache / "models")  # assembled once, outside the timing
        for _ in range(repeats):
            for jobs in (1, 2):
                for stale in cache.glob("lm-readings-*"):
                    stale.unlink()
                out = base / f"out{jobs}"
                shutil.rmtree(out, ignore_errors=True)
                env = {**os.environ, "PIPELINE_CACHE_DIR": str(cache)}
                start = time.perf_counter()
                subprocess.run([sys.executable, "-m", "pipeline", "run", str(inputs), "--out", str(out), "--quiet",
                                "--no-report", "--no-cache", "--no-config", "--judge", "lm", "--jobs", str(jobs)],
                               check=True, env=env, stdin=subprocess.DEVNULL)
                times[jobs].append(time.perf_counter() - start)
        same = (base / "out1" / "segments.jsonl").read_bytes() == (base / "out2" / "segments.jsonl").read_bytes()
    one, two = statistics.median(times[1]), statistics.median(times[2])
    return {"one_job": one, "two_jobs": two, "jobs_speedup": one / two, "same_bytes": same,
            "run_documents": documents, "run_sentences": sentences}


def format_lm(row: dict) -> str:
    ratio = row["ours"] / row["llama"]
    lines = ["| measure | value | target |", "|---|---:|---:|",
             f"| judge's reading, tokens/s ({row['threads']} threads, {row['sentences']} sentences) | "
             f"{row['ours']:.0f} | |",
             f"| llama.cpp alone on the same tokens and calls, tokens/s | {row['llama']:.0f} | |",
             f"| judge / llama.cpp | {ratio:.2f} | >= 0.80 |",
             f"| tokens read again for 8 sentences read a second time | {row['repeated_tokens']} | 0 |",
             f"| whole run of {row['run_documents']} documents ({row['run_sentences']} sentences), --jobs 1 / "
             f"--jobs 2 (s) | {row['one_job']:.1f} / {row['two_jobs']:.1f} | |",
             f"| --jobs 2 speed-up | {row['jobs_speedup']:.2f}x | >= 1.7x |",
             f"| --jobs 2 output identical to --jobs 1 | {'yes' if row['same_bytes'] else 'NO'} | yes |"]
    return "\n".join(lines)
