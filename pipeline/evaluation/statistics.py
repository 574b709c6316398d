"""What an evaluation's figures are worth: intervals, groups, calibration, ablation.

Reads an `evaluate.Evaluation` (after `cross_validate`, for held-out figures) and
returns plain data for `evaluate`'s text table and its HTML page:
- `bootstrap`: 95% intervals for precision, recall and F1, resampling whole documents
  (sentences of one page share a style, so they are not independent draws);
- `by_group`: the figures per document kind and per site;
- `reliability`: predicted score against the observed share garbled, in bins;
- `pr_curve`: precision and recall at each threshold;
- `ablation`: the cross-validated F1 without each feature, refitted each time.
Every random draw comes from a seeded generator, so the same labels give the same figures.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from .evaluate import Evaluation, Judged, metrics_of, pct

BOOTSTRAP_SAMPLES = 1000


@dataclass(frozen=True)
class Interval:
    value: float
    low: float
    high: float


def _prf(judged: list[Judged]) -> tuple[float, float, float]:
    m = metrics_of(judged)
    return m["precision"], m["recall"], m["f1"]


def bootstrap(ev: Evaluation, samples: int = BOOTSTRAP_SAMPLES, seed: int = 0) -> dict[str, Interval]:
    """Precision, recall and F1 with the 2.5th and 97.5th percentiles over `samples`
    resamplings of the documents (with replacement)."""
    import numpy as np

    by_doc: dict[str, list[Judged]] = defaultdict(list)
    for j in ev._pairs():
        by_doc[j.label["doc"]].append(j)
    names = sorted(by_doc)
    point = _prf(ev._pairs())
    if not names:
        return {k: Interval(v, v, v) for k, v in zip(("precision", "recall", "f1"), point)}
    rng = np.random.default_rng(seed)
    draws = []
    for _ in range(samples):
        picked = rng.integers(0, len(names), len(names))
        draws.append(_prf([j for i in picked for j in by_doc[names[i]]]))
    low = np.percentile(np.array(draws), 2.5, axis=0)
    high = np.percentile(np.array(draws), 97.5, axis=0)
    return {name: Interval(point[k], float(low[k]), float(high[k]))
            for k, name in enumerate(("precision", "recall", "f1"))}


def by_group(ev: Evaluation, key: str) -> list[tuple[str, dict]]:
    """(group, metrics) for each document kind (`key="kind"`) or site (`key="site"`)."""
    groups: dict[str, list[Judged]] = defaultdict(list)
    for j in ev.judged:
        groups[j.site if key == "site" else str(j.label.get(key))].append(j)
    return [(name, metrics_of(groups[name])) for name in sorted(groups)]


@dataclass(frozen=True)
class Bin:
    low: float
    high: float
    count: int
    mean_score: float
    share_garbled: float


def reliability(ev: Evaluation, bins: int = 10) -> list[Bin]:
    """Predicted score against the observed share of garbled sentences, in equal-width bins
    (empty bins left out). A well-calibrated score lies on the diagonal."""
    rows = [(j.score, j.label["label"] == "garbled") for j in ev._pairs() if j.score is not None]
    out = []
    for b in range(bins):
        low, high = b / bins, (b + 1) / bins
        inside = [(s, g) for s, g in rows if low <= s < high or (b == bins - 1 and s == 1.0)]
        if inside:
            out.append(Bin(low, high, len(inside), sum(s for s, _ in inside) / len(inside),
                           sum(g for _, g in inside) / len(inside)))
    return out


def pr_curve(ev: Evaluation, steps: int = 19) -> list[tuple[float, float, float]]:
    """(threshold, precision, recall) at thresholds 0.05, 0.10, ... 0.95, by the score."""
    rows = [(j.score, j.label["label"] == "garbled") for j in ev._pairs() if j.score is not None]
    garbled = sum(g for _, g in rows)
    out = []
    for k in range(1, steps + 1):
        t = k / (steps + 1)
        flagged = [g for s, g in rows if s >= t]
        tp = sum(flagged)
        out.append((t, tp / len(flagged) if flagged else 1.0, tp / garbled if garbled else 0.0))
    return out


def ablation(ev: Evaluation) -> list[tuple[str, float]]:
    """(feature, cross-validated F1 without it), for every feature the score combines that
    fires on these labels, weakest contribution last; the first row is every feature
    ("(none removed)")."""
    import numpy as np

    from . import fit
    from ..checks.score import FEATURES

    rows, X, y, docs = ev.matrix()
    decided = np.array([j.decided for j in rows])

    def f1_without(column: int | None) -> float:
        kept = X.copy()
        if column is not None:
            kept[:, column] = 0.0  # a feature that never fires contributes nothing
        flagged = fit.held_out_scores(kept, y, docs, target=fit.TARGET_PRECISION["rules"]).flagged | decided
        return fit.f_beta(*fit.scores_at(flagged.astype(float), y, 0.5), beta=1.0)

    fires = X.any(axis=0)  # a feature that never fires here has nothing to remove
    out = [(name, f1_without(k)) for k, name in enumerate(FEATURES) if fires[k]]
    return [("(none removed)", f1_without(None))] + sorted(out, key=lambda row: row[1])


def format_intervals(intervals: dict[str, Interval]) -> str:
    return "\n".join(["| measure | value | 95% interval (documents resampled) |", "|---|---:|---:|"] + [
        f"| {name} | {iv.value:.3f} | {iv.low:.3f} to {iv.high:.3f} |" for name, iv in intervals.items()])


def format_groups(groups: list[tuple[str, dict]], title: str) -> str:
    lines = [f"| {title} | garbled | flagged right | precision | recall | ok flagged |", "|---|---:|---:|---:|---:|---:|"]
    for name, m in groups:
        ok = m["ok_mt"] + m["ok_pro"] + m["ok_other_lang"]
        wrong = m["fp"]
        precision = f"{m['precision']:.2f}" if m["tp"] + m["fp"] and m["garbled"] else "n/a"
        recall = f"{m['recall']:.2f}" if m["garbled"] else "n/a"
        lines.append(f"| {name} | {m['garbled']} | {m['tp']} | {precision} | {recall} | "
                     f"{pct(wrong / ok if ok else None)} ({wrong}/{ok}) |")
    return "\n".join(lines)


def format_ablation(rows: list[tuple[str, float]]) -> str:
    full = rows[0][1]
    lines = ["| feature removed | cross-validated F1 | change |", "|---|---:|---:|"]
    lines += [f"| {name} | {f1:.3f} | {f1 - full:+.3f} |" for name, f1 in rows]
    return "\n".join(lines)
