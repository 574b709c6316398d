"""Differences between a text as read and as cleaned, in time linear in their length.

difflib's SequenceMatcher with autojunk off is quadratic on long sequences whose items
repeat (every space token, every "the"): one 40,000-word line took 750 s to draw. The
cleaned text differs from the original only in local edits, so for long sequences
`opcodes` walks both from the left: it takes the common run, then matches a small window
after the first difference (doubling it up to `WINDOW` items until a match turns up),
keeps what it found up to a point well inside the window, and goes on from
there. Sequences that fit in one window are matched whole, exactly as SequenceMatcher
would.
"""

from __future__ import annotations

from collections.abc import Sequence
from difflib import SequenceMatcher

WINDOW = 2000  # the most items matched at once: 2000 x 2000 stays well under a second
_FIRST_WINDOW = 32

Opcode = tuple[str, int, int, int, int]


def opcodes(a: Sequence, b: Sequence, window: int = WINDOW) -> list[Opcode]:
    """SequenceMatcher-style opcodes ("equal", "replace", "delete", "insert") turning a into b."""
    if len(a) <= window and len(b) <= window:
        return SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
    out: list[Opcode] = []
    i = j = 0
    while i < len(a) or j < len(b):
        run = _common_run(a, b, i, j)
        if run:
            out.append(("equal", i, i + run, j, j + run))
            i, j = i + run, j + run
            continue
        found = _next_change(a, b, i, j, window)
        out += [(op, i + i1, i + i2, j + j1, j + j2) for op, i1, i2, j1, j2 in found]
        i, j = out[-1][2], out[-1][4]
    return _merge_equal(out)


def _next_change(a: Sequence, b: Sequence, i: int, j: int, window: int) -> list[Opcode]:
    """Opcodes for a[i:], b[j:] from their first difference up to the first match found
    after it, relative to i and j. Edits are local, so a small window usually finds the
    match; it doubles until it does, or until `window`."""
    size = min(_FIRST_WINDOW, window)
    while True:
        rest_a, rest_b = a[i:i + size], b[j:j + size]
        found = SequenceMatcher(None, rest_a, rest_b, autojunk=False).get_opcodes()
        if i + len(rest_a) == len(a) and j + len(rest_b) == len(b):
            return found  # the window reaches both ends: all of it holds
        kept = _within(found, size * 3 // 4)  # a match ending past that may belong beyond the window
        if kept:
            return kept
        if size >= window:  # nothing in common near: the whole window is one change
            op = "replace" if rest_a and rest_b else "delete" if rest_a else "insert"
            return [(op, 0, len(rest_a), 0, len(rest_b))]
        size = min(2 * size, window)


def _within(found: list[Opcode], keep: int) -> list[Opcode]:
    """The opcodes up to item `keep` on both sides, a match crossing it cut short there;
    empty when a change crosses it first."""
    kept: list[Opcode] = []
    for op, i1, i2, j1, j2 in found:
        if i2 <= keep and j2 <= keep:
            kept.append((op, i1, i2, j1, j2))
            continue
        length = min(keep - i1, keep - j1)
        if op == "equal" and length > 0:
            kept.append((op, i1, i1 + length, j1, j1 + length))
        break
    return kept if any(op[0] == "equal" for op in kept) else []


def _common_run(a: Sequence, b: Sequence, i: int, j: int) -> int:
    n = 0
    while i + n < len(a) and j + n < len(b) and a[i + n] == b[j + n]:
        n += 1
    return n


def _merge_equal(ops: list[Opcode]) -> list[Opcode]:
    merged: list[Opcode] = []
    for op in ops:
        if merged and op[0] == "equal" == merged[-1][0]:
            prev = merged.pop()
            op = ("equal", prev[1], op[2], prev[3], op[4])
        merged.append(op)
    return merged
