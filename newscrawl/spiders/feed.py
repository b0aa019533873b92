"""``feed``: article URLs from RSS 2.0 and Atom feeds (dates feed ``--since``)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from datetime import datetime
from email.utils import parsedate_to_datetime
from typing import Any

from scrapy.http import Request, Response

from newscrawl.spiders.base import NewsSpider
from newscrawl.spiders.xmldoc import hardened_parser, local_name, parse_root

_PARSER = hardened_parser()


def parse_date(text: str | None) -> datetime | None:
    if not text:
        return None
    text = text.strip()
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        pass
    try:
        return parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None


def feed_entries(body: bytes) -> tuple[str, list[tuple[str, datetime | None]]]:
    """(kind, [(link, date)]) of an RSS ('rss'), RDF ('rdf') or Atom ('feed') document."""
    root = parse_root(body, _PARSER)
    if root is None:
        return "", []
    kind = local_name(root.tag).lower()
    entries: list[tuple[str, datetime | None]] = []
    for node in root.iter():
        name = local_name(node.tag)
        if name == "item":
            link = date = None
            for child in node:
                cname = local_name(child.tag)
                if cname == "link" and child.text:
                    link = child.text.strip()
                elif cname == "guid" and not link and (child.text or "").startswith("http"):
                    link = (child.text or "").strip()
                elif cname in ("pubDate", "date"):
                    date = parse_date(child.text)
            if link:
                entries.append((link, date))
        elif name == "entry":
            link = None
            date = None
            for child in node:
                cname = local_name(child.tag)
                if cname == "link" and child.get("rel", "alternate") == "alternate" and child.get("href"):
                    link = link or child.get("href")
                elif cname == "published" or (cname == "updated" and date is None):
                    date = parse_date(child.text)
            if link:
                entries.append((link, date))
    return kind, entries


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
        kind, entries = feed_entries(response.body)
        if kind not in ("rss", "rdf", "feed"):
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
