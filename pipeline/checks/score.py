"""The one place that turns check results into `garble_score` and `garbled`.

A logistic model: score = sigmoid(bias + sum(weight * feature)). The features are
counts of non-cosmetic flags (capped at 2) and three measurements of the sentence.
The weights are plain numbers in `weights.json`, fitted on the development set by
`python -m pipeline.checks.fit` (which also records how well they did there).
Decisive checks (Chinese characters left in the text, an error) make a segment garbled
whatever the model says; pinyin residue (a warning) does not.
"""

from __future__ import annotations

import json
import math
from collections import Counter
from dataclasses import dataclass
from functools import cached_property, lru_cache
from operator import mul
from pathlib import Path

from ..document import Segment
from . import english
from .context import Context
from .grammar import rare_word_share, tokenise
from .surface import letter_runs

WEIGHTS_FILE = Path(__file__).with_name("weights.json")
FLAG_FEATURES = ("fragment", "comma-splice", "broken-structure", "repetition", "calque", "unbalanced", "truncated", "stray-punct",
                 "low-fluency", "too-long", "term-discouraged", "wrong-language", "number-mismatch",
                 "length-ratio")
MEASURES = ("log_words", "rare_share", "commas_per_verb")
FEATURES = FLAG_FEATURES + MEASURES
DECISIVE = {"untranslated", "untranslated-segment"}


def features(seg: Segment, ctx: Context) -> dict[str, float]:
    values = dict.fromkeys(FLAG_FEATURES, 0.0)
    for code, count in Counter(f.code for f in seg.flags).items() if seg.flags else ():
        if code in values:
            values[code] = float(min(count, 2))
    values["log_words"] = math.log1p(letter_runs(seg.cleaned))
    values["rare_share"] = rare_word_share(seg.cleaned)[0] if ctx.lang == "en" else 0.0
    if ctx.lang == "en":
        verbs = len(english.finite_verbs(tokenise(seg.cleaned).words))
        values["commas_per_verb"] = seg.cleaned.count(",") / (1 + verbs)
    else:
        values["commas_per_verb"] = 0.0
    return values


@dataclass(frozen=True)
class GarbleModel:
    bias: float
    weights: dict[str, float]
    threshold: float

    @classmethod
    def load(cls, path: Path = WEIGHTS_FILE) -> GarbleModel:
        return _load(str(path))

    def score(self, seg: Segment, ctx: Context) -> float:
        if any(f.code in DECISIVE and f.severity == "error" for f in seg.flags):
            return 1.0
        z = self.bias + sum(map(mul, self._weights_in_order, features(seg, ctx).values()))
        return 1.0 / (1.0 + math.exp(-z))

    @cached_property
    def _weights_in_order(self) -> tuple[float, ...]:
        """The weights in the order `features` lists its values (FEATURES)."""
        return tuple(self.weights.get(name, 0.0) for name in FEATURES)


@lru_cache(maxsize=4)
def _load(path: str) -> GarbleModel:
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    return GarbleModel(bias=data["bias"], weights=dict(data["weights"]), threshold=data["threshold"])
