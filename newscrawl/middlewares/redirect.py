"""Redirects that stop at the first loop, built on Scrapy's RedirectMiddleware.

Scrapy follows ``/a -> /b -> /a -> ...`` until REDIRECT_MAX_TIMES (20 requests to the
portal for nothing). Here a redirect back to a URL already in the chain ends it at once:
``fault/redirect_loop``; a chain that hits the limit is ``fault/too_many_redirects``.
Redirects to other hosts are the business of :mod:`newscrawl.middlewares.hostguard`.
"""

from __future__ import annotations

import logging
from typing import Any

from scrapy import Request
from scrapy.downloadermiddlewares.redirect import RedirectMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response
from w3lib.url import canonicalize_url

logger = logging.getLogger(__name__)


class LoopSafeRedirectMiddleware(RedirectMiddleware):
    def process_response(self, request: Request, response: Response,
                         spider: Any = None) -> Request | Response:
        try:
            result = super().process_response(request, response)
        except IgnoreRequest:
            self._count("too_many_redirects")
            raise
        if isinstance(result, Request) and result is not request:
            chain = [*request.meta.get("redirect_urls", []), request.url]
            seen = {canonicalize_url(u) for u in chain}
            if canonicalize_url(result.url) in seen:
                self._count("redirect_loop")
                logger.info("redirect loop: %s", " -> ".join([*chain, result.url]))
                raise IgnoreRequest(f"redirect loop at {result.url}")
        return result

    def _count(self, name: str) -> None:
        stats = self.crawler.stats
        stats.inc_value("fault/count")
        stats.inc_value(f"fault/{name}")
