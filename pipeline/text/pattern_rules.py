"""Pattern rules a user writes: a house style or a client's checklist, as a YAML file.

Like Okapi CheckMate's patterns and Xbench's checklists, each rule is a regular
expression or a literal phrase that should not appear in a translation, with a flag
code, a severity, a message for the translator and, optionally, what to write instead
and the languages it applies to:

    name: house-style
    rules:
      - code: click-here
        phrase: click here
        severity: warning
        message: 'Say where the link leads: "{match}" tells the reader nothing.'
        languages: [en]
      - code: percent-word
        pattern: '(\\d+) per ?cent\\b'
        severity: info
        message: Write the per cent sign.
        suggestion: '\\1%'

`phrase` matches the words as written, between word boundaries, case-insensitively
(`case_sensitive: true` to match case); `pattern` is a Python regular expression
(case-insensitive unless `case_sensitive: true`). `{match}` in a message is the text
found; `\\1` or `\\g<name>` in a suggestion is a group of the pattern. A rule's code
must not be one of the pipeline's own codes, so `skip_checks` and the review pages
tell them apart. The whole file is validated at once and every problem names the
file, the line and the rule; an invalid file stops the run before any document.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ..config import SettingsError
from .yamlnodes import Node, YamlError, YamlReader, read_nodes

FILE_KEYS = ("name", "description", "rules")
RULE_KEYS = ("code", "pattern", "phrase", "severity", "message", "suggestion", "languages", "case_sensitive")
SEVERITIES = ("info", "warning", "error")
CODE = re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*")
LANGUAGE = re.compile(r"[a-z]{2,3}")
_GROUP_REFERENCE = re.compile(r"\\(\d+)|\\g<([^>]*)>")


class RulesError(SettingsError):
    """An invalid rules file: every problem, each naming file, line and rule."""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class PatternRule:
    code: str
    severity: str
    message: str  # may hold {match}
    pattern: re.Pattern
    suggestion: str | None  # may hold group references (\1, \g<name>)
    languages: frozenset[str] | None  # None: every language
    literal: bool  # a phrase: its suggestion is text, not a template

    def applies_to(self, lang: str) -> bool:
        return self.languages is None or lang in self.languages

    def told(self, match: re.Match) -> tuple[str, str | None]:
        """The message and the suggestion for one match."""
        message = self.message.replace("{match}", match.group())
        if self.suggestion is None or self.literal:
            return message, self.suggestion
        return message, match.expand(self.suggestion)


@dataclass(frozen=True)
class RuleSet:
    path: str
    name: str
    rules: tuple[PatternRule, ...]


def load_rules(path: str | Path, reserved: frozenset[str] = frozenset()) -> RuleSet:
    """The rules of the file at `path`; RulesError listing every problem. `reserved`: the
    pipeline's own flag codes, which a rule may not take."""
    path = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise RulesError([f"{path}: cannot read the rules file: {exc.strerror}"]) from None
    except UnicodeDecodeError:
        raise RulesError([f"{path}: the rules file is not UTF-8"]) from None
    try:
        root = read_nodes(path, text)
    except YamlError as exc:
        raise RulesError([str(exc)]) from None
    if root is None:
        raise RulesError([f"{path}: the rules file is empty"])
    reader = YamlReader(path, noun="rule", kind="rules file")
    top = reader.mapping(reader.convert(root), FILE_KEYS, "the rules file", None)
    name = reader.text(top["name"], "'name'", None) if "name" in top else Path(path).stem
    items = top.get("rules")
    if items is None or not isinstance(items.value, list) or not items.value:
        reader.problem(items.line if items else None, "'rules' must be a list of rules")
        raise RulesError(reader.problems)
    rules, seen = [], {}
    for n, node in enumerate(items.value, start=1):
        rule = _rule(reader, node, n, reserved)
        if rule is None:
            continue
        if rule.code in seen:
            reader.problem(node.line, f"code used by rule {seen[rule.code]} too: each rule needs a code of its own",
                           rule.code)
        seen.setdefault(rule.code, n)
        rules.append(rule)
    if reader.problems:
        raise RulesError(reader.problems)
    return RuleSet(path, name, tuple(rules))


def _rule(reader: YamlReader, node: Node, n: int, reserved: frozenset[str]) -> PatternRule | None:
    fields = reader.mapping(node, RULE_KEYS, f"rule {n}", None)
    if not fields:
        return None
    code = reader.text(fields["code"], "'code'", None) if "code" in fields else ""
    label = code or f"#{n}"
    problems_before = len(reader.problems)
    if "code" not in fields:
        reader.problem(node.line, "needs a 'code' (lower-case words joined by hyphens)", label)
    elif code and not CODE.fullmatch(code):
        reader.problem(fields["code"].line, "'code' must be lower-case letters and digits joined by hyphens "
                                            f"(like house-style-1), got {code!r}", label)
    elif code in reserved:
        reader.problem(fields["code"].line, f"'{code}' is one of the pipeline's own codes: choose another", label)
    severity = reader.text(fields["severity"], "'severity'", label) if "severity" in fields else "warning"
    if severity not in SEVERITIES:
        reader.problem(fields["severity"].line, f"'severity' must be one of {', '.join(SEVERITIES)}, got "
                                                f"{severity!r}", label)
    if "message" not in fields:
        reader.problem(node.line, "needs a 'message' telling the translator what to do", label)
    message = reader.text(fields["message"], "'message'", label) if "message" in fields else ""
    case_sensitive = reader.flag(fields.get("case_sensitive"), "case_sensitive", False, label)
    flags = 0 if case_sensitive else re.IGNORECASE
    pattern = None
    literal = "phrase" in fields
    if ("pattern" in fields) == literal:
        reader.problem(node.line, "needs either a 'pattern' (a regular expression) or a 'phrase', not both", label)
    elif literal:
        phrase = reader.text(fields["phrase"], "'phrase'", label)
        if phrase:
            words = r"\s+".join(map(re.escape, phrase.split()))
            pattern = re.compile(rf"(?<!\w){words}(?!\w)", flags)
    else:
        source = reader.text(fields["pattern"], "'pattern'", label)
        try:
            pattern = re.compile(source, flags) if source else None
        except re.error as exc:
            reader.problem(fields["pattern"].line, f"'pattern' is not a regular expression: {exc}", label)
        if pattern is not None and pattern.search(""):
            reader.problem(fields["pattern"].line, "'pattern' matches the empty text: it would flag everything",
                           label)
    suggestion = None
    if "suggestion" in fields:
        suggestion = reader.text(fields["suggestion"], "'suggestion'", label) or None
        if suggestion and pattern is not None and not literal:
            for number, name in _GROUP_REFERENCE.findall(suggestion):
                if (number and int(number) > pattern.groups) or (name and name not in pattern.groupindex
                                                                 and not (name.isdigit() and int(name) <= pattern.groups)):
                    reader.problem(fields["suggestion"].line, f"'suggestion' refers to group "
                                                              f"{number or name}, which the pattern does not have", label)
    languages = None
    if "languages" in fields:
        languages = frozenset(reader.texts(fields["languages"], "a language", label))
        for lang in sorted(languages):
            if not LANGUAGE.fullmatch(lang):
                reader.problem(fields["languages"].line, f"'{lang}' is not a language code (ISO 639-1, like en)", label)
    if len(reader.problems) > problems_before or pattern is None:
        return None
    return PatternRule(code, severity, message, pattern, suggestion, languages or None, literal)
