"""ITS 2.0 Localization Quality Issue markup for the XLIFF 2.1 the pipeline writes.

Each flag of a segment becomes an annotation of its span in the `<target>`: an
`<mrk type="its:generic">` around it carrying `its:locQualityIssueType` (from
`issue_types.ISSUE_TYPES`, one table for every code), `its:locQualityIssueComment` (the message and
suggestion) and `its:locQualityIssueSeverity` (0-100). Spans that nest are nested
`<mrk>`s (two flags on one span are two `<mrk>`s one inside the other); a span that
crosses another, or is empty, is marked with `<sm/>`/`<em/>` instead, as XLIFF 2 does for
annotations that cannot nest. The text of the target stays the cleaned text exactly.
"""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree

from .issue_types import issue_type

ITS = "http://www.w3.org/2005/11/its"

SEVERITIES = {"info": "10", "warning": "50", "error": "90"}  # locQualityIssueSeverity, 0 to 100


@dataclass(frozen=True)
class Issue:
    """What one flag says, with its span in the target text."""

    code: str
    severity: str
    message: str
    start: int
    end: int
    suggestion: str | None = None

    def attributes(self) -> dict[str, str]:
        comment = f"{self.code}: {self.message}" + (f" Suggestion: {self.suggestion}" if self.suggestion else "")
        return {f"{{{ITS}}}locQualityIssueType": issue_type(self.code),
                f"{{{ITS}}}locQualityIssueComment": comment,
                f"{{{ITS}}}locQualityIssueSeverity": SEVERITIES.get(self.severity, "50")}


def annotated_target(target: etree._Element, text: str, issues: list[Issue], xliff: str, clean) -> None:
    """Write `text` into `target` (an XLIFF 2 element of namespace `xliff`) with each issue
    marked; `clean` makes a string safe for XML (applied to text and comments alike)."""
    issues = sorted((i for i in issues if 0 <= i.start <= i.end <= len(text)), key=lambda i: (i.start, -i.end))
    nested, markers, open_spans = [], [], []
    for issue in issues:
        while open_spans and open_spans[-1].end <= issue.start:
            open_spans.pop()
        if issue.start < issue.end and (not open_spans or issue.end <= open_spans[-1].end):
            nested.append(issue)
            open_spans.append(issue)
        else:  # crosses a span already marked, or marks no text
            markers.append(issue)
    events = []  # (position, order at that position, what, issue, id)
    ids = {id(issue): f"lqi{n}" for n, issue in enumerate(nested + markers, start=1)}
    for n, issue in enumerate(nested):
        events += [(issue.start, 3, "open", issue, n), (issue.end, 0, "close", issue, -n)]
    for issue in markers:
        if issue.start == issue.end:
            events.append((issue.start, 2, "point", issue, 0))
        else:
            events += [(issue.start, 2, "start-marker", issue, 0), (issue.end, 1, "end-marker", issue, 0)]
    events.sort(key=lambda e: (e[0], e[1], e[4]))
    stack, position = [target], 0

    def put(piece: str) -> None:
        holder = stack[-1]
        if len(holder):
            holder[-1].tail = (holder[-1].tail or "") + clean(piece)
        else:
            holder.text = (holder.text or "") + clean(piece)

    for at, _, what, issue, _ in events:
        if at > position:
            put(text[position:at])
            position = at
        attributes = {k: clean(v) for k, v in issue.attributes().items()}
        if what == "open":
            stack.append(etree.SubElement(stack[-1], f"{{{xliff}}}mrk", id=ids[id(issue)], type="its:generic",
                                          attrib=attributes))
        elif what == "close":
            stack.pop()
        else:
            if what in ("start-marker", "point"):
                etree.SubElement(stack[-1], f"{{{xliff}}}sm", id=ids[id(issue)], type="its:generic",
                                 attrib=attributes)
            if what in ("end-marker", "point"):
                etree.SubElement(stack[-1], f"{{{xliff}}}em", startRef=ids[id(issue)])
    if position < len(text):
        put(text[position:])
