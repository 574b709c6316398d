"""The evaluation's statistics and page (`pipeline.evaluation_stats`, `evaluate --html`),
on labelled documents of our own."""

import json

import pytest

from pipeline import evaluation_stats as stats
from pipeline.evaluate import cross_validate, evaluate

GARBLED = ["Motivation and willingness to relocate.", "For the village reconstruction of the county.",
           "The people the people moved to the new houses."]
FINE = ["The county built a new school in 2019.", "Most families now work in the town.",
        "The road to the village opened in May."]


@pytest.fixture(scope="module")
def labelled(tmp_path_factory):
    folder = tmp_path_factory.mktemp("labelled")
    labels = []
    for n in range(5):
        site = "site_a" if n < 3 else "site_b"
        (folder / f"{site}_{n:02d}.txt").write_text("\n\n".join(GARBLED + FINE) + "\n", encoding="utf-8")
        labels += [{"doc": f"{site}_{n:02d}", "sentence": s, "label": "garbled", "kind": "mt"} for s in GARBLED]
        labels += [{"doc": f"{site}_{n:02d}", "sentence": s, "label": "ok", "kind": "mt"} for s in FINE]
    ev = evaluate(labels, folder)
    cross_validate(ev, steps=50)
    return ev


def test_bootstrap_intervals_hold_the_figure_and_repeat(labelled):
    first, second = stats.bootstrap(labelled, samples=200), stats.bootstrap(labelled, samples=200)
    assert first == second  # seeded: the same labels give the same intervals
    for name, iv in first.items():
        assert 0.0 <= iv.low <= iv.value <= iv.high <= 1.0, name


def test_bootstrap_resamples_documents_not_sentences(labelled):
    # every document is the same text, so every resampling of documents gives the same
    # figures: the interval has no width
    iv = stats.bootstrap(labelled, samples=100)["recall"]
    assert iv.low == iv.high == iv.value


def test_figures_by_site_and_kind(labelled):
    sites = dict(stats.by_group(labelled, "site"))
    assert sorted(sites) == ["site_a", "site_b"]
    assert sites["site_a"]["garbled"] == 9 and sites["site_b"]["garbled"] == 6
    assert [name for name, _ in stats.by_group(labelled, "kind")] == ["mt"]


def test_reliability_and_curve(labelled):
    bins = stats.reliability(labelled)
    assert sum(b.count for b in bins) == len(labelled._pairs())
    assert all(b.low <= b.mean_score <= b.high and 0 <= b.share_garbled <= 1 for b in bins)
    curve = stats.pr_curve(labelled)
    recalls = [r for _, _, r in curve]
    assert recalls == sorted(recalls, reverse=True)  # a higher threshold never finds more


def test_ablation_lists_every_feature(labelled):
    from pipeline.checks.score import FEATURES
    rows = stats.ablation(labelled)
    assert rows[0][0] == "(none removed)" and {name for name, _ in rows[1:]} <= set(FEATURES)
    assert "fragment" in {name for name, _ in rows[1:]} and "number-mismatch" not in {name for name, _ in rows[1:]}
    assert all(0.0 <= f1 <= 1.0 for _, f1 in rows)


def test_the_page_escapes_label_text_and_makes_no_request(tmp_path, labelled):
    from pipeline.cli import main
    folder = tmp_path / "docs"
    folder.mkdir()
    hostile = 'The <script>alert(1)</script> road <img src="http://example.com/x.png"> opened.'
    (folder / "d1_01.txt").write_text(hostile + "\n\n" + FINE[0] + "\n", encoding="utf-8")
    (tmp_path / "labels.jsonl").write_text(json.dumps({"doc": "d1_01", "sentence": hostile, "label": "garbled",
                                                       "kind": "mt", "why": "<b>bold</b>"}) + "\n", encoding="utf-8")
    page = tmp_path / "eval.html"
    assert main(["evaluate", str(tmp_path / "labels.jsonl"), "--docs", str(folder), "--html", str(page),
                 "--summary"]) == 0
    html = page.read_text(encoding="utf-8")
    assert "<script>alert" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<b>bold</b>" not in html and '<img src="http' not in html
    assert "default-src 'none'" in html and "<svg" in html
