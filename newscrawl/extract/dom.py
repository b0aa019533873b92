"""Parsing: one lxml tree per page."""

from __future__ import annotations

import threading

import lxml.html
from lxml import etree

_local = threading.local()


def _parser() -> lxml.html.HTMLParser:
    # huge_tree lifts libxml2's safety limits, which otherwise *silently drop* everything
    # nested deeper than 256 elements (old pages with unclosed <font>/<div> tags get
    # there) and text nodes over 10 MB. Comments and processing instructions are left out
    # while parsing (no reader wants them; the walks over the tree skip fewer nodes). One
    # parser per thread: lxml parsers are not meant to be shared between threads.
    parser = getattr(_local, "parser", None)
    if parser is None:
        parser = _local.parser = lxml.html.HTMLParser(huge_tree=True, remove_comments=True, remove_pis=True)
        # Every element an HtmlElement, chosen in C: lxml.html's own lookup calls Python for
        # each element proxy made (per tag: form/input/label classes, unused here), which
        # costs about a tenth of the extraction time on news pages.
        parser.set_element_class_lookup(
            etree.ElementDefaultClassLookup(
                element=lxml.html.HtmlElement,
                comment=lxml.html.HtmlComment,
                pi=lxml.html.HtmlProcessingInstruction,
                entity=lxml.html.HtmlEntity,
            )
        )
    return parser


def parse_html(text: str) -> lxml.html.HtmlElement | None:
    """The page as an lxml tree; None when there is nothing to parse."""
    if not text.strip():
        return None
    head = text[:200].lstrip("\ufeff \t\r\n")
    if head.startswith("<?xml"):
        # lxml refuses str input that declares an encoding; the text is decoded already.
        text = text[text.find("?>") + 2 :]
    try:
        tree = lxml.html.document_fromstring(text, parser=_parser())
    except (etree.ParserError, ValueError):
        return None
    _move_stray_head_content(tree)
    return tree


# Elements that belong in <head>; libxml2 leaves an unknown element met there (a custom
# element, an archive's <text> wrapper) in <head>, and everything after it with it.
HEAD_TAGS = frozenset({"meta", "title", "link", "script", "style", "base", "noscript", "template", "object"})


def _move_stray_head_content(tree: lxml.html.HtmlElement) -> None:
    """Page content that the parser left in <head> goes to <body>, in order."""
    head = tree.find("head")
    if head is None:
        return
    stray = next((c for c in head if isinstance(c.tag, str) and c.tag not in HEAD_TAGS), None)
    if stray is None:
        return
    moving = [stray, *stray.itersiblings()]
    body = tree.find("body")
    if body is None:
        body = etree.SubElement(tree, "body")
    for index, element in enumerate(moving):
        body.insert(index, element)
