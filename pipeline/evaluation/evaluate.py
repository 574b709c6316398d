"""`python -m pipeline evaluate LABELS.jsonl --docs DIR`: measure the detector on labelled text.

Labels are one JSON object per sentence: {"doc", "sentence", "label", "kind", ...}
with label `garbled`, `ok` or `boilerplate` and kind `mt`, `pro` or `other_lang`
(the format of ../shared/garble-dev). Each labelled sentence is found in its
document's text (the `occ`-th occurrence); a segment overlaps it where the two share
a letter or digit (a quote mark placed on the other side of a cut does not count); a
sentence counts as flagged when any segment overlapping it is garbled, as boilerplate when every segment overlapping it
is boilerplate, and as body wrongly marked boilerplate when any is.

Control pages (`--controls DIR`: professionally written pages, no labels, such as those
of ../shared/extraction-dev) measure the verdict on ordinary writing: every body segment
of theirs that is prose is taken as `ok`, and the share marked garbled is reported by
language (cross-validated with `--cv`, where their pages are folds too and also enter
the fitting, as `evaluation.fit` describes).
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from ..checks import Context
from ..checks.score import DECISIVE, FEATURES, LM_FEATURES, LOWER_IS_STRONGER, features
from ..config import Settings, SettingsError
from ..document import BODY, BOILERPLATE, Document, Segment
from ..formats.read import ReadFailure, read_file
from ..run.batch import BuiltStages
from ..run.recurring import RecurringLines, count_files, is_plain_text_page
from ..stages import stage_named

LABELS = ("garbled", "ok", "boilerplate")
_WORD_CHAR = re.compile(r"[^\W_]")


@dataclass
class Judged:
    label: dict
    segments: list[Segment]
    doc: Document
    held_out: bool | None = None  # the verdict of a model fitted without this document (`cross_validate`)
    held_out_score: float | None = None  # and its score
    ctx: Context | None = None  # what the garble stage knew of the document (its parses among it)
    alignment: str = ""  # "own", "shared" or "split": how the sentence's segments fall (`_align`)

    @property
    def flagged(self) -> bool:
        if self.held_out is not None:
            return self.held_out
        return any(s.garbled for s in self.segments)

    @property
    def score(self) -> float | None:
        """The garble score that decides `flagged`: held out when cross-validated."""
        if self.held_out is not None:
            return 1.0 if self.decided else self.held_out_score
        scores = [s.garble_score for s in self.segments if s.garble_score is not None]
        return max(scores) if scores else None

    @property
    def site(self) -> str:
        """The label's `site`, or its document id less a trailing number ("mt_nayong_01" -> "mt_nayong")."""
        return self.label.get("site") or re.sub(r"_\d+$", "", self.label["doc"])

    @property
    def read(self) -> bool:
        """Whether the language model read the sentence (judge = "lm": English prose)."""
        return self.ctx is not None and any(s.cleaned in self.ctx.readings for s in self.segments)

    @property
    def decided(self) -> bool:
        """Garbled whatever the model says (Chinese left in the text: `score.DECISIVE`)."""
        return any(f.code in DECISIVE and f.severity == "error" for s in self.segments for f in s.flags)

    @property
    def boilerplate(self) -> bool:
        return bool(self.segments) and all(s.kind == BOILERPLATE for s in self.segments)

    @property
    def touches_boilerplate(self) -> bool:
        return any(s.kind == BOILERPLATE for s in self.segments)

    def features(self) -> dict[str, float]:
        """The strongest value of each feature over the overlapping segments (for fitting):
        the largest, or for the language model's log-probabilities the lowest."""
        ctx = self.ctx or Context(self.doc, self.doc.lang)
        out: dict[str, float] = {}
        for seg in self.segments:
            if seg.kind != BOILERPLATE:
                for name, value in features(seg, ctx).items():
                    stronger = min if name in LOWER_IS_STRONGER else max
                    out[name] = stronger(out[name], value) if name in out else value
        return out

    def codes(self) -> list[str]:
        return sorted({f.code for s in self.segments for f in s.flags})

    def reasons(self) -> str:
        codes, score = self.codes(), self.score
        return f"score {score:.2f}" + (f", {', '.join(codes)}" if codes else "") if score is not None else "not judged"


@dataclass
class Evaluation:
    judged: list[Judged] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    # body sentences of control pages, each labelled ok with kind "control" (`evaluate`'s controls_dir)
    controls: list[Judged] = field(default_factory=list)
    # labelled rows from elsewhere (reviewers' verdicts: `review_labels`), fitted with the rest
    extra_rows: list[Judged] = field(default_factory=list)
    judge: str = "rules"  # the judge whose features `rows` reads

    def _pairs(self):
        return [j for j in self.judged if j.label["label"] in ("garbled", "ok")]

    def metrics(self) -> dict:
        return metrics_of(self.judged)

    def control_rates(self) -> dict[str, tuple[int, int]]:
        """Per language of the control sentences: (marked garbled, sentences)."""
        out: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        for j in self.controls:
            out[j.label["lang"]][0] += j.flagged
            out[j.label["lang"]][1] += 1
        return {lang: (n[0], n[1]) for lang, n in sorted(out.items(), key=lambda kv: -kv[1][1])}

    def rows(self, judge: str = "rules"):
        """What a fit reads (`fit.Rows`): the garbled/ok sentences, reviewers'
        verdicts and control sentences (for the language-model judge, those the model
        read), each with the judge's features, its label (1.0 garbled), document, weight,
        language and whether it is a control; and the `Judged` of each row, in order."""
        import numpy as np

        from .fit import Rows, control_weights

        judged = self._pairs() + self.extra_rows + self.controls
        if judge == "lm":
            judged = [j for j in judged if j.read]
        names = LM_FEATURES if judge == "lm" else FEATURES
        X = np.array([[j.features().get(name, 0.0) for name in names] for j in judged]).reshape(len(judged), len(names))
        y = np.array([1.0 if j.label["label"] == "garbled" else 0.0 for j in judged])
        docs = np.array([j.label["doc"] for j in judged])
        control = np.array([j.label.get("kind") == "control" for j in judged], dtype=bool)
        decided = np.array([j.decided for j in judged], dtype=bool)
        lang = np.array([j.label.get("lang", "") for j in judged])
        return judged, Rows(X, y, docs, names, control_weights(docs, control), control, decided, lang)

    def matrix(self):
        """The labelled garbled/ok sentences alone (no reviews, no controls) as `rows`
        gives them: the sentences, features (`FEATURES` order), labels and documents."""
        judged, rows = self.rows()
        n = len(self._pairs())  # `rows` lists them first
        return judged[:n], rows.X[:n], rows.y[:n], rows.docs[:n]

    def misses(self) -> list[Judged]:
        return [j for j in self._pairs() if j.label["label"] == "garbled" and not j.flagged]

    def false_alarms(self) -> list[Judged]:
        return [j for j in self._pairs() if j.label["label"] == "ok" and j.flagged]

    def boilerplate_misses(self) -> list[Judged]:
        return [j for j in self.judged if j.label["label"] == "boilerplate" and not j.boilerplate]

    def body_as_boilerplate(self) -> list[Judged]:
        return [j for j in self._pairs() if j.touches_boilerplate]


def metrics_of(judged: list[Judged]) -> dict:
    """Precision, recall, F1, false-flag rates, boilerplate and alignment figures of
    these labelled sentences."""
    pairs = [j for j in judged if j.label["label"] in ("garbled", "ok")]
    tp = sum(j.flagged for j in pairs if j.label["label"] == "garbled")
    fp = sum(j.flagged for j in pairs if j.label["label"] == "ok")
    fn = sum(not j.flagged for j in pairs if j.label["label"] == "garbled")
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    out = {"sentences": len(judged), "garbled": tp + fn, "tp": tp, "fp": fp, "fn": fn,
           "precision": precision, "recall": recall, "f1": f1}
    for kind in ("mt", "pro", "other_lang"):
        ok = [j for j in pairs if j.label["label"] == "ok" and j.label.get("kind") == kind]
        out[f"false_flags_{kind}"] = (sum(j.flagged for j in ok) / len(ok)) if ok else None
        out[f"ok_{kind}"] = len(ok)
    pro = [j for j in pairs if j.label["label"] == "ok" and j.label.get("kind") in ("pro", "other_lang")]
    out["false_flags_professional"] = sum(j.flagged for j in pro) / len(pro) if pro else None
    boiler = [j for j in judged if j.label["label"] == "boilerplate"]
    out["boilerplate_recall"] = sum(j.boilerplate for j in boiler) / len(boiler) if boiler else None
    out["body_marked_boilerplate"] = (sum(j.touches_boilerplate for j in pairs) / len(pairs)) if pairs else None
    for way in ALIGNMENTS:
        out[f"sentences_{way}"] = sum(j.alignment == way for j in pairs) / len(pairs) if pairs else None
    out["long_shared_segments"] = len(long_shared_segments(judged))
    return out


def long_shared_segments(judged: list[Judged], words: int = 80) -> list[Segment]:
    """Body segments over `words` words that hold more than one labelled sentence."""
    seen: dict[tuple[int, int], Segment] = {}
    for j in judged:
        if j.alignment == "shared":
            for seg in j.segments:
                if seg.kind != BOILERPLATE and len(seg.cleaned.split()) > words:
                    seen[(id(j.doc), seg.index)] = seg
    return list(seen.values())


ALIGNMENTS = ("own", "shared", "split")


def _share_words(text: str, a: int, b: int, c: int, d: int) -> bool:
    """Whether the spans [a, b) and [c, d) of `text` share a letter or digit (or, for a
    span with none, such as a row of image placeholders, any character)."""
    if max(a, c) >= min(b, d):
        return False
    if _WORD_CHAR.search(text, c, d) is None or _WORD_CHAR.search(text, a, b) is None:
        return True
    return _WORD_CHAR.search(text, max(a, c), min(b, d)) is not None


def _align(found: list[tuple[int, int, Judged]]) -> None:
    """Set each labelled sentence's `alignment`: `split` when several segments overlap it,
    `shared` when its one segment also overlaps another labelled sentence, else `own`."""
    for start, end, judged in found:
        if len(judged.segments) > 1:
            judged.alignment = "split"
            continue
        seg = judged.segments[0] if judged.segments else None
        others = seg is not None and any(o is not judged and _share_words(o.doc.text, seg.start, seg.end, s, e)
                                         for s, e, o in found)
        judged.alignment = "shared" if others else "own"


def cross_validate(ev: Evaluation, steps: int | None = None) -> dict[str, float]:
    """Replace each garbled/ok sentence's (and control sentence's) verdict with that of a
    model fitted without its document, the threshold chosen inside the folds to reach the
    judge's target precision (`fit.held_out_scores`); the metrics are then
    cross-validated. Returns each document's threshold."""
    from . import fit

    thresholds = {}
    # as the garble stage judges: the rules every sentence, then (judge = "lm") the
    # language model's judge the sentences it read
    for judge in ("rules", "lm") if ev.judge == "lm" else ("rules",):
        judged, rows = ev.rows(judge)
        if not judged:
            continue
        held_out = fit.held_out_scores(rows, target=fit.TARGET_PRECISION[judge],
                                       outer_folds=fit.outer_folds(rows),
                                       **({"steps": steps} if steps else {}))
        for j, verdict, score in zip(judged, held_out.flagged, held_out.scores):
            j.held_out = bool(verdict) or j.decided
            j.held_out_score = float(score)
        thresholds.update(held_out.thresholds)
    return thresholds


def format_side_by_side(judges: dict[str, dict]) -> str:
    """The judges' cross-validated figures in columns."""
    names = list(judges)
    rows = [("precision", lambda m: f"{m['precision']:.3f} ({m['tp']}/{m['tp'] + m['fp']})"),
            ("recall", lambda m: f"{m['recall']:.3f} ({m['tp']}/{m['garbled']})"),
            ("F1", lambda m: f"{m['f1']:.3f}"),
            ("professional text flagged", lambda m: pct(m["false_flags_professional"])),
            ("ok machine translation flagged", lambda m: pct(m["false_flags_mt"]))]
    lines = ["Judges side by side (cross-validated by document):", "",
             "| measure | " + " | ".join(names) + " |", "|---|" + "---:|" * len(names)]
    lines += [f"| {label} | " + " | ".join(show(judges[n]["metrics"]) for n in names) + " |" for label, show in rows]
    langs = list(dict.fromkeys(lang for n in names for lang in judges[n]["controls"]))
    for lang in langs:
        cells = []
        for n in names:
            k, total = judges[n]["controls"].get(lang, (0, 0))
            cells.append(pct(k / total) if total else "n/a")
        lines.append(f"| control sentences marked garbled, {lang} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def load_labels(path: str | Path) -> list[dict]:
    labels = []
    path = Path(path)
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise SettingsError(f"{path}: cannot read labels: {exc}") from None
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            label = json.loads(line)
        except json.JSONDecodeError as exc:
            raise SettingsError(f"{path}:{n}: not JSON: {exc.msg}") from None
        if not isinstance(label, dict) or not {"doc", "sentence", "label"} <= label.keys():
            raise SettingsError(f"{path}:{n}: a label needs 'doc', 'sentence' and 'label'")
        if label["label"] not in LABELS:
            raise SettingsError(f"{path}:{n}: label must be one of {', '.join(LABELS)}, got {label['label']!r}")
        labels.append(label)
    return labels


def _find(text: str, sentence: str, occ: int) -> int:
    start = -1
    for _ in range(occ):
        start = text.find(sentence, start + 1)
        if start < 0:
            return -1
    return start


def evaluate(labels: list[dict], docs_dir: str | Path, settings: Settings | None = None,
             built: BuiltStages | None = None, controls_dir: str | Path | None = None) -> Evaluation:
    """The labelled sentences judged by the stages (`built`, else built from `settings`),
    and, with `controls_dir`, every body sentence of professionally written pages."""
    settings = settings or Settings()
    built = built if built is not None else BuiltStages.of(settings)
    garble = stage_named(built.stages, "garble")
    docs_dir = Path(docs_dir)
    result = Evaluation(judge="lm" if garble.language_model else "rules")
    if controls_dir is not None:
        result.controls = control_sentences(Path(controls_dir), settings, built)
    by_doc: dict[str, list[dict]] = defaultdict(list)
    for label in labels:
        by_doc[label["doc"]].append(label)
    files = {doc_id: sorted(docs_dir.glob(f"{doc_id}.*"))[:1] for doc_id in by_doc}
    # the labelled documents are read as one batch: the lines they share are the sites'
    recurring = count_files([f for found in files.values() for f in found], settings.encoding) \
        if settings.boilerplate and settings.recurring_lines else RecurringLines()
    for doc_id, doc_labels in by_doc.items():
        if not files[doc_id]:
            result.problems.append(f"{doc_id}: no document {doc_id}.* in {docs_dir}")
            continue
        items = list(read_file(files[doc_id][0], doc_id, settings.encoding))
        if not items or isinstance(items[0], ReadFailure):
            result.problems.append(f"{files[doc_id][0]}: {items[0].reason if items else 'empty'}")
            continue
        if is_plain_text_page(files[doc_id][0]):
            items[0].recurring_lines = recurring.of(items[0])
        doc = built.process(items[0])
        ctx = garble.context(doc)
        found = []
        for label in doc_labels:
            start = _find(doc.text, label["sentence"], int(label.get("occ", 1)))
            if start < 0:
                result.problems.append(f"{doc_id}: sentence not found: {label['sentence'][:60]!r}")
                continue
            end = start + len(label["sentence"])
            # a segment overlaps the sentence where they share a letter or digit, not
            # only a quote mark or space the two place differently
            overlapping = [s for s in doc.segments if _share_words(doc.text, s.start, s.end, start, end)]
            found.append((start, end, Judged(label, overlapping, doc, ctx=ctx)))
        _align(found)
        result.judged.extend(j for _, _, j in found)
    return result


CONTROL_SUFFIXES = (".txt", ".html", ".htm")


def control_sentences(folder: Path, settings: Settings, built: BuiltStages) -> list[Judged]:
    """Every body segment that is prose (not code, with letters) of the pages in `folder`,
    as an `ok` sentence of kind "control" with its segment's language (the language its
    checks read it in)."""
    if not folder.is_dir():
        raise SettingsError(f"--controls {folder}: no such folder")
    files = sorted(p for p in folder.iterdir() if p.suffix.lower() in CONTROL_SUFFIXES)
    if not files:
        raise SettingsError(f"--controls {folder}: no .txt or .html pages in it (unpack .gz pages first)")
    garble = stage_named(built.stages, "garble")
    recurring = count_files(files, settings.encoding) if settings.boilerplate and settings.recurring_lines \
        else RecurringLines()
    out = []
    for path in files:
        for doc in read_file(path, path.stem, settings.encoding):
            if isinstance(doc, ReadFailure):
                continue
            if is_plain_text_page(path):
                doc.recurring_lines = recurring.of(doc)
            doc = built.process(doc)
            ctx = garble.context(doc)
            for seg in doc.segments:
                if seg.kind != BODY or not _WORD_CHAR.search(seg.cleaned) or ctx.sentence(seg.cleaned).is_code:
                    continue
                label = {"doc": f"control/{doc.id}", "sentence": seg.cleaned, "label": "ok", "kind": "control",
                         "lang": ctx.language(seg)}
                out.append(Judged(label, [seg], doc, ctx=ctx, alignment="own"))
    return out


def lists(ev: Evaluation) -> list[tuple[str, list[Judged]]]:
    """The labelled sentences a reviewer should look at, by what went wrong."""
    return [("Missed (garbled, not flagged)", ev.misses()),
            ("False alarms (ok, flagged)", ev.false_alarms()),
            ("Boilerplate missed", ev.boilerplate_misses()),
            ("Body marked boilerplate", ev.body_as_boilerplate()),
            ("Sharing a segment", [j for j in ev._pairs() if j.alignment == "shared"]),
            ("Split over segments", [j for j in ev._pairs() if j.alignment == "split"])]


def format_lists(ev: Evaluation) -> str:
    lines: list[str] = []
    for title, items in lists(ev):
        lines += ["", f"{title}: {len(items)}"] if lines else [f"{title}: {len(items)}"]
        lines += [f"- [{j.label['doc']}] {j.label['sentence'][:100]!r} ({j.reasons()})"
                  + (f" - why: {j.label['why']}" if j.label.get("why") else "") for j in items]
    return "\n".join(lines)


def format_problems(ev: Evaluation) -> str:
    return "\n\nProblems:\n" + "\n".join(f"- {p}" for p in ev.problems) if ev.problems else ""


def pct(v: float | None) -> str:
    """A share as a percentage, or "n/a" where there was nothing to count."""
    return "n/a" if v is None else f"{v:.1%}"


def format_table(ev: Evaluation) -> str:
    m = ev.metrics()
    lines = [
        "| measure | value | target |", "|---|---:|---:|",
        f"| precision (garbled) | {m['precision']:.3f} ({m['tp']}/{m['tp'] + m['fp']}) | >= 0.85 |",
        f"| recall (garbled) | {m['recall']:.3f} ({m['tp']}/{m['garbled']}) | >= 0.75 |",
        f"| F1 | {m['f1']:.3f} | >= 0.80 |",
        f"| false flags, professional text (pro + other languages) | {pct(m['false_flags_professional'])} | <= 3% |",
        f"| false flags, pro English ({m['ok_pro']} ok) | {pct(m['false_flags_pro'])} | |",
        f"| false flags, other languages ({m['ok_other_lang']} ok) | {pct(m['false_flags_other_lang'])} | |",
        f"| false flags, ok machine translation ({m['ok_mt']} ok) | {pct(m['false_flags_mt'])} | <= 10% |",
        f"| boilerplate recall | {pct(m['boilerplate_recall'])} | >= 95% |",
        f"| body text marked boilerplate | {pct(m['body_marked_boilerplate'])} | <= 1% |",
        f"| sentences with a segment of their own | {pct(m['sentences_own'])} | >= 98% |",
        f"| sentences sharing a segment | {pct(m['sentences_shared'])} | |",
        f"| sentences split over segments | {pct(m['sentences_split'])} | <= 1% |",
        f"| body segments over 80 words holding several sentences | {m['long_shared_segments']} | 0 |",
    ]
    return "\n".join(lines) + format_controls(ev)


CONTROL_TARGET = 0.03  # issue 30: at most this share of ordinary writing marked garbled, in each language


def format_controls(ev: Evaluation) -> str:
    """The control pages' body sentences marked garbled, by language (empty without controls)."""
    rates = ev.control_rates()
    if not rates:
        return ""
    pages = len({j.label["doc"] for j in ev.controls})
    lines = ["", "", f"Control pages ({pages} pages of professional writing, {len(ev.controls)} body sentences):", "",
             "| language | sentences | marked garbled | share | target |", "|---|---:|---:|---:|---:|"]
    lines += [f"| {lang} | {n} | {k} | {pct(k / n)} | <= {CONTROL_TARGET:.0%} |" for lang, (k, n) in rates.items()]
    return "\n".join(lines)
