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

from newscrawl.extract import extract_article, extract_parsed, parse_page
from newscrawl.extract.pagetype import (
    PageType,
    UrlRules,
    Verdict,
    classify_page,
    continuation_pages,
    first_page_of,
    page_links,
)
from newscrawl.extract.profile import ExtractProfile
from newscrawl.record import Article


@dataclass(slots=True)
class PageCopy:
    """One fetched page as the extractor needs it."""

    url: str
    body: bytes
    http_encoding: str | None
    fetched_at: datetime  # when the page was fetched: anchors relative dates ("3小时前")


@dataclass(slots=True)
class PageAnalysis:
    kind: str  # a PageType value, or "unparseable"
    reason: str
    # The page's link targets, each once, in page order: plain strings are what the crawl's
    # thread needs to schedule them, and the cheapest thing to send back from a worker.
    links: list[str] = field(default_factory=list)
    first_page: str | None = None  # set when this is page N >= 2 of an article
    continuation: list[str] = field(default_factory=list)  # the article's other pages
    article: Article | None = None  # a single-page article, extracted right away
    extracted: bool = False
    error: str | None = None  # the extractor raised: "Type: message"


@functools.lru_cache(maxsize=64)
def _rules(article: tuple[str, ...], listing: tuple[str, ...]) -> UrlRules:
    return UrlRules(article, listing)


def analyse_page(copy: PageCopy, article_urls: tuple[str, ...], list_urls: tuple[str, ...],
                 pinned: bool, extract: ExtractProfile, fetched_at: datetime) -> PageAnalysis:
    """Triage one page; when it is a whole single-page article, extract it too — from the
    same parse (decoding and parsing are most of a page's cost)."""
    page = parse_page(copy.body, copy.http_encoding)
    if page is None:
        return PageAnalysis("unparseable", "unparseable")
    tree = page.tree
    links = page_links(tree, copy.url)
    more = continuation_pages(copy.url, links)
    if pinned:
        verdict = Verdict(PageType.ARTICLE, "listed")
    else:
        verdict = classify_page(tree, copy.url, _rules(article_urls, list_urls), links,
                                paginated=bool(more))
    result = PageAnalysis(verdict.kind.value, verdict.reason, list(dict.fromkeys(link.url for link in links)))
    if verdict.kind is PageType.ARTICLE:
        result.first_page = first_page_of(copy.url, links)
        if result.first_page is None:
            result.continuation = more
            if not more:
                # Not caught here: the caller's guard names the failure (extractor error,
                # memory limit) and drops the page.
                result.article = extract_parsed(page, copy.url, profile=extract,
                                                fetched_at=fetched_at)
                result.extracted = True
    return result


def continuation_links(first_url: str, copy: PageCopy) -> list[str]:
    """The article's pages that page ``copy`` links (for pages after the first)."""
    page = parse_page(copy.body, copy.http_encoding)
    if page is None:
        return []
    return continuation_pages(first_url, page_links(page.tree, copy.url), current_url=copy.url)


def extract_pages(pages: list[PageCopy], extract: ExtractProfile,
                  fetched_at: datetime) -> tuple[list[Article | None], str | None]:
    """One extraction per page; (results, None) or ([], "Type: message") if one raised."""
    try:
        return [extract_article(p.body, p.url, profile=extract, fetched_at=fetched_at,
                                http_encoding=p.http_encoding) for p in pages], None
    except Exception as exc:  # noqa: BLE001 - a bad page must not stop the crawl
        return [], f"{type(exc).__name__}: {exc}"

