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
pipeline fit lines` (cross-validated by site; see docs/chrome.md, "Web chrome in plain text").
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
            "said_twice", "paragraph_distance",
            # what a line is made of, whatever the site: a date, a field label, links
            # between separators, a name alone, a press name, a run of widget words,
            # language names or several scripts (a language switcher), brackets round it
            "has_date", "field_label", "separators", "name_alone", "press_name", "navigation_run",
            "language_names", "scripts", "bracketed", "holds_line", "lower_start")

MONTHS = (r"(?:jan(?:uary|vier|uar)?|feb(?:ruary|ruar)?|févr(?:ier)?|mar(?:ch|s|zo)?|märz|apr(?:il|il)?|avr(?:il)?|"
          r"abr(?:il)?|may|mai|mayo|jun(?:e|i|io)?|juin|jul(?:y|i|io)?|juil(?:let)?|aug(?:ust)?|août|ago(?:sto)?|"
          r"sep(?:t(?:ember|embre|iembre)?)?|oct(?:ober|obre|ubre)?|okt(?:ober)?|nov(?:ember|embre|iembre)?|"
          r"dec(?:ember)?|déc(?:embre)?|dez(?:ember)?|dic(?:iembre)?)\.?")
# A date, and maybe its time: "2022-05-27", "2024/09/19, 14:05", "7 juillet 2017", "March 3rd,
# 2021", "22. 08. 2012", "2024年4月14日", a time run into its date ("2025/06/1200:59:37").
DATE = (r"(?:\d{4}[-/.]\d{1,2}(?:[-/.]\d{1,2})?|\d{1,2}[-/.]\d{1,2}[-/.]\d{4}|\d{1,2}\.\s\d{1,2}\.\s?\d{4}|"
        r"\d{4}年\d{1,2}月(?:\d{1,2}日)?|\d{1,2}\.?\s+" + MONTHS + r"\s+\d{4}|"
        + MONTHS + r"\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4})"
        r"(?:[\sT,|·-]*\d{1,2}:\d{2}(?::\d{2})?(?:\s?[ap]\.?m\.?)?)?(?=\W|$)")
# A day of a month without its year: "October 19", "3rd October", "Oct. 3" (a year run into
# the month, "20221October 3rd", still leaves the day).
DAY_OF_MONTH = re.compile(r"(?<![^\W\d_])(?:" + MONTHS + r"\s*\d{1,2}(?:st|nd|rd|th)?|\d{1,2}(?:st|nd|rd|th)?\.?\s+"
                          + MONTHS + r")(?![^\W_])", re.IGNORECASE)
_DIGIT = re.compile(r"\d")
_DATE_OR_TIME = re.compile(DATE + r"|(?<![\d:])\d{1,2}:\d{2}(?![\d:])", re.IGNORECASE)

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
messenger pinterest wechat weibo qzone douban telegram reddit tumblr xing flipboard mastodon vk qq
favorites favourites favoris favoriten favoritos bookmark bookmarks print printer views clicks hits player
podcast font nav druckversion versenden merken schriftgröße envoyer 打印 关闭 分享 收藏 字号
""".split())

# Names of languages as a language switcher writes them, each in its own language.
LANGUAGE_NAMES = frozenset("""
english français francais deutsch español espanol português portugues italiano nederlands polski русский
türkçe 中文 简体 繁體 繁体 日本語 한국어 한어 العربية ελληνικά svenska dansk norsk suomi čeština magyar română
українська हिन्दी ไทย tiếng bahasa
""".split())

# Words that end the name of a paper, an agency or a broadcaster ("Global Times", "Xinhua
# News Agency", "Henan Daily", "China News Network"), and agencies known by one name.
PRESS_WORDS = frozenset("""
news agency daily times press herald journal tribune gazette telegraph network media tv radio
broadcasting weekly xinhua reuters afp ap dpa efe ansa kyodo yonhap tass bloomberg
cns cctv cgtn bbc cnn zeitung presse nachrichten rundschau allgemeine agence quotidien diario periódico
agencia noticias prensa jornal notícias agência 新华社 日报 新闻
""".split())
# Words that may follow a press name on its line: "Xinhua News Agency published", "(Xinhua)".
CREDIT_VERBS = frozenset("published reported reports contributed released via says said".split())
# Joining words inside a name: "Li Lan and Gao Lizhen", "Office of Rural Affairs".
_NAME_JOINS = frozenset("and of the und von der de la du et y del da".split())

# A line of this many words or more, ending like a sentence, reads as article text.
PARAGRAPH_WORDS = 12
# A line of at most this many words, not ending like a sentence, reads as a label or link.
SHORT_WORDS = 5

WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")
ENDS_LIKE_SENTENCE = re.compile(r"[.!?。！？…][\"”’»)\]]*$")
_INNER_STOP = re.compile(r"[.!?。！？][\"”’»)]*\s+[\"“«(]?[A-ZÀ-Þ]")
_DIGIT_OR_SEPARATOR = re.compile(r"[\d|/•·»›>:@#_=+*\-–—]")
# "Release time:", "Schlagwörter:", "Source :": a label of up to four words and its colon.
_FIELD_LABEL = re.compile(r"^\W{0,2}[^\W\d_][^:：.!?]{0,30}?\s?[:：]")
# A separator between links or fields, spaced or not: "Home | News", "A » B", "Share - WeChat".
_SEPARATOR = re.compile(r"\s[|•·»›>/\-–—]\s|\||»|›|>>")
_BRACKETED = re.compile(r"^\s*[(\[【（〔].*[)\]】）〕]\s*$|【")
_SCRIPTS = (("latin", re.compile(r"[A-Za-zÀ-ɏ]")), ("cyrillic", re.compile(r"[Ѐ-ӿ]")),
            ("greek", re.compile(r"[Ͱ-Ͽ]")), ("han", re.compile(r"[一-鿿]")),
            ("kana", re.compile(r"[぀-ヿ]")), ("hangul", re.compile(r"[가-힯]")),
            ("arabic", re.compile(r"[؀-ۿ]")), ("hebrew", re.compile(r"[֐-׿]")),
            ("devanagari", re.compile(r"[ऀ-ॿ]")), ("thai", re.compile(r"[฀-๿]")))


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
    return len(WORD.findall(text)) >= PARAGRAPH_WORDS and bool(ENDS_LIKE_SENTENCE.search(text))


def _is_short_label(text: str) -> bool:
    return len(WORD.findall(text)) <= SHORT_WORDS and not ENDS_LIKE_SENTENCE.search(text)


def normal_form(text: str) -> str:
    """The line's words and numbers in lower case, one space apart: two copies of a line
    compare equal whatever their spacing and punctuation; lines whose numbers differ do not."""
    return " ".join(_WORD_OR_NUMBER.findall(text.lower()))


_WORD_OR_NUMBER = re.compile(WORD.pattern + r"|\d+")


def line_features(lines: list[str]) -> list[dict[str, float]]:
    """FEATURES of each line of a page: the lines still undecided, in page order (the
    lines named patterns matched are left out, as they are left out of the cleaned text,
    so the page's cleaned text gets the same figures when it is read again). What a line
    says is read once per distinct line (a page says its menu lines twice or more)."""
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
    titles = titles_by_first_word(normal)
    distance = _distances(paragraphs)
    said: dict[str, dict[str, float]] = {}
    rows = []
    for i, text in enumerate(lines):
        neighbours = [j for j in (i - 1, i + 1) if 0 <= j < len(lines)]
        me = normal[i]
        # a teaser repeats the start of the article's lead; a menu entry recurs in the footer
        twice = bool(me) and (seen.get(me, 0) > 1 or (len(me.split()) >= SHORT_WORDS and _starts_another(me, longer)))
        rows.append({
            **(said[text] if text in said else said.setdefault(text, text_features(text, paragraphs[i]))),
            "above_article": float(first is not None and i < first),
            "below_article": float(last is not None and i > last),
            "neighbour_chrome": float(sum(chrome_like[j] for j in neighbours)),
            "neighbour_paragraph": float(sum(paragraphs[j] for j in neighbours)),
            "said_twice": float(twice),
            # chrome stands away from the article; a subheading next to its paragraph
            "paragraph_distance": math.log1p(distance[i]),
            "holds_line": float(bool(me) and ends_with_another(me, titles)),
        })
    return rows


def text_features(text: str, paragraph: bool) -> dict[str, float]:
    """The features of what a line says, wherever it stands: its words and, unless it is a
    paragraph, its shape."""
    words = WORD.findall(text)
    n = len(words)
    lower = [w.lower() for w in words]
    chars = len("".join(text.split()))  # the characters that are not white space
    common = common_words()
    return {
        "log_words": math.log1p(n),
        "sentence_end": float(bool(ENDS_LIKE_SENTENCE.search(text))),
        "inner_stop": float(bool(_INNER_STOP.search(text))),
        "common_share": sum(w in common for w in lower) / n if n else 0.0,
        "capitalised_share": sum(w[0].isupper() for w in words) / n if n else 0.0,
        "digit_share": len(_DIGIT_OR_SEPARATOR.findall(text)) / chars if chars else 0.0,
        "navigation_share": sum(w in NAVIGATION for w in lower) / n if n else 0.0,
        # a paragraph is article text whatever it holds: its shape is not read (it is
        # most of a page's characters, and the shape's searches the stage's cost)
        **(NO_SHAPE if paragraph else shape_features(text, words, lower)),
    }


SHAPE_FEATURES = ("has_date", "field_label", "separators", "name_alone", "press_name", "navigation_run",
                  "language_names", "scripts", "bracketed", "lower_start")
NO_SHAPE = dict.fromkeys(SHAPE_FEATURES, 0.0)


def shape_features(text: str, words: list[str], lower: list[str]) -> dict[str, float]:
    """The features of what one line is made of, whatever stands around it."""
    return {
        "has_date": float(has_date_or_time(text)),
        "field_label": float(bool(_FIELD_LABEL.match(text))),
        "separators": math.log1p(len(_SEPARATOR.findall(text))),
        "name_alone": float(is_name_alone(words, text)),
        "press_name": float(is_press_name(lower, text)),
        "navigation_run": math.log1p(_longest_run(lower, NAVIGATION)),
        "language_names": math.log1p(language_names(text)),
        "scripts": float(min(2, max(0, scripts(text) - 1))),
        "bracketed": float(is_bracketed(text)),
        "lower_start": float(bool(words) and words[0][0].islower()),
    }


def has_date_or_time(text: str) -> bool:
    # every date and time has a digit: most lines have none, and the search is the costly part
    return bool(_DIGIT.search(text)) and bool(_DATE_OR_TIME.search(text))


def has_day(text: str) -> bool:
    """A date, a time, or a day of a month without its year ("October 19")."""
    return has_date_or_time(text) or (bool(_DIGIT.search(text)) and bool(DAY_OF_MONTH.search(text)))


def is_bracketed(text: str) -> bool:
    """In brackets whole ("( Xinhua)", "[Photo]"), or holding a 【 】 widget box."""
    return bool(_BRACKETED.search(text))


def without_credit_verb(words: list[str]) -> list[str]:
    """The words of a credit line without the verb after the name: "Xinhua News Agency
    published" -> "Xinhua News Agency"."""
    return words[:-1] if len(words) > 1 and words[-1].lower() in CREDIT_VERBS else words


def is_name_alone(words: list[str], text: str) -> bool:
    """A short line of capitalised words and nothing else, maybe in brackets: a name
    ("Global Times", "Li Lan and Gao Lizhen", "( Xinhua)"). A title can be one too; what
    stands around it tells them apart."""
    if not 1 <= len(words) <= 6 or ENDS_LIKE_SENTENCE.search(text.rstrip(")]）】")):
        return False
    names = [w for w in words if w.lower() not in _NAME_JOINS]
    return bool(names) and all(w[0].isupper() for w in names) and words[0][0].isupper()


def is_press_name(lower: list[str], text: str) -> bool:
    """A line that is a paper's, an agency's or a broadcaster's name, maybe with a verb of
    credit after it: "Global Times", "Xinhua News Agency published", "(Xinhua)"."""
    if not 1 <= len(lower) <= 7 or ENDS_LIKE_SENTENCE.search(text.rstrip(")]）】")):
        return False
    return without_credit_verb(lower)[-1] in PRESS_WORDS


def _longest_run(words: list[str], vocabulary: frozenset[str]) -> int:
    best = run = 0
    for w in words:
        run = run + 1 if w in vocabulary else 0
        best = max(best, run)
    return best


def language_names(text: str) -> int:
    """How many different language names the line holds, run together or not
    ("한어Русский языкEnglishFrançais")."""
    return len(set(_LANGUAGE_NAME.findall(text.lower())))


_LANGUAGE_NAME = re.compile("|".join(sorted(map(re.escape, LANGUAGE_NAMES), key=len, reverse=True)))


def scripts(text: str) -> int:
    """How many writing systems the line's letters come from."""
    if text.isascii():  # most lines: Latin letters or none
        return int(any(c.isalpha() for c in text))
    return sum(1 for _, pattern in _SCRIPTS if pattern.search(text))


# Lines longer than this are paragraphs: none ends with a copy of a title worth looking for.
HOLDS_LINE_WORDS = 40


def titles_by_first_word(lines: list[str]) -> dict[str, set[str]]:
    """The lines (`normal_form`s) of three words or more, by their first word."""
    index: dict[str, set[str]] = {}
    for line in lines:
        words = line.split()
        if len(words) >= 3:
            index.setdefault(words[0], set()).add(line)
    return index


def ends_with_another(line: str, titles: dict[str, set[str]]) -> bool:
    """Whether the line (a `normal_form`) ends with another line of `titles_by_first_word`,
    with words before it: a breadcrumb carrying a copy of the title ("site section old
    town keeps its ferry"). Only tails starting with a title's first word are joined."""
    words = line.split()
    return len(words) <= HOLDS_LINE_WORDS and any(
        words[k] in titles and " ".join(words[k:]) in titles[words[k]] for k in range(1, len(words) - 2))


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
    threshold: float  # a line at or over it is chrome when it touches chrome

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
