"""Counts that `glossary check` prints for a glossary."""

from __future__ import annotations

from collections import Counter

from .model import Glossary


def statistics(glossary: Glossary) -> dict:
    per_lang: dict[str, Counter] = {}
    for entry in glossary.entries:
        for lang, r in entry.targets.items():
            c = per_lang.setdefault(lang, Counter())
            c["preferred"] += 1
            c["variants"] += len(r.variants)
            c["discouraged"] += len(r.discouraged)
            c["forbidden"] += len(r.forbidden)
    return {
        "name": glossary.name,
        "source_language": glossary.source_language,
        "entries": len(glossary.entries),
        "source_terms": sum(len(e.source) for e in glossary.entries),
        "actions": dict(sorted(Counter(e.action for e in glossary.entries).items())),
        "with_notes": sum(1 for e in glossary.entries if e.note or any(r.note for r in e.targets.values())),
        "languages": {lang: dict(c) for lang, c in sorted(per_lang.items())},
    }


def describe(stats: dict) -> str:
    actions = ", ".join(f"{n} {a}" for a, n in stats["actions"].items())
    lines = [f"{stats['name']}: {stats['entries']} entries ({actions}), {stats['source_terms']} "
             f"{stats['source_language']} source terms, {stats['with_notes']} with notes"]
    for lang, c in stats["languages"].items():
        lines.append(f"  {lang}: {c['preferred']} preferred, {c['variants']} variants, "
                     f"{c['discouraged']} discouraged, {c['forbidden']} forbidden")
    return "\n".join(lines)
