"""Each flag code as the ITS 2.0 Localization Quality Issue type it is (the types MQM's
typology grew from): the XLIFF export's `its:locQualityIssueType` and the quality score's
error types (`stages.quality`). A code not listed is one of the user's pattern rules
(`--rules`)."""

from __future__ import annotations

ISSUE_TYPES = {
    "untranslated": "untranslated", "untranslated-segment": "untranslated", "empty-target": "untranslated",
    "wrong-language": "other",
    "fragment": "grammar", "comma-splice": "grammar", "broken-structure": "grammar", "truncated": "omission",
    "parse-structure": "grammar",
    "repetition": "duplication",
    "calque": "mistranslation",
    "unbalanced": "typographical", "stray-punct": "typographical",
    "glued-words": "whitespace", "missing-space": "whitespace",
    "invisible-char": "characters",
    "too-long": "style", "long-sentence": "style", "low-fluency": "style", "rare-words": "style",
    "comma-chain": "style", "unlikely-wording": "style",
    "number-inconsistent": "numbers", "number-mismatch": "numbers",
    "length-ratio": "length",
    "url-mismatch": "inconsistent-entities", "email-mismatch": "inconsistent-entities",
    "code-mismatch": "inconsistent-entities",
    "inconsistent-translation": "inconsistency",
    "tag-mismatch": "markup",
    "spelling": "misspelling",
    "term-variant": "terminology", "term-discouraged": "terminology", "term-forbidden": "terminology",
    "term-inconsistent": "terminology", "term-missing": "terminology",
}
USER_RULE_TYPE = "pattern-problem"


def issue_type(code: str) -> str:
    return ISSUE_TYPES.get(code, USER_RULE_TYPE)
