"""The one place that turns check results into `garble_score` and `garbled`.

A logistic model: score = sigmoid(bias + sum(weight * feature)). The features are
counts of non-cosmetic flags (capped at 2), three measurements of the sentence and,
with a parser, four measurements of its parse (zero without one).
The weights are plain numbers in `weights.json` (`weights-parse.json` for runs with the
parser), fitted on the development set by `python -m pipeline.checks.fit` (which also
records how well they did there).
Decisive checks (Chinese characters left in the text, an error) make a segment garbled
whatever the model says; pinyin residue (a warning) does not. A measurement that carries
a garbled verdict becomes a flag (`explain`), so no verdict goes without a reason.
"""

from __future__ import annotations

import json
import math
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..document import Flag, Segment
from .context import Context
from .sentence import letter_runs, words_of

WEIGHTS_FILE = Path(__file__).with_name("weights.json")
# The weights for runs with the parser: the same model with the parse measurements fitted too.
PARSE_WEIGHTS_FILE = Path(__file__).with_name("weights-parse.json")
FLAG_FEATURES = ("fragment", "comma-splice", "broken-structure", "repetition", "calque", "unbalanced", "truncated", "stray-punct",
                 "low-fluency", "too-long", "term-discouraged", "wrong-language", "number-mismatch",
                 "length-ratio", "untranslated",  # untranslated: pinyin residue (the error is decisive)
                 "missing-space")
MEASURES = ("log_words", "rare_share", "commas_per_verb")
# Measurements of the parse (`checks.parse`), zero without a parser: no finite verb at all,
# finite verbs with no subject, words the parser could not attach, more subjects than verbs.
PARSE_MEASURES = ("parse_verbless", "parse_subjectless", "parse_unattached", "parse_extra_subjects")
FEATURES = FLAG_FEATURES + MEASURES + PARSE_MEASURES
DECISIVE = {"untranslated", "untranslated-segment"}
# Codes that can carry a verdict; the others (an address or code not carried over, a term
# rendered two ways) are no reason for one.
SCORED = set(FLAG_FEATURES) | DECISIVE


def features(seg: Segment, ctx: Context) -> dict[str, float]:
    values = dict.fromkeys(FLAG_FEATURES, 0.0)
    for code, count in Counter(f.code for f in seg.flags).items() if seg.flags else ():
        if code in values:
            values[code] = float(min(count, 2))
    sentence = ctx.sentence(seg.cleaned)
    values["log_words"] = math.log1p(sentence.letter_runs)
    values["rare_share"] = sentence.rare_share[0] if ctx.lang == "en" else 0.0
    if ctx.lang == "en":
        verbs = len(sentence.finite_verbs)
        values["commas_per_verb"] = seg.cleaned.count(",") / (1 + verbs)
    else:
        values["commas_per_verb"] = 0.0
    values.update(parse_measures(ctx.parses.get(seg.cleaned)))
    return values


def parse_measures(parse) -> dict[str, float]:
    """`PARSE_MEASURES` of a sentence's parse (all zero when it was not parsed)."""
    if parse is None:
        return dict.fromkeys(PARSE_MEASURES, 0.0)
    words = [w for w in parse.words if w.tag not in _PUNCT_TAGS]
    finite = parse.finite_verbs()
    subjects = sum(w.dep in ("nsubj", "nsubjpass") for w in parse.words)
    # a main verb with no subject ("..., is conducive to"); a coordinated verb shares its head's
    subjectless = sum(parse.words[i].dep == "ROOT" and not parse.has_subject(i) for i in finite)
    return {
        "parse_verbless": float(not finite and len(words) > 3),
        "parse_subjectless": float(min(2, subjectless)),
        "parse_unattached": float(min(2, sum(w.dep == "dep" for w in parse.words))),
        "parse_extra_subjects": float(min(2, max(0, subjects - len(finite)))) if finite else 0.0,
    }


_PUNCT_TAGS = {".", ",", ":", "``", "''", "-LRB-", "-RRB-", "HYPH", "NFP", "$", "#"}


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
        return _sigmoid(self.bias + sum(self.weights.get(name, 0.0) * value
                                        for name, value in features(seg, ctx).items()))

    def explain(self, seg: Segment, ctx: Context, threshold: float) -> list[Flag]:
        """Flags for the measurements that carried a garbled score: each one past its
        floor (`MEASURE_FLOORS`) without which the score would fall under `threshold`,
        and, when the segment has no warning or error flag of a scored code, the one that
        added most. So every garbled verdict names what drove it."""
        if any(f.code in DECISIVE and f.severity == "error" for f in seg.flags):
            return []
        values = features(seg, ctx)
        parts = {name: self.weights.get(name, 0.0) * values[name] for name in FEATURES}
        z = self.bias + sum(parts.values())
        if _sigmoid(z) < threshold:
            return []
        pushing = [name for name in MEASURES + PARSE_MEASURES if parts[name] > 0]
        needed = [name for name in pushing
                  if values[name] >= MEASURE_FLOORS[name] and _sigmoid(z - parts[name]) < threshold]
        if not needed and pushing and not any(f.severity in ("warning", "error") and f.code in SCORED
                                              for f in seg.flags):
            needed = [max(pushing, key=parts.__getitem__)]
        return [_measure_flag(name, seg, values) for name in needed]



def _sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-z))


# The flag each measurement raises when it carries a garbled verdict (`GarbleModel.explain`),
# and the value under which it is not named beside other reasons: one comma is not a chain.
MEASURE_FLAGS = {"log_words": "long-sentence", "rare_share": "rare-words", "commas_per_verb": "comma-chain",
                 **dict.fromkeys(PARSE_MEASURES, "parse-structure")}
MEASURE_FLOORS = {"log_words": math.log1p(35), "rare_share": 0.1, "commas_per_verb": 1.0,
                  **dict.fromkeys(PARSE_MEASURES, 1.0)}
_PARSE_MESSAGES = {
    "parse_verbless": "The parser finds no finite verb in it",
    "parse_subjectless": "The parser finds a finite verb with no subject",
    "parse_unattached": "The parser cannot attach some words to the sentence's structure",
    "parse_extra_subjects": "The parser finds more subjects than verbs",
}


def _measure_flag(name: str, seg: Segment, values: dict[str, float]) -> Flag:
    text = seg.cleaned
    if name == "log_words":
        message = f"{letter_runs(words_of(text))} words: the sentence's length is what tips its score over the threshold."
    elif name == "rare_share":
        message = (f"{values['rare_share']:.0%} of its words are ones English text almost never uses "
                   "(pinyin, misspellings, invented compounds): that tips its score over the threshold.")
    elif name in _PARSE_MESSAGES:
        message = f"{_PARSE_MESSAGES[name]}: that tips its score over the threshold."
    else:
        message = (f"{text.count(',')} commas for its verbs: clauses or items strung together with no structure "
                   "to hold them, which tips its score over the threshold.")
    return Flag(MEASURE_FLAGS[name], "warning", message, 0, len(text))


@lru_cache(maxsize=4)
def _load(path: str) -> GarbleModel:
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    return GarbleModel(bias=data["bias"], weights=dict(data["weights"]), threshold=data["threshold"])
