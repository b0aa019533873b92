"""The JOBDIR request queue (Scrapy's pickle FIFO disk queue) on a data folder that may
fill up: a push the disk refuses stops the crawl cleanly (exit 73, the path named) instead
of raising inside Scrapy's scheduler, where nothing catches an OSError."""

from __future__ import annotations

from typing import Any

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.squeues import PickleFifoDiskQueue

from newscrawl.archive.extension import stop_on_write_error


class SafePickleFifoDiskQueue(PickleFifoDiskQueue):  # type: ignore[misc,valid-type]
    def __init__(self, crawler: Crawler, key: str) -> None:
        self.crawler = crawler
        super().__init__(crawler, key)

    def push(self, request: Request) -> None:
        try:
            super().push(request)
        except OSError as exc:
            if not stop_on_write_error(self.crawler, exc, getattr(self, "path", None)):
                raise
            # The crawl is stopping; the queue it leaves is not resumed (see _leave_jobdir).

    @classmethod
    def from_crawler(cls, crawler: Crawler, key: str, *args: Any, **kwargs: Any) -> Any:
        return cls(crawler, key)
