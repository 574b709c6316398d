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

Where the input is aligned (each sentence with its source), renderings are grouped by the
source term they translate first, whatever their words ("relocation" and "resettlement"
of one 搬迁). A candidate's source term is a run of the source text (2 to 8 characters of
a script written without spaces, 1 to 4 words of others) found in at least `COVER` of the
aligned sentences the candidate is in (and in two at least); of those, the one most
associated with it by Dice's coefficient (twice the sentences with both over the
sentences with either; the longer run on a tie). A term some candidate is that closely
associated with (Dice at least `ANCHOR`) anchors a group; each candidate then joins the
anchored term it is most associated with among those found in `COVER` of its sentences,
so a rare variant joins the term of the common rendering, and a source word found in
every sentence (的, "the") anchors nothing. Candidates without one are grouped by their
words, as above.
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
COVER = 0.8  # the least share of a candidate's aligned sentences a source term of it is in
ANCHOR = 0.5  # the least Dice coefficient of a candidate and a source term that anchors a group
MAX_SOURCE_CHARS, MAX_SOURCE_WORDS = 8, 4
_SPACELESS_RUN = re.compile("[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af]+")
_CLAUSE_BREAK = re.compile(r"[^\w\s'’-]+")
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
    """The renderings of one concept, most frequent first; with the source term they
    translate, where the input is aligned and one was found."""

    head: str
    renderings: list[Wording] = field(default_factory=list)
    source: str | None = None

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


def source_runs(source: str) -> set[str]:
    """The runs of a source sentence that may be a term: 2 to `MAX_SOURCE_CHARS` characters
    of a script written without spaces, 1 to `MAX_SOURCE_WORDS` words (lower case) of
    others, inside a clause; none of digits alone."""
    runs = set()
    for run in _SPACELESS_RUN.findall(source):
        for i in range(len(run) - 1):
            runs.update(run[i:j] for j in range(i + 2, min(i + MAX_SOURCE_CHARS, len(run)) + 1))
    for clause in _CLAUSE_BREAK.split(_SPACELESS_RUN.sub(" . ", source)):
        words = clause.lower().split()
        for i in range(len(words)):
            runs.update(" ".join(words[i:j]) for j in range(i + 1, min(i + MAX_SOURCE_WORDS, len(words)) + 1))
    return {r for r in runs if not r.replace(" ", "").isdigit()}


def source_terms(sentences_of: dict[str, set[int]], sources: dict[int, str]) -> dict[str, str]:
    """The source term of each candidate key that has one (see the module): `sentences_of`
    gives each key's aligned sentences (their numbers), `sources` each sentence's source."""
    runs_of = {n: source_runs(text) for n, text in sources.items()}
    sentences_with: Counter = Counter(run for runs in runs_of.values() for run in runs)

    def associations(key: str) -> dict[str, float]:
        """Dice of `key` and each run found in COVER of its sentences (two at least)."""
        own = sentences_of[key]
        together = Counter(run for n in own for run in runs_of[n])
        least = max(2, COVER * len(own))
        return {run: 2 * both / (len(own) + sentences_with[run]) for run, both in together.items() if both >= least}

    scored = {key: associations(key) for key in sentences_of}
    anchored = set()
    for dice in scored.values():
        best = max(dice.items(), key=lambda item: (item[1], len(item[0]), item[0]), default=None)
        if best is not None and best[1] >= ANCHOR:
            anchored.add(best[0])
    terms = {}
    for key, dice in scored.items():
        best = max(((run, d) for run, d in dice.items() if run in anchored),
                   key=lambda item: (item[1], len(item[0]), item[0]), default=None)
        if best is not None:
            terms[key] = best[0]
    return terms


def mine(segments: Iterable[tuple], min_count: int = 3) -> list[CandidateGroup]:
    """Candidate groups from (document id, sentence) pairs of English body text, or
    (document id, sentence, source) triples of aligned text (source None where a sentence
    has none), the largest first."""
    counts: Counter = Counter()
    written: dict[str, Counter] = defaultdict(Counter)
    documents: dict[str, dict[str, None]] = defaultdict(dict)
    examples: dict[str, str] = {}
    sentences_of: dict[str, set[int]] = defaultdict(set)  # the aligned sentences each key is in
    sources: dict[int, str] = {}
    for number, (doc, sentence, *source) in enumerate(segments):
        if source and source[0]:
            sources[number] = source[0]
        for key, text in phrases(sentence):
            key = " ".join(_lemmas_of(key))  # one rendering in either number: "site", "sites"
            counts[key] += 1
            written[key][text] += 1
            documents[key][doc] = None
            examples.setdefault(key, sentence)
            if number in sources:
                sentences_of[key].add(number)
    kept = {k for k, n in counts.items() if n >= min_count}
    # A candidate as frequent as a longer one holding it occurs only inside that one (each
    # occurrence of the longer holds one of it): it adds nothing of its own.
    kept = {k for k in kept if not any(counts[other] == counts[k] and other != k and f" {k} " in f" {other} "
                                       for other in kept)}
    renderings = [Wording(written[k].most_common(1)[0][0], k, counts[k], list(documents[k]), examples[k])
                  for k in kept]
    terms = source_terms({k: sentences_of[k] for k in kept if sentences_of[k]}, sources) if sources else {}
    return group(renderings, terms)


def group(renderings: list[Wording], terms: dict[str, str] | None = None) -> list[CandidateGroup]:
    """Renderings grouped by the source term they translate (`terms`: key -> source term,
    where one was found), then by head lemma and shared content lemmas (see the module)."""
    terms = terms or {}
    groups: list[tuple[frozenset[str], CandidateGroup]] = []
    by_term: dict[str, CandidateGroup] = {}
    for r in sorted(renderings, key=lambda r: (-r.count, r.key)):
        words = [w for w in r.key.split() if _content(w)]
        lemmas = frozenset(words)  # the key is lemmas already
        head = words[-1]
        term = terms.get(r.key)
        if term is not None:
            if term in by_term:
                by_term[term].renderings.append(r)
            else:
                by_term[term] = CandidateGroup(head, [r], source=term)
                groups.append((lemmas, by_term[term]))
            continue
        for seed, g in groups:
            first = g.renderings[0].key
            nested = f" {first} " in f" {r.key} " or f" {r.key} " in f" {first} "  # a generic and a specific term
            if g.head == head and not nested and len(seed & lemmas) / len(seed | lemmas) >= JOIN:
                g.renderings.append(r)
                break
        else:
            groups.append((lemmas, CandidateGroup(head, [r])))
    return sorted((g for _, g in groups), key=lambda g: (-g.count, g.renderings[0].key))


def as_glossary(groups: list[CandidateGroup], name: str = "candidates", lang: str = "en",
                source_language: str = "zh") -> Glossary:
    """Each group of two renderings or more as an entry: its most frequent rendering
    preferred, the others variants (a reviewer edits the choice before using it), and the
    source term they translate where one was found."""
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
        entries.append(Entry(entry_id, source=[g.source] if g.source else [],
                             targets={lang: Rendering(preferred.text, [r.text for r in others])},
                             note=f"candidate: {g.count} occurrences in the batch"))
    return Glossary(name=name, source_language=source_language, entries=entries,
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
