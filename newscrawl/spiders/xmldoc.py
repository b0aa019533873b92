"""Parsing the XML the spiders fetch (feeds, sitemaps): hardened, forgiving, namespace-blind.

The parser never touches the network, never resolves entities (no XXE, no billion laughs)
and keeps libxml2's size and depth limits (no huge_tree); it recovers what it can of
broken documents.
"""

from __future__ import annotations

import lxml.etree


def hardened_parser(*, remove_comments: bool = False) -> lxml.etree.XMLParser:
    """An XML parser with the safety options above (comments kept unless asked)."""
    return lxml.etree.XMLParser(recover=True, resolve_entities=False, no_network=True,
                                remove_comments=remove_comments, huge_tree=False)


def parse_root(body: bytes, parser: lxml.etree.XMLParser) -> lxml.etree._Element | None:
    """The root element of ``body``, or None when there is none to be had."""
    try:
        return lxml.etree.fromstring(body, parser=parser)
    except lxml.etree.XMLSyntaxError:
        return None


def local_name(tag: object) -> str:
    """A tag without its ``{namespace}``; '' for comments and processing instructions."""
    return tag.split("}", 1)[-1] if isinstance(tag, str) else ""
