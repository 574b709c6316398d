"""The windowed difference (`pipeline.text.diffing`) against difflib's plain one."""

from difflib import SequenceMatcher

from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.text.diffing import opcodes
from pipeline.outputs.report import Piece, diff_pieces

TOKENS = st.sampled_from(["the", " ", "people", ",", ".", "city", "（", "2019", "relocated", "\n"])
EDITS = st.lists(st.tuples(st.integers(0, 10_000), st.sampled_from(["drop", "add", "swap"]), TOKENS), max_size=12)
CHECKED = settings(max_examples=300, deadline=None, derandomize=True, database=None)


def edited(a: list[str], edits) -> list[str]:
    b = list(a)
    for at, kind, token in edits:
        at = at % (len(b) + 1)
        if kind == "drop" and at < len(b):
            del b[at]
        elif kind == "add":
            b.insert(at, token)
        elif at < len(b):
            b[at] = token
    return b


def assert_turns_a_into_b(ops, a, b):
    i = j = 0
    for op, i1, i2, j1, j2 in ops:
        assert (i1, j1) == (i, j), "opcodes must be contiguous"
        if op == "equal":
            assert a[i1:i2] == b[j1:j2]
        else:
            assert i2 > i1 or j2 > j1
        i, j = i2, j2
    assert (i, j) == (len(a), len(b))


@CHECKED
@given(st.lists(TOKENS, max_size=300), EDITS, st.integers(4, 64))
def test_windowed_opcodes_turn_a_into_b(a, edits, window):
    b = edited(a, edits)
    ops = opcodes(a, b, window=window)
    assert_turns_a_into_b(ops, a, b)
    if len(a) <= window and len(b) <= window:
        assert ops == SequenceMatcher(None, a, b, autojunk=False).get_opcodes()


@CHECKED
@given(st.lists(TOKENS, min_size=200, max_size=400), st.lists(st.integers(0, 10_000), max_size=6))
def test_far_apart_edits_keep_as_much_in_common_as_the_plain_match(a, spots):
    """Where edits stand well apart, as cleaning edits do, windowing loses no common item."""
    b, last = list(a), -100
    for at in sorted(s % len(a) for s in spots):
        if at - last > 40:
            b[at] = "CHANGED"
            last = at
    plain = SequenceMatcher(None, a, b, autojunk=False).get_matching_blocks()
    windowed = [op for op in opcodes(a, b, window=16) if op[0] == "equal"]
    assert sum(i2 - i1 for _op, i1, i2, _j1, _j2 in windowed) == sum(m.size for m in plain)


def test_a_long_line_is_diffed_in_linear_time():
    """40,000 words with an edit every few words: plain difflib took minutes; this takes a
    second. Counted in matcher calls, not seconds, so a busy machine cannot fail it."""
    import difflib
    words = ["the", "people", "of", "the", "city", ",", "relocated", "in", "2019", "."]
    original = " ".join(words[n % len(words)] for n in range(40_000))
    cleaned = original.replace(" ,", ",").replace(" .", ".")
    calls = []
    real = difflib.SequenceMatcher.find_longest_match

    def counted(self, *args):
        calls.append(1)
        return real(self, *args)

    difflib.SequenceMatcher.find_longest_match = counted
    try:
        left, right = diff_pieces(original, cleaned)
    finally:
        difflib.SequenceMatcher.find_longest_match = real
    assert "".join(p.text for p in left) == original and "".join(p.text for p in right) == cleaned
    assert {p.change for p in left} == {"", "del"} and all(p.text == " " for p in left if p.change == "del")
    edits = original.count(" ,") + original.count(" .")
    assert len(calls) < 10 * edits  # a bounded number of small matches per edit
    assert isinstance(left[0], Piece)
