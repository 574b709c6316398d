"""`python -m pipeline review DIR --export`: the review database's work as files.

- `DIR/reviewed/decisions.json`: every decision in force, in the format the review pages
  export and `run --decisions` reads (version 2); a run applies the rejected edits and
  dismissed flags, and passes the rest (acceptances, post-edits) by as a record.
- `DIR/reviewed/<doc>.txt`: each document's cleaned text with every decision applied:
  the edits the reviewers rejected taken out (`edits.replay_without`: where a later edit
  changed what a rejected one wrote, the sentence stays as cleaned and the export says
  so; `run --decisions` then gives it), and their post-edits in place of the sentences
  they rewrote, joined as `cleaned/<doc>.txt` is.
- `DIR/reviewed/<doc>.xlf`: XLIFF 2.1, one unit per segment the exports hold (aligned
  units all, boilerplate lines of a page left out), the target being that text;
  `state="reviewed"` on each segment a reviewer decided anything about, `translated` on
  the others; each flag not dismissed and each decision a note.

A post-edit names its segment by key and index; it replaces that segment's text when the
segment at that index still has that key, and is listed as stale otherwise (the
document changed since the review). `run --decisions DIR/review.sqlite` applies the same
decisions in a new run, and judges the post-edits too.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from ..decisions.store import FILE_NAME, ReviewStore
from ..document import BOILERPLATE, joined_text
from ..formats.its import ITS, Issue, annotated_target
from ..formats.xmltools import indented_bytes
from ..formats.writeback import PRIORITY, xml_safe
from ..formats.xliff import XLIFF2, XLIFF_TEXT
from ..outputs.write import write_atomic
from ..text.edits import replay_without


@dataclass
class _Segment:
    """What `joined_text` needs of a segments.jsonl record."""

    kind: str
    block: int
    start: int
    end: int
    cleaned: str


def export_reviewed(folder: Path) -> dict:
    with ReviewStore(folder / FILE_NAME) as store:
        active = store.active()
    reviewed = folder / "reviewed"
    reviewed.mkdir(exist_ok=True)
    data = {"version": 2, "decisions": [d.as_dict() for d in active]}
    write_atomic(reviewed / "decisions.json", json.dumps(data, ensure_ascii=False, indent=2) + "\n")
    post_edits = {(d.document, d.index): d for d in active if d.action == "post-edit"}
    decided: dict[tuple[str, str], list] = {}
    for d in active:
        decided.setdefault((d.document, d.segment), []).append(d)
    records: dict[str, list[dict]] = {}
    used = set()
    unapplied: list[dict] = []  # segments whose rejected edits a later edit built on
    with open(folder / "segments.jsonl", encoding="utf-8") as fh:
        for line in fh:
            record = json.loads(line)
            rejected = [e for e in record["edits"] if any(
                (d.action, d.stage, d.rule, d.before, d.after, d.start, d.end) ==
                ("reject-edit", e["stage"], e["rule"], e["before"], e["after"], e["start"], e["end"])
                for d in decided.get((record["doc"], record["key"]), []))]
            if rejected:
                without = replay_without(record["original"], record["edits"], rejected)
                if without is None:
                    unapplied.append({"doc": record["doc"], "index": record["index"]})
                elif without != record["cleaned"]:
                    record["cleaned"], record["changed"] = without, True
            edit = post_edits.get((record["doc"], record["index"]))
            if edit is not None and edit.segment == record["key"]:
                record["cleaned"] = edit.new_text
                record["changed"] = True
                used.add((record["doc"], record["index"]))
            records.setdefault(record["doc"], []).append(record)
    summaries = {d["doc"]: d for d in json.loads((folder / "summary.json").read_text(encoding="utf-8"))["documents"]}
    for doc_id, doc_records in records.items():
        segments = [_Segment(r["kind"], r["block"], r["start"], r["end"], r["cleaned"]) for r in doc_records]
        write_atomic(reviewed / f"{doc_id}.txt", joined_text(segments))
        verdict = next((d for d in active if d.document == doc_id and d.action == "override-quality"), None)
        write_atomic(reviewed / f"{doc_id}.xlf", _xliff(doc_id, doc_records, summaries.get(doc_id, {}), decided,
                                                         verdict))
    stale = [d.as_dict() for key, d in post_edits.items() if key not in used]
    return {"decisions": len(active), "post_edits": len(used), "stale": stale, "documents": len(records),
            "path": reviewed, "unapplied": unapplied}


def _xliff(doc_id: str, records: list[dict], summary: dict, decided: dict, verdict=None) -> bytes:
    aligned = any(r.get("unit") for r in records)
    target_lang = summary.get("lang") if summary.get("lang") not in (None, "und") else "en"
    source_lang = summary.get("source_lang") or ("und" if any(r.get("source") for r in records) else target_lang)
    root = etree.Element(f"{{{XLIFF2}}}xliff", nsmap={None: XLIFF2, "its": ITS},
                         attrib={"version": "2.1", "srcLang": source_lang, "trgLang": target_lang,
                                 f"{{{ITS}}}version": "2.0"})
    file_el = etree.SubElement(root, f"{{{XLIFF2}}}file", id=doc_id)
    if verdict is not None:  # the reviewer's verdict on the document's quality: a note of the file
        notes = etree.SubElement(file_el, f"{{{XLIFF2}}}notes")
        etree.SubElement(notes, f"{{{XLIFF2}}}note", category="review").text = xml_safe(_describe(verdict))
    for r in records:
        if r["kind"] == BOILERPLATE and not aligned:
            continue
        decisions = decided.get((doc_id, r["key"]), [])
        unit = etree.SubElement(file_el, f"{{{XLIFF2}}}unit", id=r.get("unit") or f"s{r['index']}")
        dismissed = {(d.code, d.start, d.end) for d in decisions if d.action == "dismiss-flag"}
        flags = [f for f in r["flags"] if (f["code"], f["start"], f["end"]) not in dismissed]
        if flags or decisions:
            notes = etree.SubElement(unit, f"{{{XLIFF2}}}notes")
            for f in flags:
                etree.SubElement(notes, f"{{{XLIFF2}}}note", category="pipeline",
                                 priority=PRIORITY.get(f["severity"], "9")).text = xml_safe(
                    f"{f['severity']} {f['code']}: {f['message']}")
            for d in decisions:
                etree.SubElement(notes, f"{{{XLIFF2}}}note", category="review").text = xml_safe(_describe(d))
        state = "reviewed" if decisions else "translated" if r["cleaned"] else "initial"
        segment = etree.SubElement(unit, f"{{{XLIFF2}}}segment", state=state)
        etree.SubElement(segment, f"{{{XLIFF2}}}source").text = xml_safe(r.get("source") or r["original"])
        if r["cleaned"]:  # the flags' spans marked (ITS), unless a decision changed the text they were in
            issues = [] if r.get("changed") else [
                Issue(f["code"], f["severity"], f["message"], f["start"], f["end"], f.get("suggestion"))
                for f in flags]
            annotated_target(etree.SubElement(segment, f"{{{XLIFF2}}}target"), r["cleaned"], issues, XLIFF2, xml_safe)
    return indented_bytes(root, XLIFF_TEXT)


def _describe(d) -> str:
    if d.action == "post-edit":
        return "post-edited by the reviewer"
    if d.action == "accept":
        return "accepted by the reviewer as it is"
    if d.action == "reject-edit":
        return f"the reviewer rejected the {d.rule} edit \u201c{d.before}\u201d \u2192 \u201c{d.after}\u201d"
    if d.action == "accept-edit":
        return f"the reviewer kept the {d.rule} edit \u201c{d.before}\u201d \u2192 \u201c{d.after}\u201d"
    if d.action == "dismiss-flag":
        return f"the reviewer marked the {d.code} flag a false positive"
    if d.action == "dismiss-verdict":
        return "the reviewer judged it not garbled"
    if d.action == "override-quality":
        return f"the reviewer's quality verdict on the document: {d.verdict} ({d.reason})"
    return f"the reviewer: {d.action}"
