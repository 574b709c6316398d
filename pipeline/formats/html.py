"""Web pages (.html, .htm): the text of the page's blocks, with a hint per block.

One Block per HTML block element, marked boilerplate inside <nav>, <footer>, ... (and
elements whose role, class or id say navigation, see `_chrome_reason`) and heading for
<h1>-<h6>; the boilerplate stage turns the hints into the document's blocks. The
page's declared language (`<html lang>`) is `Document.markup_lang`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from lxml import etree
from lxml import html as lxml_html

from ..document import BODY, BOILERPLATE, HEADING, Block, Document, primary_subtag, reads_as_paragraph
from .encoding import decode, nonempty
from .failures import ReadError
from .xmltools import XML_LANG


def read(path: Path, doc_id: str, data: bytes, encoding: str | None) -> Iterator[Document]:
    text, used, warning = decode(data, encoding, stray_nul=True)
    page = extract_html(text)
    yield Document(doc_id, str(path), "html", nonempty(page.text), encoding=used, hints=page.hints,
                   notes=([warning] if warning else []) + page.notes, markup_lang=page.lang)


_SKIP = {"script", "style", "noscript", "template", "svg", "iframe", "object", "canvas", "head", "select", "button"}
_BLOCK = {
    "address", "article", "aside", "blockquote", "body", "br", "caption", "dd", "details", "div", "dl",
    "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6",
    "header", "hr", "li", "main", "nav", "ol", "p", "pre", "section", "summary", "table", "td", "th",
    "tr", "ul", "title",
}


_CHROME_TAGS = {"nav": "nav", "footer": "footer", "aside": "aside", "form": "form"}
_CHROME_ROLES = {"navigation", "banner", "contentinfo", "complementary", "search", "menu", "menubar"}


# class/id words that mark page furniture on news and government sites
_CHROME_WORDS = {
    "breadcrumb", "breadcrumbs", "crumb", "crumbs", "nav", "navbar", "navigation", "menu", "footer",
    "sidebar", "share", "sharing", "social", "print", "related", "comment", "comments", "copyright",
    "toolbar", "pager", "pagination", "advert", "ad", "ads", "banner", "topbar", "position", "location",
}


_PARTS = re.compile(r"[_\-]+")
_SPACE = re.compile(r"\s+")


# Parts of a class name that say the rest is a layout or a state, not the element's job:
# "l-sidebar-fixed", "non-ad-column", "one-sidebar", "has-sidebar", "no-comments".
_NOT_THE_JOB = {"l", "layout", "non", "no", "not", "has", "with", "without", "one", "two", "three", "is"}


# Elements that hold the page rather than a part of it: never chrome by their class or id.
_HOLDERS = {"html", "body", "main", "article"}


def _chrome_word(name: str) -> str | None:
    """The chrome word a class or id names, if the name is about it: the whole name
    ("sidebar") or its first or last part ("site-footer", "share-bar"), and no part saying
    it is a layout or a state of something else ("l-sidebar-fixed", "non-ad-column")."""
    parts = [p for p in _PARTS.split(name.lower()) if p]
    if not parts or _NOT_THE_JOB & set(parts):
        return None
    for part in (parts[0], parts[-1]):
        if part in _CHROME_WORDS:
            return part
    return None


def _chrome_reason(el, inside_article: bool) -> str | None:
    tag = el.tag.lower()
    if tag in _CHROME_TAGS:
        return f"html:<{tag}>"
    if tag == "header" and not inside_article:
        return "html:<header>"
    role = (el.get("role") or "").lower()
    if role in _CHROME_ROLES:
        return f"html:role={role}"
    if tag in _HOLDERS or role == "main":
        return None
    for attr in ("class", "id"):
        hits = sorted(filter(None, map(_chrome_word, (el.get(attr) or "").split())))
        if hits:
            return f"html:{attr}={hits[0]}"
    return None


# An element holding this share of the page's paragraph text, in several paragraphs, is
# the page's container (an ASP.NET <form> around everything, a "content" div named after
# its sidebar), whatever its tag, class or id say.
_CONTAINER_SHARE = 0.4
_CONTAINER_PARAGRAPHS = 3


def _holds_the_page(el, page_chars: int) -> bool:
    paragraphs = el.findall(".//p")
    if len(paragraphs) < _CONTAINER_PARAGRAPHS or not page_chars:
        return False
    return sum(len(p.text_content()) for p in paragraphs) >= _CONTAINER_SHARE * page_chars


@dataclass
class _Context:
    chrome: str | None = None
    heading: bool = False
    article: bool = False
    link: bool = False  # inside an <a href>
    title: bool = False  # inside an <h1>


# A block whose text is mostly link text is a menu, a list of other stories or a teaser
# ("Kontakt", "Alle Termine", another article's headline): links to elsewhere, not the
# article. The page's own <h1> is often a link to itself, so it is left alone.
_LINK_SHARE = 0.6


class _MainText:
    """The page's main text as trafilatura extracts it, to ask of a block whether it is
    part of it. trafilatura weighs what the project's block rules cannot: text density,
    the shape of the whole tree. Its decision is one signal, applied to the project's own
    blocks (offsets and reasons stay the reader's). When it finds no main text, it says
    nothing: every block "is" main text."""

    def __init__(self, text: str | None):
        self.words = _WORDS.findall(text.lower()) if text else None
        self.joined = " ".join(self.words) if self.words else ""

    @classmethod
    def of(cls, markup: str) -> _MainText:
        import trafilatura

        try:
            text = trafilatura.extract(markup, output_format="txt", include_comments=False, include_tables=True,
                                       deduplicate=False, favor_recall=True)
        except Exception:  # noqa: BLE001 - a third-party parser's failure must not fail the page
            text = None
        return cls(text)

    def holds(self, block: str) -> bool:
        """Whether the block's words stand, in order, in the main text."""
        if not self.words:
            return True
        words = _WORDS.findall(block.lower())
        return not words or " ".join(words) in self.joined


_WORDS = re.compile(r"[^\W_]+")


# The extractor misses some articles' lead paragraphs; it does not overrule a block that
# reads as a full paragraph (this many words, ending like a sentence). Tried at 20, 40 and
# 80 on ../shared/extraction-dev: F1 0.910, 0.915, 0.914.
PARAGRAPH_WORDS = 40


# libxml2 stops reading a page nested deeper than this, keeping only what came before.
MAX_DEPTH = 256


# Tags that only wrap: dropped when a page is too deep, the block ones leaving a line break.
_WRAPPER_TAG = re.compile(r"<(/?)(div|section|article|main|aside|nav|header|footer|center|table|tbody|thead|tfoot|"
                          r"tr|td|th|ul|ol|dl|dd|dt|li|blockquote|form|fieldset|figure|span|font|b|i|u|em|strong|"
                          r"small|big|sub|sup|label)\b[^>]*>", re.I)


_INLINE_WRAPPERS = {"span", "font", "b", "i", "u", "em", "strong", "small", "big", "sub", "sup", "label"}


def _parse_tree(markup: str) -> tuple[object, bool]:
    """The tree lxml reads, and whether it stopped at its depth limit."""
    parser = lxml_html.HTMLParser()
    try:
        root = lxml_html.document_fromstring(markup, parser=parser)
    except (etree.ParserError, ValueError) as exc:
        raise ReadError(f"cannot parse HTML: {exc}") from None
    return root, any(e.type_name == "ERR_RESOURCE_LIMIT" for e in parser.error_log)


def _parse_html(markup: str) -> tuple[object, str | None]:
    """The page's tree, and a note when it had to be flattened to be read whole."""
    root, too_deep = _parse_tree(markup)
    if not too_deep:
        return root, None
    root, too_deep = _parse_tree(
        _WRAPPER_TAG.sub(lambda m: "" if m.group(2).lower() in _INLINE_WRAPPERS else "<br>", markup))
    if too_deep:
        raise ReadError(f"HTML nested more than {MAX_DEPTH} elements deep, even with its wrapper elements "
                        f"removed: it cannot be read whole")
    return root, (f"The page nests its elements more than {MAX_DEPTH} deep, past what the HTML parser reads; "
                  f"it was read with its wrapper elements (div, span, table ...) removed, so chrome was "
                  f"found by its lines, not by the elements around it.")


class Page(NamedTuple):
    """What `extract_html` reads off a page."""

    text: str  # the visible text, one paragraph per block element
    hints: list[Block]
    notes: list[str]  # how it was read
    lang: str | None  # the language the markup declares, primary subtag


def extract_html(markup: str) -> Page:
    """Visible text of an HTML page, one paragraph per block element, with block hints,
    notes on how it was read and the language its markup declares."""
    markup = re.sub(r"^\s*<\?xml[^>]*>", "", markup)
    root, flattened = _parse_html(markup)

    blocks: list[tuple[str, _Context, float]] = []  # text, context, share of it in links
    pieces: list[str] = []
    piece_ctx: list[_Context | None] = [None]
    link_chars = [0]

    def add(text: str | None, ctx: _Context) -> None:
        if text:
            if piece_ctx[0] is None and text.strip():
                piece_ctx[0] = ctx
            pieces.append(text)
            if ctx.link:
                link_chars[0] += len(text.strip())

    def flush() -> None:
        text = _SPACE.sub(" ", "".join(pieces)).strip()
        if text:
            blocks.append((text, piece_ctx[0] or _Context(), min(1.0, link_chars[0] / len(text))))
        pieces.clear()
        piece_ctx[0] = None
        link_chars[0] = 0

    title = root.find(".//title")
    if title is not None and (title.text or "").strip():
        blocks.append((_SPACE.sub(" ", title.text).strip(), _Context(chrome="html:<title>"), 0.0))

    page_chars = sum(len(p.text_content()) for p in root.iter("p"))
    stack = [_Context()]
    walker = etree.iterwalk(root, events=("start", "end"))
    for event, el in walker:
        if not isinstance(el.tag, str):  # comments, processing instructions
            if event == "end":
                add(el.tail, stack[-1])
            continue
        tag = el.tag.lower()
        if event == "start":
            if tag in _SKIP:
                walker.skip_subtree()
                continue
            parent = stack[-1]
            reason = None if parent.chrome else _chrome_reason(el, parent.article)
            if reason and _holds_the_page(el, page_chars):
                reason = None
            ctx = _Context(
                chrome=parent.chrome or reason,
                heading=parent.heading or tag in {"h1", "h2", "h3", "h4", "h5", "h6"},
                article=parent.article or tag in {"article", "main"},
                link=parent.link or (tag == "a" and el.get("href") is not None),
                title=parent.title or tag == "h1",
            )
            stack.append(ctx)
            if tag in _BLOCK:
                flush()
            add(el.text, ctx)
        else:
            if tag not in _SKIP:
                stack.pop()
                if tag in _BLOCK:
                    flush()
            add(el.tail, stack[-1])
    flush()

    main = _MainText(None) if flattened else _MainText.of(markup)  # its parser would stop where lxml did
    parts, hints, pos = [], [], 0
    for text, ctx, link_share in blocks:
        if parts:
            pos += 2
        chrome = ctx.chrome or ("html:links" if link_share >= _LINK_SHARE and not ctx.title else None)
        if chrome is None and not ctx.title and not reads_as_paragraph(text, PARAGRAPH_WORDS) and not main.holds(text):
            chrome = "html:not-main-text"
        kind = BOILERPLATE if chrome else HEADING if ctx.heading else BODY
        rule = chrome or ("html:<h>" if ctx.heading else None)
        hints.append(Block(pos, pos + len(text), kind, rule))
        parts.append(text)
        pos += len(text)
    return Page("\n\n".join(parts), hints, [flattened] if flattened else [], _declared_language(root))


def _declared_language(root) -> str | None:
    """`<html lang>` (or xml:lang), else a `<meta http-equiv="content-language">`."""
    tag = root.get("lang") or root.get(XML_LANG)
    if not tag:
        meta = root.xpath('//meta[translate(@http-equiv, "CONTENT-LANGUAGE", "content-language")'
                          ' = "content-language"]/@content')
        tag = meta[0].split(",")[0] if meta else None
    return primary_subtag(tag)
