"""Punctuation stage: normalise punctuation and spacing, recording every change.

Reads: each non-boilerplate segment's `cleaned` text and `lang` (or the document's).
Writes: `Segment.cleaned`, one `Edit` per change, naming the rule that made it, and
`Document.decisions_applied` (the reviewer's rejected edits it honoured: no rule changes
the text at a rejected edit's place).

Rules run in this order, repeated until nothing changes (so a second run is a
no-op):
1. `moses.unicode-punct`: full-width CJK punctuation in Latin-script text (sacremoses'
   replace-unicode-punctuation table); never applied to Chinese, Japanese or Korean.
2. `moses.*`: sacremoses' MosesPunctNormalizer substitutions for the segment's
   language, one named rule per substitution group. Number normalisation is off: for
   English it turns a non-breaking-space thousands separator into a decimal point
   ("1 000" -> "1.000"), which changes the number.
3. Repairs Moses lacks (`abbreviation-punct`, `leading-punct`, `doubled-punct`, `repeated-punct`,
   `space-before-punct`, `space-before-closing-quote`, `space-inside-quotes`,
   `space-around-quote`, `space-before-apostrophe`, `glued-words`, `space-after-punct`,
   `trim`). The quote spacing rules act only where the segment's double quotes pair up:
   only then does a count tell an opening quote from a closing one. Doubled
   punctuation goes first: "costs. ." must lose its second stop before the space
   rule would glue them into "costs..".
4. `quote-pairs`: double quotation marks (two commas typed for a low one first made one,
   `typewriter-quote`) to the language's pair, a whole pair in one
   edit (Moses's own quote substitutions, one mark at a time, are off).
5. The language's own rules (`conventions.rules`).

Separators such as the "»" of a breadcrumb, URLs, e-mail addresses and @handles are
protected: a rule never changes text inside them.
"""

from __future__ import annotations

import re
from dataclasses import replace

from ..config import Settings
from ..decisions import Decisions, found_at, load_decisions
from ..document import BOILERPLATE, UNDETERMINED, Document, Edit, segment_language
from ..language import conventions
from ..text.edits import Rule, apply_rules, rule
from ..text.lean_imports import moses_punct_normalizer
from ..text.spans import GLUED_WORDS, LOWER_UPPER, protected_spans

MosesPunctNormalizer = moses_punct_normalizer()
CJK_LANGS = {"zh", "ja", "ko"}

_MOSES_GROUPS = [
    ("moses.extra-whitespace", MosesPunctNormalizer.EXTRA_WHITESPACE),
    ("moses.normalize-unicode", MosesPunctNormalizer.NORMALIZE_UNICODE),
    ("moses.quotes", MosesPunctNormalizer.FRENCH_QUOTES),
    ("moses.pseudo-spaces", MosesPunctNormalizer.HANDLE_PSEUDO_SPACES),
    ("moses.quote-comma", MosesPunctNormalizer.EN_QUOTATION_FOLLOWED_BY_COMMA),
    ("moses.quote-comma", MosesPunctNormalizer.DE_ES_FR_QUOTATION_FOLLOWED_BY_COMMA),
]

def moses_rules(lang: str) -> list[Rule]:
    """MosesPunctNormalizer's substitutions for `lang`, each named by its group, less
    those that break the language's typography (`conventions.MOSES_KEEPS`)."""
    normalizer = MosesPunctNormalizer(lang=lang, penn=False, norm_numbers=False)
    keeps = conventions.MOSES_KEEPS.get(lang, set()) | conventions.MOSES_KEEPS_EVERYWHERE
    rules: list[Rule] = []
    literals: dict[str, str] = {}  # a run of plain-text substitutions of one group, applied as one rule
    literal_group = None
    for pattern, substitution in normalizer.substitutions:
        if pattern in keeps:
            continue
        name = next(n for n, group in _MOSES_GROUPS if (pattern, substitution) in group)
        if _LITERAL.fullmatch(pattern) and "\\" not in substitution:
            if literal_group not in (None, name):
                rules.append(_literal_rule(literal_group, literals))
                literals = {}
            literal_group = name
            literals.setdefault(pattern, substitution)
            continue
        if literals:
            rules.append(_literal_rule(literal_group, literals))
            literals, literal_group = {}, None
        rules.append(rule(name, pattern, substitution, gate=MOSES_GATES.get(pattern)))
    if literals:
        rules.append(_literal_rule(literal_group, literals))
    return rules


# What every text a Moses pattern can match in contains (see `Rule.gate`): a pattern, or
# plain strings one of which it contains. A pattern not listed here is always searched.
MOSES_GATES = {
    " +": "  ",  # a single space is replaced by itself: only a run of two or more changes
    r"(\d) %": "%",
    r"\) ([.!:?;,])": r"\)",
    r"\( ": r"\(",
    r" \)": r"\)",
    r"([a-zA-Z])‘([a-zA-Z])": "‘",
    r"([a-zA-Z])’([a-zA-Z])": "’",
    "\xa0\\?": "\xa0",
    "\xa0\\!": "\xa0",
    r"\r": r"\r",
    r"\(": r"\(",
    r"\)": r"\)",
    r'"([,.]+)': '"',
    r"\ :|\ ;": (" :", " ;"),
    r"。\s*": "。",
    r"．\s*": "．",
}

# A Moses pattern with no regular-expression syntax: plain text to replace.
_LITERAL = re.compile(r"[^.^$*+?{}\[\]\\|()]+")


def _literal_rule(name: str, table: dict[str, str]) -> Rule:
    """Consecutive plain-text substitutions as one pattern (longest first) and a lookup:
    one pass over the text instead of one per substitution. Rules repeat until nothing
    changes, so a substitution whose output another one rewrites still ends the same."""
    pattern = "|".join(re.escape(k) for k in sorted(table, key=len, reverse=True))
    gate = tuple(table) if len(table) <= MAX_SEARCHED_KEYS else None
    return replace(rule(name, pattern, lambda m: table[m.group(0)], gate=gate),
                   non_ascii=not any(map(str.isascii, table)))


# A table of this many keys or fewer is gated by searching the text for each key (quicker
# than the pattern); a longer one only by `non_ascii`.
MAX_SEARCHED_KEYS = 6


def cjk_punct_rules(lang: str) -> list[Rule]:
    keeps = conventions.MOSES_KEEPS.get(lang, set()) | conventions.MOSES_KEEPS_EVERYWHERE
    subs = [(p, s) for p, s in MosesPunctNormalizer.REPLACE_UNICODE_PUNCTUATION if p not in keeps]
    table = {p: s for p, s in subs if _LITERAL.fullmatch(p) and "\\" not in s}
    return ([_literal_rule("moses.unicode-punct", table)] if table else []) + [
        rule("moses.unicode-punct", p, s, gate=MOSES_GATES.get(p)) for p, s in subs if p not in table]


_DOUBLE_QUOTES = ('"', "\u201c", "\u201d")


def quote_role(text: str, at: int) -> str | None:
    """Whether the double quote at `at` opens or closes a quotation. When the text's
    double quotes pair up, the count says. When they do not (machine translation drops
    and moves quote marks, and a quotation of several sentences spans several
    segments), only a mark at an edge of the segment can tell: at the end, it closes;
    at the start, it opens. Otherwise None."""
    if _quotes_before(text, len(text)) % 2 == 0:
        return "close" if _quotes_before(text, at) % 2 else "open"
    if _ONLY_CLOSERS.fullmatch(text, at + 1) and text[:at].strip():
        return "close"
    if not text[:at].strip() and text[at + 1:].strip():
        return "open"
    return None


_ONLY_CLOSERS = re.compile(r"[\s.,;:!?)\]»”’]*")


def _quotes_before(text: str, at: int) -> int:
    return sum(text.count(q, 0, at) for q in _DOUBLE_QUOTES)


def _space_after_opening(m: re.Match) -> str:
    """'" yes' -> '"yes' where the quote opens."""
    return m.group(1) if quote_role(m.string, m.start(1)) == "open" else m.group(0)


def _space_before_closing(m: re.Match) -> str:
    """'yes "' -> 'yes"' where the quote closes (the match is the spaces only)."""
    return "" if quote_role(m.string, m.end()) == "close" else m.group(0)


def _quote_outer_space(m: re.Match) -> str:
    """'shoots."Our' -> 'shoots. "Our' (the quote opens); '"Good."Then' -> '"Good." Then'."""
    role = quote_role(m.string, m.start(2))
    if role == "open":
        return f"{m.group(1)} {m.group(2)}"
    return f"{m.group(1)}{m.group(2)} " if role == "close" else m.group(0)


# Abbreviations whose full stop a comma may follow: "9 a.m., then", "U.S., China", "etc., and".
ABBREVIATION = (r"\b(?:(?:[A-Za-z]\.){2,}|(?:etc|No|Nos|Mr|Mrs|Ms|Dr|Prof|Inc|Co|Ltd|Jr|Sr|St|vs|approx|"
                r"Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\.)")


def _close_quote(m: re.Match) -> str:
    """Drop the space before a quote mark only if it closes a quotation."""
    return m.group(1) if quote_role(m.string, m.start(1)) == "close" else m.group(0)


# A double quotation mark of any convention, and a run from one to the next: `finditer`
# takes them first with second, third with fourth, as a text's quotations pair up.
_QUOTE_MARKS = '"“”„‟«»'
_QUOTATION = re.compile(f"([{_QUOTE_MARKS}])([^{_QUOTE_MARKS}\n]*)([{_QUOTE_MARKS}])")
_GUILLEMETS = "«»"
_INNER_SPACE = " \t\u00a0\u202f"


def quote_rules(lang: str) -> list[Rule]:
    """`quote-pairs`: a quotation's two double marks to the language's pair
    (`conventions.QUOTE_PAIRS`), both in one edit, so that the marks of a pair never
    differ in style and a reviewer rejects or keeps both. Only where the segment's marks
    pair up: otherwise no mark's partner can be told, and all stay as written, as does a
    mark whose partner is in another segment (a quotation over several sentences): made
    over alone, it could come to differ from its partner, which may be in another language."""
    opening, closing = conventions.QUOTE_PAIRS.get(lang, conventions.STRAIGHT_QUOTES)

    def convert(m: re.Match) -> str:
        first, inner, last = m.groups()
        if (first, last) == (opening, closing) or not _is_quotation(m, lang):
            return m.group(0)
        return f"{opening}{inner.strip(_INNER_SPACE)}{closing}"

    if (opening, closing) != conventions.STRAIGHT_QUOTES:
        return [rule("quote-pairs", _QUOTATION.pattern, convert, gate=tuple(_QUOTE_MARKS))]
    curly = tuple(_QUOTE_MARKS.replace('"', ""))  # straight pairs stay: only another mark changes
    return [replace(rule("quote-pairs", _QUOTATION.pattern, convert, gate=curly), non_ascii=True)]


def _is_quotation(m: re.Match, lang: str) -> bool:
    """Whether the marks at the ends of `m` are one quotation's: the segment's marks pair
    up (none of them a separator), the quotation holds words, its marks are not glued to a
    word outside (the inch mark of '27" screen'), the first does not close ('dots." Then
    he said "more': the end of one quotation and the start of the next), and guillemets
    pair with guillemets, pointing at each other or both one way (« », » «, » »)."""
    text, (first, inner, last) = m.string, m.groups()
    if sum(map(text.count, _QUOTE_MARKS)) % 2 or not inner.strip(_INNER_SPACE):
        return False
    if (first in _GUILLEMETS or last in _GUILLEMETS) and (
            not (first in _GUILLEMETS and last in _GUILLEMETS) or first + last == "««"
            or any(set(text[a:b]) & set(_GUILLEMETS) for a, b in protected_spans(text, lang))):
        return False
    before, after = text[m.start() - 1:m.start()], text[m.end():m.end() + 1]
    if before.isalnum() or after.isalnum():
        return False
    first_closes = before.strip() and before not in "([{—–-" and inner[:1].isspace()  # 'dots." Then'
    return not first_closes


def repair_rules(lang: str) -> list[Rule]:
    """The repairs machine-translated web text needs and Moses does not make."""
    before = "," if lang in conventions.SPACED_PUNCT else "[,;:!?]"
    return [
        # "at 9 a.m. , then" -> "at 9 a.m., then": the stop ends an abbreviation, the comma
        # is the sentence's own (doubled-punct would otherwise drop it).
        rule("abbreviation-punct", rf"({ABBREVIATION})[ \t]+([,;:])", r"\1\2", gate=r"\.[ \t]+[,;:]"),
        # "costs. ." -> "costs."; "houses . ." -> "houses."; "communities. , To" ->
        # "communities. To"; "this year . .Each" -> "this year.Each" (spaced next by
        # space-after-punct); "etc., so" is left alone.
        # ", To reduce ..." -> "To reduce ...": a sentence cannot open with a comma, semicolon
        # or colon (what is left of ". , To" once the segmenter has cut after the stop).
        rule("leading-punct", r"^[,;:，；：][ \t]*(?=[\"“‘(]?[^\W\d_])", "", gate=lambda t: t[:1] in ",;:，；："),
        rule("doubled-punct", r"(?<=[^\W_])[ \t]*([.,;:!?])[ \t]+[.,;:](?=\s|$|[^\W\d_])", r"\1",
             gate=r"[.,;:!?][ \t]+[.,;:]"),
        # ",," -> ","; not between digits: "1,,2" made "1,2" would read as one number
        rule("repeated-punct", r"(?<!\d)([,;:])\1+|([,;:])\2+(?!\d)", lambda m: m.group(1) or m.group(2),
             gate=(",,", ";;", "::")),
        # "guaranteed , An" -> "guaranteed, An"; "site ,and" -> "site,and" (then a space
        # is added after); "citizen ... The" -> "citizen... The", but not after a stop
        # ("end. ...") nor when glued to the next word ("stehen ...Foto", which would run
        # two sentences together). A full stop moves only when a space or closing mark
        # follows, so ".5" and ".com" stay.
        rule("space-before-punct",
             rf"(?<=[^\s.!?])[ \t]+(\.{{3}}|…)(?=\s|$|[\"'”’)\]])|(?<=\S)[ \t]+({before}|\.(?=\s|$|[\"'”’)\]]))",
             lambda m: m.group(1) or m.group(2),
             gate=r"[ \t][.…,;:!?]"),
        # '... hometown! "' -> '... hometown!"' when the quote closes an open one
        rule("space-before-closing-quote", r"(?<=[.!?,;])[ \t]+([\"”])(?=\s|$)", _close_quote,
             gate=(' "', ' ”', '\t"', '\t”')),
        # '" yes "' -> '"yes"', when the text's quotes pair up and so say which side is inside
        rule("space-inside-quotes", r'(?:(?<=^)|(?<=[\s(\[]))(["\u201c])[ \t]+(?=[^\W_])', _space_after_opening,
             gate=('" ', "\u201c ")),
        rule("space-inside-quotes", r'(?<=[^\W_])[ \t]+(?=["\u201d](?:\s|$|[.,;:!?)\]]))', _space_before_closing,
             gate=(' "', " \u201d")),
        # 'shoots."Our' -> 'shoots. "Our'; '"Good."Then' -> '"Good." Then' (quotes that pair up)
        rule("space-around-quote", r'(?<=[^\W_])([.!?,;:])(["\u201c\u201d])(?=[^\W_])', _quote_outer_space,
             gate=r'[.!?,;:]["\u201c\u201d]'),
        # "Yao Lan ’s" -> "Yao Lan’s"
        rule("space-before-apostrophe", r"(?<=[^\W\d_])[ \t]+(['’]s)\b", r"\1",
             gate=(" 's", " ’s", "\t's", "\t’s")),
        # "pageClose" -> "page Close": a lower-case word run into a capitalised one.
        rule("glued-words", GLUED_WORDS, r"\1 \2", gate=LOWER_UPPER),
        # "counties.Relocation" -> "counties. Relocation"; "in 2019.She" -> "in 2019. She";
        # "changes!I never" -> "changes! I never"; "people,and" -> "people, and"; "came:yes"
        # -> "came: yes" (between letters only: "1,482", "3.5" and "8:30" stay).
        rule("space-after-punct",
             r"(?<=[a-z]{2})([.!?])(?=[A-Z](?:[a-z]|\s))|(?<=\d)([.!?])(?=[A-Z][a-z])|(?<=[^\W\d_])([,;:])(?=[^\W\d_])"
             r"|(?<=[^\W\d_]\.)([,;:])(?=[^\W\d_])",  # "a.m.,then" -> "a.m., then"
             lambda m: next(g for g in m.groups() if g) + " ", gate=r"[.!?,;:][^\W\d_]"),
        TRIM,
    ]


# Two commas typed for a low opening quote (",,Liebe’’", German on a typewriter keyboard):
# a quote mark, which the comma repairs would otherwise take for a doubled comma and
# space ("für, Liebe\""). Before a word, after a space or at the start.
TYPEWRITER_QUOTE = rule("typewriter-quote", r"(?:(?<=^)|(?<=[\s(\[]))(,,)(?=[^\W_])", "„", gate=(",,",))
TRIM = rule("trim", r"^\s+|\s+$", "", gate=lambda t: t[:1].isspace() or t[-1:].isspace())
# Control characters other than tab and line breaks: invisible, and no XML file (the CAT
# exports) may hold them.
CONTROL_CHARS = rule("control-char", r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]", "",
                     gate=lambda t: not t.isprintable())


class Punctuation:
    name = "punctuation"
    reads = ("Segment.cleaned", "Segment.kind", "Segment.lang", "Document.lang")
    writes = ("Segment.cleaned", "Segment.edits", "Document.decisions_applied")
    shares = ("decisions",)

    def __init__(self, settings: Settings, decisions: Decisions | None = None):
        """`decisions`: the run's (`stages.Shared`); else those of the `decisions` setting."""
        self.skip = set(settings.punctuation_skip_rules)
        self.decisions = decisions if decisions is not None else load_decisions(settings.decisions)
        self._rules: dict[str, list[Rule]] = {}

    def rules_for(self, lang: str) -> list[Rule]:
        if lang not in self._rules:
            if lang in CJK_LANGS:
                rules = [CONTROL_CHARS, TRIM]
            else:
                rules = ([CONTROL_CHARS, TYPEWRITER_QUOTE] + cjk_punct_rules(lang) + moses_rules(lang)
                         + repair_rules(lang) + quote_rules(lang) + conventions.rules(lang))
            self._rules[lang] = [r for r in rules if r.name not in self.skip]
        return self._rules[lang]

    def describe(self) -> None:
        return None  # nothing beyond the settings, which the summary has

    def __call__(self, doc: Document) -> Document:
        for seg in doc.segments:
            if seg.kind == BOILERPLATE:
                continue
            lang = segment_language(seg, doc)
            lang = lang if lang != UNDETERMINED else "en"
            rules = self.rules_for(lang)
            fixed = []
            for decision in self.decisions.rejected_edits(seg.original, self.name):
                if decision.placed:  # that change at that place, whichever rule would make it
                    span = found_at(seg.cleaned, decision)
                    if span is None:
                        continue  # the text there changed: the decision no longer matches
                    fixed.append(span)
                else:  # version 1: every edit of that rule in the segment
                    rules = [r for r in rules if r.name not in decision.rule.split("+")]
                doc.decisions_applied.append((seg.index, decision))
            text, changes = apply_rules(seg.cleaned, rules, protect=lambda t: protected_spans(t, lang), fixed=fixed)
            seg.edits.extend(Edit(self.name, name, before, after, start, end)
                             for start, end, before, after, name in changes)
            seg.cleaned = text
        return doc
