"""The CPU work on a fetched page, as plain functions of plain data.

Decoding, parsing, triage (article / list / other), link extraction and extraction all
happen here, outside the spider, so a spider can run them inline or in a process pool
(``NEWSCRAWL_EXTRACT_WORKERS``) without changing what it does with the answers. Every
argument and result pickles.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from datetime import datetime

from w3lib.encoding import html_to_unicode

from newscrawl.extract import extract_article
from newscrawl.extract.pagetype import (
    Link,
    PageType,
    UrlRules,
    Verdict,
    classify_page,
    continuation_pages,
    first_page_of,
    page_links,
    parse,
)
from newscrawl.extract.profile import ExtractProfile
from newscrawl.record import Article


@dataclass(slots=True)
class PageCopy:
    """One fetched page as the extractor needs it."""

    url: str
    body: bytes
    http_encoding: str | None


@dataclass(slots=True)
class PageAnalysis:
    kind: str  # a PageType value, or "unparseable"
    reason: str
    links: list[Link] = field(default_factory=list)
    first_page: str | None = None  # set when this is page N >= 2 of an article
    continuation: list[str] = field(default_factory=list)  # the article's other pages
    article: Article | None = None  # a single-page article, extracted right away
    extracted: bool = False
    error: str | None = None  # the extractor raised: "Type: message"


def decode_page(copy: PageCopy) -> str:
    """Text of a page for triage and links: the HTTP charset when the bytes agree with it,
    then UTF-8, else the page's own declaration or a guess (a header that lies must not
    garble 下一页)."""
    for encoding in (copy.http_encoding, "utf-8"):
        if encoding:
            try:
                return copy.body.decode(encoding)
            except (UnicodeDecodeError, LookupError):
                pass
    return html_to_unicode(None, copy.body)[1]


@functools.lru_cache(maxsize=64)
def _rules(article: tuple[str, ...], listing: tuple[str, ...]) -> UrlRules:
    return UrlRules(article, listing)


def analyse_page(copy: PageCopy, article_urls: tuple[str, ...], list_urls: tuple[str, ...],
                 pinned: bool, extract: ExtractProfile, fetched_at: datetime) -> PageAnalysis:
    """Triage one page; when it is a whole single-page article, extract it too."""
    tree = parse(decode_page(copy))
    if tree is None:
        return PageAnalysis("unparseable", "unparseable")
    links = page_links(tree, copy.url)
    more = continuation_pages(copy.url, links)
    if pinned:
        verdict = Verdict(PageType.ARTICLE, "listed")
    else:
        verdict = classify_page(tree, copy.url, _rules(article_urls, list_urls), links,
                                paginated=bool(more))
    result = PageAnalysis(verdict.kind.value, verdict.reason, links)
    if verdict.kind is PageType.ARTICLE:
        result.first_page = first_page_of(copy.url, links)
        if result.first_page is None:
            result.continuation = more
            if not more:
                articles, result.error = extract_pages([copy], extract, fetched_at)
                result.article, result.extracted = articles[0], True
    return result


def continuation_links(first_url: str, copy: PageCopy) -> list[str]:
    """The article's pages that page ``copy`` links (for pages after the first)."""
    tree = parse(decode_page(copy))
    if tree is None:
        return []
    return continuation_pages(first_url, page_links(tree, copy.url), current_url=copy.url)


def extract_pages(pages: list[PageCopy], extract: ExtractProfile,
                  fetched_at: datetime) -> tuple[list[Article | None], str | None]:
    """One extraction per page; (results, None) or ([], "Type: message") if one raised."""
    try:
        return [extract_article(p.body, p.url, profile=extract, fetched_at=fetched_at,
                                http_encoding=p.http_encoding) for p in pages], None
    except Exception as exc:  # noqa: BLE001 - a bad page must not stop the crawl
        return [], f"{type(exc).__name__}: {exc}"
