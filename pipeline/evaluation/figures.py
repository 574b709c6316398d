"""What an evaluation reports beyond its counts: both judges side by side, and the whole
evaluation as one JSON object (`evaluate --format json`), intervals and groups included.
Reads an `evaluate.Evaluation`; the statistics are `statistics`.
"""

from __future__ import annotations

from .evaluate import Evaluation, cross_validate, lists
from .statistics import bootstrap, by_group, pr_curve


def side_by_side(ev: Evaluation) -> dict[str, dict]:
    """Both judges cross-validated on the same sentences (the language model's features are
    there; the rules judge leaves them out): each judge's metrics, control rates and
    precision/recall curve. `ev` is left judged by the judge it had."""
    own, out = ev.judge, {}
    for judge in ("rules", "lm"):
        ev.judge = judge
        cross_validate(ev)
        out[judge] = {"metrics": ev.metrics(), "controls": ev.control_rates(), "curve": pr_curve(ev)}
    ev.judge = own
    return out


def as_json(ev: Evaluation, heading: str, with_lists: bool = True, ablation: list[tuple[str, float]] | None = None) -> dict:
    """`evaluate --format json`: what the text output says, as one object for machines."""
    data = {"heading": heading, "metrics": ev.metrics(), "judge": ev.judge,
            "controls": {lang: {"sentences": n, "garbled": k} for lang, (k, n) in ev.control_rates().items()},
            "intervals": {name: vars(interval) for name, interval in bootstrap(ev).items()},
            "by_kind": dict(by_group(ev, "kind")), "by_site": dict(by_group(ev, "site")),
            "problems": ev.problems}
    if ablation is not None:
        data["ablation"] = dict(ablation)
    if with_lists:
        data["lists"] = {title: [{"doc": j.label["doc"], "sentence": j.label["sentence"], "score": j.score,
                                  "codes": j.codes(), **({"why": j.label["why"]} if j.label.get("why") else {})}
                                 for j in items] for title, items in lists(ev)}
    return data
