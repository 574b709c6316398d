"""Fit the garble score's weights on a labelled set: `python -m pipeline.checks.fit LABELS --docs DIR`.

L2-regularised logistic regression (plain numpy gradient descent: 16 features and a
few hundred sentences need nothing more) over the features of `score.features`, one
row per `garbled` or `ok` sentence. It prints leave-one-document-out results, which
estimate how the weights do on documents they were not fitted on, picks the
threshold, and writes `weights.json` (with `--write`).
"""

from __future__ import annotations

import argparse
import json
import sys

import numpy as np

from ..config import Settings
from ..evaluate import evaluate, load_labels
from .score import FEATURES, WEIGHTS_FILE

L2 = 0.001
# Weights before seeing data. The penalty pulls towards these rather than towards zero,
# so a check that the development set never exercises keeps the weight its design
# implies (a sentence ending mid-phrase is garbled) instead of dropping to nothing.
# Checks the data does exercise start from zero and are learnt.
PRIOR = {"truncated": 3.0, "stray-punct": 3.0, "low-fluency": 1.0, "wrong-language": 1.0,
         "number-mismatch": 1.0, "length-ratio": 1.0}
STEPS = 20000
LEARNING_RATE = 0.3
# Held-out precision the default threshold must keep (the target is 0.85); among
# thresholds that keep it, the one with the best held-out recall is the default.
MIN_PRECISION = 0.85


def fit(X: np.ndarray, y: np.ndarray, l2: float = L2, steps: int = STEPS) -> tuple[float, np.ndarray]:
    """Weights minimising mean log-loss + l2/2 * |w - prior|^2 (the bias is not penalised)."""
    n, d = X.shape
    prior = np.array([PRIOR.get(name, 0.0) for name in FEATURES])
    w, b = prior.copy(), 0.0
    for _ in range(steps):
        p = 1.0 / (1.0 + np.exp(-(X @ w + b)))
        grad_w = X.T @ (p - y) / n + l2 * (w - prior)
        grad_b = float(np.mean(p - y))
        w -= LEARNING_RATE * grad_w
        b -= LEARNING_RATE * grad_b
    return b, w


def predict(b: float, w: np.ndarray, X: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-(X @ w + b)))


def scores_at(p: np.ndarray, y: np.ndarray, threshold: float) -> tuple[float, float]:
    flagged = p >= threshold
    tp = float(np.sum(flagged & (y == 1)))
    precision = tp / max(1.0, float(np.sum(flagged)))
    recall = tp / max(1.0, float(np.sum(y == 1)))
    return precision, recall


def choose_threshold(p: np.ndarray, y: np.ndarray) -> float:
    """The threshold with the best recall whose precision stays >= MIN_PRECISION (else best F1)."""
    best, best_key = 0.5, (-1.0, -1.0)
    for t in np.arange(0.2, 0.9, 0.01):
        precision, recall = scores_at(p, y, t)
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        key = (recall if precision >= MIN_PRECISION else -1.0, f1)
        if key > best_key:
            best, best_key = round(float(t), 2), key
    return best


INNER_FOLDS = 5


def document_folds(docs: np.ndarray, k: int) -> list[np.ndarray]:
    """Up to `k` masks over the rows, each holding whole documents (dealt round-robin in
    sorted order, so the split is the same on every run)."""
    names = sorted(set(docs))
    groups = [names[i::k] for i in range(min(k, len(names)))]
    return [np.isin(docs, group) for group in groups]


def held_out_flags(X: np.ndarray, y: np.ndarray, docs: np.ndarray, steps: int = STEPS,
                   inner_folds: int = INNER_FOLDS) -> tuple[np.ndarray, dict[str, float]]:
    """Whether each row is flagged by a model that never saw its document: for each
    document, weights fitted on the others and a threshold chosen on the others alone
    (by an inner cross-validation over their documents). Returns the flags and each
    document's threshold."""
    flagged = np.zeros(len(y), dtype=bool)
    thresholds = {}
    for doc in sorted(set(docs)):
        test = docs == doc
        X_train, y_train, docs_train = X[~test], y[~test], docs[~test]
        inner = np.zeros(len(y_train))
        for fold in document_folds(docs_train, inner_folds):
            b, w = fit(X_train[~fold], y_train[~fold], steps=steps)
            inner[fold] = predict(b, w, X_train[fold])
        thresholds[doc] = choose_threshold(inner, y_train)
        b, w = fit(X_train, y_train, steps=steps)
        flagged[test] = predict(b, w, X[test]) >= thresholds[doc]
    return flagged, thresholds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m pipeline.checks.fit", description=__doc__)
    parser.add_argument("labels")
    parser.add_argument("--docs", required=True)
    parser.add_argument("--write", action="store_true", help=f"write the weights to {WEIGHTS_FILE}")
    args = parser.parse_args(argv)

    ev = evaluate(load_labels(args.labels), args.docs, Settings())
    rows = [j for j in ev.judged if j.label["label"] in ("garbled", "ok")]
    X = np.array([[j.features().get(name, 0.0) for name in FEATURES] for j in rows])
    y = np.array([1.0 if j.label["label"] == "garbled" else 0.0 for j in rows])
    docs = np.array([j.label["doc"] for j in rows])

    # leave one document out: each document scored by weights fitted on the others
    held_out = np.zeros(len(rows))
    for doc in sorted(set(docs)):
        test = docs == doc
        b, w = fit(X[~test], y[~test])
        held_out[test] = predict(b, w, X[test])
    threshold = choose_threshold(held_out, y)
    cv_p, cv_r = scores_at(held_out, y, threshold)
    b, w = fit(X, y)
    fit_p, fit_r = scores_at(predict(b, w, X), y, threshold)
    print(f"{len(rows)} sentences ({int(y.sum())} garbled) from {len(set(docs))} documents; threshold {threshold}")
    print(f"leave-one-document-out: precision {cv_p:.3f}, recall {cv_r:.3f}")
    print(f"fitted on everything:   precision {fit_p:.3f}, recall {fit_r:.3f}")
    for name, weight in sorted(zip(FEATURES, w), key=lambda kv: -abs(kv[1])):
        print(f"  {name:18s} {weight:+.3f}")
    if args.write:
        data = {
            "about": "Fitted by python -m pipeline.checks.fit on the garble development set "
                     "(../shared/garble-dev); see README, 'Garble score'.",
            "fitted_on": {"sentences": len(rows), "garbled": int(y.sum()), "documents": len(set(docs))},
            "leave_one_document_out": {"precision": round(cv_p, 3), "recall": round(cv_r, 3)},
            "bias": round(float(b), 4),
            "weights": {name: round(float(v), 4) for name, v in zip(FEATURES, w)},
            "threshold": threshold,
        }
        WEIGHTS_FILE.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
        print(f"wrote {WEIGHTS_FILE}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
