"""Session and tracking parameters out of every URL before it is scheduled.

Servlet containers (``;jsessionid=`` path parameters), PHP and ASP portals (``?sid=``,
``PHPSESSID``) and share buttons (``utm_*``, ``fbclid``, ``spm``, ``from``) put a token in the
links that changes with every page view: the same page under endless URLs, which the
dupefilter cannot recognise and which ends up in the records. The parameters are removed
with w3lib's ``url_query_cleaner`` (and the path parameters by a rule of the same list)
before the request reaches the scheduler, so the dupefilter, the JOBDIR queue, the WARC
files and the stored records only ever see the clean URL.

Two components share the rule:

- :class:`UrlCleanSpiderMiddleware` cleans the requests a spider yields (and its start
  requests) before they are scheduled;
- :class:`UrlCleanDownloaderMiddleware` catches the requests that never pass the spider
  middlewares (redirects Scrapy schedules itself): one that still carries a session
  parameter is replaced by its clean form, which goes back through the dupefilter.

Settings:
    NEWSCRAWL_URLCLEAN_ENABLED  bool   on by default
    NEWSCRAWL_STRIP_PARAMS      list   parameter names removed; ``utm_*`` is a prefix; case
                                       does not matter. A site profile's ``strip_params``
                                       adds to it.
Stats: ``newscrawl/urlclean/stripped`` (requests rewritten).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable
from typing import Any

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured

from newscrawl.urlclean import DEFAULT_STRIP_PARAMS, UrlCleaner

__all__ = ["DEFAULT_STRIP_PARAMS", "UrlCleaner", "UrlCleanDownloaderMiddleware",
           "UrlCleanSpiderMiddleware"]

def _profile_params(spider: Any) -> tuple[str, ...]:
    profile = getattr(spider, "profile", None)
    return tuple(getattr(profile, "strip_params", ()) or ())


class _UrlCleanBase:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.stats = crawler.stats
        self._cleaner: UrlCleaner | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Any:
        if not crawler.settings.getbool("NEWSCRAWL_URLCLEAN_ENABLED", True):
            raise NotConfigured("NEWSCRAWL_URLCLEAN_ENABLED is off")
        return cls(crawler)

    @property
    def cleaner(self) -> UrlCleaner:
        # Built on first use: the spider (and its profile's strip_params) exists by then.
        if self._cleaner is None:
            self._cleaner = UrlCleaner.from_crawler(self.crawler, _profile_params(self.crawler.spider))
        return self._cleaner

    def cleaned(self, request: Request) -> Request:
        url = self.cleaner.clean(request.url)
        if url == request.url:
            return request
        assert self.stats is not None
        self.stats.inc_value("newscrawl/urlclean/stripped")
        return request.replace(url=url)


class UrlCleanSpiderMiddleware(_UrlCleanBase):
    def _clean(self, obj: Any) -> Any:
        return self.cleaned(obj) if isinstance(obj, Request) else obj

    async def process_start(self, start: AsyncIterator[Any]) -> AsyncIterator[Any]:
        async for obj in start:
            yield self._clean(obj)

    def process_spider_output(self, response: Any, result: Iterable[Any], spider: Any = None) -> Iterable[Any]:
        return (self._clean(obj) for obj in result)

    async def process_spider_output_async(self, response: Any, result: AsyncIterator[Any],
                                          spider: Any = None) -> AsyncIterator[Any]:
        async for obj in result:
            yield self._clean(obj)


class UrlCleanDownloaderMiddleware(_UrlCleanBase):
    def process_request(self, request: Request, spider: Any = None) -> Request | None:
        clean = self.cleaned(request)
        return None if clean is request else clean
