"""Repeated words and two-word phrases: the damage no edit may add.

"a moderately moderately prosperous society", "of poverty of poverty", "the work team
work this year": an edit that makes one of these where the text had none has made the
sentence worse, whatever rule it came from. A word stands twice in a row, or a word of
`NEAR_MIN_LETTERS` letters or more comes twice in `NEAR_WORDS` words (shorter words,
"the", "of", "la", recur that close in good writing; a term said again further on,
"two resettlement sites and three resettlement sites", is parallel, not damage). Words compare case-insensitively,
with hyphens read as spaces ("well-off off" repeats "off").
"""

from __future__ import annotations

import re
from collections import Counter

WORD = re.compile(r"[^\W_]+(?:['\u2019][^\W_]+)*")


NEAR_WORDS = 4  # a window of this many words
NEAR_MIN_LETTERS = 4


def repeated_pairs(text: str) -> Counter:
    """How often each word stands twice in a row ("the the") or, when long enough, twice
    in `NEAR_WORDS` words ("work team work"), and each two-word phrase twice in a row
    ("of poverty of poverty"), keyed by the repeated words."""
    words = [w.lower() for w in WORD.findall(text)]
    found: Counter = Counter()
    for i in range(len(words) - 1):
        word = words[i]
        if word == words[i + 1] or (len(word) >= NEAR_MIN_LETTERS and not word.isdigit()
                                    and word in words[i + 2:i + NEAR_WORDS]):
            found[word] += 1
        if i + 3 < len(words) and words[i:i + 2] == words[i + 2:i + 4]:
            found[" ".join(words[i:i + 2])] += 1
    return found


def new_repeats(before: str, after: str) -> list[str]:
    """The repeats `after` has more often than `before`, in order: what an edit added."""
    was = repeated_pairs(before)
    return sorted(key for key, n in repeated_pairs(after).items() if n > was[key])


# A repeated two-word phrase spans four words, as a near repeat at most does, so an edit
# can only make or unmake repeats within three words of it: a window of this many words
# either side is enough.
MARGIN_WORDS = 4
_REACH = 200  # characters searched for those words; a shorter stretch is taken whole


def repeats_added(text: str, start: int, end: int, after: str) -> list[str]:
    """`new_repeats(text, text[:start] + after + text[end:])`, looking only at the words
    around the change (property-tested against it)."""
    back = [m.start() for m in WORD.finditer(text, max(0, start - _REACH), start)]
    lo = back[-MARGIN_WORDS] if len(back) >= MARGIN_WORDS + 1 else 0  # +1: the first may be cut in two
    ahead = [m.end() for m in WORD.finditer(text, end, end + _REACH)]
    hi = ahead[MARGIN_WORDS - 1] if len(ahead) >= MARGIN_WORDS + 1 else len(text)
    return new_repeats(text[lo:hi], text[lo:start] + after + text[end:hi])
