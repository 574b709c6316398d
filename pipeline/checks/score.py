"""The one place that turns check results into `garble_score` and `garbled`.

A logistic model: score = sigmoid(bias + sum(weight * feature)). The features are
counts of non-cosmetic flags (capped at 2), three measurements of the sentence, with a
parser four measurements of its parse (zero without one), and with the language-model
judge (`judge = "lm"`) the model's measurements of the sentence (`checks.lm`: four, and
the adequacy to its source where it has one).
The weights are plain numbers in `weights.json` (`weights-parse.json` for runs with the
parser, `weights-lm.json` for the language-model judge's sentences), fitted on the
development set by `python -m pipeline fit` (which also records how well they did there).
Decisive checks (Chinese characters left in the text, an error) make a segment garbled
whatever the model says; pinyin residue (a warning) does not. A measurement that carries
a garbled verdict becomes a flag (`explain`), so no verdict goes without a reason, and
`weighed_most` names the features that added most to a garbled score.
"""

from __future__ import annotations

import json
import math
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from ..document import Flag, Segment
from .catalogue import Check, catalogued
from .context import Context
from .lm import ADEQUACY_TYPICAL, LM_MEASURES, adequacy, least_likely
from .lm import measures as lm_measures
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
# The language-model judge's features: the checks' and the model's measurements beside them.
LM_FEATURES = FEATURES + LM_MEASURES
LM_WEIGHTS_FILE = Path(__file__).with_name("weights-lm.json")
# Features whose lower values say more (log-probabilities): of two segments, the lower counts.
LOWER_IS_STRONGER = frozenset({"lm_slor", "lm_mean", "lm_min", "lm_adequacy"})
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
    if sentence.is_code:  # a command or a listing: its length, words and commas say nothing of its prose
        values.update(dict.fromkeys(MEASURES + PARSE_MEASURES, 0.0))
        return values
    values["log_words"] = math.log1p(sentence.letter_runs)
    english = ctx.language(seg) == "en"
    values["rare_share"] = sentence.rare_share[0] if english else 0.0
    if english:
        verbs = len(sentence.finite_verbs)
        values["commas_per_verb"] = seg.cleaned.count(",") / (1 + verbs)
    else:
        values["commas_per_verb"] = 0.0
    values.update(parse_measures(ctx.parses.get(seg.cleaned)))
    reading = ctx.readings.get(seg.cleaned)
    if reading is not None:  # the language model read it (judge = "lm")
        values.update(lm_measures(seg.cleaned, reading, ctx.language(seg)))
        given = ctx.given.get((seg.source, seg.cleaned)) if seg.source else None
        values["lm_adequacy"] = adequacy(seg.cleaned, given, reading) - ADEQUACY_TYPICAL if given else 0.0
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
    judge: str = "rules"  # the judge whose features the weights are for
    # each feature's mean over the ok sentences it was fitted on: what an ordinary
    # sentence scores, against which `weighed_most` measures what a garbled one added
    ordinary: dict[str, float] = field(default_factory=dict)

    @classmethod
    def load(cls, path: Path = WEIGHTS_FILE) -> GarbleModel:
        return _load(str(path))

    def score(self, seg: Segment, ctx: Context) -> float:
        if any(f.code in DECISIVE and f.severity == "error" for f in seg.flags):
            return 1.0
        return _sigmoid(self.bias + sum(self.parts(features(seg, ctx)).values()))

    def explain(self, seg: Segment, ctx: Context, threshold: float) -> list[Flag]:
        """Flags for the measurements that carried a garbled score: each one past its
        floor (`MEASURE_FLOORS`) without which the score would fall under `threshold`,
        and, when the segment has no warning or error flag of a scored code, the one that
        added most. So every garbled verdict names what drove it."""
        if any(f.code in DECISIVE and f.severity == "error" for f in seg.flags):
            return []
        values = features(seg, ctx)
        parts = self.parts(values)
        z = self.bias + sum(parts.values())
        if _sigmoid(z) < threshold:
            return []
        pushing = [name for name in MEASURES + PARSE_MEASURES + LM_MEASURES if parts.get(name, 0.0) > 0]
        needed = [name for name in pushing
                  if values[name] >= MEASURE_FLOORS[name] and _sigmoid(z - parts[name]) < threshold]
        if not needed and pushing and not any(f.severity in ("warning", "error") and f.code in SCORED
                                              for f in seg.flags):
            needed = [max(pushing, key=parts.__getitem__)]
        flags = [_measure_flag(name, seg, values) for name in needed if name not in LM_MEASURES]
        if any(name in LM_MEASURES for name in needed):  # one flag for the model's reading
            flags.append(_unlikely_flag(seg, ctx, [name for name in needed if name in LM_MEASURES]))
        return flags

    def parts(self, values: dict[str, float]) -> dict[str, float]:
        """Each feature's share of the score (weight times value)."""
        return {name: self.weights.get(name, 0.0) * value for name, value in values.items()}

    def weighed_most(self, seg: Segment, ctx: Context, most: int = 3) -> list[str]:
        """The features that added most to the segment's score beyond what they add to an
        ordinary sentence (`ordinary`), in words, largest first (only those that added
        something): a sentence's length or its words' probabilities count only where they
        are unusual."""
        values = features(seg, ctx)
        added = {name: self.weights.get(name, 0.0) * (value - self.ordinary.get(name, 0.0))
                 for name, value in values.items()}
        top = sorted((v, name) for name, v in added.items() if v > 0.05)[::-1][:most]
        return [f"{DESCRIBED.get(name, name)} (+{v:.2f})" for v, name in top]



def _sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-z))


# The flag each measurement raises when it carries a garbled verdict (`GarbleModel.explain`),
# and the value under which it is not named beside other reasons: one comma is not a chain.
MEASURE_FLAGS = {"log_words": "long-sentence", "rare_share": "rare-words", "commas_per_verb": "comma-chain",
                 **dict.fromkeys(PARSE_MEASURES, "parse-structure"), **dict.fromkeys(LM_MEASURES, "unlikely-wording")}
MEASURE_FLOORS = {"log_words": math.log1p(35), "rare_share": 0.1, "commas_per_verb": 1.0,
                  **dict.fromkeys(PARSE_MEASURES, 1.0), **dict.fromkeys(LM_MEASURES, -math.inf)}
# Each feature in words, for a verdict's "weighed most".
DESCRIBED = {
    **{code: f"the {code} flag" for code in FLAG_FEATURES},
    "log_words": "its length", "rare_share": "its rare words", "commas_per_verb": "its commas per verb",
    "parse_verbless": "no finite verb in the parse", "parse_subjectless": "a verb with no subject in the parse",
    "parse_unattached": "words the parser cannot attach", "parse_extra_subjects": "more subjects than verbs",
    "lm_slor": "word sequences the language model finds unlikely for words this common",
    "lm_mean": "the language model's low average probability for its words",
    "lm_min": "a word the language model did not expect at all",
    "lm_unlikely_share": "many words the language model did not expect",
    "lm_adequacy": "its source makes it little more likely to the language model (a meaning of its own?)",
}
_PARSE_MESSAGES = {
    "parse_verbless": "The parser finds no finite verb in it",
    "parse_subjectless": "The parser finds a finite verb with no subject",
    "parse_unattached": "The parser cannot attach some words to the sentence's structure",
    "parse_extra_subjects": "The parser finds more subjects than verbs",
}


@catalogued(Check("unlikely-wording", "warning", "a garbled verdict that the language model's reading carried (judge = "
                  "\"lm\", raised by the score): the words it found least likely are marked",
                  "Reads unlike English around “rice change beans”", languages="en"))
def _unlikely_flag(seg: Segment, ctx: Context, names: list[str]) -> Flag:
    """`unlikely-wording`: the words the model found least likely, and what it measured."""
    text = seg.cleaned
    span = least_likely(text, ctx.readings[text]) or (0, len(text))
    said = "; ".join(DESCRIBED[name] for name in names)
    return Flag("unlikely-wording", "warning", f"Reads unlike English around “{text[span[0]:span[1]]}”: {said} "
                "tips its score over the threshold.", span[0], span[1])


@catalogued(
    Check("long-sentence", "warning", "a garbled verdict that the sentence's length carried (raised by the score)",
          "a 70-word list of districts and programmes"),
    Check("rare-words", "warning", "a garbled verdict that the share of rare words carried (raised by the score)",
          "Shimo mountain Yunnan Guizhou Plateau middle", languages="en"),
    Check("comma-chain", "warning", "a garbled verdict that many commas per verb carried (raised by the score)",
          "Walking, taking boats, chatting, leisurely, taking pictures, people enjoy ...", languages="en"),
    Check("parse-structure", "warning", "a garbled verdict that a parse measurement carried (with the parser only)",
          "Tourism index gradually picked up economic benefits significantly enhance ...", languages="en"),
)
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
    weights = {str(name): float(value) for name, value in dict(data["weights"]).items()}
    return GarbleModel(bias=float(data["bias"]), weights=weights, threshold=float(data["threshold"]),
                       judge=str(data.get("judge", "rules")),
                       ordinary={str(k): float(v) for k, v in dict(data.get("ordinary", {})).items()})
