"""QA reports for spreadsheets and CI, each opened by a reader of its own format."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from lxml import etree

from pipeline.run.batch import QUIET, run_batch
from pipeline.config import Settings
from pipeline.document import BOILERPLATE, joined_layout
from pipeline.outputs.qa_reports import COLUMNS, csv_report, junit_report, qa_rows, sarif_report, xlsx_report

from ..conftest import FIXTURES, SAMPLE

FORMULA = '=HYPERLINK("http://example.com","click")'


def _record(doc, index, cleaned, flags, block=0, start=0, kind="body", source=None):
    return {"doc": doc, "index": index, "key": f"k{doc}{index}", "start": start, "end": start + len(cleaned),
            "kind": kind, "block": block, "source": source, "original": cleaned, "cleaned": cleaned, "flags": flags}


def _flag(code, severity, start, end, message="a message", suggestion=None):
    flag = {"code": code, "severity": severity, "message": message, "start": start, "end": end}
    if suggestion is not None:
        flag["suggestion"] = suggestion
    return flag


@pytest.fixture
def segments_file(tmp_path) -> Path:
    records = [
        _record("a", 0, "Menu", [], kind=BOILERPLATE),
        _record("a", 1, "First sentence here.", [_flag("fragment", "warning", 0, 5)], block=1),
        _record("a", 2, "Second one, G57.", [_flag("code-mismatch", "warning", 12, 15, suggestion="G75")], block=1,
                start=21),
        _record("a", 3, FORMULA, [_flag("url-mismatch", "error", 11, 29, message="-the address")], block=2),
        _record("b", 0, "Clean and fine.", [], block=0),
        _record("b", 1, "Line\x0bwith a control character.", [_flag("invisible-char", "info", 4, 5)], block=1),
    ]
    path = tmp_path / "segments.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return path


def test_a_row_per_flag_located_in_the_cleaned_text(segments_file):
    rows = qa_rows(segments_file)
    assert [(r.document, r.segment, r.code) for r in rows] == [
        ("a", 1, "fragment"), ("a", 2, "code-mismatch"), ("a", 3, "url-mismatch"), ("b", 1, "invisible-char")]
    # cleaned/a.txt is "First sentence here. Second one, G57.\n\n=HYPERLINK(...)\n"
    g57 = rows[1]
    assert (g57.line, g57.column, g57.end_column) == (1, 34, 37) and g57.suggestion == "G75"
    assert (rows[2].line, rows[2].column) == (3, 12)


def test_csv_opens_as_utf8_with_every_column_and_no_formula(segments_file):
    data = csv_report(qa_rows(segments_file))
    assert data.startswith("\ufeff".encode())
    table = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert tuple(table[0]) == COLUMNS and len(table) == 5
    url = table[3]
    assert url[COLUMNS.index("cleaned")] == "'" + FORMULA  # shown as text by a spreadsheet
    assert url[COLUMNS.index("message")] == "'-the address"
    assert table[2][COLUMNS.index("suggestion")] == "G75" and table[1][COLUMNS.index("cleaned")] == "First sentence here."


def test_the_workbook_has_a_sheet_per_severity_filters_and_text_cells(segments_file, tmp_path):
    from openpyxl import load_workbook

    path = tmp_path / "qa.xlsx"
    path.write_bytes(xlsx_report(qa_rows(segments_file)))
    book = load_workbook(path)
    assert book.sheetnames == ["all flags", "error", "warning", "info"]
    counts = {name: book[name].max_row - 1 for name in book.sheetnames}
    assert counts == {"all flags": 4, "error": 1, "warning": 2, "info": 1}
    sheet = book["all flags"]
    assert tuple(c.value for c in sheet[1]) == COLUMNS
    assert sheet.auto_filter.ref == "A1:L5" and sheet.freeze_panes == "A2"
    formula_cell = sheet.cell(row=4, column=COLUMNS.index("cleaned") + 1)
    assert formula_cell.value == FORMULA and formula_cell.data_type == "s"  # text, not a formula
    control = book["info"].cell(row=2, column=COLUMNS.index("cleaned") + 1).value
    assert control == "Line<U+000B>with a control character."


def test_the_quality_sheet_gives_a_reviewers_verdict_with_who_and_why():
    from pipeline.outputs.qa_reports import quality_rows
    scored = {"words": 200, "points": 7.0, "score": 35.0, "threshold": 10.0, "passed": False, "errors": {}}
    overruled = {**scored, "passed": True, "passed_by_score": False,
                 "override": {"verdict": "pass", "reason": "=house style", "reviewer": "ana", "at": "2026-12-05"}}
    rows = quality_rows({"a": scored, "b": overruled}, {**scored, "documents_failed": 1})
    assert rows[0][5:] == ("fail", "fail", None, None, None)
    assert rows[1][5:] == ("pass", "fail", "=house style", "ana", "2026-12-05")
    assert rows[2][0] == "(the batch)"


def test_junit_has_a_case_per_document_failing_with_its_errors(segments_file):
    rows = qa_rows(segments_file)
    failures = [{"doc": "c", "path": "c.txt", "reason": "not UTF-8"}]
    suites = etree.fromstring(junit_report(rows, ["a", "b"], failures))
    suite = suites.find("testsuite")
    assert (suite.get("tests"), suite.get("failures"), suite.get("errors")) == ("3", "1", "1")
    cases = {c.get("name"): c for c in suite.findall("testcase")}
    assert set(cases) == {"a", "b", "c"}
    assert cases["a"].find("failure").get("message") == "1 error flag: url-mismatch"
    assert "code-mismatch" in cases["a"].find("system-out").text
    assert cases["b"].find("failure") is None and "\x0b" not in cases["b"].find("system-out").text
    assert cases["c"].find("error").get("message") == "not UTF-8"


def test_sarif_meets_the_schema_with_a_result_per_flag(segments_file):
    model = pytest.importorskip("pydantic_sarif.model")
    data = sarif_report(qa_rows(segments_file), [{"doc": "c", "path": "c.txt", "reason": "not UTF-8"}], "0.1.0")
    log = json.loads(data)
    model.StaticAnalysisResultsFormatSarifVersion210JsonSchema.model_validate(log)
    run = log["runs"][0]
    assert [r["id"] for r in run["tool"]["driver"]["rules"]] == ["code-mismatch", "fragment", "invisible-char",
                                                                 "url-mismatch"]
    levels = [r["level"] for r in run["results"]]
    assert levels == ["warning", "warning", "error", "note"]
    g57 = run["results"][1]
    location = g57["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "cleaned/a.txt"
    assert location["region"]["startLine"] == 1 and location["region"]["startColumn"] == 34
    assert g57["properties"]["suggestion"] == "G75" and "Suggestion: G75" in g57["message"]["text"]
    assert run["invocations"][0]["toolExecutionNotifications"][0]["message"]["text"] == "c.txt: not UTF-8"


def test_a_run_writes_the_reports_asked_for_and_removes_the_others(tmp_path):
    out = tmp_path / "out"
    inputs = [str(SAMPLE), str(FIXTURES / "bilingual" / "contacts.zh-en.tsv")]
    run_batch(inputs, out, Settings(report_formats=("csv", "xlsx", "junit", "sarif")), progress=QUIET)
    records = [json.loads(line) for line in (out / "segments.jsonl").read_text(encoding="utf-8").splitlines()]
    flags = sum(len(r["flags"]) for r in records)
    table = list(csv.reader(io.StringIO((out / "qa.csv").read_text(encoding="utf-8-sig"), newline="")))
    assert len(table) == flags + 1
    log = json.loads((out / "qa.sarif").read_text(encoding="utf-8"))
    assert len(log["runs"][0]["results"]) == flags
    cleaned = (out / "cleaned" / "contacts.zh-en.txt").read_text(encoding="utf-8").split("\n")
    for result in log["runs"][0]["results"]:
        region = result["locations"][0]["physicalLocation"].get("region")
        if region and result["ruleId"] == "code-mismatch" and "G57" in result["message"]["text"]:
            line = cleaned[region["startLine"] - 1]
            assert line[region["startColumn"] - 1:region["endColumn"] - 1] == "G57"
    from openpyxl import load_workbook
    book = load_workbook(out / "qa.xlsx")
    assert book.sheetnames[-1] == "quality"
    quality = [[c.value for c in row] for row in book["quality"].iter_rows()]
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert quality[0][:6] == ["document", "words", "error points", "score", "threshold", "verdict"]
    assert [row[0] for row in quality[1:]] == [d["doc"] for d in summary["documents"]] + ["(the batch)"]
    assert quality[-1][3] == summary["quality"]["score"]
    run_batch(inputs, out, Settings(report_formats=("csv",)), progress=QUIET)
    assert sorted(p.name for p in out.glob("qa.*")) == ["qa.csv"]


_segments = st.lists(st.tuples(st.integers(0, 3), st.sampled_from(["body", "heading", BOILERPLATE]),
                               st.text(alphabet="ab 。\n", max_size=6), st.booleans()), max_size=12)


@given(_segments)
def test_each_segment_is_where_the_layout_says_in_the_joined_text(specs):
    class Placed:
        def __init__(self, block, kind, cleaned, start):
            self.block, self.kind, self.cleaned, self.start, self.end = block, kind, cleaned, start, start + len(cleaned)

    segments, position = [], 0
    for block, kind, text, gap in sorted(specs, key=lambda s: s[0]):
        position += 1 if gap else 0
        segments.append(Placed(block, kind, text, position))
        position += len(text)
    text, offsets = joined_layout(segments)
    for seg, offset in zip(segments, offsets):
        if offset is None:
            assert seg.kind == BOILERPLATE or not seg.cleaned.strip()
        else:
            assert text[offset:offset + len(seg.cleaned)] == seg.cleaned


def test_every_report_format_is_a_batch_output_and_a_setting():
    from pipeline.config import REPORT_FORMATS
    from pipeline.outputs import BATCH_OUTPUTS
    from pipeline.outputs.qa_reports import FILE_NAMES
    assert set(REPORT_FORMATS) == set(FILE_NAMES)
    written = {output.name: output.file for output in BATCH_OUTPUTS}
    assert all(written[name] == file for name, file in FILE_NAMES.items())
    assert [name for name in written if name in ("summary", "index")] == ["summary", "index"]  # the index last
    assert list(written)[-1] == "index"
