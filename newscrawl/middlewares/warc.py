"""Downloader middleware that writes every response (and its request) to WARC files.

Placed next to the downloader (``ARCHIVE_DOWNLOADER_MIDDLEWARES``) so it sees the request as
sent — every other middleware has added its headers — and the response as received, before
decompression, redirects or retries act on it; robots.txt, redirects and error pages are
archived too. Responses served from Scrapy's HTTP cache or replayed from a WARC (flag
``cached`` / ``warc``) are not written again.

Settings: ``NEWSCRAWL_WARC_ENABLED`` (default True with the archive), ``NEWSCRAWL_WARC_MAX_SIZE``
(bytes, default 100 MiB), ``NEWSCRAWL_TARGET`` (what the crawl was asked to crawl, kept in
each file's warcinfo so ``rebuild`` can replay it).
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from scrapy import Request, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.http import Response

import newscrawl
from newscrawl.archive.extension import (
    ArchiveExtension,
    require_archive_enabled,
    stop_on_write_error,
)
from newscrawl.archive.layout import DataLayout
from newscrawl.archive.warc import RotatingWarcWriter, _header_pairs, info_fields

SKIP_FLAGS = {"cached", "warc"}


class WarcArchiveMiddleware:
    def __init__(self, crawler: Crawler, writer: RotatingWarcWriter) -> None:
        self.crawler = crawler
        self.stats = crawler.stats
        self.writer = writer
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> WarcArchiveMiddleware:
        settings = crawler.settings
        require_archive_enabled(crawler)
        if not settings.getbool("NEWSCRAWL_WARC_ENABLED", True):
            raise NotConfigured  # --no-warc
        ext = crawler.get_extension(ArchiveExtension)
        if ext is None:
            raise NotConfigured("ArchiveExtension is not enabled")
        spidercls = getattr(crawler, "spidercls", None)
        info = info_fields(
            software=f"newscrawl/{newscrawl.__version__}",
            format="WARC File Format 1.1",
            **{
                "newscrawl-site": ext.site,
                "newscrawl-run-id": ext.run_id,
                "newscrawl-spider": getattr(spidercls, "name", None),
                "newscrawl-target": settings.get("NEWSCRAWL_TARGET") or None,
                "newscrawl-replay": settings.getdict("NEWSCRAWL_REPLAY") or None,
            },
        )
        writer = RotatingWarcWriter(
            DataLayout(ext.data_dir).warc_dir(ext.site), ext.site, ext.run_id,
            max_size=settings.getint("NEWSCRAWL_WARC_MAX_SIZE", 100 * 2**20), info=info,
        )
        return cls(crawler, writer)

    def process_response(self, request: Request, response: Response, spider: Any = None) -> Response:
        if SKIP_FLAGS.intersection(response.flags):
            return response
        fetched = datetime.now(timezone.utc)
        # The same instant as the WARC-Date, for a spider that dates records by it (a
        # rebuild then gives the same fetched_at: the replay sets it from the WARC-Date).
        request.meta["newscrawl_fetched_at"] = fetched.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        try:
            self._write(request, response, fetched)
        except OSError as exc:
            if not stop_on_write_error(self.crawler, exc):
                raise
            return response
        assert self.stats is not None
        self.stats.inc_value("archive/warc/records", 2)
        self.stats.set_value("archive/warc/files", len(self.writer.files))
        return response

    def _write(self, request: Request, response: Response, fetched: datetime) -> None:
        self.writer.write_exchange(
            url=request.url, method=request.method,
            request_headers=_header_pairs(request.headers), request_body=request.body or b"",
            status=response.status, response_headers=_header_pairs(response.headers),
            body=response.body, protocol=getattr(response, "protocol", None) or "HTTP/1.1",
            date=fetched,
        )

    def spider_closed(self, spider: Any = None) -> None:
        try:
            self.writer.close()
        except OSError as exc:
            if not stop_on_write_error(self.crawler, exc):
                raise
