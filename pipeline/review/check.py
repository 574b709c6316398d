"""The checks on a reviewer's own sentence, for a served page (`POST /api/check`): the
garble checks and the user's pattern rules of the run that made the folder, on that one
sentence, so a post-edit is judged as it is saved, as a run with `--decisions` judges it.

The sentence is judged alone, with the rules judge and no parser (what needs the whole
document, a language model or a parse, waits for the run): its language, kind and source
are those of the segment it replaces. The user's rules file is the run's, read where the
run found it (a file no longer there is left out, and the answer says so); the checks
skipped, the garble threshold and the severities are the run's, its document language's
own where the settings gave that language a table.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from ..config import Settings
from ..document import Document, Segment
from ..stages.garble import Garble
from ..stages.rules import PatternRules
from ..stages.severity import Severities

JUDGING = ("skip_checks", "garble_threshold", "severities")  # what the run's settings say of a sentence's verdict


class SentenceChecker:
    def __init__(self, folder: Path):
        self.folder = folder
        summary = json.loads((folder / "summary.json").read_text(encoding="utf-8"))
        used = summary.get("settings", {})
        rules = used.get("rules")
        self.note = None
        if rules and not Path(rules).is_file():
            self.note = f"the run's rules file {rules} is not found from here: its rules are left out"
            rules = None
        self.rules = rules
        self.used = used
        self.stages_of: dict[str, list] = {}  # by the document's language
        self.languages = {d["doc"]: d.get("lang", "und") for d in summary.get("documents", [])}
        self.offsets: dict[tuple[str, int], int] = {}  # where each record starts, read once per version
        self.version: tuple | None = None

    def stages(self, lang: str) -> list:
        """The stages that judge a sentence of a document of language `lang`, built once."""
        if lang not in self.stages_of:
            given = {**self.used, **self.used.get("languages", {}).get(lang, {})}
            judging = {name: tuple(given[name]) if isinstance(given[name], list) else given[name]
                       for name in JUDGING if name in given}
            settings = Settings(parser="none", judge="rules", rules=self.rules, **judging)
            self.stages_of[lang] = [PatternRules(settings), Garble(settings), Severities(settings)]
        return self.stages_of[lang]

    def _record(self, doc_id: str, index: int) -> dict | None:
        path = self.folder / "segments.jsonl"
        with open(path, "rb") as fh:
            stat = os.fstat(fh.fileno())
            if self.version != (stat.st_mtime_ns, stat.st_size):  # a run wrote the folder again
                self.version = (stat.st_mtime_ns, stat.st_size)
                self.offsets, at = {}, 0
                for line in fh:
                    record = json.loads(line)
                    self.offsets[(record["doc"], record["index"])] = at
                    at += len(line)
            at = self.offsets.get((doc_id, index))
            if at is None:
                return None
            fh.seek(at)
            return json.loads(fh.readline())

    def check(self, doc_id: str, index: int, text: str) -> dict | None:
        """The flags, score and verdict of `text` in place of segment `index` of `doc_id`;
        None when the folder has no such segment."""
        record = self._record(doc_id, index)
        if record is None:
            return None
        segment = Segment(0, 0, len(text), record["kind"], text, block=0, lang=record["lang"],
                          lang_prob=record.get("lang_prob") or 0.0, source=record.get("source"))
        doc = Document(doc_id, record["doc"], "txt", text, source=record.get("source"),
                       lang=self.languages.get(doc_id, record["lang"]))
        doc.segments = [segment]
        for stage in self.stages(doc.lang):
            doc = stage(doc)
        return {"flags": [{"code": f.code, "severity": f.severity, "message": f.message, "start": f.start,
                           "end": f.end} for f in segment.flags],
                "garbled": segment.garbled, "score": segment.garble_score, "note": self.note}
