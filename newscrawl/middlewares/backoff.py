"""Exponential backoff for retried requests (Scrapy's RetryMiddleware resends at once).

A request Scrapy retries after a 5xx or a timeout waits ``NEWSCRAWL_RETRY_BACKOFF`` ×
2^(n-1) seconds before its n-th retry, at most ``NEWSCRAWL_RETRY_BACKOFF_MAX``: a
struggling server gets air instead of the same request again. 0 turns it off.
"""

from __future__ import annotations

import asyncio
from typing import Any

from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.http import Request


class RetryBackoff:
    def __init__(self, base: float, cap: float, stats: Any) -> None:
        self.base, self.cap, self.stats = base, cap, stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RetryBackoff:
        base = crawler.settings.getfloat("NEWSCRAWL_RETRY_BACKOFF", 1.0)
        if base <= 0 or not crawler.settings.getbool("RETRY_ENABLED"):
            raise NotConfigured
        return cls(base, crawler.settings.getfloat("NEWSCRAWL_RETRY_BACKOFF_MAX", 60.0),
                   crawler.stats)

    async def process_request(self, request: Request, spider: Any = None) -> None:
        retries = int(request.meta.get("retry_times", 0))
        if retries:
            delay = min(self.cap, self.base * 2 ** (retries - 1))
            if self.stats is not None:
                self.stats.inc_value("newscrawl/retry_backoff_seconds", delay)
            await asyncio.sleep(delay)
