"""The XML pieces the glossary (TBX) and bilingual (XLIFF, TMX) readers and writers share."""

from __future__ import annotations

from lxml import etree

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
    native content left out, highlighted or grouped text (<hi>, <g>, <mrk>, <pc>) kept."""
    if el is None:
        return ""
    pieces = [el.text or ""]
    for child in el:
        if isinstance(child.tag, str) and local_name(child) not in NATIVE_CODES:
            pieces.append(segment_text(child))
        pieces.append(child.tail or "")
    return "".join(pieces)


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
