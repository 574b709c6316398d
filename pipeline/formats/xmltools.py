"""The XML pieces the glossary (TBX) and bilingual (XLIFF, TMX) readers and writers share."""

from __future__ import annotations

from pathlib import Path

from lxml import etree

from .failures import BilingualError


XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def safe_parser() -> etree.XMLParser:
    """A parser for untrusted files: no entity expansion, no network, no DTD, no huge trees."""
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


def local_name(el) -> str:
    """An element's tag without its namespace ("" for comments and processing instructions)."""
    return etree.QName(el).localname if isinstance(el.tag, str) else ""


def text_of(el) -> str:
    """All the text inside an element, inline markup included ("" for no element)."""
    return "".join(el.itertext()) if el is not None else ""


# TMX and XLIFF 1.2 inline elements whose content is the native code they stand for
# ("<b>", "{1}"), not text: a reader skips it and keeps what follows.
NATIVE_CODES = {"bpt", "ept", "ph", "it", "ut"}


def segment_text(el) -> str:
    """The text of a segment element (TMX <seg>, XLIFF <source>/<target>): inline codes'
    native content left out, highlighted or grouped text (<hi>, <g>, <mrk>, <pc>) kept,
    and an entity reference the file declares kept as written ("&xxe;"): the safe parser
    expands none, and the text around it must not close up as if it were not there."""
    if el is None:
        return ""
    pieces = [el.text or ""]
    for child in el:
        if isinstance(child, etree._Entity):
            pieces.append(child.text)
        elif isinstance(child.tag, str) and local_name(child) not in NATIVE_CODES:
            pieces.append(segment_text(child))
        pieces.append(child.tail or "")
    return "".join(pieces)


def entity_references(el) -> tuple[str, ...]:
    """The entity references inside an element, as written ("&xxe;"), in order."""
    return tuple(node.text for node in el.iter() if isinstance(node, etree._Entity)) if el is not None else ()


# Inline markup of XLIFF 1.2 (g, x, bx, ex, ph, bpt, ept, it, mrk), XLIFF 2 (ph, pc, sc,
# ec, mrk, sm, em) and TMX (bpt, ept, ph, it, hi, ut), and the attribute that names each
# element (the others pair a start with its end by it).
INLINE = {"g": "id", "x": "id", "bx": "id", "ex": "id", "ph": "id", "bpt": "i", "ept": "i", "it": "pos",
          "mrk": "mid", "pc": "id", "sc": "id", "ec": "startRef", "sm": "id", "em": "startRef", "hi": "type",
          "ut": "x"}
CONTAINERS = {"g", "mrk", "pc", "hi"}  # hold text: an opening and a closing each
ITS_ISSUE_TYPE = "{http://www.w3.org/2005/11/its}locQualityIssueType"


def inline_tags(el) -> tuple[str, ...]:
    """The inline markup of a segment element, in order, as tags ('<g id="1">', '</g id="1">',
    '<x id="2"/>'): what a translation must carry over as its source has it, each named by
    the attribute that identifies it in its format (`bpt`/`ept` use `id` in XLIFF 1.2, `i`
    in TMX; `ph` uses `x` in TMX; `mrk` uses `id` in XLIFF 2)."""
    if el is None:
        return ()
    tags: list[str] = []
    # the quality-issue marks an export of the pipeline put there (ITS) are not the file's markup
    ours = {e.get("id") for e in el.iter() if isinstance(e.tag, str) and e.get(ITS_ISSUE_TYPE) is not None}

    def walk(node) -> None:
        for child in node:
            if not isinstance(child.tag, str):
                continue
            name = local_name(child)
            if child.get("id") in ours or child.get("startRef") in ours:
                walk(child)
                continue
            if name not in INLINE:
                continue
            attribute = next((a for a in (INLINE[name], "id", "i", "x", "rid", "startRef", "mid")
                              if child.get(a) is not None), None)
            key = f' {attribute}="{child.get(attribute)}"' if attribute else ""
            if name in CONTAINERS:
                tags.append(f"<{name}{key}>")
                walk(child)
                tags.append(f"</{name}{key}>")
            else:
                tags.append(f"<{name}{key}/>")
    walk(el)
    return tuple(tags)


def document_bytes(root) -> bytes:
    """A parsed file written back whole: its XML declaration (as UTF-8), doctype, the comments
    and processing instructions around the root each on a line of its own (lxml would run
    them together), and the root as it was."""
    pieces = [b"<?xml version='1.0' encoding='UTF-8'?>"]
    doctype = root.getroottree().docinfo.doctype
    if doctype:
        pieces.append(doctype.encode("utf-8"))
    before, node = [], root.getprevious()
    while node is not None:
        before.append(etree.tostring(node, encoding="UTF-8", with_tail=False))
        node = node.getprevious()
    pieces += reversed(before)
    pieces.append(etree.tostring(root, encoding="UTF-8", with_tail=False))
    node = root.getnext()
    while node is not None:
        pieces.append(etree.tostring(node, encoding="UTF-8", with_tail=False))
        node = node.getnext()
    return b"\n".join(pieces) + b"\n"


def indented_bytes(root, text_elements: frozenset[str]) -> bytes:
    """`root` as an indented XML document whose elements named in `text_elements` (local
    names: source, target, note ...) are written exactly as they are: libxml2's pretty
    printer would indent inside a target that holds only an <mrk>, and so change its text."""
    def indent(el, depth: int) -> None:
        if local_name(el) in text_elements or not len(el):
            return
        el.text = "\n" + "  " * (depth + 1)
        for child in el:
            indent(child, depth + 1)
            child.tail = "\n" + "  " * (depth + 1)
        el[-1].tail = "\n" + "  " * depth

    indent(root, 0)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8") + b"\n"


def parse_xml(path: Path, data: bytes):
    """The root of an XML file, parsed safely (`safe_parser`); BilingualError when it is not XML."""
    try:
        return etree.fromstring(data, safe_parser())
    except etree.XMLSyntaxError as exc:
        raise BilingualError(f"invalid XML at line {exc.lineno}: {exc.msg}") from None
