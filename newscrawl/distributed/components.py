"""Small Scrapy components of the distributed roles (enabled by :mod:`.runner`'s settings).

- :class:`WorkerStart` (spider middleware): a ``newscrawl worker`` only takes requests
  from the shared queue; its spider's own start requests are dropped, so a worker joining
  late, or one started just as a run ends, never starts a new run on its own.
- :class:`SiteRegistration` (extension): ``seed`` and ``crawl --redis`` store the site's
  profile in Redis when the spider opens, so workers anywhere can run it.
- :class:`SeedScheduler`: the scheduler of ``newscrawl seed``: the spider's start
  requests go through the shared duplicate filter into the shared queue and nothing is
  downloaded; the seeding process ends when they are all pushed.
"""

from __future__ import annotations

import json
import logging
from collections.abc import AsyncIterator, Iterable
from typing import Any

from scrapy import Request, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.utils.misc import load_object
from scrapy_redis.connection import get_redis_from_settings
from scrapy_redis.scheduler import Scheduler

from newscrawl.distributed.keys import Keys
from newscrawl.distributed.queue import end_run_if_drained
from newscrawl.distributed.sites import register_site

logger = logging.getLogger(__name__)


class WorkerStart:
    """Drops the spider's start requests when ``NEWSCRAWL_REDIS_ROLE`` is ``worker``."""

    def __init__(self, crawler: Crawler) -> None:
        self.stats = crawler.stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> WorkerStart:
        if crawler.settings.get("NEWSCRAWL_REDIS_ROLE") != "worker":
            raise NotConfigured("not a worker")
        return cls(crawler)

    async def process_start(self, start: AsyncIterator[Any]) -> AsyncIterator[Any]:
        async for item in start:
            if not isinstance(item, Request):
                yield item

    def process_start_requests(self, start: Iterable[Any], spider: Any = None) -> Iterable[Any]:
        return (item for item in start if not isinstance(item, Request))


class SiteRegistration:
    """Stores the opened spider's profile under the site's key (``NEWSCRAWL_REDIS_REGISTER``)."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        crawler.signals.connect(self.spider_opened, signal=signals.spider_opened)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> SiteRegistration:
        if not crawler.settings.getbool("NEWSCRAWL_REDIS_REGISTER"):
            raise NotConfigured("NEWSCRAWL_REDIS_REGISTER is off")
        return cls(crawler)

    def spider_opened(self, spider: Any) -> None:
        settings = self.crawler.settings
        keys = Keys(settings.get("NEWSCRAWL_REDIS_PREFIX") or Keys().prefix)
        args = json.loads(settings.get("NEWSCRAWL_REDIS_SPIDER_ARGS") or "{}")
        entry = register_site(get_redis_from_settings(settings), keys, spider.profile,
                              spider.name, args)
        logger.info("Site %r registered in Redis (%s spider): workers anywhere can crawl it",
                    entry.profile.name, entry.spider)


class SeedScheduler(Scheduler):
    """Enqueue only: requests go to Redis (through the shared duplicate filter), none come
    back, so the engine sees an empty scheduler and closes once the start requests are in."""

    crawler: Crawler
    df: Any

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> SeedScheduler:
        instance: SeedScheduler = super().from_crawler(crawler)
        instance.persist = True
        instance.crawler = crawler
        instance.pushed = instance.known = 0
        return instance

    def open(self, spider: Any) -> None:
        self.spider = spider
        self.queue = load_object(self.queue_cls)(
            server=self.server, spider=spider, key=self.queue_key % {"spider": spider.name},
            serializer=self.serializer)
        if not self.df:
            self.df = load_object(self.dupefilter_cls).from_spider(spider)
        # The last run's fingerprints linger if its last worker died idle; with nothing
        # queued or held anywhere that run is over, and this seed starts the next.
        settings = self.crawler.settings
        site = settings.get("NEWSCRAWL_REDIS_SITE") or spider.name
        keys = Keys(settings.get("NEWSCRAWL_REDIS_PREFIX") or Keys().prefix)
        end_run_if_drained(self.server, keys, site, self.df.key)

    def enqueue_request(self, request: Request) -> bool:
        if not request.dont_filter and self.df.request_seen(request):
            self.known += 1
            return False
        self.queue.push(request)
        self.pushed += 1
        return True

    def next_request(self) -> Request | None:
        return None

    def has_pending_requests(self) -> bool:
        return False

    def close(self, reason: str) -> None:
        stats = self.crawler.stats
        if stats is not None:
            stats.set_value("newscrawl/seed/pushed", self.pushed)
            stats.set_value("newscrawl/seed/already_in_run", self.known)
