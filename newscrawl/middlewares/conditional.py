"""Conditional requests for list pages, feeds and sitemaps: an hourly re-crawl of a portal
that did not change costs a 304 per page, not the pages' bytes.

A 200 answer that carries an ``ETag`` or ``Last-Modified`` header is remembered in the
archive's state (``validators``: the validators and the body, compressed). The next request
for that URL sends ``If-None-Match`` / ``If-Modified-Since``; a ``304 Not Modified`` is then
answered with the remembered body as a 200 (flag ``cached``), so the spider still follows the
page's links — none is lost, and the article links among them are already stored and cost
nothing. A 304 is counted (``newscrawl/conditional/not_modified``), never an error, never
retried. A 304 for a URL with nothing remembered (the state was moved away) is fetched again
without the condition.

Only pages that are not articles by their URL (the profile's rules, else the generic URL
shapes) are made conditional: a stored article is not fetched at all, and keeping article
bodies here would double the WARC files. The component needs the archive's SQLite state; it is
off without it (and in a distributed crawl, whose state is in Redis), with ``NEWSCRAWL_CONDITIONAL_ENABLED=False`` and for ``--refresh`` runs, whose
point is to fetch everything again.

Settings: NEWSCRAWL_CONDITIONAL_ENABLED (bool), NEWSCRAWL_CONDITIONAL_MAX_BYTES (int: larger
bodies are not kept). ``request.meta["newscrawl_conditional"] = False`` exempts one request.
"""

from __future__ import annotations

import zlib
from typing import Any

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.http import Headers, Response
from scrapy.responsetypes import responsetypes

from newscrawl.archive.extension import archive_of, require_archive_enabled
from newscrawl.archive.state import SqliteState, Validators
from newscrawl.archive.store import canonical
from newscrawl.extract.pagetype import PageType, classify_url

META = "newscrawl_conditional"
_RETRIED = "newscrawl_conditional_retried"


class ConditionalRequestMiddleware:
    def __init__(self, crawler: Crawler, state: SqliteState, max_bytes: int) -> None:
        self.crawler = crawler
        self.stats = crawler.stats
        self.state = state
        self.max_bytes = max_bytes

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ConditionalRequestMiddleware:
        if not crawler.settings.getbool("NEWSCRAWL_CONDITIONAL_ENABLED", True):
            raise NotConfigured("NEWSCRAWL_CONDITIONAL_ENABLED is off")
        require_archive_enabled(crawler)
        if crawler.settings.getbool("NEWSCRAWL_REFRESH"):
            raise NotConfigured("--refresh fetches everything again")
        state = archive_of(crawler).state
        if not isinstance(state, SqliteState):
            # A distributed crawl keeps its state in Redis, which holds no validators.
            raise NotConfigured("conditional requests need the archive's SQLite state")
        return cls(crawler, state,
                   crawler.settings.getint("NEWSCRAWL_CONDITIONAL_MAX_BYTES", 2 * 1024 * 1024))

    def _eligible(self, request: Request) -> bool:
        if request.method != "GET" or request.meta.get(_RETRIED):
            return False
        wanted = request.meta.get(META)
        if wanted is not None:
            return bool(wanted)
        rules = getattr(self.crawler.spider, "url_rules", None)
        return classify_url(request.url, rules) is not PageType.ARTICLE

    def _inc(self, key: str) -> None:
        assert self.stats is not None
        self.stats.inc_value(f"newscrawl/conditional/{key}")

    def process_request(self, request: Request, spider: Any = None) -> None:
        if not self._eligible(request):
            return
        known = self.state.validators(canonical(request.url))
        if known is None:
            return
        if known.etag:
            request.headers[b"If-None-Match"] = known.etag
        if known.last_modified:
            request.headers[b"If-Modified-Since"] = known.last_modified
        self._inc("sent")

    def process_response(self, request: Request, response: Response, spider: Any = None) -> Request | Response:
        if not self._eligible(request):
            return response
        url = canonical(request.url)
        if response.status == 304:
            known = self.state.validators(url)
            if known is None:
                # Nothing to stand in for the body: ask again without the condition.
                self._inc("refetched")
                retry = request.replace(dont_filter=True, meta={**request.meta, _RETRIED: True})
                del retry.headers[b"If-None-Match"]
                del retry.headers[b"If-Modified-Since"]
                return retry
            self._inc("not_modified")
            headers = Headers(response.headers)
            if known.content_type:
                headers[b"Content-Type"] = known.content_type
            body = zlib.decompress(known.body)
            cls = responsetypes.from_args(headers=headers, url=response.url, body=body)
            return cls(url=response.url, status=200, headers=headers, body=body,
                       flags=[*response.flags, "cached"], request=request,
                       certificate=response.certificate, ip_address=response.ip_address,
                       protocol=response.protocol)
        if response.status == 200:
            etag = response.headers.get(b"ETag")
            modified = response.headers.get(b"Last-Modified")
            if (etag or modified) and len(response.body) <= self.max_bytes:
                ctype = response.headers.get(b"Content-Type")
                self.state.put_validators(url, Validators(
                    etag.decode("latin-1") if etag else None,
                    modified.decode("latin-1") if modified else None,
                    ctype.decode("latin-1") if ctype else None,
                    zlib.compress(response.body, 6)))
                self._inc("stored")
        return response
