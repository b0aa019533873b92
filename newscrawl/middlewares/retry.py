"""Retries that honour ``Retry-After``, built on Scrapy's RetryMiddleware.

Scrapy retries a 429 or 503 at once. A server that says ``Retry-After: 30`` is asking the
whole client to wait: this middleware waits that long before the retry and, with
``RETRY_AFTER_PAUSE_HOST`` (default on), holds every other request to the same host until
then too. A wait longer than ``RETRY_AFTER_MAX`` (seconds, default 120) is not honoured:
the request is given up and counted (``retry_after/too_long``), so one server cannot stall a
cron run for hours. Retries without a Retry-After are spaced by the exponential backoff of
:mod:`newscrawl.middlewares.backoff` (``NEWSCRAWL_RETRY_BACKOFF``).

The waits are asynchronous (the reactor keeps serving other hosts).
Stats: ``retry_after/honoured``, ``retry_after/too_long``, ``retry_after/max_delay``,
``retry_after/host_paused``.
"""

from __future__ import annotations

import email.utils
import logging
import time
from datetime import datetime, timezone
from typing import Any, cast

from scrapy import Request, signals
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.http import Response
from scrapy.utils.defer import maybe_deferred_to_future
from scrapy.utils.httpobj import urlparse_cached
from scrapy.utils.response import response_status_message
from twisted.internet import reactor, task

logger = logging.getLogger(__name__)


def parse_retry_after(value: bytes | str | None, *, now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After header: delta-seconds or an HTTP-date; else None."""
    if value is None:
        return None
    text = value.decode("latin-1") if isinstance(value, bytes) else value
    text = text.strip()
    if not text:
        return None
    if text.isdigit():
        return float(int(text))
    try:
        when = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if when is None:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    delta = (when - (now or datetime.now(timezone.utc))).total_seconds()
    return max(0.0, delta)


def _call_later(delay: float, func: Any, *args: Any) -> Any:
    """What the downloader itself uses for Slot.latercall (Scrapy >= 2.14), else Twisted's."""
    try:
        from scrapy.utils.asyncio import call_later
    except ImportError:  # pragma: no cover - Scrapy < 2.14
        return cast(Any, reactor).callLater(delay, func, *args)
    return call_later(delay, func, *args)


async def _sleep(seconds: float) -> None:
    if seconds > 0:
        await maybe_deferred_to_future(task.deferLater(reactor, seconds, lambda: None))


class RetryAfterMiddleware(RetryMiddleware):
    """RetryMiddleware + Retry-After, pausing a throttling host."""

    def __init__(self, settings: Any) -> None:
        super().__init__(settings)
        self.retry_after_max = settings.getfloat("RETRY_AFTER_MAX", 120.0)
        self.pause_host = settings.getbool("RETRY_AFTER_PAUSE_HOST", True)
        self._host_resume: dict[str, float] = {}  # host -> monotonic time it may be asked again

    @classmethod
    def from_crawler(cls, crawler: Any) -> RetryAfterMiddleware:
        mw = super().from_crawler(crawler)
        # response_downloaded comes before the downloader sends the slot's next request
        # (AutoThrottle uses it the same way): the pause must start there, not later.
        crawler.signals.connect(mw._response_downloaded, signal=signals.response_downloaded)
        return mw

    def _response_downloaded(self, response: Response, request: Request,
                             spider: Any = None) -> None:
        if (not self.pause_host or response.status not in self.retry_http_codes
                or request.meta.get("dont_retry", False)):
            return
        delay = parse_retry_after(response.headers.get(b"Retry-After"))
        if delay is None or delay <= 0 or delay > self.retry_after_max:
            return
        host = urlparse_cached(request).hostname or ""
        resume = time.monotonic() + delay
        if resume <= self._host_resume.get(host, 0.0):
            return
        self._host_resume[host] = resume
        self._pause_slot(request, delay)

    @property
    def stats(self) -> Any:
        return self.crawler.stats

    async def process_request(self, request: Request, spider: Any = None) -> None:
        if not self.pause_host or not self._host_resume:
            return None
        host = urlparse_cached(request).hostname or ""
        resume = self._host_resume.get(host)
        if resume is None:
            return None
        wait = resume - time.monotonic()
        if wait <= 0:
            self._host_resume.pop(host, None)
            return None
        await _sleep(wait)
        return None

    async def process_response(self, request: Request, response: Response,  # type: ignore[override]
                               spider: Any = None) -> Request | Response:
        if request.meta.get("dont_retry", False) or response.status not in self.retry_http_codes:
            return response
        reason = response_status_message(response.status)
        delay = parse_retry_after(response.headers.get(b"Retry-After"))
        if delay is not None and delay > self.retry_after_max:
            self.stats.inc_value("retry_after/too_long")
            logger.info(
                "Giving up %s: Retry-After %.0fs is over RETRY_AFTER_MAX %.0fs",
                request, delay, self.retry_after_max)
            return response
        retry = self._retry(request, reason)
        if retry is None:
            return response
        if delay is not None:
            self.stats.inc_value("retry_after/honoured")
            self.stats.max_value("retry_after/max_delay", delay)
            await _sleep(delay)
        return retry

    def _pause_slot(self, request: Request, delay: float) -> None:
        """Hold the host's download slot: requests already queued there wait too.

        Uses the downloader's own mechanism for DOWNLOAD_DELAY (``Slot.latercall``); when
        that is not there (another Scrapy), ``process_request`` still holds new requests.
        """
        try:
            downloader = self.crawler.engine.downloader
            slot = downloader.slots.get(downloader.get_slot_key(request))
            if slot is None:
                return
            if slot.latercall is not None:
                slot.latercall.cancel()
            slot.latercall = _call_later(delay, downloader._latercall, slot)
        except AttributeError:  # pragma: no cover - Scrapy internals changed
            return
        self.stats.inc_value("retry_after/host_paused")
