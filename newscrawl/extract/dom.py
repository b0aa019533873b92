"""Parsing: one lxml tree per page."""

from __future__ import annotations

import threading

import lxml.html
from lxml import etree

_local = threading.local()


def _parser() -> lxml.html.HTMLParser:
    # huge_tree lifts libxml2's safety limits, which otherwise *silently drop* everything
    # nested deeper than 256 elements (old pages with unclosed <font>/<div> tags get
    # there) and text nodes over 10 MB. One parser per thread: lxml parsers are not
    # meant to be shared between threads.
    parser = getattr(_local, "parser", None)
    if parser is None:
        parser = _local.parser = lxml.html.HTMLParser(huge_tree=True, remove_comments=False)
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
        return lxml.html.document_fromstring(text, parser=_parser())
    except (etree.ParserError, ValueError):
        return None
