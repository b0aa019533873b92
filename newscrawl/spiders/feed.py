"""``feed``: article URLs from RSS (0.9x, 1.0, 2.0) and Atom (0.3, 1.0) feeds, read by
feedparser — broken and mis-encoded feeds included; their dates feed ``--since``."""

from __future__ import annotations

import calendar
import io
import re
import time
from collections.abc import AsyncIterator, Iterator
from datetime import datetime, timezone
from typing import Any

import feedparser
from scrapy.http import Request, Response
from w3lib.encoding import http_content_type_encoding

from newscrawl.extract import dates
from newscrawl.extract.encoding import decode_html
from newscrawl.spiders.base import NewsSpider

# The encoding pseudo-attribute of the XML declaration, rewritten once the text is UTF-8.
_XML_ENCODING = re.compile(rb"^(\s*<\?xml[^>]*?encoding\s*=\s*)([\"'])[^\"']*\2")
# Internal DTD entity declarations: no feed needs them; they are how billion-laughs and
# external-entity (XXE) documents start. Such a feed is dropped, never parsed.
_ENTITY_DECLARATION = re.compile(rb"<!ENTITY", re.IGNORECASE)


def _parsed_moment(value: time.struct_time | None) -> datetime | None:
    if value is None:
        return None
    try:
        return datetime.fromtimestamp(calendar.timegm(value), tz=timezone.utc)
    except (OverflowError, ValueError, OSError):
        return None


def entry_date(entry: dict[str, Any]) -> datetime | None:
    """An entry's publish date, else its update date. feedparser finds the element
    (pubDate, dc:date, dcterms:issued, Atom published/issued/updated/modified); the
    extractor's date parser reads it: feedparser's own reading takes ``CST`` for US Central
    time and misreads CJK and slashed forms (``2024年05月01日``, ``2024/05/03`` come back as
    1 December), so it is only the last resort. Naive when the feed gives no offset (the
    spider applies the site's zone)."""
    for key in ("published", "updated"):
        if key not in entry:  # .get() of a missing key would alias the other (deprecated)
            continue
        raw = entry[key]
        if isinstance(raw, str) and raw.strip():
            found = dates.parse(raw)
            if found is not None:
                stamp = found[0]
                read = stamp.moment()
                return read if stamp.offset is not None else read.replace(tzinfo=None)
        parsed = _parsed_moment(entry.get(f"{key}_parsed"))
        if parsed is not None:
            return parsed
    return None


def as_utf8(body: bytes, http_encoding: str | None) -> bytes:
    """The feed re-encoded as UTF-8 (its XML declaration saying so): decoded by the
    extractor's decoder, which sees through a lying or missing charset (a GBK feed that
    declares UTF-8), where feedparser would fall back to windows-1252 mojibake."""
    text, _codec = decode_html(body, http_encoding)
    return _XML_ENCODING.sub(rb"\1\2utf-8\2", text.encode("utf-8"), count=1)


def feed_entries(body: bytes, *, url: str = "", http_encoding: str | None = None,
                 ) -> tuple[str, list[tuple[str, datetime | None]]]:
    """(version, [(link, date)]) of a feed: version is feedparser's ('rss20', 'rss10',
    'rss090', 'rss091u', 'atom10', 'atom03', ...), '' when the document is no feed at all
    (or declares XML entities). Links are absolute against ``url``."""
    if _ENTITY_DECLARATION.search(body, 0, 65536):
        return "", []
    headers = {"content-type": "application/xml; charset=utf-8"}
    if url:
        headers["content-location"] = url
    body = as_utf8(body, http_encoding)
    # A file object, never bytes or str: feedparser would take a str for a URL or a path
    # and fetch or open it. Relative links are resolved; HTML is never sanitised (unused).
    parsed = feedparser.parse(io.BytesIO(body), response_headers=headers,
                              resolve_relative_uris=True, sanitize_html=False)
    entries: list[tuple[str, datetime | None]] = []
    for entry in parsed.entries:
        link = entry.get("link") or next(
            (x.get("href") for x in entry.get("links", []) if x.get("href")), None)
        if isinstance(link, str) and link.strip():
            entries.append((link.strip(), entry_date(entry)))
    version = parsed.get("version") or ("unknown" if entries else "")
    return version, entries


class FeedSpider(NewsSpider):
    name = "feed"
    follow_links = False

    async def start(self) -> AsyncIterator[Any]:
        # A bare URL given to the feed spider (-a url=...) is the feed itself.
        feeds = self.profile.feeds or self.profile.start_urls
        if not feeds:
            raise ValueError(f"profile {self.profile.name!r} has no feeds for the feed spider")
        for url in feeds:
            yield Request(url, callback=self.parse_feed)

    def parse_feed(self, response: Response) -> Iterator[Request]:
        content_type = (response.headers.get("Content-Type") or b"").decode("latin-1")
        version, entries = feed_entries(response.body, url=response.url,
                                        http_encoding=http_content_type_encoding(content_type))
        if not version:
            self.drop("bad_feed", response.url, "neither RSS nor Atom")
            return
        self.count("feed/feeds")
        for link, date in entries:
            if self.since is not None and date is not None:
                if date.tzinfo is None:
                    date = date.replace(tzinfo=self.since.tzinfo)
                if date < self.since:
                    self.count("dropped/too_old_in_feed")
                    continue
            self.count("feed/urls")
            yield self.page_request(response.urljoin(link), follow=False)
