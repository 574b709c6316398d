"""Plain words for the names the stages give their rules, for the review page: a translator
reads "spacing before punctuation" with the code `space-before-punct` beside it, not the
code alone. A name not listed here is shown as it is (a user's rule is named by its author)."""

from __future__ import annotations

EDIT_RULES = {
    "quote-pairs": "quotation marks made one pair, in the language's style",
    "typewriter-quote": "two commas typed for an opening quotation mark",
    "abbreviation-punct": "comma after an abbreviation's full stop",
    "leading-punct": "punctuation at the start of the sentence",
    "doubled-punct": "punctuation mark typed twice",
    "repeated-punct": "punctuation mark repeated",
    "space-before-punct": "space before punctuation",
    "space-before-closing-quote": "space before a closing quotation mark",
    "space-inside-quotes": "spaces inside quotation marks",
    "space-around-quote": "space outside a quotation mark",
    "space-before-apostrophe": "space before an apostrophe",
    "glued-words": "two words run together",
    "space-after-punct": "missing space after punctuation",
    "trim": "spaces at the ends",
    "control-char": "invisible control character",
    "post-edit": "the reviewer's own sentence",
    "moses.unicode-punct": "full-width or typographic punctuation made plain",
    "moses.normalize-unicode": "typographic characters made plain",
    "moses.extra-whitespace": "extra spaces",
    "moses.pseudo-spaces": "spacing around punctuation",
    "moses.quote-comma": "comma or full stop moved across a quotation mark",
    "fr.nbsp-guillemets": "no-break spaces inside « »",
    "fr.nbsp-before-punct": "no-break space before ; : ! ?",
    "fr.nbsp-percent": "no-break space before %",
    "es.inverted-question": "opening ¿",
    "es.inverted-exclamation": "opening ¡",
    "es.ordinal": "ordinal sign",
    "pt.ordinal": "ordinal sign",
}

KINDS = {
    "heading:short-line": "a short line read as a heading",
    "html:<h>": "a heading of the page",
    "html:<title>": "the page's title",
    "html:links": "mostly links",
    "html:not-main-text": "outside the page's main text",
    "html:<header>": "the page's header",
    "boilerplate:between-chrome": "between lines of the site's chrome",
    "boilerplate:breadcrumb": "where-you-are links",
    "boilerplate:credit": "a credit",
    "boilerplate:dateline": "a date or time line",
    "boilerplate:line-shape": "shaped like the site's chrome",
    "boilerplate:recurring-line": "on other pages of the batch too",
    "boilerplate:related-list": "a list of related links",
    "boilerplate:repeated-line": "a line the page repeats",
    "boilerplate:repost-note": "a repost note",
    "boilerplate:widget": "a button or widget",
    "boilerplate:previous-next": "previous / next links",
    "boilerplate:byline": "a byline",
    "boilerplate:photo-credit": "a photo credit",
    "boilerplate:image-file": "an image's file name",
    "boilerplate:reading-time": "reading time",
    "boilerplate:skip-link": "a skip link",
    "boilerplate:newsletter": "a newsletter box",
    "boilerplate:comments": "the comments",
    "boilerplate:advertisement": "an advertisement",
    "boilerplate:site-name": "the site's name",
    "boilerplate:counter": "a view or click counter",
    "boilerplate:source-credit": "a paper's or agency's name",
    "boilerplate:related-link": "a link to another article",
    "boilerplate:series-note": "a note on the series or topic",
    "boilerplate:signature": "the signature closing a notice",
    "boilerplate:footer": "the page's footer",
}


def plain_rule(name: str) -> str:
    """Plain words for an edit's rule (rules merged into one edit, "a+b", each said)."""
    return "; ".join(dict.fromkeys(_one_rule(part) for part in name.split("+")))


def _one_rule(name: str) -> str:
    if name in EDIT_RULES:
        return EDIT_RULES[name]
    if name.startswith("term:"):
        return "the glossary's preferred term"
    return name


def plain_kind(rule: str) -> str:
    """Plain words for why a line is chrome or a heading (its `kind_rule`)."""
    if rule in KINDS:
        return KINDS[rule]
    if rule.startswith(("html:role=", "html:<")):
        return "marked as chrome in the page"
    if rule.startswith("html:"):
        return "named as chrome in the page"
    return rule
