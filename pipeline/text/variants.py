"""Inconsistent translations: one source translated in more than one way, or one
translation given for more than one source (Xbench's "inconsistency in source/target").

Government and news batches repeat formulaic sentences and headings; each repeat should
read the same. The garble stage flags the groups within a document
(`inconsistent-translation`), and the run lists every group of the whole batch once in
the summary and on the index, with each variant and how often it occurs.

Texts are compared with their white space collapsed; a source made only of digits and
punctuation (a number, a date) is left out: its translation is the number's business.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

_SPACES = re.compile(r"\s+")
_WORDLESS = re.compile(r"[\W\d_]*")


def normal(text: str) -> str:
    return _SPACES.sub(" ", text).strip()


@dataclass
class Variant:
    text: str
    places: list = field(default_factory=list)  # where it occurs: whatever the caller gave

    @property
    def count(self) -> int:
        return len(self.places)


@dataclass
class Group:
    """One source with several translations (`kind` "source"), or one translation of
    several sources ("target"): `text` is the shared side, `variants` the other, most
    frequent first."""

    kind: str
    text: str
    variants: list[Variant]

    def listing(self) -> str:
        return "; ".join(f"\u201c{v.text}\u201d ({v.count}\u00d7)" for v in self.variants)


def inconsistent_groups(pairs: Iterable[tuple[str, str, object]]) -> list[Group]:
    """The groups among (source, target, place) pairs, sources in the order first met."""
    by_source: dict[str, dict[str, Variant]] = {}
    by_target: dict[str, dict[str, Variant]] = {}
    for source, target, place in pairs:
        source, target = normal(source), normal(target)
        if not source or not target or _WORDLESS.fullmatch(source):
            continue
        by_source.setdefault(source, {}).setdefault(target, Variant(target)).places.append(place)
        by_target.setdefault(target, {}).setdefault(source, Variant(source)).places.append(place)
    groups = []
    for kind, table in (("source", by_source), ("target", by_target)):
        for text, variants in table.items():
            if len(variants) > 1:
                ordered = sorted(variants.values(), key=lambda v: -v.count)  # stable: first met first among equals
                groups.append(Group(kind, text, ordered))
    return groups


PLACES_SHOWN = 20  # places listed per variant in the summary; the count is always whole


def batch_groups(segments_file) -> list[dict]:
    """Every group of a run's segments.jsonl (aligned body segments of all documents), as
    the summary and the index list them: the shared text, each variant with its count and
    its first places (document, segment index)."""

    def pairs():
        with open(segments_file, encoding="utf-8") as fh:
            for line in fh:
                r = json.loads(line)
                if r["kind"] != "boilerplate" and r.get("source") and r["cleaned"].strip():
                    yield r["source"], r["cleaned"], {"doc": r["doc"], "index": r["index"]}

    return [{"kind": g.kind, "text": g.text,
             "documents": len({p["doc"] for v in g.variants for p in v.places}),
             "variants": [{"text": v.text, "count": v.count, "places": v.places[:PLACES_SHOWN]}
                          for v in g.variants]}
            for g in inconsistent_groups(pairs())]
