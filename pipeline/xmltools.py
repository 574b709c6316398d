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
