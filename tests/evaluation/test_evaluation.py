"""The evaluation's statistics and page (`pipeline.evaluation.statistics`, `evaluate --html`),
on labelled documents of our own."""

import json

import pytest

from pipeline.evaluation import statistics as stats
from pipeline.evaluation.evaluate import cross_validate, evaluate

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


# -- control pages: professional writing the verdict must stay quiet on ------------------------------

@pytest.fixture(scope="module")
def with_controls(tmp_path_factory):
    """The labelled documents above, and control pages of professionally written English
    of our own (instructions, quotes, contractions, captions) that the labels never saw."""
    folder = tmp_path_factory.mktemp("labelled-controls")
    labels = []
    for n in range(6):
        (folder / f"mt_{n:02d}.txt").write_text("\n\n".join(GARBLED + FINE) + "\n", encoding="utf-8")
        labels += [{"doc": f"mt_{n:02d}", "sentence": s, "label": "garbled", "kind": "mt"} for s in GARBLED]
        labels += [{"doc": f"mt_{n:02d}", "sentence": s, "label": "ok", "kind": "mt"} for s in FINE]
    controls = tmp_path_factory.mktemp("controls")
    prose = ["Stir the sauce and let it simmer for ten minutes.", "It’s not the first time the club has moved.",
             "“We’ll be back next year,” the organisers said.", "A lighthouse at dusk on the northern coast.",
             "Readers who wrote in last week asked for more recipes like this one.", "That's all for today."]
    for n in range(4):
        (controls / f"page{n}.txt").write_text("\n\n".join(prose[n:] + prose[:n]) + "\n", encoding="utf-8")
    return folder, labels, controls


def test_control_pages_are_measured_by_language_and_cross_validated(with_controls):
    folder, labels, controls = with_controls
    ev = evaluate(labels, folder, controls_dir=controls)
    assert {j.label["kind"] for j in ev.controls} == {"control"} and len(ev.controls) == 24
    assert {j.label["doc"] for j in ev.controls} == {f"control/page{n}" for n in range(4)}
    thresholds = cross_validate(ev, steps=50)
    assert set(thresholds) >= {"control/page0", "mt_00"}
    rates = ev.control_rates()
    assert set(rates) == {"en"} and rates["en"][1] == 24
    assert rates["en"][0] / rates["en"][1] <= 0.03  # quiet on ordinary writing, held out
    from pipeline.evaluation.evaluate import format_table
    assert "Control pages (4 pages of professional writing, 24 body sentences)" in format_table(ev)


def test_a_control_page_weighs_as_one_labelled_sentence():
    import numpy as np

    from pipeline.evaluation.fit import control_weights
    docs = np.array(["a", "a", "c/1", "c/1", "c/1", "c/1", "c/2"])
    control = np.array([False, False, True, True, True, True, True])
    assert control_weights(docs, control).tolist() == [1.0, 1.0, 0.25, 0.25, 0.25, 0.25, 1.0]


def test_the_threshold_reaches_the_target_precision_and_keeps_controls_quiet():
    import numpy as np

    from pipeline.evaluation.fit import CONTROL_RATE, choose_threshold
    rng = np.random.default_rng(1)
    y = np.array([1.0] * 40 + [0.0] * 60 + [0.0] * 200)
    control = np.array([False] * 100 + [True] * 200)
    lang = np.array([""] * 100 + ["en"] * 200)
    p = np.concatenate([rng.uniform(0.4, 1.0, 40), rng.uniform(0.0, 0.7, 60), rng.uniform(0.0, 0.9, 200)])
    t = choose_threshold(p, y, control, 0.85, lang)
    flagged = p[:100] >= t
    assert np.sum(flagged & (y[:100] == 1)) / max(1, flagged.sum()) >= 0.85
    assert np.mean(p[control] >= t) <= CONTROL_RATE
    assert choose_threshold(p, y, control, 0.85, lang) == t  # the same every time


def test_the_page_draws_a_curve_per_judge(tmp_path, labelled):
    from pipeline.evaluation.evaluate import lists, pct
    from pipeline.outputs.report import render_evaluation
    curve = stats.pr_curve(labelled)
    page = render_evaluation(labelled, "test", stats.bootstrap(labelled, samples=50), [], [], stats.reliability(labelled),
                             [("rules", curve), ("lm", curve[::-1])], None, lists(labelled), pct)
    assert page.count('class="curve"') == 2 and 'data-judge="rules"' in page and 'data-judge="lm"' in page
    assert "one line per judge" in page


# -- reviewers' verdicts as labels -----------------------------------------------------------------

def test_reviewers_verdicts_become_labels_and_weights_a_run_uses(tmp_path):
    from pipeline.run.batch import run_batch
    from pipeline.cli import main
    from pipeline.config import Settings
    from pipeline.decisions.store import ReviewStore
    from pipeline.evaluation.review_labels import review_rows, rewrites

    assert rewrites("the plan rice change beans was good", "the plan to change crops worked well")
    assert not rewrites("The county built a new school in 2019 .", "The county built a new school in 2019.")
    page = tmp_path / "in" / "page.txt"
    page.parent.mkdir()
    page.write_text("\n\n".join(GARBLED + FINE) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    run_batch([str(page)], out, Settings(), reports=False)
    records = [json.loads(line) for line in (out / "segments.jsonl").read_text().splitlines()]
    key = {r["cleaned"]: r["key"] for r in records}
    with ReviewStore(out / "review.sqlite") as store:
        store.add("page", {"segment": key[GARBLED[0]], "action": "post-edit",
                           "text": "Families were willing and motivated to move."})  # a rewrite: garbled
        store.add("page", {"segment": key[GARBLED[1]], "action": "post-edit",
                           "text": "For the village reconstruction of the county ."})  # a fix: no label
        store.add("page", {"segment": key[FINE[0]], "action": "accept"})
        store.add("page", {"segment": key[FINE[1]], "action": "dismiss-flag", "code": "fragment", "start": 0, "end": 5})
    rows = review_rows(out / "review.sqlite", Settings())
    labels = {j.label["sentence"]: j.label["label"] for j in rows}
    assert labels == {GARBLED[0]: "garbled", FINE[0]: "ok", FINE[1]: "ok"}
    assert {j.label["doc"] for j in rows} == {"review/page"} and all(j.label["kind"] == "review" for j in rows)

    # fit on labels and the reviews, write weights, and have a run use them
    docs = tmp_path / "docs"
    docs.mkdir()
    labelled = []
    for n in range(4):
        (docs / f"d{n}.txt").write_text("\n\n".join(GARBLED + FINE) + "\n", encoding="utf-8")
        labelled += [{"doc": f"d{n}", "sentence": s, "label": "garbled", "kind": "mt"} for s in GARBLED]
        labelled += [{"doc": f"d{n}", "sentence": s, "label": "ok", "kind": "mt"} for s in FINE]
    (tmp_path / "labels.jsonl").write_text("".join(json.dumps(x) + "\n" for x in labelled), encoding="utf-8")
    weights = tmp_path / "team-weights.json"
    assert main(["fit", str(tmp_path / "labels.jsonl"), "--docs", str(docs), "--reviews", str(out / "review.sqlite"),
                 "--out", str(weights)]) == 0
    data = json.loads(weights.read_text())
    assert data["judge"] == "rules" and "reviewers' verdicts" in data["about"] and 0.2 <= data["threshold"] < 0.95
    other = tmp_path / "out2"
    run_batch([str(page)], other, Settings(weights=str(weights)), reports=False)
    rescored = [json.loads(line) for line in (other / "segments.jsonl").read_text().splitlines()]
    assert [r["cleaned"] for r in rescored] == [r["cleaned"] for r in records]  # weights judge, never edit
    assert json.loads((other / "summary.json").read_text())["settings"]["weights"] == str(weights)


def test_a_weights_file_that_is_not_one_is_a_settings_error(tmp_path):
    from pipeline.config import Settings, SettingsError
    from pipeline.stages import build_stages
    bad = tmp_path / "w.json"
    bad.write_text('{"bias": 1}', encoding="utf-8")
    with pytest.raises(SettingsError, match="not a weights file"):
        build_stages(Settings(weights=str(bad)))
