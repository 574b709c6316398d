"""TBX (TermBase eXchange) import and export, with lxml.

Writes TBX v3 (ISO 30042:2019), dialect TBX-Basic, DCA style. Reads TBX v3 and the
older TBX v2 (`<martif>`, `termEntry/langSet/tig`) that most CAT tools export.

Mapping (administrativeStatus of each term):
    preferred    preferredTerm-admn-sts
    variant      supersededTerm-admn-sts (action replace) or admittedTerm-admn-sts (flag)
    discouraged  deprecatedTerm-admn-sts, the suggestion in the term's <note>
    forbidden    deprecatedTerm-admn-sts with a note starting "Forbidden."
                 (a status containing "forbidden", as some tools write, also reads as forbidden)
    (none)       with no preferred term, the first term with no status (or admitted,
                 legal, regulated, standardized) is preferred
    other        any other status ("obsolete", a tool's own) reads as a variant, never as
                 the preferred term, with a warning
The root's xml:lang is the source language; a language's region or script is dropped
(pt-BR is pt), and a second langSet that falls on the same language is left out with a
warning. An entry with no id is given one made from its terms (`tbx-` and a hash), with
a warning. Entry settings that TBX-Basic has no field for (action, case sensitivity,
inflection) travel in a "pipeline:" note.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from lxml import etree

from ..formats.xmltools import XML_LANG, local_name, safe_parser, text_of
from .model import ACTIONS, Advice, Entry, Glossary, GlossaryError, Rendering, where

TBX_NS = "urn:iso:std:iso:30042:ed-2"
STATUS = {
    "preferred": "preferredTerm-admn-sts",
    "admitted": "admittedTerm-admn-sts",
    "superseded": "supersededTerm-admn-sts",
    "deprecated": "deprecatedTerm-admn-sts",
}
# administrativeStatus values of TBX (v2 and v3) the reader knows, by their first word
KNOWN_STATUS = ("preferred", "admitted", "superseded", "deprecated", "legal", "regulated", "standardized")
ACCEPTED_STATUS = ("admitted", "legal", "regulated", "standardized")
SETTINGS_NOTE = re.compile(r"^pipeline:\s*(.*)$")
ADVICE_NOTE = re.compile(r"^(?P<forbidden>Forbidden\.\s*)?(?:Suggestion:\s*(?P<suggestion>.*))?$", re.S)


def _children(el, *names):
    return [c for c in el if local_name(c) in names]


def _text(el) -> str:
    return text_of(el).strip()


def read_tbx(path: str | Path, data: bytes) -> Glossary:
    path = str(path)
    try:
        root = etree.fromstring(data, safe_parser())
    except etree.XMLSyntaxError as exc:
        raise GlossaryError([f"{where(path, exc.lineno)}: invalid XML: {exc.msg}"]) from None
    if local_name(root) not in ("tbx", "martif"):
        raise GlossaryError([f"{where(path, root.sourceline)}: not a TBX file (root element <{local_name(root)}>)"])
    source_lang = (root.get(XML_LANG) or "zh").lower().split("-")[0]
    titles = [el for el in root.iter() if local_name(el) == "title"]
    descs = [el for el in root.iter() if local_name(el) == "sourceDesc"]
    glossary = Glossary(name=_text(titles[0]) if titles else Path(path).stem, source_language=source_lang,
                        description=_text(descs[0]) if descs else "", path=path)
    problems: list[str] = []
    for concept in root.iter():
        if local_name(concept) in ("conceptEntry", "termEntry"):
            glossary.entries.append(_read_concept(concept, source_lang, path, problems, glossary.warnings))
    _give_ids(glossary)
    if problems:
        raise GlossaryError(problems, glossary)
    return glossary


def _give_ids(glossary: Glossary) -> None:
    """Ids for the entries that have none: TBX makes the id optional, this glossary needs one.
    Made from the entry's terms, so the same entry gets the same id on every read."""
    taken = {e.id for e in glossary.entries if e.id}
    for entry in glossary.entries:
        if entry.id:
            continue
        terms = entry.source + [f for r in entry.targets.values() for _, f in r.forms()]
        base = "tbx-" + hashlib.sha1("\n".join(terms).encode("utf-8")).hexdigest()[:10]
        entry.id, n = base, 1
        while entry.id in taken:
            n += 1
            entry.id = f"{base}-{n}"
        taken.add(entry.id)
        glossary.warnings.append(f"{where(glossary.path, entry.line)}: entry has no id; "
                                 f"read as '{entry.id}'")


def _read_concept(concept, source_lang: str, path: str, problems: list[str], warnings: list[str]) -> Entry:
    entry = Entry(id=concept.get("id") or "", path=path, line=concept.sourceline)
    settings: dict[str, str] = {}
    notes = []
    for note in _children(concept, "note"):
        m = SETTINGS_NOTE.match(_text(note))
        if m:
            settings.update(kv.split("=", 1) for kv in re.split(r"[;\s]+", m.group(1)) if "=" in kv)
        elif _text(note):
            notes.append(_text(note))
    entry.note = "\n".join(notes)
    any_superseded = False
    for lang_el in _children(concept, "langSec", "langSet"):
        tag = lang_el.get(XML_LANG) or ""
        lang = tag.lower().split("-")[0]
        if not lang:
            problems.append(f"{where(path, lang_el.sourceline, entry.id)}: <{local_name(lang_el)}> has no xml:lang")
            continue
        if lang in entry.targets:
            warnings.append(f"{where(path, lang_el.sourceline, entry.id)}: '{tag}' is read as '{lang}', "
                            f"which an earlier langSet of this entry gave; its terms are left out")
            continue
        terms = []  # (term, status, note, line)
        for term_el in _children(lang_el, "termSec", "tig", "ntig"):
            term = next((t for t in term_el.iter() if local_name(t) == "term"), None)
            status = next((_text(n) for n in term_el.iter() if local_name(n) == "termNote"
                           and n.get("type") == "administrativeStatus"), "")
            note = " ".join(_text(n) for n in _children(term_el, "note"))
            text = _text(term) if term is not None else ""
            if not text:
                problems.append(f"{where(path, term_el.sourceline, entry.id)}: empty {lang} term")
                continue
            if status and not status.lower().startswith(KNOWN_STATUS):
                warnings.append(f"{where(path, term_el.sourceline, entry.id)}: {lang} term '{text}' has "
                                f"an unknown administrativeStatus '{status}'; read as a variant")
            terms.append((text, status, note))
        lang_note = "\n".join(_text(n) for n in _children(lang_el, "note") if _text(n))
        if lang == source_lang:
            entry.source.extend(t for t, _, _ in terms)
            continue
        rendering = Rendering(preferred="", note=lang_note)
        for text, status, note in terms:
            advice = ADVICE_NOTE.match(note)
            if "forbidden" in status.lower() or (status.startswith("deprecated") and advice and advice["forbidden"]):
                rendering.forbidden.append(Advice(text, (advice["suggestion"] or "") if advice else note))
            elif status.startswith("deprecated"):
                rendering.discouraged.append(Advice(text, (advice["suggestion"] or "") if advice else note))
            elif status.startswith("preferred") and not rendering.preferred:
                rendering.preferred = text
            else:
                any_superseded |= status.startswith("superseded")
                rendering.variants.append(text)
        if not rendering.preferred:  # none marked preferred: the first term with no status or an accepted one
            unmarked = next((t for t, status, _ in terms if t in rendering.variants
                             and (not status or status.lower().startswith(ACCEPTED_STATUS))), None)
            if unmarked is not None:
                rendering.variants.remove(unmarked)
                rendering.preferred = unmarked
        if not rendering.preferred:
            problems.append(f"{where(path, lang_el.sourceline, entry.id)}: '{lang}' has no preferred term")
        entry.targets[lang] = rendering
    has_variants = any(r.variants for r in entry.targets.values())
    entry.action = settings.get("action", "replace" if any_superseded or not has_variants else "flag")
    if entry.action not in ACTIONS:
        problems.append(f"{where(path, concept.sourceline, entry.id)}: unknown action '{entry.action}'")
    entry.case_sensitive = settings.get("case_sensitive", "false") == "true"
    entry.inflect = settings.get("inflect", "true") == "true"
    entry.tags = [t for t in settings.get("tags", "").split(",") if t]
    return entry


def write_tbx(glossary: Glossary) -> bytes:
    root = etree.Element(_q("tbx"), nsmap={None: TBX_NS}, style="dca", type="TBX-Basic")
    root.set(XML_LANG, glossary.source_language)
    file_desc = _sub(_sub(root, "tbxHeader"), "fileDesc")
    _sub(_sub(file_desc, "titleStmt"), "title", glossary.name)
    _sub(_sub(file_desc, "sourceDesc"), "p", glossary.description or glossary.name)
    body = _sub(_sub(root, "text"), "body")
    for entry in glossary.entries:
        concept = _sub(body, "conceptEntry", id=entry.id)
        settings = []
        if entry.action != "replace":
            settings.append(f"action={entry.action}")
        if entry.case_sensitive:
            settings.append("case_sensitive=true")
        if not entry.inflect:
            settings.append("inflect=false")
        if entry.tags:
            settings.append("tags=" + ",".join(entry.tags))
        if settings:
            _sub(concept, "note", "pipeline: " + "; ".join(settings))
        if entry.note:
            _sub(concept, "note", entry.note)
        if entry.source:
            lang_sec = _sub(concept, "langSec", **{XML_LANG: glossary.source_language})
            for i, term in enumerate(entry.source):
                _term(lang_sec, term, STATUS["preferred" if i == 0 else "admitted"])
        variant_status = STATUS["superseded" if entry.action == "replace" else "admitted"]
        for lang, r in entry.targets.items():
            lang_sec = _sub(concept, "langSec", **{XML_LANG: lang})
            if r.note:
                _sub(lang_sec, "note", r.note)
            _term(lang_sec, r.preferred, STATUS["preferred"])
            for v in r.variants:
                _term(lang_sec, v, variant_status)
            for a in r.discouraged:
                _term(lang_sec, a.form, STATUS["deprecated"], f"Suggestion: {a.suggestion}" if a.suggestion else None)
            for a in r.forbidden:
                _term(lang_sec, a.form, STATUS["deprecated"],
                      "Forbidden." + (f" Suggestion: {a.suggestion}" if a.suggestion else ""))
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _q(tag: str) -> str:
    return f"{{{TBX_NS}}}{tag}"


def _sub(parent, tag: str, text: str | None = None, **attrs):
    el = etree.SubElement(parent, _q(tag))
    for k, v in attrs.items():
        el.set(k, v)
    if text is not None:
        el.text = text
    return el


def _term(lang_sec, text: str, status: str, note: str | None = None) -> None:
    term_sec = _sub(lang_sec, "termSec")
    _sub(term_sec, "term", text)
    _sub(term_sec, "termNote", status, type="administrativeStatus")
    if note:
        _sub(term_sec, "note", note)
