"""TSV and CSV glossaries: one row per entry, as spreadsheets and CAT tools exchange them.

Columns (header row required; order free; unknown columns are an error):

    id | source:<lang> | <lang> | <lang>:variants | <lang>:discouraged | <lang>:forbidden
       | <lang>:note | action | case_sensitive | inflect | tags | note

There is one `<lang>...` group per target language. Cells holding several forms
separate them with " | "; a discouraged or forbidden form may carry its suggestion
as "form => suggestion".
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from .model import ACTIONS, Advice, Entry, Glossary, GlossaryError, Rendering, where

LIST_SEP = " | "
ADVICE_SEP = " => "
ENTRY_COLUMNS = ("id", "action", "case_sensitive", "inflect", "tags", "note")
LANG_FIELDS = ("variants", "discouraged", "forbidden", "note")
_LANG = r"[a-z]{2,3}"


def _delimiter(path: str) -> str:
    return "\t" if Path(path).suffix.lower() in (".tsv", ".tab") else ","


def read_table(path: str | Path, text: str) -> Glossary:
    path = str(path)
    rows = csv.reader(io.StringIO(text), delimiter=_delimiter(path))
    try:
        header = [h.strip() for h in next(rows)]
    except StopIteration:
        raise GlossaryError([f"{path}: the glossary file is empty"]) from None
    problems = []
    source_lang = None
    for col in header:
        if col in ENTRY_COLUMNS or re.fullmatch(rf"{_LANG}(:({'|'.join(LANG_FIELDS)}))?", col):
            continue
        m = re.fullmatch(rf"source:({_LANG})", col)
        if m:
            source_lang = m.group(1)
            continue
        problems.append(f"{where(path, 1)}: unknown column '{col}' (expected id, source:<lang>, <lang>, "
                        f"<lang>:variants|discouraged|forbidden|note, action, case_sensitive, inflect, tags, note)")
    if "id" not in header:
        problems.append(f"{where(path, 1)}: no 'id' column")
    if problems:
        raise GlossaryError(problems)
    glossary = Glossary(name=Path(path).stem.split(".")[0], source_language=source_lang or "zh", path=path)
    targets = [c for c in header if re.fullmatch(_LANG, c) and c not in ENTRY_COLUMNS]
    for row in rows:
        line = rows.line_num
        if not any(cell.strip() for cell in row):
            continue
        cells = dict(zip(header, (c.strip() for c in row)))
        entry = Entry(id=cells.get("id", ""), path=path, line=line)
        at = where(path, line, entry.id or None)
        if len(row) > len(header):
            problems.append(f"{at}: {len(row)} cells but {len(header)} columns")
        if not entry.id:
            problems.append(f"{at}: empty id")
        if source_lang:
            entry.source = _split(cells.get(f"source:{source_lang}", ""))
        for lang in targets:
            preferred = cells.get(lang, "")
            others = [cells.get(f"{lang}:{f}", "") for f in LANG_FIELDS]
            if not preferred and not any(others):
                continue
            if not preferred:
                problems.append(f"{at}: '{lang}' forms given but the '{lang}' (preferred) cell is empty")
            entry.targets[lang] = Rendering(
                preferred=preferred, variants=_split(cells.get(f"{lang}:variants", "")),
                discouraged=_advice(cells.get(f"{lang}:discouraged", "")),
                forbidden=_advice(cells.get(f"{lang}:forbidden", "")), note=cells.get(f"{lang}:note", ""))
        if not entry.targets:
            problems.append(f"{at}: no target-language term")
        entry.action = cells.get("action") or "replace"
        if entry.action not in ACTIONS:
            problems.append(f"{at}: action must be one of {', '.join(ACTIONS)}, got '{entry.action}'")
        for name, default in (("case_sensitive", False), ("inflect", True)):
            value = (cells.get(name) or str(default)).lower()
            if value not in ("true", "false"):
                problems.append(f"{at}: '{name}' must be true or false, got '{value}'")
            setattr(entry, name, value == "true")
        entry.note = cells.get("note", "")
        entry.tags = _split(cells.get("tags", ""))
        glossary.entries.append(entry)
    if problems:
        raise GlossaryError(problems, glossary)
    return glossary


def _split(cell: str) -> list[str]:
    return [part.strip() for part in cell.split("|") if part.strip()] if cell.strip() else []


def _advice(cell: str) -> list[Advice]:
    out = []
    for part in _split(cell):
        form, _, suggestion = part.partition("=>")
        out.append(Advice(form.strip(), suggestion.strip()))
    return out


def write_table(glossary: Glossary, path: str | Path) -> str:
    langs = glossary.target_languages
    header = ["id", f"source:{glossary.source_language}"]
    for lang in langs:
        header += [lang] + [f"{lang}:{f}" for f in LANG_FIELDS]
    header += ["action", "case_sensitive", "inflect", "tags", "note"]
    problems = []
    for entry in glossary.entries:
        for lang, r in entry.targets.items():
            texts = [form for _status, form in r.forms()] + [a.suggestion for a in r.discouraged + r.forbidden]
            for text in texts + entry.source:
                if "|" in text or "=>" in text:
                    problems.append(f"{entry.at()}: '{text}' contains '|' or '=>', "
                                    f"which a table cell uses as a separator")
    if problems:
        raise GlossaryError(problems)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=_delimiter(str(path)), lineterminator="\n")
    writer.writerow(header)
    for entry in glossary.entries:
        row = [entry.id, LIST_SEP.join(entry.source)]
        for lang in langs:
            r = entry.targets.get(lang)
            if r is None:
                row += [""] * (1 + len(LANG_FIELDS))
                continue
            row += [r.preferred, LIST_SEP.join(r.variants), _join_advice(r.discouraged),
                    _join_advice(r.forbidden), r.note]
        row += [entry.action, str(entry.case_sensitive).lower(), str(entry.inflect).lower(),
                LIST_SEP.join(entry.tags), entry.note]
        writer.writerow(row)
    return out.getvalue()


def _join_advice(items: list[Advice]) -> str:
    return LIST_SEP.join(a.form + (ADVICE_SEP + a.suggestion if a.suggestion else "") for a in items)
