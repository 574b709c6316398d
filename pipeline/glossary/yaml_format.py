"""The human-edited YAML glossary format (documented in glossaries/README.md).

Parsing goes through PyYAML's node tree (`pipeline.text.yamlnodes`) rather than `safe_load`,
so every value keeps its line number for error messages, and duplicate keys (which
`safe_load` silently overwrites) are reported.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml

from ..text.yamlnodes import Node, YamlError, YamlReader, read_nodes
from .model import ACTIONS, LANG_PATTERN, Advice, Entry, Glossary, GlossaryError, Rendering

GLOSSARY_KEYS = ("name", "description", "source_language", "entries")
ENTRY_KEYS = ("id", "source", "action", "case_sensitive", "inflect", "tags", "note")
RENDERING_KEYS = ("preferred", "variants", "discouraged", "forbidden", "note")
ADVICE_KEYS = ("form", "suggestion")


@lru_cache(maxsize=1)
def known_languages() -> frozenset[str]:
    """Language codes langdetect can identify (its bundled profiles), zh-cn/zh-tw as zh."""
    import langdetect

    profiles = Path(langdetect.__file__).parent / "profiles"
    return frozenset(p.name.split("-")[0] for p in profiles.iterdir() if p.is_file())


def read_yaml(path: str | Path, text: str) -> Glossary:
    path = str(path)
    try:
        root = read_nodes(path, text)
    except YamlError as exc:
        raise GlossaryError([str(exc)]) from None
    if root is None:
        raise GlossaryError([f"{path}: the glossary file is empty"])
    reader = YamlReader(path)
    top = reader.mapping(reader.convert(root), GLOSSARY_KEYS, "the glossary", None)
    source_lang = "zh"
    if "source_language" in top:
        source_lang = reader.text(top["source_language"], "source_language", None) or source_lang
    glossary = Glossary(
        name=reader.text(top["name"], "name", None) if "name" in top else Path(path).stem,
        source_language=source_lang,
        description=reader.text(top["description"], "description", None) if "description" in top else "",
        path=path,
    )
    entries = top.get("entries")
    if entries is None or not isinstance(entries.value, list):
        reader.problem(entries.line if entries else None, "'entries' must be a list of entries")
    else:
        glossary.entries = [_entry(reader, node, path) for node in entries.value]
    glossary.warnings = reader.warnings
    if reader.problems:
        raise GlossaryError(reader.problems, glossary)
    return glossary


def _entry(reader: YamlReader, node: Node, path: str) -> Entry:
    raw = node.value if isinstance(node.value, dict) else {}
    entry_id = raw["id"].value if "id" in raw and isinstance(raw["id"].value, str) else None
    if not isinstance(node.value, dict):
        reader.problem(node.line, "an entry must be a mapping with an 'id'")
        return Entry(id="", path=path, line=node.line)
    if entry_id is None:
        reader.problem(node.line, "entry has no 'id' (text such as 'ex-situ-relocation')")
    entry = Entry(id=entry_id or "", path=path, line=node.line)
    languages = known_languages()
    for key, value in raw.items():
        if key in ENTRY_KEYS:
            continue
        if key not in languages and not LANG_PATTERN.match(key):
            reader.problem(value.line, f"unknown key '{key}': neither an entry field "
                                       f"({', '.join(ENTRY_KEYS)}) nor a language code", entry_id)
            continue
        if key not in languages:
            # A glossary may carry languages the language stage cannot detect (Basque, Malay):
            # their renderings apply where a bilingual file declares the language.
            reader.warn(value.line, f"'{key}' is not a language the language stage detects; its "
                                    f"rendering applies only to files that declare it", entry_id)
        entry.targets[key] = _rendering(reader, value, entry_id, key)
    entry.source = reader.texts(raw.get("source"), "source term", entry_id)
    if "action" in raw:
        action = reader.text(raw["action"], "action", entry_id)
        if action not in ACTIONS:
            reader.problem(raw["action"].line, f"action must be one of {', '.join(ACTIONS)}, got '{action}'",
                           entry_id)
        else:
            entry.action = action
    entry.case_sensitive = reader.flag(raw.get("case_sensitive"), "case_sensitive", False, entry_id)
    entry.inflect = reader.flag(raw.get("inflect"), "inflect", True, entry_id)
    if "note" in raw:
        entry.note = reader.text(raw["note"], "note", entry_id)
    entry.tags = reader.texts(raw.get("tags"), "tag", entry_id)
    if not entry.targets:
        reader.problem(node.line, "entry has no target language (add e.g. 'en: {preferred: ...}')", entry_id)
    return entry


def _rendering(reader: YamlReader, node: Node, entry_id: str | None, lang: str) -> Rendering:
    if isinstance(node.value, str):  # shorthand: `en: preferred form`
        return Rendering(preferred=reader.text(node, f"{lang} preferred form", entry_id))
    raw = reader.mapping(node, RENDERING_KEYS, f"'{lang}'", entry_id)
    if "preferred" not in raw:
        reader.problem(node.line, f"'{lang}' has no preferred form", entry_id)
    return Rendering(
        preferred=reader.text(raw["preferred"], f"{lang} preferred form", entry_id) if "preferred" in raw else "",
        variants=reader.texts(raw.get("variants"), f"{lang} variant", entry_id),
        discouraged=_advice(reader, raw.get("discouraged"), entry_id, f"{lang} discouraged form"),
        forbidden=_advice(reader, raw.get("forbidden"), entry_id, f"{lang} forbidden form"),
        note=reader.text(raw["note"], f"{lang} note", entry_id) if "note" in raw else "",
    )


def _advice(reader: YamlReader, node: Node | None, entry_id: str | None, what: str) -> list[Advice]:
    if node is None or node.value is None:
        return []
    items = node.value if isinstance(node.value, list) else [node]
    out = []
    for item in items:
        if isinstance(item.value, dict):
            raw = reader.mapping(item, ADVICE_KEYS, what, entry_id)
            if "form" not in raw:
                reader.problem(item.line, f"{what} has no 'form'", entry_id)
                continue
            form = reader.text(raw["form"], what, entry_id)
            suggestion = reader.text(raw["suggestion"], "suggestion", entry_id) if "suggestion" in raw else ""
        else:
            form, suggestion = reader.text(item, what, entry_id), ""
        if form:
            out.append(Advice(form, suggestion))
    return out


# -- writing -------------------------------------------------------------------------

def _entry_data(entry: Entry) -> dict:
    data: dict = {"id": entry.id}
    if entry.source:
        data["source"] = entry.source[0] if len(entry.source) == 1 else list(entry.source)
    for lang, r in entry.targets.items():
        block: dict = {"preferred": r.preferred}
        if r.variants:
            block["variants"] = list(r.variants)
        for name in ("discouraged", "forbidden"):
            items = getattr(r, name)
            if items:
                block[name] = [{"form": a.form, "suggestion": a.suggestion} if a.suggestion else a.form
                               for a in items]
        if r.note:
            block["note"] = r.note
        data[lang] = block
    if entry.action != "replace":
        data["action"] = entry.action
    if entry.case_sensitive:
        data["case_sensitive"] = True
    if not entry.inflect:
        data["inflect"] = False
    if entry.tags:
        data["tags"] = list(entry.tags)
    if entry.note:
        data["note"] = entry.note
    return data


def write_yaml(glossary: Glossary) -> str:
    data: dict = {"name": glossary.name}
    if glossary.description:
        data["description"] = glossary.description
    data["source_language"] = glossary.source_language
    data["entries"] = [_entry_data(e) for e in glossary.entries]
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100, indent=2)
