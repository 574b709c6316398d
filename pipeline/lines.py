"""Article line or web chrome: a classifier for the lines of a plain-text page.

A page copied as text arrives one paragraph per line, its menus, share buttons, footers
and teaser titles included. The boilerplate stage's named patterns catch chrome of a
known shape; this model decides the other lines from what they look like and where they
stand, in the way jusText classifies paragraphs: how long a line is, whether it ends like
a sentence, its share of the most common words of the languages the pipeline meets, of
capitalised words, of digits and separators and of navigation words (home, share, login,
weiter, partager ...), whether it stands above or below the article's paragraphs, what its
neighbours look like, and whether the page says it twice.

The weights are plain numbers in `line-weights.json`, fitted by `python -m
pipeline.lines_fit` (cross-validated by page; see docs/chrome.md, "Web chrome in plain text").
`line_features` is a pure function of the page's lines; `LineModel.probabilities` turns
them into the probability that each line is chrome.
"""

from __future__ import annotations

import json
import math
import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from .datacache import cached, key_of

WEIGHTS_FILE = Path(__file__).with_name("line-weights.json")

FEATURES = ("log_words", "sentence_end", "inner_stop", "common_share", "capitalised_share", "digit_share",
            "navigation_share", "above_article", "below_article", "neighbour_chrome", "neighbour_paragraph",
            "said_twice", "paragraph_distance")

# The languages whose most common words count as common (a page's language is not known
# yet when its chrome is decided; the lists hardly overlap with content words).
COMMON_LANGUAGES = ("en", "fr", "de", "es", "pt", "it", "nl")
COMMON_PER_LANGUAGE = 100

# Words of page furniture, not of articles: navigation, accounts, sharing, legal pages, in
# the languages the pipeline meets. A share of them in a short line marks a menu or widget.
NAVIGATION = frozenset("""
home menu search login logout sign register account share print email e-mail close next previous prev back top
subscribe newsletter contact imprint privacy cookies cookie terms sitemap rss comments comment reply facebook
twitter whatsapp linkedin instagram youtube tweet follow download archive archives tags tag categories category
help faq skip navigation login more sections section editions edition
accueil rechercher recherche connexion inscription partager imprimer fermer suivant précédent retour haut abonner
abonnez-vous mentions légales confidentialité commentaires commentaire répondre télécharger catégories rubriques
startseite suche suchen anmelden anmeldung abmelden registrieren teilen drucken schließen weiter zurück nach oben
mehr abonnieren kontakt impressum datenschutz nutzungsbedingungen kommentare kommentar antworten herunterladen
archiv kategorien hilfe ressorts
inicio buscar búsqueda iniciar sesión registrarse compartir imprimir cerrar siguiente anterior volver arriba más
suscribirse contacto aviso legal privacidad comentarios responder descargar archivo categorías ayuda
início pesquisar busca entrar cadastre compartilhar fechar próximo voltar topo mais assinar contato privacidade
comentários baixar arquivo ajuda
""".split())

# A line of this many words or more, ending like a sentence, reads as article text.
PARAGRAPH_WORDS = 12
# A line of at most this many words, not ending like a sentence, reads as a label or link.
SHORT_WORDS = 5

WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")
_ENDS_LIKE_SENTENCE = re.compile(r"[.!?。！？…][\"”’»)\]]*$")
_INNER_STOP = re.compile(r"[.!?。！？][\"”’»)]*\s+[\"“«(]?[A-ZÀ-Þ]")
_DIGIT_OR_SEPARATOR = re.compile(r"[\d|/•·»›>:@#_=+*\-–—]")


@cache
def common_words() -> frozenset[str]:
    """The most common words of COMMON_LANGUAGES, from wordfreq's lists. Reading seven
    whole lists for these few hundred words is most of a small run's chrome stage, so
    the words are kept in the cache folder, keyed by wordfreq's version and the choice."""
    key = key_of([" ".join(COMMON_LANGUAGES), str(COMMON_PER_LANGUAGE)], libraries=("wordfreq",))
    return cached("common-words", key, read_common_words, frozenset)


def read_common_words() -> frozenset[str]:
    """common_words() read from wordfreq's lists themselves."""
    from wordfreq import top_n_list
    words: set[str] = set()
    for lang in COMMON_LANGUAGES:
        words.update([w for w in top_n_list(lang, COMMON_PER_LANGUAGE * 2) if w.isalpha()][:COMMON_PER_LANGUAGE])
    return frozenset(words)


def _is_paragraph(text: str) -> bool:
    return len(WORD.findall(text)) >= PARAGRAPH_WORDS and bool(_ENDS_LIKE_SENTENCE.search(text))


def _is_short_label(text: str) -> bool:
    return len(WORD.findall(text)) <= SHORT_WORDS and not _ENDS_LIKE_SENTENCE.search(text)


def normal_form(text: str) -> str:
    """The line's words and numbers in lower case, one space apart: two copies of a line
    compare equal whatever their spacing and punctuation; lines whose numbers differ do not."""
    return " ".join(_WORD_OR_NUMBER.findall(text.lower()))


_WORD_OR_NUMBER = re.compile(WORD.pattern + r"|\d+")


def line_features(lines: list[str]) -> list[dict[str, float]]:
    """FEATURES of each line of a page: the lines still undecided, in page order (the
    lines named patterns matched are left out, as they are left out of the cleaned text,
    so the page's cleaned text gets the same figures when it is read again)."""
    common = common_words()
    paragraphs = [_is_paragraph(t) for t in lines]
    first = next((i for i, p in enumerate(paragraphs) if p), None)
    last = next((i for i in range(len(lines) - 1, -1, -1) if paragraphs[i]), None)
    chrome_like = [_is_short_label(t) for t in lines]
    normal = [normal_form(t) for t in lines]
    seen: dict[str, int] = {}
    for n in normal:
        if n:
            seen[n] = seen.get(n, 0) + 1
    longer = sorted(n for n in normal if len(n.split()) >= SHORT_WORDS)
    distance = _distances(paragraphs)
    rows = []
    for i, text in enumerate(lines):
        words = WORD.findall(text)
        n = len(words)
        lower = [w.lower() for w in words]
        chars = [c for c in text if not c.isspace()]
        neighbours = [j for j in (i - 1, i + 1) if 0 <= j < len(lines)]
        me = normal[i]
        # a teaser repeats the start of the article's lead; a menu entry recurs in the footer
        twice = bool(me) and (seen.get(me, 0) > 1 or (len(me.split()) >= SHORT_WORDS and _starts_another(me, longer)))
        rows.append({
            "log_words": math.log1p(n),
            "sentence_end": float(bool(_ENDS_LIKE_SENTENCE.search(text))),
            "inner_stop": float(bool(_INNER_STOP.search(text))),
            "common_share": sum(w in common for w in lower) / n if n else 0.0,
            "capitalised_share": sum(w[0].isupper() for w in words) / n if n else 0.0,
            "digit_share": len(_DIGIT_OR_SEPARATOR.findall(text)) / len(chars) if chars else 0.0,
            "navigation_share": sum(w in NAVIGATION for w in lower) / n if n else 0.0,
            "above_article": float(first is not None and i < first),
            "below_article": float(last is not None and i > last),
            "neighbour_chrome": float(sum(chrome_like[j] for j in neighbours)),
            "neighbour_paragraph": float(sum(paragraphs[j] for j in neighbours)),
            "said_twice": float(twice),
            # chrome stands away from the article; a subheading next to its paragraph
            "paragraph_distance": math.log1p(distance[i]),
        })
    return rows


def _starts_another(line: str, ordered: list[str]) -> bool:
    """Whether another line of `ordered` (sorted) starts with `line`."""
    k = bisect_right(ordered, line)  # past the copies of `line` itself
    return k < len(ordered) and ordered[k].startswith(line)


def _distances(marks: list[bool]) -> list[int]:
    """For each position, how many lines away the nearest marked one is (the page's
    length when none is)."""
    far = len(marks)
    out, last = [far] * len(marks), None
    for i, m in enumerate(marks):
        last = i if m else last
        out[i] = i - last if last is not None else far
    last = None
    for i in range(len(marks) - 1, -1, -1):
        last = i if marks[i] else last
        if last is not None:
            out[i] = min(out[i], last - i)
    return out


@dataclass(frozen=True)
class LineModel:
    bias: float
    weights: dict[str, float]
    threshold: float

    @classmethod
    def load(cls, path: Path | str = WEIGHTS_FILE) -> LineModel:
        return _load(str(path))

    def probabilities(self, rows: list[dict[str, float]]) -> list[float]:
        return [1.0 / (1.0 + math.exp(-(self.bias + sum(self.weights.get(k, 0.0) * v for k, v in row.items()))))
                for row in rows]


@cache
def _load(path: str) -> LineModel:
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    return LineModel(float(data["bias"]), {k: float(v) for k, v in data["weights"].items()}, float(data["threshold"]))
