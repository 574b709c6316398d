import pytest

from pipeline.text.edits import apply_rules, replay, rule


def as_dicts(changes):
    return [dict(start=s, end=e, before=b, after=a, rule=r) for s, e, b, a, r in changes]


def test_each_change_names_its_rule_and_replays():
    text = "a  b ,c"
    out, changes = apply_rules(text, [rule("spaces", r" {2,}", " "), rule("comma", r" ,", ",")])
    assert out == "a b,c"
    assert [(c[2], c[3], c[4]) for c in changes] == [("  ", " ", "spaces"), (" ,", ",", "comma")]
    assert replay(text, as_dicts(changes)) == out


def test_touching_changes_merge_and_name_every_rule():
    text = "x  z"
    out, changes = apply_rules(text, [rule("a", "x", "yy"), rule("b", " +", " "), rule("c", "yy z", "Q")])
    assert out == "Q"
    assert changes == [(0, 4, "x  z", "Q", "a+b+c")]


def test_changes_that_cancel_out_are_dropped():
    out, changes = apply_rules("a (b", [rule("pad", r"\(", " ("), rule("collapse", " +", " ")])
    assert out == "a (b" and changes == []


def test_protected_spans_are_never_changed():
    out, changes = apply_rules("Home » News", [rule("quote", "»", '"')],
                               protect=lambda t: [(t.index("»"), t.index("»") + 1)])
    assert out == "Home » News" and changes == []


def test_rules_repeat_until_stable():
    out, _ = apply_rules("a . . .", [rule("dedupe", r"\. \.", ".")])
    assert out == "a ."


def test_replay_rejects_edits_that_do_not_fit():
    with pytest.raises(ValueError):
        replay("abc", [dict(start=0, end=1, before="z", after="y", rule="r")])
