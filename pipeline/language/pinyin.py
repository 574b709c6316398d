"""Pinyin: whether a word is made of the syllables of standard Mandarin, as the names of
Chinese people and places are written ("Gao Lizhen", "Huize"). The garble checks read it
for untranslated words, the boilerplate stage for a byline of Chinese names alone."""

from __future__ import annotations

import re

from .words import WordTable

# The syllables of standard Mandarin in pinyin: each final with the initials it takes
# ("" where it stands alone; y- and w- spellings listed whole). Only syllables that
# occur: "ra", "ro" or "we" are none, so "foraging", "royaler" and "wegen" do not split.
_SYLLABLES = {
    "a": " b p m f d t n l g k h zh ch sh z c s", "o": " b p m f", "e": " m d t n l g k h zh ch sh r z c s",
    "ai": " b p m d t n l g k h zh ch sh z c s", "ei": " b p m f d n l g h z sh",
    "ao": " b p m d t n l g k h zh ch sh r z c s", "ou": " p m f d t l g k h zh ch sh r z c s",
    "an": " b p m f d t n l g k h zh ch sh r z c s", "en": " b p m f d n g k h zh ch sh r z c s",
    "ang": " b p m f d t n l g k h zh ch sh r z c s", "eng": "b p m f d t n l g k h zh ch sh r z c s",
    "ong": "d t n l g k h zh ch r z c s", "er": "",
    "i": "b p m d t n l j q x zh ch sh r z c s", "ia": "d l j q x", "ie": "b p m d t n l j q x",
    "iao": "b p m d t n l j q x", "iu": "m d n l j q x", "ian": "b p m d t n l j q x",
    "in": "b p m n l j q x", "iang": "n l j q x", "ing": "b p m d t n l j q x", "iong": "j q x",
    "u": "b p m f d t n l g k h zh ch sh r z c s j q x", "ua": "g k h zh ch sh", "uo": "d t n l g k h zh ch sh r z c s",
    "uai": "g k h zh ch sh", "ui": "d t g k h zh ch sh r z c s", "uan": "d t n l g k h zh ch sh r z c s j q x",
    "un": "d t l g k h zh ch sh r z c s j q x", "uang": "g k h zh ch sh", "ue": "n l j q x", "v": "n l",
}
_Y_W = "ya yo ye yao you yan yin yang ying yong yi yu yue yuan yun wa wo wai wei wan wen wang weng wu"
_PINYIN = re.compile("(?:" + "|".join(sorted(
    {initial + final for final, initials in _SYLLABLES.items() for initial in initials.split(" ")} | set(_Y_W.split()),
    key=len, reverse=True)) + ")+")


def is_pinyin_word(word: str) -> bool:
    """True when the lower-case word splits into pinyin syllables ("weihui", "dibao")."""
    return _PINYIN.fullmatch(word) is not None


is_pinyin = WordTable(is_pinyin_word).__getitem__
