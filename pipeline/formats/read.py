"""Reader: turn input files into Documents (the pipeline's first step).

Reads: files on disk (`.txt`, `.html`/`.htm`, `.jsonl`, and the aligned bilingual
formats `.xlf`/`.xliff`, `.tmx`, `.tsv`, `.po`, see `pipeline/bilingual.py`). Writes: `Document.id`,
`path`, `format`, `encoding`, `text`, `source`, and `hints`: for HTML one Block per
HTML block element (marked boilerplate inside <nav>, <footer>, ... and heading for
<h1>-<h6>), for bilingual input one Block per unit with its id and source. A file that cannot be read yields a `ReadFailure` with a one-line
reason instead; the batch goes on.

Encodings: a byte-order mark wins, then UTF-16 without one (NULs on one side of the byte
pairs), then strict UTF-8, then charset-normalizer's detection (GB18030/GBK, Big5, ...),
where a one-byte code page is chosen by how well its text reads (`_most_readable`).
Line endings become "\\n".
"""

from __future__ import annotations

import codecs
import json
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from charset_normalizer import from_bytes
from lxml import etree
from lxml import html as lxml_html

from ..document import BODY, BOILERPLATE, HEADING, Block, Document, primary_subtag, reads_as_paragraph
from ..errors import EXIT_SOME_FAILED, PipelineError
from .bilingual import BilingualError, Unit, aligned_document, read_po, read_tmx, read_tsv, read_xliff
from .xmltools import XML_LANG

SUFFIXES = {".txt": "txt", ".html": "html", ".htm": "html", ".jsonl": "jsonl", ".xlf": "xliff", ".xliff": "xliff",
            ".tmx": "tmx", ".tsv": "tsv", ".po": "po"}


class ReadError(PipelineError):
    """A file (or one JSONL line) that cannot be turned into a document: it fails alone."""

    exit_code = EXIT_SOME_FAILED


@dataclass
class ReadFailure:
    doc: str
    path: str
    reason: str


class Discovered(NamedTuple):
    files: list[Path]
    skipped: list[ReadFailure]  # links not followed, dangling links


def discover(inputs: Iterable[str | Path], follow_symlinks: bool = False) -> Discovered:
    """Input files in a stable order: each argument in turn, folders searched recursively.

    A file named on the command line is read wherever it points. Inside a folder, a link
    (to a file or a folder) whose target lies outside that folder is not followed unless
    `follow_symlinks`: a folder of pages must not publish /etc/passwd because one entry
    points there. Such links, and links to nothing, are `skipped` with a reason."""
    found: list[Path] = []
    skipped: list[ReadFailure] = []
    for item in inputs:
        path = Path(item)
        if path.is_dir():
            files, passed_over = _walk(path, follow_symlinks)
            found.extend(files)
            skipped.extend(passed_over)
        else:
            found.append(path)
    seen: set[Path] = set()
    unique = []
    for p in found:
        key = p.resolve()
        if key not in seen:
            seen.add(key)
            unique.append(p)
    return Discovered(unique, skipped)


def _walk(folder: Path, follow_symlinks: bool) -> tuple[list[Path], list[ReadFailure]]:
    root = folder.resolve()
    files: list[Path] = []
    skipped: list[ReadFailure] = []
    visited: set[str] = set()  # real paths of the folders walked: a link cycle ends here

    def link_problem(path: Path) -> str | None:
        target = Path(os.path.realpath(path))
        if not target.exists():
            return f"a link to {os.readlink(path)}, which does not exist"
        if not follow_symlinks and not target.is_relative_to(root):
            return f"a link to {target}, outside the input folder; not followed (--follow-symlinks follows it)"
        return None

    for here, dirs, names in os.walk(folder, followlinks=True):
        real = os.path.realpath(here)
        if real in visited:
            dirs[:] = []
            continue
        visited.add(real)
        kept = []
        for name in sorted(dirs):
            sub = Path(here) / name
            problem = link_problem(sub) if sub.is_symlink() else None
            if problem is None:
                kept.append(name)
            else:  # whatever it holds, at its top or deeper: what is not read is said
                skipped.append(ReadFailure(sub.name, str(sub), problem))
        dirs[:] = kept
        for name in names:
            path = Path(here) / name
            if path.suffix.lower() not in SUFFIXES:
                continue
            problem = link_problem(path) if path.is_symlink() else None
            if problem is None:
                if path.is_file():  # not a pipe or a device, which would block or never end
                    files.append(path)
            else:
                skipped.append(ReadFailure(path.stem, str(path), problem))
    return sorted(files), sorted(skipped, key=lambda f: f.path)


# --- decoding -------------------------------------------------------------------

_BOMS = [
    (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"),
]
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


class Decoded(NamedTuple):
    text: str
    encoding: str
    warning: str | None = None  # the choice between encodings was close


def decode(data: bytes, forced: str | None = None, stray_nul: bool = False) -> Decoded:
    """Decode file bytes to text, with the encoding's name. With `stray_nul` (HTML, where
    browsers ignore the byte), a few NUL bytes are dropped instead of making the file
    binary; a file with many is still binary, unless it is UTF-16 without a byte-order
    mark (every NUL on one side of its byte pairs)."""
    if stray_nul and 0 < data.count(b"\x00") <= max(8, len(data) // 1000):
        data = data.replace(b"\x00", b"")
    if forced:
        try:
            return Decoded(_newlines(data.decode(forced)), forced)
        except UnicodeDecodeError as exc:
            raise ReadError(f"not valid {forced} (byte {exc.start})") from None
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return Decoded(_newlines(data.decode(encoding)), encoding)
            except UnicodeDecodeError as exc:
                raise ReadError(f"starts with a {encoding} byte-order mark but is not valid {encoding} (byte {exc.start})") from None
    if b"\x00" in data:
        utf16 = _utf16_without_bom(data)
        if utf16 is None:
            raise ReadError("binary file (contains NUL bytes)")
        return utf16
    try:
        return Decoded(_newlines(data.decode("utf-8")), "utf-8")
    except UnicodeDecodeError:
        pass
    results = from_bytes(data)
    best = results.best()
    if best is None:
        raise ReadError("binary file or unknown encoding (no text encoding fits)")
    text, encoding, warning = str(best), best.encoding, None
    if _single_byte(encoding):
        text, encoding, warning = _most_readable(data, [m.encoding for m in results])
    if len(_CONTROL.findall(text)) > max(2, len(text) // 100):
        raise ReadError(f"binary file (control characters when decoded as {encoding})")
    return Decoded(_newlines(text), encoding, warning)


def _utf16_without_bom(data: bytes) -> Decoded | None:
    """UTF-16 text with no byte-order mark: the NUL bytes (the high byte of every ASCII
    character) all stand on one side of the byte pairs, and the text decodes cleanly."""
    if len(data) % 2:
        return None
    even, odd = data[0::2].count(0), data[1::2].count(0)
    if even and odd:
        return None
    encoding = "utf-16-le" if odd else "utf-16-be"
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:
        return None
    if len(_CONTROL.findall(text)) > max(2, len(text) // 100):
        return None
    return Decoded(_newlines(text), encoding)


def _single_byte(encoding: str) -> bool:
    try:
        return codecs.lookup(encoding).name not in _MULTI_BYTE
    except LookupError:
        return False


_MULTI_BYTE = {codecs.lookup(e).name for e in ("gb18030", "gbk", "gb2312", "big5", "big5hkscs", "shift_jis", "cp932",
                                               "euc_jp", "euc_kr", "cp949", "iso2022_jp", "hz", "utf_16", "utf_32")}
# Where the bytes are not UTF-8 and a one-byte code page fits, the candidates tried before
# charset-normalizer's: the Western ones, which short files are most often taken for others
# (and which name the encoding when another code page gives the same text).
_WESTERN = ("cp1252", "latin_1", "iso8859_15")
# The languages whose words tell a right decoding from a wrong one (wordfreq lists).
_READABLE_IN = ("en", "fr", "de", "es", "pt", "it", "nl", "pl", "cs", "hu", "ro", "tr", "ru", "el")
_NON_ASCII_WORD = re.compile(r"[^\W\d_]*(?![\x00-\x7f])[^\W\d_][^\W\d_]*")  # a word with a non-ASCII letter
# Non-ASCII characters that are not letters: in a right decoding of text, typography.
_NON_ASCII_MARK = re.compile(r"[^\x00-\x7f\w\s]")
_TYPOGRAPHY = set("“”‘’„‚‹›«»–—…•·€£¥§©®°¡¿№")
# A word at least this common (wordfreq Zipf; 2 is once in 100 million words) is a word of
# the language: below it, wordfreq's web text holds mojibake too ("săo" for "são").
_KNOWN_ZIPF = 2.0


def _most_readable(data: bytes, candidates: list[str]) -> tuple[str, str, str | None]:
    """Of the one-byte decodings of `data`, the one that reads best: the largest share of
    its words with non-ASCII letters that are words of the one language they read best in
    (wordfreq) and of its other non-ASCII characters that are typography (quotes, dashes,
    an ellipsis); on a tie, the Western code pages first, then charset-normalizer's order.
    A warning when another decoding, different in text, reads almost as well (within 5
    points)."""
    from ..language.words import languages, zipf

    langs = [lang for lang in _READABLE_IN if lang in languages()]
    scored, seen = [], set()
    for order, encoding in enumerate(dict.fromkeys([*_WESTERN, *candidates])):  # same text: the Western name
        if not _single_byte(encoding):
            continue
        try:
            text = data.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
        if text in seen:
            continue
        seen.add(text)
        words = [w.lower() for w in _NON_ASCII_WORD.findall(text)[:200]]
        marks = _NON_ASCII_MARK.findall(text)[:200]
        typography = sum(c in _TYPOGRAPHY for c in marks)
        # the words of the one language they read best in: a text is in one language
        words_known = max((sum(zipf(w, lang) >= _KNOWN_ZIPF for w in words) for lang in langs), default=0)
        known = (words_known + typography) / (len(words) + len(marks)) if words or marks else 0.0
        scored.append((-known, order, encoding, text))
    scored.sort()
    known, _, encoding, text = scored[0]
    warning = None
    if len(scored) > 1 and scored[1][0] - known <= 0.05:
        warning = (f"encoding: read as {encoding}, but {scored[1][2]} reads almost as well "
                   f"({-known:.0%} against {-scored[1][0]:.0%} of its accented words and marks read as text); "
                   f"give --encoding if the text looks wrong")
    return text, encoding, warning


def _newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


# --- HTML -----------------------------------------------------------------------

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


# --- documents --------------------------------------------------------------------


def _nonempty(text: str) -> str:
    if not text.strip():
        raise ReadError("empty document (no text)")
    return text


def read_file(path: Path, doc_id: str, encoding: str | None = None) -> Iterator[Document | ReadFailure]:
    """Documents in one input file: one for .txt/.html, one per line for .jsonl."""
    kind = SUFFIXES.get(path.suffix.lower())
    try:
        if kind is None:
            raise ReadError(f"unsupported file type '{path.suffix}' (expected {', '.join(sorted(SUFFIXES))})")
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise ReadError(f"cannot read file: {exc.strerror or exc}") from None
        if not data.strip():
            raise ReadError("empty file")
        if kind in ("xliff", "tmx", "po"):  # XML declares its own encoding, a PO header its charset
            units, src_lang, trg_lang = {"xliff": read_xliff, "tmx": read_tmx, "po": read_po}[kind](path, data)
            doc = aligned_document(doc_id, str(path), kind, units, source_lang=src_lang, target_lang=trg_lang)
            doc.raw = data  # written back by the export of the same format
            yield doc
            return
        text, used, warning = decode(data, encoding, stray_nul=kind == "html")
        notes = [warning] if warning else []
        if kind == "tsv":
            yield aligned_document(doc_id, str(path), "tsv", read_tsv(path, text), encoding=used)
            return
        if kind == "txt":
            yield Document(doc_id, str(path), "txt", _nonempty(text), encoding=used, notes=notes)
            return
        if kind == "html":
            page = extract_html(text)
            yield Document(doc_id, str(path), "html", _nonempty(page.text), encoding=used, hints=page.hints,
                           notes=notes + page.notes, markup_lang=page.lang)
            return
    except (ReadError, BilingualError) as exc:
        yield ReadFailure(doc_id, str(path), str(exc))
        return
    yield from _read_jsonl(path, doc_id, text, used)


def _read_jsonl(path: Path, file_id: str, text: str, encoding: str) -> Iterator[Document | ReadFailure]:
    lines = [(n, line) for n, line in enumerate(text.split("\n"), 1) if line.strip()]
    if not lines:
        yield ReadFailure(file_id, str(path), "empty file")
    units: dict[str, list[Unit]] = {}  # aligned segment lines, grouped by their "doc"
    unit_notes: dict[str, list[str]] = {}
    for number, line in lines:
        where = f"{path}:{number}"
        fallback_id = f"{file_id}-{number}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            yield ReadFailure(fallback_id, where, f"invalid JSON: {exc.msg} (column {exc.colno})")
            continue
        if not isinstance(record, dict):
            yield ReadFailure(fallback_id, where, "a line must be a JSON object with 'id' and 'text'")
            continue
        record, replaced = _without_lone_surrogates(record)
        notes = [f"{replaced} lone surrogate(s) (half a UTF-16 pair, escaped in the JSON) replaced with "
                 f"U+FFFD at {where}."] if replaced else []
        if "text" not in record and ("target" in record or "doc" in record or "source" in record):
            # one aligned unit of document "doc" (else of the file): {"doc", "id", "source", "target"};
            # a missing or null target is a unit not yet translated
            target, source = record.get("target") or "", record.get("source", "")
            if not isinstance(target, str) or not isinstance(source, str):
                yield ReadFailure(fallback_id, where, "'source' and 'target' must be strings")
                continue
            group = str(record.get("doc", file_id))
            units.setdefault(group, []).append(Unit(str(record.get("id", number)), source, target))
            unit_notes.setdefault(group, []).extend(notes)
            continue
        doc_id = record.get("id", fallback_id)
        body, source = record.get("text"), record.get("source")
        if not isinstance(doc_id, (str, int)) or isinstance(doc_id, bool):
            yield ReadFailure(fallback_id, where, "'id' must be a string or a number")
        elif not isinstance(body, str):
            yield ReadFailure(str(doc_id), where, "missing 'text' (a string)")
        elif source is not None and not isinstance(source, str):
            yield ReadFailure(str(doc_id), where, "'source' must be a string")
        elif not body.strip():
            yield ReadFailure(str(doc_id), where, "empty document (no text)")
        else:
            yield Document(str(doc_id), where, "jsonl", _newlines(body),
                           source=_newlines(source) if source else None, encoding=encoding, notes=notes)
    for group, group_units in units.items():
        try:
            doc = aligned_document(group, str(path), "jsonl", group_units, encoding=encoding)
        except BilingualError as exc:
            yield ReadFailure(group, str(path), str(exc))
            continue
        doc.notes[:0] = unit_notes.get(group, [])
        yield doc


_LONE_SURROGATE = re.compile(r"[\ud800-\udfff]")


def _without_lone_surrogates(record: dict) -> tuple[dict, int]:
    """The record with each lone surrogate in its strings (JSON allows "\\ud800" alone; no
    encoder writes it) replaced by U+FFFD, and how many there were."""
    count = 0

    def clean(value):
        nonlocal count
        if isinstance(value, str):
            value, n = _LONE_SURROGATE.subn("\ufffd", value)
            count += n
        return value
    return {clean(k): clean(v) for k, v in record.items()}, count
