"""YAML read through PyYAML's node tree, so that every value keeps its line for messages.

`safe_load` loses the lines and silently keeps the last of two duplicate keys; the
glossary and rules readers need "file:line: entry 'x': what is wrong" for every problem,
all of them at once. `read_nodes` composes the tree (libyaml's parser when there is one)
and `YamlReader` turns it into `Node`s, collecting problems instead of stopping, with
typed accessors that report and return a safe default. Aliases are refused: a few lines
of nested aliases could stand for billions of values.
"""

from __future__ import annotations

from dataclasses import dataclass

import yaml

from ..errors import PipelineError


def where(path: str, line: int | None, item: str | None = None, noun: str = "entry") -> str:
    """The "file:line: entry 'id':" prefix every message starts with."""
    place = f"{path}:{line}" if line else path
    return f"{place}: {noun} '{item}'" if item else place


class YamlError(PipelineError):
    """A file that is not YAML at all: one message, file and line named."""


@dataclass
class Node:
    """A YAML value with the line it starts on."""

    value: object
    line: int


class YamlReader:
    """Turns PyYAML nodes into Node trees, collecting problems instead of stopping."""

    def __init__(self, path: str, noun: str = "entry", kind: str = "glossary"):
        self.path = path
        self.noun = noun  # what an item of the file is called in messages: "entry", "rule"
        self.kind = kind  # what the file is: "glossary", "rules file"
        self.problems: list[str] = []
        self.warnings: list[str] = []
        self.seen: set[int] = set()  # ids of the nodes converted, to catch aliases

    def problem(self, line: int | None, message: str, entry_id: str | None = None) -> None:
        self.problems.append(f"{where(self.path, line, entry_id, self.noun)}: {message}")

    def warn(self, line: int | None, message: str, entry_id: str | None = None) -> None:
        self.warnings.append(f"{where(self.path, line, entry_id, self.noun)}: {message}")

    def convert(self, node: yaml.Node) -> Node:
        line = node.start_mark.line + 1
        if isinstance(node, (yaml.MappingNode, yaml.SequenceNode)):
            # An alias is the anchored node itself, met again: expanding it would let a
            # few lines of nested aliases stand for billions of values (a "billion laughs").
            if id(node) in self.seen:
                self.problem(line, "the value anchored here (&) is used again through an alias (*); "
                                   f"aliases are not allowed in a {self.kind}: write the value out")
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


def read_nodes(path: str, text: str) -> yaml.Node | None:
    """The node tree of `text` (None for an empty file); YamlError naming the file and
    line when it is not YAML."""
    try:
        return _compose(text)
    except yaml.YAMLError as exc:
        raise YamlError(yaml_problem(path, exc)) from None


def yaml_problem(path: str, exc: yaml.YAMLError) -> str:
    """PyYAML's whole account of why `path` is not YAML: where the problem starts (an
    unclosed quote's line) as well as where it was found (often the end of the file), with
    columns: "bad.yaml:5:16: invalid YAML: while scanning a quoted scalar (which starts
    here): found unexpected end of stream at line 9, column 1"."""
    problem_mark, context_mark = getattr(exc, "problem_mark", None), getattr(exc, "context_mark", None)
    problem = getattr(exc, "problem", None) or str(exc)
    context = getattr(exc, "context", None)
    mark = context_mark or problem_mark
    at = f"{where(path, mark.line + 1 if mark else None)}{f':{mark.column + 1}' if mark else ''}"
    if context and context_mark and problem_mark and (context_mark.line, context_mark.column) != (
            problem_mark.line, problem_mark.column):
        return (f"{at}: invalid YAML: {context} (which starts here): {problem} at line {problem_mark.line + 1}, "
                f"column {problem_mark.column + 1}")
    return f"{at}: invalid YAML: {f'{context}: ' if context else ''}{problem}"
