"""Typography of each target language: what Moses must leave alone, and the rules to add.

Adding a language means adding an entry here (and a fixture), not touching the stage:
`MOSES_KEEPS[lang]` lists Moses substitutions (by pattern) that would break the
language's conventions, and `rules(lang)` the language's own repairs, applied after
the general ones. A rule named `fr.*` never runs on anything but French text.
"""

from __future__ import annotations

from ..text import spans
from ..text.edits import Rule, rule
from ..text.lean_imports import moses_punct_normalizer

MosesPunctNormalizer = moses_punct_normalizer()

NBSP = "\u00a0"

# Moses substitutions (by pattern) no language gets: they turn dashes into hyphens. An em
# dash ("the plan—a bold one—", Spanish "—dijo—") and a spaced en dash (German and British
# "der Plan – ein kühner –") are right as they are; "—" -> " - " even spaces them
# ("——A review" -> "- - A review"), and "2019–2020" is a range, not a compound.
MOSES_KEEPS_EVERYWHERE = {"—", "–"}
# Nor the ones that turn double quotation marks into straight ones one mark at a time: in a
# language that keeps some marks that mixes the two sides of a pair (German "“grünen
# Bereich”" became "“grünen Bereich\""), and a reviewer could reject one side and keep the
# other. The punctuation stage's `quote-pairs` turns whole pairs into `QUOTE_PAIRS`.
MOSES_KEEPS_EVERYWHERE |= {p for p, s in MosesPunctNormalizer.FRENCH_QUOTES} | {"„", "“", "”"}
# Moses substitutions (by pattern) each language must not get.
MOSES_KEEPS: dict[str, set[str]] = {
    # French keeps the (non-breaking) space before ; : ! ?
    "fr": {" :", " ;", "\xa0:", "\xa0\\?", "\xa0\\!", "\xa0;", "(\\d) %", "\xa0%"},
    # German "75 %" keeps its space
    "de": {"(\\d) %", "\xa0%"},
}
# Each language's pair of double quotation marks; straight quotes (as Moses writes them)
# where none is given. French spaces its guillemets with `fr.nbsp-guillemets`.
QUOTE_PAIRS = {"de": ("„", "“"), "fr": ("«", "»")}
STRAIGHT_QUOTES = ('"', '"')
# Languages whose typography puts a space before ; : ! ? (the general rule removes it).
SPACED_PUNCT = {"fr"}
# Languages that quote with « »: there a spaced guillemet is a quote, not a breadcrumb
# separator (declared with the protected spans, which need it).
GUILLEMET_QUOTES = spans.GUILLEMET_QUOTES


_ORDINAL = r"\b(\d{1,3})(?:°|o\b)(?=\s+(?!(?:de|del|da|do|c|f)\b)[a-záéíóúñãõç]{3,})"


def rules(lang: str) -> list[Rule]:
    if lang == "fr":
        return [
            # « texte» -> « texte », «texte » -> « texte »
            rule("fr.nbsp-guillemets", rf"«[ \t\u202f]*(?=[^\s{NBSP}])|(?<=[^\s{NBSP}])[ \t\u202f]*»",
                 lambda m: f"«{NBSP}" if m.group(0).startswith("«") else f"{NBSP}»"),
            # "Pourquoi?" -> "Pourquoi ?", "ceci: cela" -> "ceci : cela" (8:30 and URLs stay)
            rule("fr.nbsp-before-punct", rf"(?<=[^\s{NBSP};:!?])[ \t\u202f]*([;:!?])(?![\d/])", rf"{NBSP}\1"),
            # "75 %" -> "75 %" with a non-breaking space
            rule("fr.nbsp-percent", r"(?<=\d)[ \t]?%", f"{NBSP}%"),
        ]
    if lang == "es":
        return [
            # "Por qué no?" -> "¿Por qué no?" (a sentence that is a question); same for !
            rule("es.inverted-question", r'^([«"“]?)(?=[A-ZÁÉÍÓÚÑ][^¿?]*\?[»"”]?$)', r"\1¿"),
            rule("es.inverted-exclamation", r'^([«"“]?)(?=[A-ZÁÉÍÓÚÑ][^¡!]*![»"”]?$)', r"\1¡"),
            # "1° lugar", "2o piso" -> "1.º lugar", "2.º piso": the degree sign (or a letter o
            # glued to the digit) is not an ordinal. "1 o 2" (a conjunction) and "25 °C" stay.
            rule("es.ordinal", _ORDINAL, r"\1.º"),
        ]
    if lang == "pt":
        return [rule("pt.ordinal", _ORDINAL, r"\1º")]
    return []
