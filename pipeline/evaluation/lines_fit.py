"""Fit and measure the plain-text line model (`pipeline.text.lines`):

    python -m pipeline fit lines --garble-dev DIR --extraction-dev DIR [--by site|page] [--write]

Two labelled sources, both read from where they are (third-party pages, never copied):
- the garble development set (every `labels*.jsonl` file): a labelled item is chrome
  (`boilerplate`) or article (`ok`, `garbled`);
- the extraction development set, as plain text (`page_lines`: each HTML block element's
  text on a line, as a page copied from a browser arrives): a `without` snippet is chrome,
  a `with` snippet article.

The model is fitted on the lines the stage's first pass leaves (`mark_known_chrome`:
named patterns, lines the batch repeats, lines said again): L2-regularised logistic
regression (`evaluation.fit.fit`, prior zero). It is measured end to end: each page is run
through the whole boilerplate stage with weights and thresholds fitted on other sites
(`--by site`, the default: a site's pages share their chrome, so a model that has seen one
of them has seen the others) or other pages (`--by page`), and every labelled item is
scored as `evaluate` scores it: chrome found when every block over it is chrome, article
lost when any is. Figures are printed by source and by kind of chrome; `--write` writes
`line-weights.json` fitted on everything.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

import numpy as np

from ..config import Settings
from ..document import BOILERPLATE, Document
from ..run.recurring import RecurringLines
from ..stages.boilerplate import Boilerplate, line_rows, mark_known_chrome, split_lines
from ..text.lines import FEATURES, WEIGHTS_FILE, LineModel
from .fit import document_folds, fit, predict

L2 = 0.01
FOLDS = 10
# The threshold, chosen on the training pages alone: the lowest whose article lines
# marked chrome stay at or under this share (losing article text costs more than keeping
# a menu line; a line over it is chrome only where it touches chrome).
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


@dataclass
class Item:
    """A labelled span of a page: chrome or article text, and the kind of chrome."""
    start: int
    end: int
    chrome: bool
    kind: str = ""


@dataclass
class Page:
    source: str  # "garble-dev" | "extraction-dev"
    name: str
    site: str
    text: str
    items: list[Item] = field(default_factory=list)
    recurring: frozenset[str] = frozenset()


# The kinds of chrome the closing figures are given by, read from a label's reason.
KINDS = (
    ("metadata and datelines", r"date|time|metadata|hits|view|click|count|field|updat|weather|duration|keyword|tag"),
    ("bylines and credits", r"byline|credit|author|source|reporter|signature|agency|photo|picture"),
    ("widgets", r"widget|share|newsletter|skip|advertis|comment|consent|print|font|image|file name|placeholder"),
    ("navigation, related links, series", r"breadcrumb|navigation|section|site|related|series|teaser|menu|label"),
)


def kind_of(why: str, sentence: str) -> str:
    """The kind of a chrome item, from its reason (or its text, where none is given)."""
    for kind, pattern in KINDS:
        if re.search(pattern, why, re.IGNORECASE):
            return kind
    fallback = (("navigation, related links, series", r"location|previous|next|related|^•"),
                ("widgets", r"font|print|share"), ("bylines and credits", r"website|source"))
    for kind, pattern in fallback:
        if re.search(pattern, sentence, re.IGNORECASE):
            return kind
    return "other"


def garble_site(doc: str) -> str:
    """The site a garble-dev page comes from: its name without the set's prefix and the
    page number ("mt3_qihe_01" -> "qihe", "pro_people_01" and "fr_people_01" -> "people")."""
    name = re.sub(r"^(?:mt|pro|fr|es|pt|de)\d?(?:de|fr|es)?_", "", doc)
    return re.sub(r"_\d+$", "", name).split("_")[0]


def garble_dev_pages(folder: Path) -> list[Page]:
    labels = [json.loads(x) for path in sorted(folder.glob("labels*.jsonl"))
              for x in path.read_text(encoding="utf-8").splitlines() if x.strip()]
    by_doc: dict[str, list[dict]] = defaultdict(list)
    for label in labels:
        by_doc[label["doc"]].append(label)
    pages = []
    for doc, items in sorted(by_doc.items()):
        path = folder / "docs" / f"{doc}.txt"
        if not path.exists():
            continue
        page = Page("garble-dev", doc, garble_site(doc), path.read_text(encoding="utf-8"))
        for label in items:
            at = -1
            for _ in range(int(label.get("occ", 1))):
                at = page.text.find(label["sentence"], at + 1)
            if at >= 0:
                chrome = label["label"] == "boilerplate"
                page.items.append(Item(at, at + len(label["sentence"]), chrome,
                                       kind_of(label.get("why", ""), label["sentence"]) if chrome else ""))
        pages.append(page)
    return pages


def extraction_dev_pages(folder: Path) -> list[Page]:
    snippets = json.loads((folder / "snippets.json").read_text(encoding="utf-8"))
    pages = []
    for name, entry in sorted(snippets.items()):
        path = folder / "html" / f"{name}.gz"
        if not path.exists():
            continue
        page = Page("extraction-dev", name, urlparse(entry.get("url", "")).netloc.removeprefix("www.") or name,
                    "\n".join(page_lines(gzip.decompress(path.read_bytes()))))
        for chrome, key in ((False, "with"), (True, "without")):
            for snippet in entry[key]:
                at = page.text.find(snippet)
                if at >= 0:
                    page.items.append(Item(at, at + len(snippet), chrome))  # no kinds: snippets have no reasons
        pages.append(page)
    return pages


def with_recurring(pages: list[Page]) -> None:
    """Each page's lines its source's other pages share (`pipeline.run.recurring`), as a batch
    run counts them: the garble pages are one batch, the extraction pages another."""
    for source in {p.source for p in pages}:
        group = [p for p in pages if p.source == source]
        docs = [Document(p.name, p.name, "txt", p.text) for p in group]
        counts = RecurringLines.count(docs)
        for page, doc in zip(group, docs):
            page.recurring = counts.of(doc)


def fitting_rows(page: Page) -> list[tuple[list[float], int]]:
    """(features, 1 chrome / 0 article) of each labelled line the line model judges on
    its first pass: the lines `mark_known_chrome` leaves, whose items agree."""
    blocks = mark_known_chrome(page.text, split_lines(page.text), page.recurring)
    undecided, rows = line_rows(page.text, blocks)
    out = []
    for i, features in zip(undecided, rows):
        block = blocks[i]
        labels = {item.chrome for item in page.items if item.start < block.end and block.start < item.end}
        if len(labels) == 1:
            out.append(([features[name] for name in FEATURES], int(labels.pop())))
    return out


def choose_threshold(p: np.ndarray, y: np.ndarray) -> float:
    """The lowest threshold (most chrome found) that marks at most MOST_ARTICLE_LOST of the
    article lines."""
    article = p[y == 0]
    for t in np.arange(0.2, 0.96, 0.01):
        if np.mean(article >= t) <= MOST_ARTICLE_LOST:
            return round(float(t), 2)
    return 0.95


def fit_model(pages: list[Page]) -> LineModel:
    """Weights fitted on the labelled lines of `pages`, the threshold chosen on those pages by
    an inner cross-validation (the probabilities of lines the weights were fitted on are
    too sure of themselves)."""
    rows = [(page.site, x, y) for page in pages for x, y in fitting_rows(page)]
    sites = np.array([r[0] for r in rows])
    X = np.array([r[1] for r in rows], dtype=float)
    y = np.array([r[2] for r in rows], dtype=float)
    prior = np.zeros(X.shape[1])
    inner = np.zeros(len(y))
    for fold in document_folds(sites, 5):
        b, w = fit(X[~fold], y[~fold], l2=L2, prior=prior)
        inner[fold] = predict(b, w, X[fold])
    b, w = fit(X, y, l2=L2, prior=prior)
    return LineModel(float(b), {name: float(v) for name, v in zip(FEATURES, w)}, choose_threshold(inner, y))


def judge(page: Page, model: LineModel | None) -> list[bool]:
    """Whether the boilerplate stage, with `model` as its line model (none: patterns
    only), marks each item of the page chrome: a chrome item when every block over it is,
    an article item when any is."""
    stage = Boilerplate(Settings(line_model=False))
    stage.lines = model
    doc = Document(page.name, page.name, "txt", page.text, recurring_lines=page.recurring)
    blocks = stage(doc).blocks
    out = []
    for item in page.items:
        over = [b.kind == BOILERPLATE for b in blocks if b.start < item.end and item.start < b.end]
        out.append(all(over) if item.chrome else any(over))
    return out


def cross_validated(pages: list[Page], by: str) -> dict[str, list[bool]]:
    """Each page's verdicts from a model fitted on other sites' (or pages') pages."""
    groups = np.array([page.site if by == "site" else f"{page.source}/{page.name}" for page in pages])
    verdicts = {}
    for test in document_folds(groups, FOLDS):
        model = fit_model([p for p, t in zip(pages, test) if not t])
        for page, t in zip(pages, test):
            if t:
                verdicts[f"{page.source}/{page.name}"] = judge(page, model)
    return verdicts


def figures(pages: list[Page], verdicts: dict[str, list[bool]]) -> dict:
    """Chrome found and article lost, by source and, for chrome, by kind."""
    found: Counter = Counter()
    total: Counter = Counter()
    for page in pages:
        for item, marked in zip(page.items, verdicts[f"{page.source}/{page.name}"]):
            keys = ([(page.source, "chrome")] + ([(page.source, item.kind)] if item.kind else [])
                    if item.chrome else [(page.source, "article")])
            for key in keys:
                total[key] += 1
                found[key] += marked
    return {f"{source} / {what}": {"marked": found[(source, what)], "of": n,
                                    "share": round(found[(source, what)] / n, 3)}
            for (source, what), n in sorted(total.items())}


def print_table(columns: dict[str, dict]) -> None:
    rows = sorted({row for figs in columns.values() for row in figs})
    print("| | " + " | ".join(columns) + " |")
    print("|---|" + "---:|" * len(columns))
    for row in rows:
        cells = [f"{figs[row]['share']:.1%} ({figs[row]['marked']}/{figs[row]['of']})" if row in figs else ""
                 for figs in columns.values()]
        print(f"| {row} | " + " | ".join(cells) + " |")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m pipeline fit lines", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--garble-dev", type=Path, required=True, help="../shared/garble-dev")
    parser.add_argument("--extraction-dev", type=Path, required=True, help="../shared/extraction-dev")
    parser.add_argument("--by", choices=["site", "page"], default="site",
                        help="cross-validate by site (default) or by page")
    parser.add_argument("--write", action="store_true", help=f"write the weights to {WEIGHTS_FILE.name}")
    parser.add_argument("--out", type=Path, help="with --write: write the weights here instead "
                        "(for the line_weights setting)")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args(argv)

    pages = garble_dev_pages(args.garble_dev) + extraction_dev_pages(args.extraction_dev)
    with_recurring(pages)
    shipped = LineModel.load()
    columns = {
        "patterns only": figures(pages, {f"{p.source}/{p.name}": judge(p, None) for p in pages}),
        "shipped weights (in-sample)": figures(pages, {f"{p.source}/{p.name}": judge(p, shipped) for p in pages}),
        f"cross-validated by {args.by}": figures(pages, cross_validated(pages, args.by)),
    }
    sites = len({p.site for p in pages})
    print(f"{len(pages)} pages of {sites} sites; 'marked' is chrome found for chrome rows, "
          f"article lost for article rows")
    print_table(columns)
    model = fit_model(pages)
    print(f"fitted on everything: threshold {model.threshold}")
    for name, weight in sorted(model.weights.items(), key=lambda kv: -abs(kv[1])):
        print(f"  {name:20s} {weight:+.3f}")
    if args.json:
        args.json.write_text(json.dumps(columns, indent=1) + "\n", encoding="utf-8")
    if args.write:
        rows = [r for page in pages for r in fitting_rows(page)]
        data = {
            "about": "Fitted by python -m pipeline fit lines on the lines of ../shared/garble-dev and of "
                     "../shared/extraction-dev as plain text that the stage's first pass leaves; see "
                     "docs/chrome.md, 'Web chrome in plain text'.",
            "fitted_on": {"lines": len(rows), "chrome": sum(y for _, y in rows), "pages": len(pages), "sites": sites},
            "cross_validated_by": args.by,
            "cross_validated": columns[f"cross-validated by {args.by}"],
            "bias": round(model.bias, 4),
            "weights": {name: round(v, 4) for name, v in model.weights.items()},
            "threshold": model.threshold,
        }
        target = args.out or WEIGHTS_FILE
        target.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
        print(f"wrote {target}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
