"""The human-edited YAML glossary format (documented in glossaries/README.md).

Parsing goes through PyYAML's node tree rather than `safe_load`, so every value
keeps its line number for error messages, and duplicate keys (which `safe_load`
silently overwrites) are reported.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from .model import ACTIONS, LANG_PATTERN, Advice, Entry, Glossary, GlossaryError, Rendering, where

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


@dataclass
class Node:
    """A YAML value with the line it starts on."""

    value: object
    line: int


class _Reader:
    """Turns PyYAML nodes into Node trees, collecting problems instead of stopping."""

    def __init__(self, path: str):
        self.path = path
        self.problems: list[str] = []
        self.warnings: list[str] = []
        self.seen: set[int] = set()  # ids of the nodes converted, to catch aliases

    def problem(self, line: int | None, message: str, entry_id: str | None = None) -> None:
        self.problems.append(f"{where(self.path, line, entry_id)}: {message}")

    def warn(self, line: int | None, message: str, entry_id: str | None = None) -> None:
        self.warnings.append(f"{where(self.path, line, entry_id)}: {message}")

    def convert(self, node: yaml.Node) -> Node:
        line = node.start_mark.line + 1
        if isinstance(node, (yaml.MappingNode, yaml.SequenceNode)):
            # An alias is the anchored node itself, met again: expanding it would let a
            # few lines of nested aliases stand for billions of values (a "billion laughs").
            if id(node) in self.seen:
                self.problem(line, "the value anchored here (&) is used again through an alias (*); "
                                   "aliases are not allowed in a glossary: write the value out")
                return Node(None, line)
            self.seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            out: dict[str, Node] = {}
            for key_node, value_node in node.value:
                key = str(key_node.value)
                if key in out:
                    self.problem(key_node.start_mark.line + 1, f"duplicate key '{key}'")
                out[key] = self.convert(value_node)
            return Node(out, line)
        if isinstance(node, yaml.SequenceNode):
            return Node([self.convert(item) for item in node.value], line)
        tag = node.tag.rsplit(":", 1)[-1]
        if tag == "null":
            return Node(None, line)
        if tag == "bool":
            return Node(node.value.lower() in ("true", "yes", "on", "y"), line)
        if tag in ("int", "float"):
            return Node(("number", node.value), line)  # a number where text was expected
        return Node(node.value, line)

    # -- typed accessors: each reports a problem and returns a safe default -------

    def text(self, node: Node, what: str, entry_id: str | None) -> str:
        value = node.value
        if isinstance(value, tuple) and value[0] == "number":
            return value[1]  # "2020" as a term is text; numbers are fine as terms
        if isinstance(value, bool) or not isinstance(value, str):
            self.problem(node.line, f"{what} must be text (quote it if YAML reads it as "
                                    f"yes/no/true/false)", entry_id)
            return ""
        if not value.strip():
            self.problem(node.line, f"{what} is empty", entry_id)
        return value.strip()

    def texts(self, node: Node | None, what: str, entry_id: str | None) -> list[str]:
        if node is None or node.value is None:
            return []
        items = node.value if isinstance(node.value, list) else [node]
        return [t for t in (self.text(item, what, entry_id) for item in items) if t]

    def flag(self, node: Node | None, what: str, default: bool, entry_id: str) -> bool:
        if node is None:
            return default
        if not isinstance(node.value, bool):
            self.problem(node.line, f"'{what}' must be true or false", entry_id)
            return default
        return node.value

    def mapping(self, node: Node, allowed, what: str, entry_id: str | None) -> dict[str, Node]:
        if not isinstance(node.value, dict):
            self.problem(node.line, f"{what} must be a mapping of keys to values", entry_id)
            return {}
        for key, value in node.value.items():
            if key not in allowed:
                self.problem(value.line, f"unknown key '{key}' in {what} (allowed: {', '.join(allowed)})",
                             entry_id)
        return node.value


def _compose(text: str) -> yaml.Node:
    """The node tree (with line numbers). libyaml's parser, when PyYAML has it, reads a
    10,000-entry glossary in a fraction of the pure-Python parser's 5 s; a file it rejects
    is parsed again by the pure-Python one, whose error messages the tests pin."""
    fast = getattr(yaml, "CSafeLoader", None)
    if fast is not None:
        try:
            return yaml.compose(text, Loader=fast)
        except yaml.YAMLError:
            pass
    return yaml.compose(text, Loader=yaml.SafeLoader)


def read_yaml(path: str | Path, text: str) -> Glossary:
    path = str(path)
    try:
        root = _compose(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        line = mark.line + 1 if mark else None
        problem = getattr(exc, "problem", None) or str(exc)
        raise GlossaryError([f"{where(path, line)}: invalid YAML: {problem}"]) from None
    if root is None:
        raise GlossaryError([f"{path}: the glossary file is empty"])
    reader = _Reader(path)
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


def _entry(reader: _Reader, node: Node, path: str) -> Entry:
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


def _rendering(reader: _Reader, node: Node, entry_id: str | None, lang: str) -> Rendering:
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


def _advice(reader: _Reader, node: Node | None, entry_id: str | None, what: str) -> list[Advice]:
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
