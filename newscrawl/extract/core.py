"""extract_article: one page in, one Article (or None) out.

The page is decoded and parsed once; metadata is read from the untouched tree first
(JSON-LD, meta tags, then the DOM), then the body is found and cleaned, then the byline
paragraphs at the edges of the body are turned into fields.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import lxml.html

from newscrawl.extract import body as body_mod
from newscrawl.extract import boilerplate, bylines, dates, dom, encoding, metadata, section, tags
from newscrawl.extract.profile import ExtractProfile
from newscrawl.extract.urls import host_of
from newscrawl.record import Article

EXTRACTOR_VERSION = "0.1.0"


@dataclass(frozen=True, slots=True)
class ParsedPage:
    """A page decoded and parsed once, for callers that also read the tree (page triage,
    link finding) before extracting: extraction only reads the tree."""

    markup: str
    tree: lxml.html.HtmlElement


def parse_page(html: bytes | str, http_encoding: str | None = None) -> ParsedPage | None:
    """Decode (bytes in any encoding, see :mod:`encoding`) and parse; None when empty."""
    if isinstance(html, bytes):
        markup, _charset = encoding.decode_html(html, http_encoding)
    else:
        # A str can hold lone surrogates (bad upstream decoding); lxml stops reading at one.
        markup = _SURROGATE.sub("\ufffd", html)
    tree = dom.parse_html(markup)
    return None if tree is None else ParsedPage(markup, tree)


def extract_article(
    html: bytes | str,
    url: str | None = None,
    *,
    profile: Any = None,
    fetched_at: datetime | None = None,
    http_encoding: str | None = None,
) -> Article | None:
    """Extract one article from one page; None when the page is not an article.

    ``profile`` is an :class:`ExtractProfile` (or any object with an ``extract`` attribute
    holding one, such as a site profile). ``fetched_at`` anchors relative dates
    ("3小时前"); ``http_encoding`` is the charset from the HTTP headers, if any.
    """
    page = parse_page(html, http_encoding)
    if page is None:
        return None
    return extract_parsed(page, url, profile=profile, fetched_at=fetched_at)


def extract_parsed(
    page: ParsedPage,
    url: str | None = None,
    *,
    profile: Any = None,
    fetched_at: datetime | None = None,
) -> Article | None:
    """:func:`extract_article` on a page already parsed with :func:`parse_page`."""
    rules: ExtractProfile = getattr(profile, "extract", profile) or ExtractProfile()
    markup, tree = page.markup, page.tree
    walk = body_mod.walk_page(tree, rules=rules)
    lines = walk.lines
    meta = metadata.extract_metadata(tree, url=url, rules=rules, fetched_at=fetched_at, lines=lines,
                                     markup=markup)
    headline = _clean(meta.title or "")
    if not headline:
        return None
    body = body_mod.extract_body(tree, url=url, title=meta.title, rules=rules, walk=walk)
    page_texts = [line.text for line in lines]
    paragraphs, credits = bylines.split_credits(body.paragraphs, page_texts)
    if credits.authors:
        credits.authors = bylines.respace_names(credits.authors, page_texts)
    if not credits.editor and paragraphs:
        credits.editor = bylines.editor_after(page_texts, paragraphs[-1])
    meta = meta.merged_with(credits)
    if not _is_article(paragraphs):
        return None
    document_title = tree.findtext(".//title") or ""
    if boilerplate.is_error_page(headline, document_title, sum(len(p) for p in paragraphs)):
        return None
    host = host_of(url)
    if not meta.authors and _may_mark_bylines(markup):
        # Elements marked as bylines come after the body's own credit lines, which name the
        # writer where such an element may name a posting account. (The tree is unchanged:
        # body extraction only reads it.)
        meta.authors = metadata.byline_elements(tree, meta.site_names or meta.site_name, host)
    meta.authors = [a for a in meta.authors
                    if metadata.person_like(a, meta.site_names or meta.site_name, host,
                                            labelled=meta.authors_labelled)]
    text = "\n\n".join(paragraphs)
    if not meta.tags and meta.keywords:
        meta.tags = tags.article_keywords(meta.keywords, title=headline, text=text,
                                          site_name=meta.site_name, host=host,
                                          per_article=meta.keywords_per_article)
    if not meta.language:
        meta.language = section.detect_script_language(text)
    return Article(
        url=url,
        canonical_url=meta.canonical_url or url,
        site=host_of(url),
        title=headline,
        body=_without_controls(text),
        published_at=meta.published_at,
        published_at_raw=meta.published_at_raw,
        published_date=meta.published_at[:10] if meta.published_at else None,
        published_precision=meta.published_precision if meta.published_at else None,
        source=_clean_or_none(meta.source),
        authors=[c for a in meta.authors if (c := _clean(a))],
        editor=_clean_or_none(meta.editor),
        tags=[c for t in meta.tags if (c := _clean(t))],
        section=[c for s in meta.section if (c := _clean(s))],
        language=meta.language,
        images=body.images,
        fetched_at=fetched_at.isoformat() if fetched_at else None,
        extractor_version=EXTRACTOR_VERSION,
    )


_SURROGATE = re.compile("[\ud800-\udfff]")
# C0 controls but tab and newline, DEL, C1 controls: invisible, and they break readers. A
# search that finds none (nearly every page) is far cheaper than str.translate, which copies
# the whole body character by character.
_CONTROLS_RX = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _without_controls(text: str) -> str:
    return _CONTROLS_RX.sub("", text) if _CONTROLS_RX.search(text) else text


def _clean(text: str) -> str:
    """A one-line field: no control characters, whitespace runs folded."""
    return " ".join(_without_controls(text).split())


def _clean_or_none(text: str | None) -> str | None:
    return (_clean(text) or None) if text else None


def _may_mark_bylines(page: str) -> bool:
    """Whether the markup names an author/byline/writer anywhere: the XPath costs a walk."""
    return "uthor" in page or "yline" in page or "writer" in page


MIN_BODY_CHARS = 20  # less than a sentence: an index page, a gallery, an error page


def _is_article(paragraphs: list[str]) -> bool:
    """Enough text, and not a list page's items (many short lines, most carrying a date)."""
    if sum(len(p) for p in paragraphs) < MIN_BODY_CHARS:
        return False
    if len(paragraphs) >= 6 and max(len(p) for p in paragraphs) < 60:
        dated = sum(1 for p in paragraphs[:30] if dates.find_absolute(p) is not None)
        if dated * 2 >= min(len(paragraphs), 30):
            return False
    return True
