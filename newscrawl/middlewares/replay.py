"""Serving a crawl's requests from its WARC files instead of the network (for ``rebuild``).

``WarcReplayMiddleware`` sits where the WARC writer sits, next to the downloader: every
other middleware has run on the request (robots.txt, redirects, retries, decompression
all behave as in the crawl), and the archived response is returned instead of a download.
A URL fetched several times in the run (retries) is answered in the order it was served.
A request the run never made (nothing archived for it) is ignored and counted as
``archive/replay/missing``; nothing ever goes to the network.
"""

from __future__ import annotations

import logging
from collections import deque
from pathlib import Path
from typing import Any

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.http import Headers, Response
from scrapy.responsetypes import responsetypes

from newscrawl.archive.store import canonical
from newscrawl.archive.warc import ArchivedResponse, iter_responses

logger = logging.getLogger(__name__)


class ReplayIndex:
    def __init__(self, files: list[Path]) -> None:
        self._by_url: dict[str, deque[ArchivedResponse]] = {}
        self.responses = 0
        for path in files:
            for archived in iter_responses(path):
                self._by_url.setdefault(canonical(archived.url), deque()).append(archived)
                self.responses += 1

    def take(self, url: str) -> ArchivedResponse | None:
        queue = self._by_url.get(canonical(url))
        if not queue:
            return None
        return queue.popleft() if len(queue) > 1 else queue[0]

    def urls(self) -> list[str]:
        return list(self._by_url)


def to_scrapy_response(archived: ArchivedResponse, request: Request) -> Response:
    headers = Headers()
    for name, value in archived.headers:
        headers.appendlist(name, value)
    cls = responsetypes.from_args(headers=headers, url=request.url, body=archived.body)
    return cls(url=request.url, status=archived.status, headers=headers, body=archived.body,
               request=request, flags=["warc"], protocol=archived.protocol)


class WarcReplayMiddleware:
    def __init__(self, crawler: Crawler, index: ReplayIndex) -> None:
        self.stats = crawler.stats
        self.index = index

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> WarcReplayMiddleware:
        files = crawler.settings.getlist("NEWSCRAWL_REPLAY_WARCS")
        if not files:
            raise NotConfigured
        return cls(crawler, ReplayIndex([Path(f) for f in files]))

    def process_request(self, request: Request, spider: Any = None) -> Response:
        assert self.stats is not None
        archived = self.index.take(request.url)
        if archived is None:
            self.stats.inc_value("archive/replay/missing")
            raise IgnoreRequest(f"not in the archive: {request.url}")
        self.stats.inc_value("archive/replay/served")
        # When the page was really fetched, for a spider that dates records by it.
        request.meta["newscrawl_fetched_at"] = archived.date
        return to_scrapy_response(archived, request)
