"""Apply named rewrite rules to a text and record every change as an edit.

A stage hands `apply_rules` a text and an ordered list of `Rule`s. Each rule's
matches are applied to the current text; the changes are tracked back to offsets in
the text the stage received, so the result is a list of non-overlapping
`(start, end, before, after, rule)` changes that `replay` turns back into the output.
Changes that touch or overlap are merged into one, naming every rule involved.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache, partial

Replacement = str | Callable[[re.Match], str]
Protector = Callable[[str], Iterable[tuple[int, int]]]


@dataclass(frozen=True)
class Rule:
    """A named regular-expression rewrite. `replacement` uses `re` template syntax.

    `gate`, when given, is a cheap test that is true of every text the rule would
    change (say, "contains a '%'"): texts it rejects are not searched. Patterns that
    open with a look-behind or a common letter class are tried at every position, and
    most rules match in few segments, so this is most of a stage's saving.
    `non_ascii` says the rule only changes text with a non-ASCII character in it (curly
    quotes, full-width punctuation): Python knows whether a text is all ASCII without
    reading it, and most English text is.
    """

    name: str
    pattern: re.Pattern
    replacement: Replacement
    gate: Callable[[str], object] | None = None
    non_ascii: bool = False

    def may_change(self, text: str) -> bool:
        """False when the rule certainly leaves `text` as it is."""
        if self.non_ascii and text.isascii():
            return False
        return self.gate is None or bool(self.gate(text))

    def changes(self, text: str) -> list[tuple[int, int, str]]:
        if not self.may_change(text):
            return []
        out = []
        replace = self.replacement if callable(self.replacement) else compile_template(self.replacement)
        for m in self.pattern.finditer(text):
            after = replace(m)
            if after != m.group(0):
                out.append((m.start(), m.end(), after))
        return out


_TEMPLATE_PART = re.compile(r"\\g<(\w+)>|\\(\d{1,2})|\\(.)", re.S)
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "\\": "\\", "a": "\a", "f": "\f", "v": "\v"}


@lru_cache(maxsize=None)
def compile_template(template: str) -> Callable[[re.Match], str]:
    """`re` template syntax ("\\1", "\\g<name>") as a function of the match, parsed once.

    `Match.expand` re-parses its template on every call, which made it most of the
    punctuation stage's cost.
    """
    if "\\" not in template:
        return lambda m: template
    parts: list[str | int] = []
    pos = 0
    for t in _TEMPLATE_PART.finditer(template):
        parts.append(template[pos:t.start()])
        name, number, escaped = t.groups()
        if name is not None:
            parts.append(int(name) if name.isdigit() else name)
        elif number is not None:
            parts.append(int(number))
        else:
            parts.append(_ESCAPES.get(escaped, "\\" + escaped))
        pos = t.end()
    parts.append(template[pos:])
    return lambda m: "".join(p if isinstance(p, str) else (m.group(p) or "") for p in parts)


def _contains_any(pieces: tuple[str, ...], text: str) -> bool:
    return any(map(text.__contains__, pieces))


_SYNTAX = set(".^$*+?{}[]\\|()")


def rule(name: str, pattern: str, replacement: Replacement, flags: int = 0,
         gate: str | tuple[str, ...] | Callable[[str], object] | None = None) -> Rule:
    """A `Rule`; `gate` is a pattern found in every text the rule would change, plain
    strings one of which is in every such text (a search for each is quicker than a
    pattern that starts with a common character), or a test. A gate that is plain text
    with a non-ASCII character in it makes the rule `non_ascii`."""
    non_ascii = isinstance(gate, str) and not gate.isascii() and _SYNTAX.isdisjoint(gate)
    if isinstance(gate, tuple):
        gate = partial(_contains_any, gate)
    elif isinstance(gate, str):
        gate = re.compile(gate).search
    return Rule(name, re.compile(pattern, flags), replacement, gate, non_ascii)


@dataclass
class Change:
    """A merged change: `start:end` in the input, `cur_start:cur_end` in the current text."""

    start: int
    end: int
    cur_start: int
    cur_end: int
    rules: list[str] = field(default_factory=list)

    @property
    def growth(self) -> int:
        return (self.cur_end - self.cur_start) - (self.end - self.start)


class TrackedText:
    """A text being rewritten, remembering where each change came from."""

    def __init__(self, text: str):
        self.original = text
        self.text = text
        self.changes: list[Change] = []  # sorted, disjoint, not touching

    def replace(self, a: int, b: int, after: str, rule_name: str) -> None:
        """Replace current[a:b] with `after`, merging with touching earlier changes."""
        touching = [c for c in self.changes if c.cur_start <= b and c.cur_end >= a]
        left = [c for c in self.changes if c.cur_end < a]
        right = [c for c in self.changes if c.cur_start > b]
        cur_start = min([a] + [c.cur_start for c in touching])
        cur_end = max([b] + [c.cur_end for c in touching])
        start = cur_start - sum(c.growth for c in left)
        end = start + (cur_end - cur_start) - sum(c.growth for c in touching)
        rules = list(dict.fromkeys([r for c in touching for r in c.rules] + [rule_name]))
        delta = len(after) - (b - a)
        merged = Change(start, end, cur_start, cur_end + delta, rules)
        for c in right:
            c.cur_start += delta
            c.cur_end += delta
        self.changes = left + [merged] + right
        self.text = self.text[:a] + after + self.text[b:]

    def apply(self, rule: Rule, protect: Protector | None = None) -> None:
        changes = rule.changes(self.text)
        if protect and changes:
            guarded = list(protect(self.text))
            changes = [c for c in changes if not any(c[0] < pe and ps < c[1] for ps, pe in guarded)]
        for a, b, after in reversed(changes):  # right to left keeps offsets valid
            self.replace(a, b, after, rule.name)

    def current_span(self, a: int, b: int) -> tuple[int, int] | None:
        """Where the input's a:b stands in the current text, or None if a change touched it."""
        shift = 0
        for c in self.changes:
            if c.start < b and a < c.end:
                return None
            if c.end <= a:
                shift += c.growth
        return a + shift, b + shift

    def edits(self) -> list[tuple[int, int, str, str, str]]:
        """Net changes as (start, end, before, after, rule), dropping ones that cancelled out."""
        out = []
        for c in self.changes:
            before = self.original[c.start:c.end]
            after = self.text[c.cur_start:c.cur_end]
            if before != after:
                out.append((c.start, c.end, before, after, "+".join(c.rules)))
        return out


def apply_rules(text: str, rules: Sequence[Rule], protect: Protector | None = None,
                max_rounds: int = 4, fixed: Sequence[tuple[int, int]] = ()) -> tuple[str, list[tuple[int, int, str, str, str]]]:
    """Apply `rules` in order, repeating until the text stops changing. No rule changes
    text inside `protect(current text)`, nor inside the input's `fixed` spans.

    Repeating to a fixed point is what makes a stage idempotent: its output, fed
    back in, is left alone.
    """
    tracked = TrackedText(text)
    if fixed:
        inner = protect

        def protect(current: str) -> list[tuple[int, int]]:
            spans = [tracked.current_span(a, b) for a, b in fixed]
            return [*(inner(current) if inner else ()), *(s for s in spans if s is not None)]
    for _ in range(max_rounds):
        before_round = tracked.text
        for r in rules:
            if not r.may_change(tracked.text):
                continue
            tracked.apply(r, protect)
        if tracked.text == before_round:
            break
    return tracked.text, tracked.edits()


def replay(text: str, edits: Iterable) -> str:
    """Apply edits (objects or dicts with start, end, before, after) to `text`.

    Each stage's offsets index the text as that stage received it, so edits are
    applied stage by stage, in the order their stages first appear in `edits`.
    """
    def get(e, name, default=None):
        return e.get(name, default) if isinstance(e, dict) else getattr(e, name, default)

    by_stage: dict = {}
    for e in edits:
        by_stage.setdefault(get(e, "stage"), []).append(e)
    for stage_edits in by_stage.values():
        for e in sorted(stage_edits, key=lambda e: get(e, "start"), reverse=True):
            start, end = get(e, "start"), get(e, "end")
            if text[start:end] != get(e, "before"):
                raise ValueError(f"edit {get(e, 'rule')!r} does not match the text at {start}:{end}")
            text = text[:start] + get(e, "after") + text[end:]
    return text


def replay_without(text: str, edits: Iterable, dropped: Iterable) -> str | None:
    """`replay(text, edits)` with the edits in `dropped` left out (a reviewer rejected
    them): where a dropped edit stood, its stage's input text stays, and the later stages'
    edits go where their text now stands. None when a later edit changes what a dropped
    one wrote, or no longer finds its text: only a new run (`run --decisions`) can then
    say what the text would have been."""
    def get(e, name):
        return e.get(name) if isinstance(e, dict) else getattr(e, name)

    drop = {id(e) for e in dropped}
    by_stage: dict = {}
    for e in edits:
        by_stage.setdefault(get(e, "stage"), []).append(e)
    # Where the text with every edit (F) and the text being made (R) differ: spans of F
    # a dropped edit wrote, with the length of what R holds there instead.
    islands: list[tuple[int, int, int]] = []
    for stage_edits in by_stage.values():
        stage_edits = sorted(stage_edits, key=lambda e: get(e, "start"))
        kept: list[tuple[int, int, str]] = []  # in R's coordinates
        for e in stage_edits:
            start, end = get(e, "start"), get(e, "end")
            if id(e) in drop:
                continue
            if any(max(start, a) < min(end, b) or start < a == b < end or a < start == end < b
                   for a, b, _r in islands):
                return None  # it changed text a dropped edit wrote, or its place
            shift = sum((b - a) - r for a, b, r in islands if b <= start)
            if text[start - shift:end - shift] != get(e, "before"):
                return None
            kept.append((start - shift, end - shift, get(e, "after")))
        for start, end, after in reversed(kept):
            text = text[:start] + after + text[end:]
        # the islands in the coordinates of F after this stage, and this stage's dropped edits as new ones
        def moved(at: int) -> int:
            return at + sum(len(get(e, "after")) - (get(e, "end") - get(e, "start"))
                            for e in stage_edits if get(e, "end") <= at)
        islands = [(moved(a), moved(b), r) for a, b, r in islands] + [
            (moved(get(e, "start")), moved(get(e, "start")) + len(get(e, "after")), len(get(e, "before")))
            for e in stage_edits if id(e) in drop]
    return text
