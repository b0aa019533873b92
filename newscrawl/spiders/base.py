"""What every newscrawl spider shares: the site profile, the page triage (HTML? article?
list?), multi-page articles, the date limit and the drop counters.

Spiders stay thin: the fields of a record come from :func:`newscrawl.extract_article`,
the page type from :mod:`newscrawl.extract.pagetype`.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, TypeVar
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import scrapy
from scrapy import signals
from scrapy.http import Request, Response
from scrapy.linkextractors import IGNORED_EXTENSIONS
from scrapy.settings import BaseSettings
from twisted.python.failure import Failure
from w3lib.encoding import http_content_type_encoding

from newscrawl import __version__
from newscrawl.bounded import BoundedExtractor, Dropped, call_guarded, precheck
from newscrawl.extract.pagetype import PageType, classify_url
from newscrawl.profiles import SiteProfile, load_profile
from newscrawl.record import Article
from newscrawl.spiders.analysis import (
    PageCopy,
    analyse_page,
    continuation_links,
    extract_pages,
)

logger = logging.getLogger(__name__)
T = TypeVar("T")

MAX_ARTICLE_PAGES = 50
_IGNORED = tuple("." + e for e in IGNORED_EXTENSIONS)
_HTML_TYPES = ("text/html", "application/xhtml+xml")
_REDIRECTS = [301, 302, 303, 307, 308]


@dataclass(slots=True)
class ArticleChain:
    """The pages of one multi-page article, fetched one after the other."""

    first_url: str
    pages: list[PageCopy] = field(default_factory=list)
    pending: list[str] = field(default_factory=list)
    seen: set[str] = field(default_factory=set)
    redirects: int = 0


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



def fetch_time(response: Response) -> datetime:
    """When the page was fetched: the WARC record's date when the archive (or a rebuild's
    replay) set one, so a rebuilt record dates relative times exactly as the crawl did."""
    stamp = response.meta.get("newscrawl_fetched_at")
    if isinstance(stamp, str):
        try:
            when = datetime.fromisoformat(stamp.replace("Z", "+00:00"))
        except ValueError:
            when = None
        if when is not None and when.tzinfo is not None:
            return when.astimezone(timezone.utc).replace(microsecond=0)
    return datetime.now(timezone.utc).replace(microsecond=0)


# URLs the spider remembers as requested (between this and twice this many): enough for
# every link a portal repeats on its pages, bounded however long the crawl.
REQUESTED_MEMORY = 20_000


class RecentUrls:
    """A set that forgets its oldest entries: two generations of ``size`` each; when the
    newer fills up the older is dropped. A URL found in the older one is moved to the newer,
    so links every page repeats are never forgotten."""

    def __init__(self, size: int) -> None:
        self.size = max(1, size)
        self._new: set[str] = set()
        self._old: set[str] = set()

    def __contains__(self, url: object) -> bool:
        if url in self._new:
            return True
        if isinstance(url, str) and url in self._old:
            self.add(url)
            return True
        return False

    def add(self, url: str) -> None:
        if len(self._new) >= self.size:
            self._old, self._new = self._new, set()
        self._new.add(url)

    def __len__(self) -> int:
        return len(self._new) + len(self._old - self._new)


class NewsSpider(scrapy.Spider):
    """Base of the newscrawl spiders. Arguments (``-a name=value``):

    ``site`` a profile name, or ``url`` a start URL with no profile; ``sites_dir`` another
    folder of profiles; ``base_url`` to run a profile against another origin; ``since`` a
    date: older articles are not stored.
    """

    name = ""  # a base, not a spider: `scrapy list` shows only the subclasses
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
        # URLs this spider asked for lately: a page links the same sidebar and tag pages as
        # every other, and sending each repeat through the middlewares and the dupefilter
        # costs more than the page itself. Scrapy's dupefilter remains the real guard, so
        # this only needs to remember the recent ones: bounded, the crawl's memory does not
        # grow with it.
        self._requested = RecentUrls(REQUESTED_MEMORY)
        self.pool: BoundedExtractor | None = None
        self.max_bytes = 0
        self.max_links = 0  # NEWSCRAWL_MAX_LINKS_PER_PAGE; 0: no cap

    @classmethod
    def from_crawler(cls, crawler: Any, *args: Any, **kwargs: Any) -> NewsSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider.max_bytes = crawler.settings.getint("NEWSCRAWL_EXTRACT_MAX_BYTES", 0)
        spider.max_links = crawler.settings.getint("NEWSCRAWL_MAX_LINKS_PER_PAGE", 0)
        crawler.signals.connect(spider.open_pool, signal=signals.spider_opened)
        crawler.signals.connect(spider.close_pool, signal=signals.spider_closed)
        return spider

    def open_pool(self) -> None:
        """Worker processes for page analysis when NEWSCRAWL_EXTRACT_WORKERS > 0, each page
        bounded in time and memory (newscrawl.bounded: NEWSCRAWL_EXTRACT_TIMEOUT, _MEMORY_MB)."""
        workers = self.settings.getint("NEWSCRAWL_EXTRACT_WORKERS", 0)
        if workers == 0:
            return
        from scrapy.utils.reactor import is_asyncio_reactor_installed

        if not is_asyncio_reactor_installed():
            logger.warning("NEWSCRAWL_EXTRACT_WORKERS needs the asyncio reactor; extracting inline")
            return
        self.pool = BoundedExtractor.from_settings(self.settings, workers=workers)

    def close_pool(self) -> None:
        if self.pool is not None:
            self.pool.close()
            self.pool = None

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
        return self.profile.allows(url)  # scheme, host and port

    def page_request(self, url: str, *, follow: bool | None = None, pinned: bool = False,
                     priority: int = 0) -> Request:
        self._requested.add(url)
        # No callback: Scrapy then calls parse(), which is parse_page(). A bound-method
        # callback costs a scan of the spider's members (inspect.getmembers) each time the
        # request is written to the disk queue (JOBDIR) — a tenth of a millisecond a page.
        return Request(url, priority=priority,
                       cb_kwargs={"follow": self.follow_links if follow is None else follow,
                                  "pinned": pinned})

    def parse(self, response: Response, **kwargs: Any) -> Any:
        """Every page request's callback (see page_request): :meth:`parse_page`. Not to be
        overridden: a spider's other requests name their own callbacks."""
        return self.parse_page(response, **kwargs)

    # ------------------------------------------------------------------ pages
    async def offload(self, func: Callable[..., T], *args: Any) -> T:
        """Run page analysis in the worker pool when there is one, else right here. In the
        pool a page that overruns the time or memory limit, or crashes its worker, raises
        :class:`~newscrawl.bounded.Dropped` with the reason."""
        if self.pool is None:
            # Inline: no time or memory bound, but an exception still becomes a named drop.
            value, reason, detail = call_guarded(func, args)
            if reason is not None:
                raise Dropped(reason, detail)
            result: T = value
            return result
        pooled: T = await self.pool.call_async(func, *args)
        return pooled

    async def parse_page(self, response: Response, follow: bool = False,
                         pinned: bool = False) -> AsyncIterator[Any]:
        self.count("pages/fetched")
        copy = self.html_copy(response)
        if copy is None:
            return
        try:
            found = await self.offload(analyse_page, copy, self.profile.article_urls,
                                       self.profile.list_urls, pinned, self.profile.extract,
                                       copy.fetched_at)
        except Dropped as exc:
            self.drop(exc.reason, response.url, exc.detail.split("\n", 1)[0])
            return
        if found.kind == "unparseable":
            self.drop("unparseable", response.url)
            return
        self.count(f"pages/{found.kind}")
        skip: set[str] = set()
        if found.kind == PageType.ARTICLE.value:
            if found.first_page is not None and self.allowed(found.first_page):
                # Reached page N of a multi-page article: crawl it from its first page.
                self.count("multipage/entered_midway")
                yield self.page_request(found.first_page, follow=follow, pinned=pinned)
                return
            more = [u for u in found.continuation if self.allowed(u)]
            skip = set(more)
            if more:
                chain = ArticleChain(response.url, [copy], more[:], {response.url, *more})
                yield self.next_page_request(chain)
            elif found.extracted:
                for record in self.finish([copy], [found.article], found.error):
                    yield record
            else:
                for record in self.emit([copy]):
                    yield record
        elif not follow:
            self.drop(f"not_article/{found.kind}", response.url, found.reason)
        if follow:
            for request in self.follow(found.links, skip, response.url):
                yield request

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
        # Cheap checks before any parsing (newscrawl.bounded): too large, a PDF or image
        # served as HTML; stray NUL bytes are removed.
        try:
            checked = precheck(body, max_bytes=self.max_bytes)
        except Dropped as exc:
            self.drop(exc.reason, response.url, exc.detail)
            return None
        body = checked.body if isinstance(checked.body, bytes) else body
        return PageCopy(response.url, body, http_content_type_encoding(ctype) if ctype else None,
                        fetch_time(response))

    def follow(self, links: list[str], skip: set[str], page_url: str = "") -> Iterator[Request]:
        """Requests for the page's new links, at most NEWSCRAWL_MAX_LINKS_PER_PAGE of them (the
        page's analysis holds all its links, and an archive page listing a whole site would
        set the crawl's pace and memory by itself). The links past the cap are counted, not
        marked as requested: another page that lists them is followed as usual."""
        cap = self.max_links
        followed = 0
        for index, url in enumerate(links):
            if url in skip or url in self._requested:
                continue
            if cap and followed >= cap:
                over = sum(1 for u in links[index:] if u not in skip and u not in self._requested)
                self.count("links/over_page_cap", over)
                self.count("links/capped_pages")
                if "links_over_page_cap" not in self._logged:
                    self._logged.add("links_over_page_cap")
                    logger.info("%s lists more than %d new links; the first %d are followed, %d "
                                "are not (NEWSCRAWL_MAX_LINKS_PER_PAGE; further pages only counted "
                                "in newscrawl/links/over_page_cap)", page_url or "a page", cap, cap, over)
                return
            followed += 1
            self._requested.add(url)
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
    def next_page_request(self, chain: ArticleChain, url: str | None = None) -> Request:
        url = url or chain.pending.pop(0)
        # dont_filter: a page of this article may have been seen from elsewhere already and
        # the chain still needs it. That also skips the offsite filter, so redirects are not
        # followed blindly: parse_continuation checks where they lead.
        return Request(url, callback=self.parse_continuation, errback=self.continuation_failed,
                       cb_kwargs={"chain": chain}, dont_filter=True, priority=2,
                       meta={"dont_redirect": True, "handle_httpstatus_list": _REDIRECTS})

    async def parse_continuation(self, response: Response, chain: ArticleChain) -> AsyncIterator[Any]:
        if response.status in _REDIRECTS:
            target = response.urljoin((response.headers.get(b"Location") or b"").decode("latin-1"))
            chain.redirects += 1
            if target and self.allowed(target) and chain.redirects <= 5:
                yield self.next_page_request(chain, target)
                return
            self.refuse_offsite(target)
            self.count("multipage/incomplete")
            async for record in self._finish_chain(chain):
                yield record
            return
        copy = self.html_copy(response)
        if copy is not None:
            chain.pages.append(copy)
            try:
                more = await self.offload(continuation_links, chain.first_url, copy)
            except Dropped as exc:
                self.count(f"multipage/links_{exc.reason}")
                more = []
            for url in more:
                if url not in chain.seen and self.allowed(url):
                    chain.seen.add(url)
                    chain.pending.append(url)
        if chain.pending and len(chain.pages) < MAX_ARTICLE_PAGES:
            yield self.next_page_request(chain)
            return
        async for record in self._finish_chain(chain):
            yield record

    async def _finish_chain(self, chain: ArticleChain) -> AsyncIterator[Article]:
        try:
            parts, error = await self.offload(extract_pages, chain.pages, self.profile.extract,
                                              chain.pages[0].fetched_at)
        except Dropped as exc:
            self.drop(exc.reason, chain.first_url, exc.detail.split("\n", 1)[0])
            return
        for record in self.finish(chain.pages, parts, error):
            yield record

    def continuation_failed(self, failure: Failure) -> Iterator[Any]:
        request = failure.request  # type: ignore[attr-defined]
        chain: ArticleChain = request.cb_kwargs["chain"]
        self.count("multipage/incomplete")
        logger.info("Page %s of the article %s failed (%s); storing the %d page(s) fetched",
                       request.url, chain.first_url, failure.getErrorMessage(), len(chain.pages))
        yield from self.emit(chain.pages)

    # ------------------------------------------------------------------ records
    def emit(self, pages: list[PageCopy]) -> Iterator[Article]:
        """Extract here, on this thread (the failure path of a multi-page article)."""
        parts, error = extract_pages(pages, self.profile.extract, pages[0].fetched_at)
        yield from self.finish(pages, parts, error)

    def finish(self, pages: list[PageCopy], parts: list[Article | None],
               error: str | None) -> Iterator[Article]:
        """The record of one article from its pages' extractions: merged, date-checked."""
        first = pages[0]
        if error is not None:
            self.drop("extraction_error", first.url, error)
            return
        article = parts[0] if parts else None
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


def _looks_like_article(url: str, spider: NewsSpider) -> bool:
    return classify_url(url, spider.url_rules) is PageType.ARTICLE
