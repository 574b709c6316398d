"""Fit the garble score's weights on a labelled set: `python -m pipeline fit LABELS --docs DIR`.

The rows are the labelled sentences (and, with `--controls`, the body sentences of
professionally written pages as `ok`; with `--reviews`, reviewers' verdicts). `fit_main`
prints cross-validated results by document, which estimate how the weights do on documents
they were not fitted on, picks the threshold (`fit.choose_threshold`), and writes the
weights file (with `--write` or `--out`). The fitting itself is `evaluation.fit`.
"""

from __future__ import annotations

import argparse
import json
import sys

import numpy as np

from ..config import Settings, SettingsError
from .evaluate import evaluate, load_labels
from .fit import (STEPS, TARGET_PRECISION, fit_rows, choose_threshold, held_out_scores, outer_folds, predict,
                  scores_at, weights_file)


def fit_main(argv: list[str] | None = None) -> int:

    parser = argparse.ArgumentParser(prog="python -m pipeline fit", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("labels", nargs="+", help="label files (JSONL), read together")
    parser.add_argument("--docs", required=True)
    parser.add_argument("--controls", metavar="DIR",
                        help="professionally written pages (no labels): their body sentences enter as ok")
    parser.add_argument("--reviews", metavar="DB", action="append", default=[],
                        help="a review database (DIR/review.sqlite): reviewers' verdicts enter as labels")
    parser.add_argument("--judge", choices=["rules", "lm"], default="rules",
                        help="fit the default judge's weights, or the language-model judge's")
    parser.add_argument("--parser", choices=["spacy", "none"], default="none",
                        help="fit the weights for runs without the parser (none, the default) or with it")
    parser.add_argument("--write", action="store_true", help="write the shipped weights file of the judge")
    parser.add_argument("--out", metavar="FILE", help="write the weights here (for the weights setting)")
    args = parser.parse_args(argv)

    settings = Settings(parser=args.parser, judge=args.judge)
    if args.judge == "lm":
        from ..stages.garble import prepare_judge
        settings, note = prepare_judge(settings)
        if note:
            print(f"error: {note}", file=sys.stderr)
            return 2
    try:
        ev = evaluate([label for path in args.labels for label in load_labels(path)], args.docs, settings,
                      controls_dir=args.controls)
        if args.reviews:
            from .review_labels import review_rows
            ev.extra_rows = [row for db in args.reviews for row in review_rows(db, settings)]
    except SettingsError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    # The language-model judge's weights are fitted on what it judges: the sentences the
    # model read (English prose); the rules weights on every sentence.
    judged, rows = ev.rows(args.judge)
    target = TARGET_PRECISION[args.judge]
    # The shipped threshold: chosen on held-out scores (each fold scored by weights fitted
    # on the others), as the figures below choose theirs inside the folds.
    held = held_out_scores(rows, target=target, outer_folds=outer_folds(rows))
    labelled = ~rows.control
    flagged = held.flagged | rows.decided
    tp = int(np.sum(flagged & labelled & (rows.y == 1)))
    found = int(np.sum(flagged & labelled))
    cv_p, cv_r = tp / max(1, found), tp / max(1, int(np.sum(rows.y[labelled])))
    reviewed = np.array([j.label.get("kind") == "review" for j in judged], dtype=bool)
    threshold = choose_threshold(np.where(rows.decided, 1.0, held.scores), rows.y, rows.control, target, rows.lang)
    b, w = fit_rows(rows, STEPS)
    scores = np.where(rows.decided, 1.0, predict(b, w, rows.X))
    fit_p, fit_r = scores_at(scores[labelled], rows.y[labelled], threshold)
    print(f"{int(labelled.sum())} labelled sentences ({int(rows.y.sum())} garbled) from "
          f"{len(set(rows.docs[labelled]))} documents, {int(rows.control.sum())} control sentences from "
          f"{len(set(rows.docs[rows.control]))} pages; judge {args.judge}; threshold {threshold} "
          f"(target precision {target})")
    print(f"cross-validated by document: precision {cv_p:.3f} ({tp}/{found}), recall {cv_r:.3f}"
          + (f", control sentences marked {np.mean(flagged[rows.control]):.1%}" if rows.control.any() else ""))
    for name, part in (("the shipped labels", labelled & ~reviewed), ("the reviewers' verdicts", reviewed)):
        if reviewed.any() and part.any():
            hits = int(np.sum(flagged & part & (rows.y == 1)))
            print(f"  of which {name}: precision {hits / max(1, int(np.sum(flagged & part))):.3f}, recall "
                  f"{hits / max(1, int(np.sum(rows.y[part]))):.3f} ({int(part.sum())} sentences, "
                  f"{int(rows.y[part].sum())} garbled)")
    print(f"fitted on everything:        precision {fit_p:.3f}, recall {fit_r:.3f}")
    for name, weight in sorted(zip(rows.names, w), key=lambda kv: -abs(kv[1])):
        print(f"  {name:18s} {weight:+.3f}")
    target_file = args.out or (weights_file(args.judge, args.parser) if args.write else None)
    if target_file:
        data = {
            "about": "Fitted by python -m pipeline fit on the garble development set (../shared/garble-dev)"
                     + (" with professionally written control pages" if rows.control.any() else "")
                     + (" and reviewers' verdicts" if args.reviews else "") + "; see docs/garble.md, 'Garble score'.",
            "judge": args.judge,
            "fitted_on": {"sentences": int(labelled.sum()), "garbled": int(rows.y.sum()),
                          "documents": len(set(rows.docs[labelled])), "control_sentences": int(rows.control.sum()),
                          "control_pages": len(set(rows.docs[rows.control]))},
            "cross_validated": {"precision": round(cv_p, 3), "recall": round(cv_r, 3)},
            "bias": round(float(b), 4),
            "weights": {name: round(float(v), 4) for name, v in zip(rows.names, w)},
            "threshold": threshold,
            # what an ordinary sentence scores: the mean of each feature over the ok labelled sentences
            "ordinary": {name: round(float(v), 4) for name, v in
                         zip(rows.names, rows.X[labelled & (rows.y == 0)].mean(axis=0))},
        }
        try:
            with open(target_file, "w", encoding="utf-8") as out:
                out.write(json.dumps(data, indent=2) + "\n")
        except OSError as exc:
            print(f"error: cannot write {target_file}: {exc}", file=sys.stderr)
            return 2
        print(f"wrote {target_file}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(fit_main())
