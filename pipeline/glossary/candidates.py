"""Term candidates: the recurring multi-word noun phrases of a batch's English text, with
their different renderings grouped, for a reviewer to pick one and make it a glossary
entry (`python -m pipeline terms`), as translate-toolkit's `poterminology` mines terms.

A candidate is a run of two to six words inside a clause (punctuation ends a run) that
starts and ends with a content word (not a determiner, preposition, conjunction, pronoun,
auxiliary or particle; "of" and "and" may stand inside: "ex situ poverty alleviation and
relocation"), does not start with a word that is only a verb (a participle may: "targeted
poverty alleviation"), ends with a word that can be a noun (lemminflect's lexicon, or a
word it does not know, a name), holds no number, and is written with a capital (a name or
title: "Party Committee") or has a content word that is not everyday English (Zipf below
`COMMON`: "recent years" is no term). It is kept when it occurs at least
`min_count` times; a shorter one that only ever occurs inside one longer kept candidate
is left out ("situ poverty alleviation" inside "ex situ poverty alleviation").

Renderings of one concept are grouped by their content words: two candidates with the
same last content word (the head, as a lemma: "sites" is "site") whose lemma sets share
at least half their words (Jaccard >= `JOIN`) are one group ("targeted poverty
alleviation", "precise poverty alleviation"), unless one holds the other: "poverty
alleviation" is the generic term, "targeted poverty alleviation" a specific one. Groups are seeded by the most frequent
candidates, so a group's first rendering is its most frequent, the one proposed as
preferred. Hyphens count as spaces in comparing ("ex-situ", "ex situ").
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from ..language import lexicon
from ..language.english import AUXILIARIES, DETERMINERS, JOINERS, PREPOSITIONS, SUBJECT_PRONOUNS
from ..language.words import zipf
from .model import Entry, Glossary, Rendering

MAX_WORDS = 6
JOIN = 0.5  # the least share of content lemmas two renderings of one concept have in common
INSIDE = {"of", "and"}  # function words a term may hold ("people's livelihood and well-being")
STOP = (AUXILIARIES | DETERMINERS | SUBJECT_PRONOUNS | PREPOSITIONS | JOINERS
        | {"be", "been", "being", "not", "also", "very", "more", "most", "such", "than", "them", "us", "me", "him",
           "our", "its", "their", "his", "her", "my", "your", "this", "these", "those", "what", "how", "why",
           # particles of phrasal verbs: "carry out", "lift out of poverty"
           "out", "up", "off", "down", "away", "back"})
COMMON = 5.0  # Zipf frequency from which a word is everyday English: a run of only such words is no term
# A clause's words: letters with inner hyphens and apostrophes; anything else ends a run.
_RUN = re.compile(r"[A-Za-z][A-Za-z'’-]*(?:\s+[A-Za-z][A-Za-z'’-]*)*")
_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")


@dataclass
class Wording:
    """One candidate's wording, with where it occurs."""

    text: str  # as most often written
    key: str  # its words' lemmas, lower case, hyphens as spaces
    count: int
    documents: list[str]
    example: str  # a sentence it occurs in


@dataclass
class CandidateGroup:
    """The renderings of one concept, most frequent first."""

    head: str
    renderings: list[Wording] = field(default_factory=list)

    @property
    def count(self) -> int:
        return sum(r.count for r in self.renderings)


def key_of(text: str) -> str:
    return " ".join(text.replace("-", " ").replace("’", "'").lower().split())


def _content(word: str) -> bool:
    return word not in STOP and len(word) > 1


def _nounish(word: str) -> bool:
    classes = lexicon.lemmas(word)
    return not classes or "NOUN" in classes


def _starts_a_term(word: str) -> bool:
    """Not a verb that is nothing else ("carry", "promote"), but a participle may be:
    "targeted poverty alleviation", "relocated households"."""
    classes = set(lexicon.lemmas(word))
    return not (classes and classes <= {"VERB", "AUX"}) or word.endswith(("ed", "ing"))


def _lemma(word: str) -> str:
    found = lexicon.lemmas(word)
    for upos in ("NOUN", "ADJ", "VERB"):
        if upos in found:
            return found[upos][0]
    return word


def _titled(words: list[str], at_start: bool) -> bool:
    """Written with a capital where a sentence would not have one: a name or a title
    ("Party Committee", "Spring Festival")."""
    return any(w[0].isupper() for w in (words[1:] if at_start else words))


def _everyday(words: list[str]) -> bool:
    """Every content word everyday English: "recent years", "same time"."""
    return all(zipf(w, "en") >= COMMON for w in words if _content(w))


def _lemmas_of(key: str) -> tuple[str, ...]:
    return tuple(_lemma(w) for w in key.split())


def phrases(sentence: str) -> Iterable[tuple[str, str]]:
    """(key, text as written) of each candidate run of words in `sentence`."""
    for run in _RUN.finditer(sentence):
        start = not sentence[:run.start()].strip(" \"'“‘(")  # the run opens the sentence
        words = _WORD.findall(run.group())
        lower = [w.lower().replace("’", "'") for w in words]
        for i in range(len(words)):
            if not _content(lower[i]) or not _starts_a_term(lower[i]):
                continue
            for n in range(2, MAX_WORDS + 1):
                j = i + n
                if j > len(words):
                    break
                inner = lower[i + 1:j - 1]
                if any(not _content(w) and w not in INSIDE for w in inner):
                    break  # a longer run only adds more of the same word
                last = lower[j - 1]
                if _content(last) and _nounish(last) and (_titled(words[i:j], at_start=start and i == 0)
                                                          or not _everyday(lower[i:j])):
                    text = " ".join(words[i:j])
                    yield key_of(text), text


def mine(segments: Iterable[tuple[str, str]], min_count: int = 3) -> list[CandidateGroup]:
    """Candidate groups from (document id, sentence) pairs of English body text, the
    largest first."""
    counts: Counter = Counter()
    written: dict[str, Counter] = defaultdict(Counter)
    documents: dict[str, dict[str, None]] = defaultdict(dict)
    examples: dict[str, str] = {}
    for doc, sentence in segments:
        for key, text in phrases(sentence):
            key = " ".join(_lemmas_of(key))  # one rendering in either number: "site", "sites"
            counts[key] += 1
            written[key][text] += 1
            documents[key][doc] = None
            examples.setdefault(key, sentence)
    kept = {k for k, n in counts.items() if n >= min_count}
    # A candidate as frequent as a longer one holding it occurs only inside that one (each
    # occurrence of the longer holds one of it): it adds nothing of its own.
    kept = {k for k in kept if not any(counts[other] == counts[k] and other != k and f" {k} " in f" {other} "
                                       for other in kept)}
    renderings = [Wording(written[k].most_common(1)[0][0], k, counts[k], list(documents[k]), examples[k])
                  for k in kept]
    return group(renderings)


def group(renderings: list[Wording]) -> list[CandidateGroup]:
    """Renderings grouped by head lemma and shared content lemmas (see the module)."""
    groups: list[tuple[frozenset[str], CandidateGroup]] = []
    for r in sorted(renderings, key=lambda r: (-r.count, r.key)):
        words = [w for w in r.key.split() if _content(w)]
        lemmas = frozenset(words)  # the key is lemmas already
        head = words[-1]
        for seed, g in groups:
            first = g.renderings[0].key
            nested = f" {first} " in f" {r.key} " or f" {r.key} " in f" {first} "  # a generic and a specific term
            if g.head == head and not nested and len(seed & lemmas) / len(seed | lemmas) >= JOIN:
                g.renderings.append(r)
                break
        else:
            groups.append((lemmas, CandidateGroup(head, [r])))
    return sorted((g for _, g in groups), key=lambda g: (-g.count, g.renderings[0].key))


def as_glossary(groups: list[CandidateGroup], name: str = "candidates", lang: str = "en") -> Glossary:
    """Each group of two renderings or more as an entry: its most frequent rendering
    preferred, the others variants (a reviewer edits the choice before using it)."""
    entries, ids = [], set()
    for g in groups:
        if len(g.renderings) < 2:
            continue
        preferred, *others = g.renderings
        base = re.sub(r"[^a-z0-9]+", "-", preferred.key).strip("-") or "term"
        entry_id, n = base, 2
        while entry_id in ids:
            entry_id, n = f"{base}-{n}", n + 1
        ids.add(entry_id)
        entries.append(Entry(entry_id, targets={lang: Rendering(preferred.text, [r.text for r in others])},
                             note=f"candidate: {g.count} occurrences in the batch"))
    return Glossary(name=name, source_language="zh", entries=entries,
                    description="Term candidates mined from a batch (python -m pipeline terms): check each choice.")


@dataclass(frozen=True)
class Coverage:
    """How many of a glossary's entries the candidates found: of the entries with a form
    written at least `min_count` times in the batch, those a candidate is a form of (the
    lemmas word for word: "sites" is "site"), and of those with two forms or more among
    the candidates, those whose forms fell in one group."""

    present: list[str]  # entry ids
    found: list[str]
    several: list[str]  # entries with two forms or more among the candidates
    grouped: list[str]  # ... all in one group


def coverage(groups: list[CandidateGroup], entries: list[Entry], sentences: list[str], lang: str = "en",
             min_count: int = 3) -> Coverage:
    text = " " + " ".join(key_of(s) for s in sentences) + " "
    where = {tuple(r.key.split()): n for n, g in enumerate(groups) for r in g.renderings}
    present, found, several, grouped = [], [], [], []
    for entry in entries:
        rendering = entry.targets.get(lang)
        if rendering is None:
            continue
        forms = {key_of(form) for _status, form in rendering.forms()}
        if sum(text.count(f" {form} ") for form in forms) < min_count:
            continue
        present.append(entry.id)
        hits = {where[_lemmas_of(form)] for form in forms if _lemmas_of(form) in where}
        if hits:
            found.append(entry.id)
        if len([form for form in forms if _lemmas_of(form) in where]) >= 2:
            several.append(entry.id)
            if len(hits) == 1:
                grouped.append(entry.id)
    return Coverage(present, found, several, grouped)
