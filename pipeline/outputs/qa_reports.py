"""QA reports of a run's flags for spreadsheets and CI: `--report-format csv|xlsx|junit|sarif`.

Each is written from the run's own outputs (segments.jsonl and the summary) once the
run is done, one row or result per flag:

- `DIR/qa.csv`: UTF-8 with a byte-order mark (so spreadsheet programs read it as UTF-8),
  the columns of `COLUMNS`.
- `DIR/qa.xlsx`: the same rows on a sheet "all flags" and on a sheet per severity, with
  filters on and the header row frozen (openpyxl); a sheet "quality", each document's
  quality score and verdict (a reviewer's, with who, when and why, where one was given),
  and the batch's.
- `DIR/qa.junit.xml`: JUnit XML, one test case per document, failing with its error
  flags (warnings and notes go to its output, its quality score to its properties); a
  document the run could not read is an error; one more test case is the batch's quality
  score, failing when it is over the threshold.
- `DIR/qa.sarif`: SARIF 2.1.0 for code-scanning dashboards, one result per flag located
  in `cleaned/<doc>.txt` (line and column, in Unicode code points) and one rule per code;
  the batch's quality score in the run's properties.

The reports hold document text, which is untrusted: a spreadsheet cell starting with
`=`, `+`, `-` or `@` would be run as a formula, so in the CSV file such a cell starts
with an apostrophe (as OWASP advises), and in the workbook every cell is written as text.
"""

from __future__ import annotations

import csv
import io
import json
from bisect import bisect_right
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ..checks import CODES, EXPLANATIONS
from ..document import joined_layout


FORMATS = ("csv", "xlsx", "junit", "sarif")
FILE_NAMES = {"csv": "qa.csv", "xlsx": "qa.xlsx", "junit": "qa.junit.xml", "sarif": "qa.sarif"}
COLUMNS = ("document", "segment", "key", "source", "machine translation", "cleaned", "garbled", "score", "code",
           "severity", "message", "suggestion")
SEVERITIES = ("error", "warning", "info")
SARIF_LEVELS = {"error": "error", "warning": "warning", "info": "note"}
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"


@dataclass(frozen=True)
class QARow:
    """One flag with the segment it is on and that segment's verdict (a garbled segment
    with no flag is one row, code `garbled`, so that no verdict is left out)."""

    document: str
    segment: int
    key: str
    source: str
    original: str
    cleaned: str
    garbled: bool | None  # None: not judged (boilerplate, nothing to judge)
    score: float | None
    code: str
    severity: str
    message: str
    suggestion: str
    line: int  # where the flag starts in cleaned/<doc>.txt, from 1 (0: not in the cleaned text)
    column: int
    end_line: int
    end_column: int

    def cells(self) -> list:
        garbled = "" if self.garbled is None else "yes" if self.garbled else "no"
        score = "" if self.score is None else round(self.score, 4)
        return [self.document, self.segment, self.key, self.source, self.original, self.cleaned, garbled, score,
                self.code, self.severity, self.message, self.suggestion]


def qa_rows(segments_file: Path) -> list[QARow]:
    """Every flag of segments.jsonl, in document and segment order."""
    rows: list[QARow] = []
    for records in _documents(segments_file):
        rows.extend(_rows_of(records))
    return rows


def _documents(segments_file: Path) -> Iterator[list[dict]]:
    """The records of segments.jsonl, grouped by document (a document's records are together)."""
    current: list[dict] = []
    with open(segments_file, encoding="utf-8") as fh:
        for line in fh:
            record = json.loads(line)
            if current and record["doc"] != current[0]["doc"]:
                yield current
                current = []
            current.append(record)
    if current:
        yield current


@dataclass
class _Placed:
    """What `joined_layout` needs of a record."""

    kind: str
    block: int
    start: int
    end: int
    cleaned: str


def _rows_of(records: list[dict]) -> list[QARow]:
    text, offsets = joined_layout([_Placed(r["kind"], r["block"], r["start"], r["end"], r["cleaned"])
                                   for r in records])
    line_starts = [0] + [i + 1 for i, c in enumerate(text) if c == "\n"]

    def position(offset: int | None) -> tuple[int, int]:
        if offset is None:
            return 0, 0
        line = bisect_right(line_starts, offset)
        return line, offset - line_starts[line - 1] + 1

    rows = []
    for record, offset in zip(records, offsets):
        flags = record["flags"]
        if record.get("garbled") and not flags:
            why = "; ".join(record.get("garble_reasons") or []) or "its score is over the threshold."
            flags = [{"code": "garbled", "severity": "warning", "start": 0, "end": len(record["cleaned"]),
                      "message": f"Garbled: {why}"}]
        for flag in flags:
            line, column = position(None if offset is None else offset + flag["start"])
            end_line, end_column = position(None if offset is None else offset + flag["end"])
            rows.append(QARow(record["doc"], record["index"], record["key"], record.get("source") or "",
                              record["original"], record["cleaned"], record.get("garbled"), record.get("garble_score"),
                              flag["code"], flag["severity"], flag["message"], flag.get("suggestion") or "",
                              line, column, end_line, end_column))
    return rows


# -- spreadsheets ----------------------------------------------------------------------------

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _inert(value):
    """A CSV cell a spreadsheet shows as text: no formula runs from document text."""
    return "'" + value if isinstance(value, str) and value.startswith(_FORMULA_START) else value


def csv_report(rows: list[QARow]) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow([_inert(cell) for cell in row.cells()])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


QUALITY_COLUMNS = ("document", "words", "error points", "score", "threshold", "verdict", "by the score",
                   "reviewer's reason", "reviewer", "when")


def quality_rows(document_quality: dict[str, dict], batch: dict | None) -> list[tuple]:
    """The "quality" sheet's rows: a document each, then the batch (a reviewer's verdict
    with its reason, reviewer and time where one stands in place of the score's)."""
    rows = []
    for doc, q in document_quality.items():
        override = q.get("override", {})
        rows.append((doc, q["words"], q["points"], q["score"], q["threshold"], "pass" if q["passed"] else "fail",
                     "pass" if q.get("passed_by_score", q["passed"]) else "fail", override.get("reason"),
                     override.get("reviewer"), override.get("at")))
    if batch is not None:
        rows.append(("(the batch)", batch["words"], batch["points"], batch["score"], batch["threshold"],
                     "pass" if batch["passed"] else "fail", None, None, None, None))
    return rows


def xlsx_report(rows: list[QARow], document_quality: dict[str, dict] | None = None,
                batch_quality: dict | None = None) -> bytes:
    from openpyxl import Workbook  # only here: a run without the workbook does not pay its import
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    def shown(value):
        # control characters cannot be stored in a workbook: each is shown by its code
        return ILLEGAL_CHARACTERS_RE.sub(lambda m: f"<U+{ord(m.group()):04X}>", value) if isinstance(value, str) \
            else value

    workbook = Workbook()
    sheets = [("all flags", rows)] + [(severity, [r for r in rows if r.severity == severity])
                                      for severity in SEVERITIES]
    workbook.remove(workbook.active)
    widths = (24, 8, 18, 50, 50, 50, 20, 9, 60, 30)

    def add_sheet(title: str, header: tuple, body: list, column_widths: tuple) -> None:
        sheet = workbook.create_sheet(title)
        sheet.append(header)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for n, values in enumerate(body, start=2):
            for column, value in enumerate(values, start=1):
                cell = sheet.cell(row=n, column=column)
                cell.value = shown(value)
                if isinstance(value, str):
                    cell.data_type = "s"  # text, even when it starts with "=": never a formula
        sheet.freeze_panes = "A2"
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(header))}{max(1, len(body) + 1)}"
        for column, width in enumerate(column_widths, start=1):
            sheet.column_dimensions[get_column_letter(column)].width = width

    for title, chosen in sheets:
        add_sheet(title, COLUMNS, [row.cells() for row in chosen], widths)
    if document_quality is not None:
        add_sheet("quality", QUALITY_COLUMNS, quality_rows(document_quality, batch_quality),
                  (24, 8, 12, 8, 10, 8, 12, 50, 16, 26))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# -- CI --------------------------------------------------------------------------------------

def junit_report(rows: list[QARow], documents: list[str], failures: list[dict], quality: dict | None = None,
                 document_quality: dict[str, dict] | None = None) -> bytes:
    """A test case per document, failing with its error flags, with its quality score as
    properties (a reviewer's verdict with it); and, with the batch's `quality`, a test case
    of the batch's score, failing when the batch fails (over the threshold, or a document
    a reviewer failed)."""
    from lxml import etree  # only for this report: a run without it never loads lxml

    from ..formats.writeback import xml_safe
    by_document: dict[str, list[QARow]] = {}
    for row in rows:
        by_document.setdefault(row.document, []).append(row)
    failed = [d for d in documents if any(r.severity == "error" for r in by_document.get(d, []))]
    document_quality = document_quality or {}
    batch_failed = quality is not None and not quality["passed"]
    suites = etree.Element("testsuites", name="pipeline QA")
    suite = etree.SubElement(suites, "testsuite", name="pipeline QA",
                             tests=str(len(documents) + len(failures) + (quality is not None)),
                             failures=str(len(failed) + batch_failed), errors=str(len(failures)), skipped="0")
    for doc in documents:
        case = etree.SubElement(suite, "testcase", classname="pipeline.qa", name=xml_safe(doc))
        if doc in document_quality:
            properties = etree.SubElement(case, "properties")
            dq = document_quality[doc]
            shown = {key: dq[key] for key in ("score", "points", "words", "threshold", "passed")}
            if "override" in dq:  # a reviewer's verdict, and who gave it why
                shown |= {"passed_by_score": dq["passed_by_score"],
                          **{f"override.{key}": value for key, value in dq["override"].items()}}
            for key, value in shown.items():
                etree.SubElement(properties, "property", name=f"quality.{key}",
                                 value=xml_safe(str(value).lower() if isinstance(value, bool) else str(value)))
        flags = by_document.get(doc, [])
        errors = [r for r in flags if r.severity == "error"]
        if errors:
            failure = etree.SubElement(case, "failure", type="error flags",
                                       message=f"{len(errors)} error flag{'s' if len(errors) != 1 else ''}: "
                                               + ", ".join(sorted(Counter(r.code for r in errors))))
            failure.text = xml_safe("\n".join(_line(r) for r in errors))
        others = [r for r in flags if r.severity != "error"]
        if others:
            etree.SubElement(case, "system-out").text = xml_safe("\n".join(_line(r) for r in others))
    for failure in failures:
        case = etree.SubElement(suite, "testcase", classname="pipeline.qa", name=xml_safe(failure["doc"]))
        error = etree.SubElement(case, "error", type="unreadable", message=xml_safe(failure["reason"]))
        error.text = xml_safe(f"{failure['path']}: {failure['reason']}")
    if quality is not None:
        case = etree.SubElement(suite, "testcase", classname="pipeline.lqa", name="quality score of the batch")
        said = (f"{quality['score']} error points per 1,000 words ({quality['points']} in {quality['words']} words), "
                f"threshold {quality['threshold']}")
        overridden = quality.get("overridden", {})
        if overridden:
            said += ("; reviewers' verdicts, counted instead of those documents' points: "
                     + ", ".join(f"{n} {verdict}" for verdict, n in overridden.items()))
        if batch_failed:
            etree.SubElement(case, "failure", type="quality score", message=said).text = (
                f"{quality['documents_failed']} of {len(documents)} documents failing")
        else:
            etree.SubElement(case, "system-out").text = said
    return etree.tostring(suites, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _line(row: QARow) -> str:
    suggestion = f" (suggestion: {row.suggestion})" if row.suggestion else ""
    return f"segment {row.segment} {row.severity} {row.code}: {row.message}{suggestion} | {row.cleaned}"


def sarif_report(rows: list[QARow], failures: list[dict], version: str, quality: dict | None = None) -> bytes:
    """One result per flag; the batch's quality score, when given, in the run's properties."""
    codes = sorted({r.code for r in rows})
    rule_index = {code: n for n, code in enumerate(codes)}
    first_severity = {}
    for r in rows:
        first_severity.setdefault(r.code, r.severity)
    rules = []
    for code in codes:
        severity = CODES[code].severity if code in CODES else first_severity[code]
        rule = {"id": code, "name": code,
                "defaultConfiguration": {"level": SARIF_LEVELS.get(severity, "warning")}}
        if code in EXPLANATIONS:
            rule["shortDescription"] = {"text": EXPLANATIONS[code]}
        rules.append(rule)
    results = []
    for r in rows:
        result = {"ruleId": r.code, "ruleIndex": rule_index[r.code], "level": SARIF_LEVELS.get(r.severity, "warning"),
                  "message": {"text": r.message + (f" Suggestion: {r.suggestion}" if r.suggestion else "")},
                  "properties": {"document": r.document, "segment": r.segment, "key": r.key,
                                 "severity": r.severity}}
        location = {"artifactLocation": {"uri": f"cleaned/{r.document}.txt", "uriBaseId": "OUTPUT"}}
        if r.line:
            location["region"] = {"startLine": r.line, "startColumn": r.column, "endLine": r.end_line,
                                  "endColumn": r.end_column, "snippet": {"text": r.cleaned}}
        result["locations"] = [{"physicalLocation": location}]
        if r.suggestion:
            result["properties"]["suggestion"] = r.suggestion
        results.append(result)
    notifications = [{"level": "error", "message": {"text": f"{f['path']}: {f['reason']}"}} for f in failures]
    log = {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [{
        "tool": {"driver": {"name": "pipeline", "version": version, "rules": rules}},
        "originalUriBaseIds": {"OUTPUT": {"description": {"text": "the run's output folder"}}},
        "columnKind": "unicodeCodePoints",
        "invocations": [{"executionSuccessful": True, "toolExecutionNotifications": notifications}],
        "results": results, **({"properties": {"quality": quality}} if quality is not None else {})}]}
    return (json.dumps(log, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
