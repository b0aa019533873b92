"""What every newscrawl spider shares: the site profile, the page triage (HTML? article?
list?), multi-page articles, the date limit and the drop counters.

Spiders stay thin: the fields of a record come from :func:`newscrawl.extract_article`,
the page type from :mod:`newscrawl.extract.pagetype`.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import scrapy
from scrapy.http import Request, Response
from scrapy.linkextractors import IGNORED_EXTENSIONS
from scrapy.settings import BaseSettings
from twisted.python.failure import Failure
from w3lib.encoding import html_to_unicode, http_content_type_encoding

from newscrawl import __version__
from newscrawl.extract import extract_article
from newscrawl.extract.pagetype import (
    Link,
    PageType,
    Verdict,
    classify_page,
    classify_url,
    continuation_pages,
    first_page_of,
    page_links,
    parse,
)
from newscrawl.profiles import SiteProfile, load_profile
from newscrawl.record import Article

logger = logging.getLogger(__name__)

MAX_ARTICLE_PAGES = 50
_IGNORED = tuple("." + e for e in IGNORED_EXTENSIONS)
_HTML_TYPES = ("text/html", "application/xhtml+xml")


@dataclass(slots=True)
class PageCopy:
    """One fetched page as the extractor needs it."""

    url: str
    body: bytes
    http_encoding: str | None


@dataclass(slots=True)
class ArticleChain:
    """The pages of one multi-page article, fetched one after the other."""

    first_url: str
    pages: list[PageCopy] = field(default_factory=list)
    pending: list[str] = field(default_factory=list)
    seen: set[str] = field(default_factory=set)


def parse_since(value: str | datetime | None, tz: str | None = None) -> datetime | None:
    """``--since``: a date or ISO timestamp; a naive one is in the profile's zone (else UTC)."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        moment = value
    else:
        try:
            moment = datetime.fromisoformat(value.strip())
        except ValueError:
            raise ValueError(f"--since: {value!r} is not a date (YYYY-MM-DD) or ISO timestamp") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=ZoneInfo(tz) if tz else timezone.utc)
    return moment


def build_user_agent(contact: str | None) -> str:
    contact = (contact or "").strip()
    suffix = f" (+{contact})" if contact else " (+https://pypi.org/project/newscrawl/)"
    return f"newscrawl/{__version__}{suffix}"


class NewsSpider(scrapy.Spider):
    """Base of the newscrawl spiders. Arguments (``-a name=value``):

    ``site`` a profile name, or ``url`` a start URL with no profile; ``sites_dir`` another
    folder of profiles; ``base_url`` to run a profile against another origin; ``since`` a
    date: older articles are not stored.
    """

    name = "newscrawl-base"
    follow_links = False  # the portal spider follows links; sitemap, feed and urls do not

    def __init__(self, site: str | None = None, url: str | None = None,
                 sites_dir: str | None = None, base_url: str | None = None,
                 since: str | None = None, profile: SiteProfile | None = None,
                 **kwargs: Any) -> None:
        super().__init__(**kwargs)
        if profile is None:
            if site:
                profile = load_profile(site, sites_dir)
            elif url:
                profile = SiteProfile.for_url(url)
            else:
                profile = self.default_profile(kwargs)
        if base_url:
            profile = profile.with_base_url(base_url)
        self.profile = profile
        self.allowed_domains = list(profile.allowed_hosts)
        self.url_rules = profile.url_rules
        self.since = parse_since(since, profile.timezone)
        self._logged: set[str] = set()

    def default_profile(self, kwargs: dict[str, Any]) -> SiteProfile:
        raise ValueError(f"spider {self.name!r} needs -a site=PROFILE or -a url=URL")

    @classmethod
    def update_settings(cls, settings: BaseSettings) -> None:
        super().update_settings(settings)
        # An explicit USER_AGENT wins; otherwise an honest one with the operator's contact.
        if (settings.getpriority("USER_AGENT") or 0) <= 0:
            settings.set("USER_AGENT", build_user_agent(settings.get("NEWSCRAWL_CONTACT")),
                         priority="spider")

    # ------------------------------------------------------------------ counters
    def count(self, key: str, n: int = 1) -> None:
        self.crawler.stats.inc_value(f"newscrawl/{key}", n)

    def drop(self, reason: str, url: str, detail: str = "") -> None:
        """A page that yields no record: counted by reason, logged the first time only."""
        self.count(f"dropped/{reason}")
        if reason not in self._logged:
            self._logged.add(reason)
            logger.info("Dropped %s: %s%s (further drops for this reason are only counted "
                        "in newscrawl/dropped/%s)", url, reason, f" ({detail})" if detail else "", reason)

    # ------------------------------------------------------------------ requests
    def allowed(self, url: str) -> bool:
        host = urlsplit(url).hostname or ""
        return any(host == h or host.endswith("." + h) for h in self.allowed_domains)

    def page_request(self, url: str, *, follow: bool | None = None, pinned: bool = False,
                     priority: int = 0) -> Request:
        return Request(url, callback=self.parse_page, priority=priority,
                       cb_kwargs={"follow": self.follow_links if follow is None else follow,
                                  "pinned": pinned})

    def parse(self, response: Response, **kwargs: Any) -> Any:
        return self.parse_page(response, **kwargs)

    # ------------------------------------------------------------------ pages
    def parse_page(self, response: Response, follow: bool = False, pinned: bool = False) -> Iterator[Any]:
        self.count("pages/fetched")
        copy = self.html_copy(response)
        if copy is None:
            return
        tree = parse(decode_page(copy))
        if tree is None:
            self.drop("unparseable", response.url)
            return
        links = page_links(tree, response.url)
        verdict = Verdict(PageType.ARTICLE, "listed") if pinned else classify_page(tree, response.url, self.url_rules)
        self.count(f"pages/{verdict.kind.value}")
        skip: set[str] = set()
        if verdict.kind is PageType.ARTICLE:
            first = first_page_of(response.url, links)
            if first is not None and self.allowed(first):
                # Reached page N of a multi-page article: crawl it from its first page.
                self.count("multipage/entered_midway")
                yield Request(first, callback=self.parse_page,
                              cb_kwargs={"follow": follow, "pinned": pinned})
                return
            more = [u for u in continuation_pages(response.url, links) if self.allowed(u)]
            skip = set(more)
            if more:
                chain = ArticleChain(response.url, [copy], more[:], {response.url, *more})
                yield self.next_page_request(chain)
            else:
                yield from self.emit([copy])
        elif not follow:
            self.drop(f"not_article/{verdict.kind.value}", response.url, verdict.reason)
        if follow:
            yield from self.follow(links, skip)

    def html_copy(self, response: Response) -> PageCopy | None:
        """The page's bytes when it is a non-empty HTML page; otherwise a counted drop."""
        ctype = (response.headers.get(b"Content-Type") or b"").decode("latin-1").lower()
        media = ctype.split(";", 1)[0].strip()
        body = response.body
        if media and media not in _HTML_TYPES:
            self.drop("not_html", response.url, media)
            return None
        if not body.strip():
            self.drop("empty", response.url)
            return None
        if not media and body.lstrip()[:1] != b"<":
            self.drop("not_html", response.url, "no content type")
            return None
        return PageCopy(response.url, body, http_content_type_encoding(ctype) if ctype else None)

    def follow(self, links: list[Link], skip: set[str]) -> Iterator[Request]:
        for link in links:
            url = link.url
            if url in skip:
                continue
            if not self.allowed(url):
                self.refuse_offsite(url)
                continue
            if urlsplit(url).path.lower().endswith(_IGNORED):
                continue
            priority = 1 if _looks_like_article(url, self) else 0
            yield self.page_request(url, priority=priority)

    def refuse_offsite(self, url: str) -> None:
        host = urlsplit(url).hostname or "?"
        self.count("offsite/refused_links")
        key = f"offsite:{host}"
        if key not in self._logged:
            self._logged.add(key)
            self.count("offsite/refused_hosts")
            logger.info("Not following links to %s (not an allowed host of profile %r): %s",
                        host, self.profile.name, url)

    # ------------------------------------------------------------------ multi-page articles
    def next_page_request(self, chain: ArticleChain) -> Request:
        url = chain.pending.pop(0)
        # dont_filter: a page of this article may have been seen from elsewhere already;
        # the chain still needs it. Its host is the first page's (checked in pagetype).
        return Request(url, callback=self.parse_continuation, errback=self.continuation_failed,
                       cb_kwargs={"chain": chain}, dont_filter=True, priority=2)

    def parse_continuation(self, response: Response, chain: ArticleChain) -> Iterator[Any]:
        copy = self.html_copy(response)
        if copy is not None:
            chain.pages.append(copy)
            tree = parse(decode_page(copy))
            links = page_links(tree, response.url) if tree is not None else []
            for url in continuation_pages(chain.first_url, links, current_url=response.url):
                if url not in chain.seen and self.allowed(url):
                    chain.seen.add(url)
                    chain.pending.append(url)
        if chain.pending and len(chain.pages) < MAX_ARTICLE_PAGES:
            yield self.next_page_request(chain)
        else:
            yield from self.emit(chain.pages)

    def continuation_failed(self, failure: Failure) -> Iterator[Any]:
        request = failure.request  # type: ignore[attr-defined]
        chain: ArticleChain = request.cb_kwargs["chain"]
        self.count("multipage/incomplete")
        logger.warning("Page %s of the article %s failed (%s); storing the %d page(s) fetched",
                       request.url, chain.first_url, failure.getErrorMessage(), len(chain.pages))
        yield from self.emit(chain.pages)

    # ------------------------------------------------------------------ records
    def extract(self, copy: PageCopy, fetched_at: datetime) -> Article | None:
        return extract_article(copy.body, copy.url, profile=self.profile.extract,
                               fetched_at=fetched_at, http_encoding=copy.http_encoding)

    def emit(self, pages: list[PageCopy]) -> Iterator[Article]:
        first = pages[0]
        fetched_at = datetime.now(timezone.utc).replace(microsecond=0)
        try:
            parts = [self.extract(p, fetched_at) for p in pages]
        except Exception as exc:  # noqa: BLE001 - a bad page must not stop the crawl
            logger.debug("Extraction failed on %s", first.url, exc_info=True)
            self.drop("extraction_error", first.url, f"{type(exc).__name__}: {exc}")
            return
        article = parts[0]
        if article is None:
            self.drop("not_article/extractor", first.url)
            return
        if len(pages) > 1:
            article = merge_pages(article, parts[1:])
            self.count("multipage/articles")
            self.count("multipage/pages", len(pages))
        if self.since is not None and article.published_at:
            try:
                published = datetime.fromisoformat(article.published_at)
            except ValueError:
                published = None
            if published is not None and published.tzinfo is not None and published < self.since:
                self.drop("too_old", first.url, article.published_at)
                return
        self.count("articles")
        yield article


def merge_pages(first: Article, rest: list[Article | None]) -> Article:
    """One record from the pages of one article: the first page's fields, every page's
    body in order. Paragraphs a later page repeats from the first (a standfirst printed on
    every page) are kept once."""
    paragraphs = first.body.split("\n\n")
    seen = set(paragraphs)
    images = list(first.images)
    for part in rest:
        if part is None:
            continue
        for para in part.body.split("\n\n"):
            if para and para not in seen:
                paragraphs.append(para)
        images += [i for i in part.images if i not in images]
    return dataclasses.replace(first, body="\n\n".join(paragraphs), images=images, content_hash="")


def decode_page(copy: PageCopy) -> str:
    """Text of a page for triage and links: the HTTP charset when the bytes agree with it,
    else the page's own declaration or a guess (a header that lies must not garble 下一页)."""
    for encoding in (copy.http_encoding, "utf-8"):
        if encoding:
            try:
                return copy.body.decode(encoding)
            except (UnicodeDecodeError, LookupError):
                pass
    return html_to_unicode(None, copy.body)[1]


def _looks_like_article(url: str, spider: NewsSpider) -> bool:
    return classify_url(url, spider.url_rules) is PageType.ARTICLE
