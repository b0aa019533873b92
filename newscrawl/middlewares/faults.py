"""Name every network fault and count it in the stats: ``fault/<name>``.

Scrapy counts exceptions by class (``downloader/exception_type_count/...``); an analyst
reading the stats of a night's crawl wants to know *what happened*: the server refused the
connection, reset it mid-body, sent headers and then stalled, dripped bytes, lied about the
Content-Length. This middleware sees every attempt (it sits beside DownloaderStats, before
the retry middleware takes the exception away) and counts it under such a name.

Stats keys (one count per failed attempt):

* ``fault/connection_refused``, ``fault/dns_failure``, ``fault/connect_error``
* ``fault/timeout_no_response`` (no status line), ``fault/timeout_after_headers`` (headers,
  then no body byte), ``fault/timeout_slow_body`` (body bytes trickled in, too slowly)
* ``fault/connection_reset`` (connection lost mid-response), ``fault/connection_closed``
* ``fault/content_length_mismatch`` (clean close before the announced length)
* ``fault/partial_body`` (closed early with no length announced: body may be cut)
* ``fault/response_too_large`` (over DOWNLOAD_MAXSIZE), ``fault/download_cancelled``
* ``fault/http_<status>`` for 429, 408 and 5xx responses
* ``fault/other/<ExceptionName>`` for anything else
"""

from __future__ import annotations

import logging
from typing import Any

from scrapy import Request, signals
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.http import Response
from twisted.internet import error as txerror
from twisted.internet.defer import CancelledError
from twisted.web._newclient import ResponseFailed, ResponseNeverReceived

logger = logging.getLogger(__name__)

try:  # Scrapy >= 2.14 wraps Twisted's errors in its own
    from scrapy.exceptions import (
        CannotResolveHostError,
        DownloadCancelledError,
        DownloadConnectionRefusedError,
        DownloadFailedError,
        DownloadTimeoutError,
        ResponseDataLossError,
    )
except ImportError:  # pragma: no cover - older Scrapy

    class _Never(Exception):
        pass

    CannotResolveHostError = DownloadConnectionRefusedError = DownloadFailedError = _Never  # type: ignore[misc,assignment]
    DownloadCancelledError = _Never  # type: ignore[misc,assignment]
    DownloadTimeoutError = ResponseDataLossError = _Never  # type: ignore[misc,assignment]

FAULT_STATUSES = frozenset({408, 429}) | frozenset(range(500, 600))


def _causes(exc: BaseException) -> list[BaseException]:
    """The exception, its __cause__ chain, and the reasons inside Twisted's ResponseFailed."""
    seen: list[BaseException] = []
    todo = [exc]
    while todo:
        current = todo.pop(0)
        if current in seen or len(seen) > 20:
            continue
        seen.append(current)
        if current.__cause__ is not None:
            todo.append(current.__cause__)
        if isinstance(current, (ResponseFailed, ResponseNeverReceived)):
            todo.extend(r.value for r in current.reasons if r.value is not None)
    return seen


def fault_name(exc: BaseException, *, got_headers: bool = False, body_bytes: int = 0) -> str | None:
    """The fault's name for the stats, or None for what is not a network fault."""
    if isinstance(exc, IgnoreRequest):
        return None
    chain = _causes(exc)
    kinds = tuple(type(e) for e in chain)

    def has(*classes: type[BaseException]) -> bool:
        return any(issubclass(k, classes) for k in kinds)

    if has(DownloadConnectionRefusedError, txerror.ConnectionRefusedError):
        return "connection_refused"
    if has(CannotResolveHostError, txerror.DNSLookupError):
        return "dns_failure"
    if has(DownloadTimeoutError, txerror.TimeoutError):
        if body_bytes:
            return "timeout_slow_body"
        return "timeout_after_headers" if got_headers else "timeout_no_response"
    if has(DownloadCancelledError, CancelledError):
        text = " ".join(str(e) for e in chain).lower()
        return "response_too_large" if "max" in text and "size" in text else "download_cancelled"
    lost = has(txerror.ConnectionLost)
    if has(ResponseDataLossError):
        return "connection_reset" if lost else "content_length_mismatch"
    if lost:
        return "connection_reset"
    if has(txerror.ConnectionDone, txerror.ConnectionClosed):
        return "connection_closed"
    if has(txerror.ConnectError):
        return "connect_error"
    if has(DownloadFailedError, ResponseFailed, ResponseNeverReceived):
        return "download_failed"
    return f"other/{type(exc).__name__}"


class FaultStatsMiddleware:
    """Counts each failed attempt under ``fault/<name>``; changes nothing else."""

    def __init__(self, stats: Any) -> None:
        self.stats = stats
        # id(request) -> [headers seen, body bytes seen]; only for requests in flight.
        self._progress: dict[int, list[Any]] = {}

    @classmethod
    def from_crawler(cls, crawler: Any) -> FaultStatsMiddleware:
        if not crawler.settings.getbool("FAULT_STATS_ENABLED", True):
            raise NotConfigured
        mw = cls(crawler.stats)
        crawler.signals.connect(mw._headers_received, signal=signals.headers_received)
        crawler.signals.connect(mw._bytes_received, signal=signals.bytes_received)
        return mw

    def _headers_received(self, headers: Any, body_length: Any, request: Request,
                          spider: Any = None) -> None:
        self._progress.setdefault(id(request), [False, 0])[0] = True

    def _bytes_received(self, data: bytes, request: Request, spider: Any = None) -> None:
        self._progress.setdefault(id(request), [False, 0])[1] += len(data)

    def count(self, name: str) -> None:
        self.stats.inc_value("fault/count")
        self.stats.inc_value(f"fault/{name}")

    def process_response(self, request: Request, response: Response,
                         spider: Any = None) -> Response:
        self._progress.pop(id(request), None)
        if response.status in FAULT_STATUSES:
            self.count(f"http_{response.status}")
        if "partial" in response.flags:
            self.count("partial_body")
        if "dataloss" in response.flags:
            self.count("content_length_mismatch")
        return response

    def process_exception(self, request: Request, exception: Exception,
                          spider: Any = None) -> None:
        got_headers, body_bytes = self._progress.pop(id(request), [False, 0])
        name = fault_name(exception, got_headers=got_headers, body_bytes=body_bytes)
        if name is not None:
            self.count(name)
            logger.info("fault %s on %s: %s", name, request.url, exception)
        return None
