"""ITS 2.0 Localization Quality Issue markup in the XLIFF 2.1 the pipeline writes."""

import json

from hypothesis import given
from hypothesis import strategies as st
from lxml import etree

from pipeline.run.batch import QUIET, run_batch
from pipeline.checks import EXPLANATIONS
from pipeline.checks.score import MEASURE_FLAGS
from pipeline.config import Settings
from pipeline.formats.writeback import xml_safe
from pipeline.formats.xliff import XLIFF2
from pipeline.formats.issue_types import ISSUE_TYPES, USER_RULE_TYPE, issue_type
from pipeline.formats.its import ITS, Issue, annotated_target

from ..conftest import FIXTURES, SAMPLE

# The issue types ITS 2.0 defines (section 8.2.3, locQualityIssueType).
ITS_TYPES = {"terminology", "mistranslation", "omission", "untranslated", "addition", "duplication", "inconsistency",
             "grammar", "legal", "register", "locale-specific-content", "locale-violation", "style", "characters",
             "misspelling", "typographical", "formatting", "inconsistent-entities", "numbers", "markup",
             "pattern-problem", "whitespace", "internationalization", "length", "non-conformance", "uncategorized",
             "other"}
NS = {"x": XLIFF2}


def test_every_code_of_the_pipeline_has_an_its_type_of_its_own():
    codes = set(EXPLANATIONS) | set(MEASURE_FLAGS.values())
    assert codes <= set(ISSUE_TYPES), codes - set(ISSUE_TYPES)
    assert set(ISSUE_TYPES.values()) | {USER_RULE_TYPE} <= ITS_TYPES
    assert issue_type("house-style-click-here") == "pattern-problem"


def _target(text, issues):
    target = etree.Element(f"{{{XLIFF2}}}target", nsmap={None: XLIFF2, "its": ITS})
    annotated_target(target, text, issues, XLIFF2, xml_safe)
    return etree.fromstring(etree.tostring(target))


def test_nested_spans_are_nested_mrks_and_crossing_ones_markers():
    text = "One party cannot support one party with soil and water."
    issues = [Issue("repetition", "warning", "twice", 0, 9), Issue("calque", "warning", "literal", 0, 55, "the land"),
              Issue("fragment", "warning", "no verb", 0, 55), Issue("missing-space", "warning", "crossing", 4, 16),
              Issue("glued-words", "info", "empty", 30, 30)]
    target = _target(text, issues)
    assert "".join(target.itertext()) == text
    outer = target.find("x:mrk", NS)
    assert outer.get(f"{{{ITS}}}locQualityIssueType") in ("mistranslation", "grammar")
    inner = outer.find("x:mrk", NS)
    assert inner is not None and "".join(inner.find("x:mrk", NS).itertext()) == "One party"
    repetition = inner.find("x:mrk", NS)
    assert repetition.get(f"{{{ITS}}}locQualityIssueType") == "duplication"
    assert repetition.get(f"{{{ITS}}}locQualityIssueSeverity") == "50"
    starts = {m.get("id"): m for m in target.iter(f"{{{XLIFF2}}}sm")}
    ends = [m.get("startRef") for m in target.iter(f"{{{XLIFF2}}}em")]
    assert sorted(starts) == sorted(ends) and len(starts) == 2  # the crossing span and the empty one
    ids = [m.get("id") for m in target.iter(f"{{{XLIFF2}}}mrk", f"{{{XLIFF2}}}sm")]
    assert len(ids) == len(set(ids)) == 5
    calque = next(m for m in target.iter(f"{{{XLIFF2}}}mrk") if "calque" in m.get(f"{{{ITS}}}locQualityIssueComment"))
    assert calque.get(f"{{{ITS}}}locQualityIssueComment") == "calque: literal Suggestion: the land"


spans = st.tuples(st.integers(0, 30), st.integers(0, 30)).map(sorted)


@given(st.text(alphabet="ab <&\"", min_size=0, max_size=30), st.lists(spans, max_size=8))
def test_the_target_text_is_the_cleaned_text_whatever_the_spans(text, pairs):
    issues = [Issue("repetition", "warning", "m", a, b) for a, b in pairs]
    target = _target(text, issues)
    assert "".join(target.itertext()) == text
    marked = len(list(target.iter(f"{{{XLIFF2}}}mrk", f"{{{XLIFF2}}}sm")))
    assert marked == sum(1 for a, b in pairs if b <= len(text))
    assert len(list(target.iter(f"{{{XLIFF2}}}sm"))) == len(list(target.iter(f"{{{XLIFF2}}}em")))


def test_exports_mark_every_flag_of_a_new_xliff_and_translate_toolkit_reads_them(tmp_path):
    from translate.storage import xliff2

    out = tmp_path / "out"
    run_batch([str(SAMPLE), str(FIXTURES / "bilingual" / "contacts.zh-en.tsv")], out, Settings(export=("xliff",)),
              progress=QUIET, reports=False)
    records = [json.loads(line) for line in (out / "segments.jsonl").read_text(encoding="utf-8").splitlines()]
    for doc in ("tongren_relocation.en", "contacts.zh-en"):
        path = out / "export" / f"{doc}.xlf"
        root = etree.parse(str(path)).getroot()
        assert root.get(f"{{{ITS}}}version") == "2.0"
        targets = ["".join(t.itertext()) for t in root.iter(f"{{{XLIFF2}}}target")]
        mine = [r for r in records if r["doc"] == doc and r["cleaned"] and (r["kind"] != "boilerplate" or r["unit"])]
        assert targets == [r["cleaned"] for r in mine]
        marks = [m for m in root.iter(f"{{{XLIFF2}}}mrk", f"{{{XLIFF2}}}sm")]
        assert len(marks) == sum(len(r["flags"]) for r in mine)
        store = xliff2.Xliff2File.parsefile(str(path))
        assert len([u for u in store.units if u.getid()]) >= len(mine)
    url = next(m for m in (out / "export" / "contacts.zh-en.xlf").read_text(encoding="utf-8").split("<mrk")[1:]
               if "url-mismatch" in m)
    assert 'its:locQualityIssueType="inconsistent-entities"' in url and ">www.trs.gov.com</mrk>" in url
