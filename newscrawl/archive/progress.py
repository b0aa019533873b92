"""A progress line on a terminal: pages, articles stored, errors, rate — redrawn in place.

Only when stderr is a terminal and ``NEWSCRAWL_PROGRESS`` is on (``--quiet`` turns it off);
under cron nothing is drawn. Updated every ``NEWSCRAWL_PROGRESS_INTERVAL`` seconds.
"""

from __future__ import annotations

import logging
import sys
import time
from typing import Any, TextIO

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from twisted.internet import task

from newscrawl.archive.runstats import errors_by_type


class _ClearLine(logging.Filter):
    """Before a log line goes to the terminal, erase the progress line under the cursor
    (the next tick draws it again below): log lines never collide with it."""

    def __init__(self, stream: TextIO) -> None:
        super().__init__()
        self.stream = stream

    def filter(self, record: logging.LogRecord) -> bool:
        self.stream.write("\r\x1b[K")
        return True


class ProgressLine:
    def __init__(self, crawler: Crawler, interval: float, stream: TextIO) -> None:
        self.crawler = crawler
        self.interval = interval
        self.stream = stream
        self.started = time.monotonic()
        self.loop: task.LoopingCall | None = None
        self.clear = _ClearLine(stream)
        crawler.signals.connect(self.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ProgressLine:
        settings = crawler.settings
        if not settings.getbool("NEWSCRAWL_PROGRESS"):
            raise NotConfigured
        stream = sys.stderr
        if not settings.getbool("NEWSCRAWL_PROGRESS_FORCE") and not stream.isatty():
            raise NotConfigured  # not a terminal: nothing to redraw
        return cls(crawler, settings.getfloat("NEWSCRAWL_PROGRESS_INTERVAL", 1.0), stream)

    def line(self) -> str:
        assert self.crawler.stats is not None
        stats = self.crawler.stats.get_stats()
        pages = int(stats.get("downloader/response_count", 0))
        stored = int(stats.get("archive/stored", 0))
        skipped = int(stats.get("archive/skipped_stored", 0))
        errors = sum(errors_by_type(stats).values())
        elapsed = max(time.monotonic() - self.started, 1e-6)
        return (f"{pages} pages | {stored} articles stored | {skipped} links to stored skipped |"
                f" {errors} errors | {pages / elapsed:.1f} pages/s")

    def draw(self) -> None:
        self.stream.write("\r\x1b[K" + self.line())
        self.stream.flush()

    def _log_handlers(self) -> list[logging.Handler]:
        return [h for h in logging.getLogger().handlers
                if getattr(h, "stream", None) is self.stream]

    def spider_opened(self, spider: Any = None) -> None:
        for handler in self._log_handlers():
            handler.addFilter(self.clear)
        self.started = time.monotonic()
        self.loop = task.LoopingCall(self.draw)
        self.loop.start(self.interval, now=True)

    def spider_closed(self, spider: Any = None) -> None:
        if self.loop is not None and self.loop.running:
            self.loop.stop()
        for handler in self._log_handlers():
            handler.removeFilter(self.clear)
        self.stream.write("\r\x1b[K")
        self.stream.flush()
