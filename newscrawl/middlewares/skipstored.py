"""Do not fetch again an article page the archive already holds (unless ``--refresh``).

A spider middleware: requests the spider yields (and its start requests) whose canonical URL
the archive's state knows as a stored article — under that URL, as an alias, or as a
repost — are left out before they are scheduled, so they cost no request, no robots.txt
check and no errback. List and section pages are never stored, so they are always fetched
and new articles are still found. Counted as ``archive/skipped_stored``.

Why not scrapy-deltafetch: it marks the *request that yielded an item* in a separate
Berkeley-DB/dbm file when the item is yielded, not when it is stored — a run killed in
between loses the article for good; for a multi-page article the item comes from the last
page, so the first page (the one linked from lists) is fetched again every run; and it knows
nothing of canonical URLs, aliases or reposts. The archive's own state is written in step
with the JSONL files and rebuilt from them, so it cannot drift from what is stored.

Settings: ``NEWSCRAWL_REFRESH`` (bool) fetches stored articles again (new versions are
stored when their content changed); ``request.meta["newscrawl_refetch"] = True`` does it for
one request.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable
from typing import Any, TypeVar

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest, NotConfigured

from newscrawl.archive.extension import archive_of, require_archive_enabled
from newscrawl.archive.store import Archive

_S = TypeVar("_S", bound="_SkipStored")


class _SkipStored:
    """Built only when the archive is on and --refresh is not given."""

    def __init__(self, crawler: Crawler, archive: Archive) -> None:
        self.stats = crawler.stats
        self.archive = archive

    @classmethod
    def from_crawler(cls: type[_S], crawler: Crawler) -> _S:
        require_archive_enabled(crawler)
        if crawler.settings.getbool("NEWSCRAWL_REFRESH"):
            raise NotConfigured  # --refresh: stored articles are fetched again
        return cls(crawler, archive_of(crawler))


class SkipStoredMiddleware(_SkipStored):
    def _keep(self, obj: Any) -> bool:
        if not isinstance(obj, Request) or obj.meta.get("newscrawl_refetch"):
            return True
        if self.archive.is_stored_url(obj.url):
            assert self.stats is not None
            self.stats.inc_value("archive/skipped_stored")
            return False
        return True

    async def process_start(self, start: AsyncIterator[Any]) -> AsyncIterator[Any]:
        async for obj in start:
            if self._keep(obj):
                yield obj

    def process_start_requests(self, start: Iterable[Any], spider: Any = None) -> Iterable[Any]:
        return (obj for obj in start if self._keep(obj))

    def process_spider_output(
        self, response: Any, result: Iterable[Any], spider: Any = None
    ) -> Iterable[Any]:
        return (obj for obj in result if self._keep(obj))

    async def process_spider_output_async(
        self, response: Any, result: AsyncIterator[Any], spider: Any = None
    ) -> AsyncIterator[Any]:
        async for obj in result:
            if self._keep(obj):
                yield obj


class SkipStoredRedirectMiddleware(_SkipStored):
    """The same rule for redirects, which Scrapy schedules without the spider seeing them:
    a redirect that lands on a stored article is not followed, and its source URL is
    remembered as an alias of the article so the next run does not even ask for it."""

    def process_request(self, request: Request, spider: Any = None) -> None:
        sources = request.meta.get("redirect_urls")
        if not sources or request.meta.get("newscrawl_refetch"):
            return
        target = self.archive.stored_under(request.url)
        if target is None:
            return
        for url in sources:
            self.archive.add_alias(url, target)
        assert self.stats is not None
        self.stats.inc_value("archive/skipped_stored")
        raise IgnoreRequest(f"redirect to the stored article {target}")
