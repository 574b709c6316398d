"""The glossary data model shared by every format: Glossary, Entry, Rendering, Advice.

An `Entry` is one concept: its source-language term(s), and per target language a
`Rendering`: the preferred form, known variants, and forms to discourage or forbid,
each with a suggestion. The entry's `action` says what the terms stage does with a
variant: `replace` rewrites it to the preferred form, `flag` only flags it, `keep`
marks a protected name that is never rewritten (and shields the words inside it).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..errors import PipelineError

ACTIONS = ("replace", "flag", "keep")
ID_PATTERN = re.compile(r"^[A-Za-z][A-Za-z0-9_.-]*$")  # an XML ID, so TBX can carry it
ID_RULE = "id must start with a letter and contain only letters, digits, '.', '_' and '-'"
LANG_PATTERN = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$")


class GlossaryError(PipelineError):
    """An invalid glossary. The message names the file, the line and the entry."""

    def __init__(self, problems: list[str], glossary: Glossary | None = None):
        self.problems = problems
        self.glossary = glossary  # what could be read despite the problems, if anything
        super().__init__("\n".join(problems))


def where(path: str, line: int | None, entry_id: str | None = None) -> str:
    """The "file:line: entry 'id':" prefix every glossary message starts with."""
    place = f"{path}:{line}" if line else path
    return f"{place}: entry '{entry_id}'" if entry_id else place


@dataclass(frozen=True)
class Advice:
    """A discouraged or forbidden form and what to write instead."""

    form: str
    suggestion: str = ""


@dataclass
class Rendering:
    """How one concept is written in one target language."""

    preferred: str
    variants: list[str] = field(default_factory=list)
    discouraged: list[Advice] = field(default_factory=list)
    forbidden: list[Advice] = field(default_factory=list)
    note: str = ""

    def forms(self) -> list[tuple[str, str]]:
        """Every form with its status: preferred, variant, discouraged or forbidden."""
        return ([("preferred", self.preferred)] + [("variant", v) for v in self.variants]
                + [("discouraged", a.form) for a in self.discouraged]
                + [("forbidden", a.form) for a in self.forbidden])


@dataclass
class Entry:
    id: str
    source: list[str] = field(default_factory=list)
    targets: dict[str, Rendering] = field(default_factory=dict)
    action: str = "replace"
    case_sensitive: bool = False
    # Also match the other grammatical number of a form's last word (English only).
    inflect: bool = True
    note: str = ""
    # Free labels; "calque" marks a literal rendering of a Chinese set phrase (flag code `calque`).
    tags: list[str] = field(default_factory=list)
    # Where the entry was read from, for messages; not part of the entry's content.
    path: str = field(default="", compare=False, repr=False)
    line: int | None = field(default=None, compare=False, repr=False)

    def at(self) -> str:
        return where(self.path, self.line, self.id)


@dataclass
class Glossary:
    name: str
    source_language: str
    entries: list[Entry] = field(default_factory=list)
    description: str = ""
    path: str = field(default="", compare=False)
    # What reading had to guess (a generated id, an unknown status), each naming file and line.
    warnings: list[str] = field(default_factory=list, compare=False)

    @property
    def target_languages(self) -> list[str]:
        return sorted({lang for e in self.entries for lang in e.targets})
