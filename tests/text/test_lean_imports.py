"""pipeline.text.lean_imports against the plain imports: the same sacremoses normaliser and the
same lemminflect answers, without the parts of the packages the pipeline never uses.

Each side runs in a fresh interpreter: in this one, whichever was imported first is the
module both would return."""

import json
import os
import subprocess
import sys

import pytest

TEXTS = ["He said , “yes” .", "« Bonjour » , dit-il ; oui !", "Er sagte: „Ja“, 75 %.", "a\u00a0b\u2009c…  d",
         "1,200 people — and more — came", "Preis: 12 € (ca.)", "‘quoted’ and ``old'' style", "\u201e\u201c\u00bb\u00ab"]
WORDS = ["sites", "said", "left", "poverty", "relocated", "data", "went", "better"]

_NORMALISER = """
import json, sys
from {source}
out = {{}}
for name in dir(MosesPunctNormalizer):
    if name.isupper():
        out[name] = repr(getattr(MosesPunctNormalizer, name))
texts = json.loads(sys.argv[1])
for lang in ("en", "fr", "de", "es", "pt"):
    n = MosesPunctNormalizer(lang=lang, penn=False, norm_numbers=False)
    out[lang] = [n.normalize(t) for t in texts] + [repr(n.substitutions)]
print(json.dumps(out))
"""

_LEMMINFLECT = """
import json, sys
{source}
words = json.loads(sys.argv[1])
print(json.dumps([[m.getAllLemmas(w), m.getAllInflections(w), m.getLemma(w, upos="NOUN"),
                   m.getInflection(w, tag="NNS")] for w in words]))
"""


def _run(code: str, data) -> object:
    done = subprocess.run([sys.executable, "-c", code, json.dumps(data)], capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


def test_the_lean_normaliser_is_sacremoses_own():
    lean = _run(_NORMALISER.format(source="pipeline.text.lean_imports import moses_punct_normalizer\n"
                                          "MosesPunctNormalizer = moses_punct_normalizer()"), TEXTS)
    plain = _run(_NORMALISER.format(source="sacremoses import MosesPunctNormalizer"), TEXTS)
    assert lean == plain and len(lean) > 10


def test_lemminflect_without_its_spacy_hook_answers_the_same():
    lean = _run(_LEMMINFLECT.format(source="from pipeline.text.lean_imports import lemminflect\nm = lemminflect()"), WORDS)
    plain = _run(_LEMMINFLECT.format(source="import lemminflect as m"), WORDS)
    assert lean == plain and lean[0][0] == {"NOUN": ["site"], "VERB": ["site"]}


def test_a_run_imports_neither_the_tokenizer_nor_spacy_and_spacy_still_imports_after():
    # without the cache folder, the English lexicon's answers come from lemminflect itself
    code = """
import sys
from pipeline.config import Settings
from pipeline.document import Document
from pipeline.stages import build_stages, run_stages
doc = run_stages(Document("t", "t.txt", "txt", "The county government said that 1,200 families moved ."),
                 build_stages(Settings(spelling=False)))
assert doc.segments[0].edits and "lemminflect" in sys.modules, "the stages ran, lemminflect with them"
print(sorted(m for m in ("sacremoses.tokenize", "joblib", "spacy") if m in sys.modules))
try:
    import spacy
    print(bool(spacy.__version__))
except ImportError:
    print("no spacy")
"""
    lines = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                           env={**os.environ, "PIPELINE_CACHE_DIR": ""}).stdout.split("\n")
    assert lines[0] == "[]"
    assert lines[1] in ("True", "no spacy")


def test_spacy_imported_first_is_left_as_it_is():
    pytest.importorskip("spacy")
    code = """
import spacy, sys
from pipeline.text.lean_imports import lemminflect
lemminflect()
from spacy.tokens import Token
print(Token.has_extension("lemma"))
"""
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True).stdout.strip() == "True"
