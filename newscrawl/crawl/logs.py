"""The crawl's log, for a person: one line per event, per-page failures not shouted.

A page that failed (a refused connection, an unknown host, a 500 after its retries) is
counted in the stats and the summary; Scrapy also logs it as an ERROR with a traceback,
so a cron job mails every hour about one broken page. ``PageErrorLog`` (an extension, on
by default) puts a filter on the log handlers that

- logs Scrapy's per-request failures ("Error downloading …", "Gave up retrying …") at
  INFO, so ``--quiet`` (WARNING) stays silent about them;
- turns any record's traceback into one line ``Type: message`` — unless
  ``NEWSCRAWL_TRACEBACKS`` is on (``newscrawl --debug``).

Bugs (a spider callback raising) keep their level; only their traceback is folded.
"""

from __future__ import annotations

import logging
import sqlite3
from typing import Any

from scrapy import signals
from scrapy.crawler import Crawler

from newscrawl.archive.extension import WRITE_ERRNOS

# (logger, message start) of Scrapy's records about one request that failed.
PAGE_FAILURES = (
    ("scrapy.core.scraper", "Error downloading"),
    ("scrapy.downloadermiddlewares.robotstxt", "Error downloading"),
    ("scrapy.downloadermiddlewares.retry", "Gave up retrying"),
    ("newscrawl.middlewares.retry", "Gave up retrying"),
)


class PageErrorFilter(logging.Filter):
    def __init__(self, handler: logging.Handler, tracebacks: bool) -> None:
        super().__init__()
        self.handler = handler
        self.tracebacks = tracebacks

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno >= logging.ERROR and (any(
                record.name == name and str(record.msg).startswith(start)
                for name, start in PAGE_FAILURES) or _full_disk(record)):
            record.levelno, record.levelname = logging.INFO, "INFO"
            # The handler checked the level before its filters ran.
            if record.levelno < self.handler.level:
                return False
        if record.exc_info and not self.tracebacks:
            exc = record.exc_info[1]
            message = record.getMessage()
            if exc is not None and str(exc) not in message:
                message = f"{message}: {type(exc).__name__}: {exc}"
            record.msg, record.args = message, None
            record.exc_info, record.exc_text = None, None
        return True


def _full_disk(record: logging.LogRecord) -> bool:
    """A write refused by a full or read-only data folder: the crawl stops on the first one
    and the command names the path in one line; the components that fail after it (the
    scheduler's queue, the state database) need not shout too."""
    exc = record.exc_info[1] if record.exc_info else None
    if isinstance(exc, OSError):
        return exc.errno in WRITE_ERRNOS
    return isinstance(exc, sqlite3.OperationalError) and "full" in str(exc)


def install_filter(tracebacks: bool) -> None:
    """On every handler of the root logger (Scrapy's and a --log-file's), once."""
    for handler in logging.getLogger().handlers:
        for existing in handler.filters:
            if isinstance(existing, PageErrorFilter):
                existing.tracebacks = tracebacks
                break
        else:
            handler.addFilter(PageErrorFilter(handler, tracebacks))


class PageErrorLog:
    def __init__(self, tracebacks: bool) -> None:
        self.tracebacks = tracebacks
        install_filter(tracebacks)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> PageErrorLog:
        ext = cls(crawler.settings.getbool("NEWSCRAWL_TRACEBACKS"))
        # Scrapy may install its root handler again for a later crawler of the process.
        crawler.signals.connect(ext.spider_opened, signal=signals.spider_opened)
        return ext

    def spider_opened(self, spider: Any = None) -> None:
        install_filter(self.tracebacks)
