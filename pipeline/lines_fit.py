"""Fit the plain-text line model (`pipeline.lines`): `python -m pipeline.lines_fit --garble-dev DIR
--extraction-dev DIR [--write]`.

Two labelled sources, both read from where they are (third-party pages, never copied):
- the garble development set: each labelled item's line is chrome (`boilerplate`) or
  article (`ok`, `garbled`);
- the extraction development set, as plain text (`page_lines`: each HTML block element's
  text on a line, as a page copied from a browser arrives): a line holding a `without`
  snippet is chrome, one holding a `with` snippet article.
Only lines no named pattern matched are fitted: the patterns decide their own lines, and
the model decides the rest. L2-regularised logistic regression (`checks.fit.fit`, prior
zero). It prints figures cross-validated by page (each page judged by weights fitted on
other pages, its threshold chosen on them alone) for each source, and writes
`line-weights.json` with `--write`.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
from pathlib import Path

import numpy as np

from .checks.fit import document_folds, fit, predict
from .lines import FEATURES, WEIGHTS_FILE
from .stages.boilerplate import line_rows, mark_by_rules, mark_repeats, split_lines

L2 = 0.01
FOLDS = 10
# The threshold: the lowest whose article lines marked chrome stay at or under this share
# on the training pages (losing article text costs more than keeping a menu line).
MOST_ARTICLE_LOST = 0.05

_BLOCK_TAGS = {"p", "div", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "td", "th", "table",
               "section", "article", "header", "footer", "nav", "aside", "main", "form", "blockquote", "br",
               "dd", "dt", "dl", "figure", "figcaption", "pre", "hr", "option", "label", "button"}


def page_lines(html: bytes) -> list[str]:
    """A page's text as a browser copy gives it: each block element's text on a line."""
    import lxml.html
    root = lxml.html.fromstring(html)
    for element in root.xpath("//script|//style|//noscript|//template|//svg|//head"):
        element.drop_tree()
    for element in root.iter():
        if isinstance(element.tag, str) and element.tag.lower() in _BLOCK_TAGS:
            try:
                element.text = "\n" + (element.text or "")
                element.tail = "\n" + (element.tail or "")
            except ValueError:  # a control character lxml refuses: leave the element as it is
                pass
    lines = (re.sub(r"[ \t\u00a0]+", " ", line).strip() for line in root.text_content().split("\n"))
    return [line for line in lines if line]




def garble_dev_rows(folder: Path):
    """(page, features, label) for each labelled line of the garble development set."""
    labels = [json.loads(x) for name in ("labels.jsonl", "labels-dev2.jsonl")
              for x in (folder / name).read_text(encoding="utf-8").splitlines() if x.strip()]
    by_doc: dict[str, list[dict]] = {}
    for label in labels:
        by_doc.setdefault(label["doc"], []).append(label)
    for doc, items in sorted(by_doc.items()):
        text = (folder / "docs" / f"{doc}.txt").read_text(encoding="utf-8")
        blocks = split_lines(text)
        lines = [text[b.start:b.end] for b in blocks]
        classes: dict[int, set[int]] = {}
        for label in items:
            at = -1
            for _ in range(label.get("occ", 1)):
                at = text.find(label["sentence"], at + 1)
            line = next((i for i, b in enumerate(blocks) if b.start <= at < b.end), None)
            if at >= 0 and line is not None:
                classes.setdefault(line, set()).add(int(label["label"] == "boilerplate"))
        yield from _rows(doc, lines, {i: c.pop() for i, c in classes.items() if len(c) == 1})


def extraction_dev_rows(folder: Path):
    """(page, features, label) for each line of the extraction set holding a snippet."""
    snippets = json.loads((folder / "snippets.json").read_text(encoding="utf-8"))
    for page, entry in sorted(snippets.items()):
        path = folder / "html" / f"{page}.gz"
        if not path.exists():
            continue
        lines = page_lines(gzip.decompress(path.read_bytes()))
        classes: dict[int, set[int]] = {}
        for label, key in ((0, "with"), (1, "without")):
            for snippet in entry[key]:
                for i, line in enumerate(lines):
                    if snippet in line:
                        classes.setdefault(i, set()).add(label)
        yield from _rows(page, lines, {i: c.pop() for i, c in classes.items() if len(c) == 1})


def _rows(page: str, lines: list[str], labels: dict[int, int]):
    """The labelled lines the line model would judge on a first pass: those the named
    patterns and the repeats rule leave, with the features the stage computes."""
    text = "\n".join(lines)
    blocks = split_lines(text)  # one block a line: `lines` holds no blank line
    mark_by_rules(text, blocks)
    mark_repeats(text, blocks)
    undecided, rows = line_rows(text, blocks)
    for i, features in zip(undecided, rows):
        if i in labels:
            yield page, [features[name] for name in FEATURES], labels[i]


def choose_threshold(p: np.ndarray, y: np.ndarray) -> float:
    """The lowest threshold (most chrome found) that marks at most MOST_ARTICLE_LOST of the
    article lines."""
    article = p[y == 0]
    for t in np.arange(0.2, 0.96, 0.01):
        if np.mean(article >= t) <= MOST_ARTICLE_LOST:
            return round(float(t), 2)
    return 0.95


def cross_validated(X: np.ndarray, y: np.ndarray, pages: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each line's probability and verdict from weights fitted on other pages, with the
    threshold chosen on those pages alone (by an inner cross-validation)."""
    prior = np.zeros(X.shape[1])
    p, flagged = np.zeros(len(y)), np.zeros(len(y), dtype=bool)
    for test in document_folds(pages, FOLDS):
        Xt, yt, pt = X[~test], y[~test], pages[~test]
        inner = np.zeros(len(yt))
        for fold in document_folds(pt, 5):
            b, w = fit(Xt[~fold], yt[~fold], l2=L2, prior=prior)
            inner[fold] = predict(b, w, Xt[fold])
        b, w = fit(Xt, yt, l2=L2, prior=prior)
        p[test] = predict(b, w, X[test])
        flagged[test] = p[test] >= choose_threshold(inner, yt)
    return p, flagged


def _report(name: str, y: np.ndarray, flagged: np.ndarray) -> dict:
    chrome, article = y == 1, y == 0
    recall = float(np.mean(flagged[chrome])) if chrome.any() else float("nan")
    lost = float(np.mean(flagged[article])) if article.any() else float("nan")
    print(f"{name}: {int(chrome.sum())} chrome lines, {int(article.sum())} article lines (no pattern matched): "
          f"chrome found {recall:.1%}, article marked chrome {lost:.1%}")
    return {"chrome_found": round(recall, 3), "article_marked_chrome": round(lost, 3)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m pipeline.lines_fit", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--garble-dev", type=Path, required=True, help="../shared/garble-dev")
    parser.add_argument("--extraction-dev", type=Path, required=True, help="../shared/extraction-dev")
    parser.add_argument("--write", action="store_true", help=f"write the weights to {WEIGHTS_FILE.name}")
    parser.add_argument("--only", choices=["garble-dev", "extraction-dev"],
                        help="fit on one source only (to measure the model on the other, which it never saw)")
    parser.add_argument("--out", type=Path, help="with --write: write the weights here instead "
                        "(for the line_weights setting)")
    args = parser.parse_args(argv)

    rows = [("garble-dev", *r) for r in garble_dev_rows(args.garble_dev)] if args.only != "extraction-dev" else []
    if args.only != "garble-dev":
        rows += [("extraction-dev", *r) for r in extraction_dev_rows(args.extraction_dev)]
    source = np.array([r[0] for r in rows])
    pages = np.array([f"{r[0]}/{r[1]}" for r in rows])
    X = np.array([r[2] for r in rows], dtype=float)
    y = np.array([r[3] for r in rows], dtype=float)
    p, flagged = cross_validated(X, y, pages)
    print(f"cross-validated by page ({FOLDS} folds):")
    figures = {name: _report(f"  {name}", y[source == name], flagged[source == name])
               for name in ("garble-dev", "extraction-dev") if name in source}
    prior = np.zeros(X.shape[1])
    b, w = fit(X, y, l2=L2, prior=prior)
    threshold = choose_threshold(predict(b, w, X), y)
    print(f"fitted on everything: threshold {threshold}")
    for name, weight in sorted(zip(FEATURES, w), key=lambda kv: -abs(kv[1])):
        print(f"  {name:20s} {weight:+.3f}")
    if args.write:
        data = {
            "about": "Fitted by python -m pipeline.lines_fit on the lines of ../shared/garble-dev and of "
                     "../shared/extraction-dev as plain text that no named pattern matched; see docs/chrome.md, "
                     "'Web chrome in plain text'.",
            "fitted_on": {"lines": len(y), "chrome": int(y.sum()), "pages": len(set(pages))},
            "cross_validated": figures,
            "bias": round(float(b), 4),
            "weights": {name: round(float(v), 4) for name, v in zip(FEATURES, w)},
            "threshold": threshold,
        }
        if args.only:
            data["about"] += f" Fitted on {args.only} only."
        target = args.out or WEIGHTS_FILE
        target.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
        print(f"wrote {target}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
