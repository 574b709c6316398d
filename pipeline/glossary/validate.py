"""Checks across glossary entries: ids, conflicting claims, empty and self-contradicting terms.

The id rule (`model.ID_RULE`) is checked here, for every format alike, so a glossary
converted from TSV or TBX to YAML passes its own check.

Each problem names the file, line and entry. Errors make a glossary unusable (the
pipeline refuses to start); warnings are printed by `glossary check` but allowed.
"""

from __future__ import annotations

from .forms import fold
from .model import ID_PATTERN, ID_RULE, Entry, Glossary


def validate(glossaries: list[Glossary]) -> tuple[list[str], list[str]]:
    """Return (errors, warnings) for the entries of all `glossaries` taken together."""
    errors: list[str] = []
    warnings: list[str] = [w for g in glossaries for w in g.warnings]
    first_by_id: dict[str, Entry] = {}
    # (lang, folded form) -> (entry, folded preferred) for preferred forms and variants
    claims: dict[tuple[str, str], tuple[Entry, str]] = {}
    advised: dict[tuple[str, str], Entry] = {}

    entries = [e for g in glossaries for e in g.entries]
    for entry in entries:
        if entry.id and not ID_PATTERN.match(entry.id):
            errors.append(f"{entry.at()}: {ID_RULE}")
        if entry.id in first_by_id:
            first = first_by_id[entry.id]
            errors.append(f"{entry.at()}: duplicate id (first used at {first.path}:{first.line})")
        else:
            first_by_id[entry.id] = entry
        for lang, rendering in entry.targets.items():
            if not rendering.preferred.strip():
                errors.append(f"{entry.at()}: '{lang}' has an empty preferred form")
                continue
            def key(form: str, case_sensitive: bool = entry.case_sensitive) -> str:
                return fold(form, case_sensitive)
            preferred = key(rendering.preferred)
            seen: set[str] = set()
            for status, form in rendering.forms():
                if not form.strip():
                    errors.append(f"{entry.at()}: empty {lang} {status} form")
                    continue
                k = key(form)
                if status != "preferred" and k in seen:
                    what = "the preferred form" if k == preferred else "another form of this entry"
                    if status == "variant":
                        warnings.append(f"{entry.at()}: {lang} variant '{form}' is {what} up to case, "
                                        f"hyphens or spaces, which matching already tolerates")
                    else:
                        errors.append(f"{entry.at()}: {lang} {status} form '{form}' is also {what}")
                    continue
                seen.add(k)
                if status in ("discouraged", "forbidden"):
                    advised.setdefault((lang, k), entry)
                    continue
                other = claims.get((lang, k))
                if other is None:
                    claims[(lang, k)] = (entry, preferred)
                elif other[0] is not entry and other[1] != preferred:
                    o = other[0]
                    errors.append(
                        f"{entry.at()}: {lang} {status} '{form}' is also claimed by entry '{o.id}' "
                        f"({o.path}:{o.line}) with a different preferred form "
                        f"('{rendering.preferred}' vs '{o.targets[lang].preferred}')")
    for (lang, k), entry in advised.items():
        other = claims.get((lang, k))
        if other and other[0] is not entry:
            warnings.append(f"{entry.at()}: {lang} form '{k}' is discouraged here but accepted by entry "
                            f"'{other[0].id}' ({other[0].path}:{other[0].line})")
    return errors, warnings
