"""Parsing: one lxml tree per page."""

from __future__ import annotations

import lxml.html
from lxml import etree


def parse_html(text: str) -> lxml.html.HtmlElement | None:
    """The page as an lxml tree; None when there is nothing to parse."""
    if not text.strip():
        return None
    try:
        return lxml.html.document_fromstring(text)
    except (etree.ParserError, ValueError):
        return None
