"""``sitemap``: article URLs from sitemaps — robots.txt ``Sitemap:`` lines, sitemap
indexes, url sets and Google News sitemaps (whose publication dates ``--since`` uses)."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterator
from datetime import datetime
from typing import Any
from urllib.parse import urljoin, urlsplit

from scrapy.http import Request, Response
from scrapy.utils.gz import gunzip, gzip_magic_number
from scrapy.utils.sitemap import sitemap_urls_from_robots

from newscrawl.spiders.base import NewsSpider
from newscrawl.spiders.xmldoc import hardened_parser, local_name, parse_root

logger = logging.getLogger(__name__)

_PARSER = hardened_parser(remove_comments=True)


def sitemap_entries(body: bytes) -> tuple[str, list[tuple[str, str | None]]]:
    """(kind, [(loc, date)]) of a sitemap: kind is 'sitemapindex' or 'urlset' ('' when the
    document is neither); the date is the news publication date, else lastmod."""
    root = parse_root(body, _PARSER)
    if root is None:
        return "", []
    kind = local_name(root.tag)
    entries: list[tuple[str, str | None]] = []
    for node in root:
        if local_name(node.tag) not in ("url", "sitemap"):
            continue
        loc = date = lastmod = None
        for child in node.iter():
            name = local_name(child.tag)
            text = (child.text or "").strip()
            if name == "loc" and loc is None:
                loc = text
            elif name == "publication_date":
                date = text
            elif name == "lastmod":
                lastmod = text
        if loc:
            entries.append((loc, date or lastmod))
    return kind, entries


class SitemapSpider(NewsSpider):
    name = "sitemap"
    follow_links = False

    async def start(self) -> AsyncIterator[Any]:
        urls = list(self.profile.sitemaps)
        if not urls:
            # Start URLs that are sitemaps are used as such; for the others, robots.txt's
            # Sitemap: lines (or /sitemap.xml) of their sites.
            starts = self.profile.start_urls
            urls = [u for u in starts if urlsplit(u).path.endswith((".xml", ".xml.gz"))]
            origins = dict.fromkeys(
                f"{urlsplit(u).scheme}://{urlsplit(u).netloc}" for u in starts if u not in urls
            )
            urls += [f"{o}/robots.txt" for o in origins]
        for url in urls:
            yield Request(url, callback=self.parse_sitemap)

    def parse_sitemap(self, response: Response) -> Iterator[Request]:
        if urlsplit(response.url).path.endswith("/robots.txt"):
            found = list(sitemap_urls_from_robots(response.text, base_url=response.url))
            if not found:
                found = [urljoin(response.url, "/sitemap.xml")]
            for url in found:
                yield Request(url, callback=self.parse_sitemap)
            return
        body = response.body
        if gzip_magic_number(response):
            try:
                body = gunzip(body, max_size=self.settings.getint("DOWNLOAD_MAXSIZE"))
            except Exception:  # noqa: BLE001 - a broken archive is a counted drop
                self.drop("bad_sitemap", response.url, "cannot gunzip")
                return
        kind, entries = sitemap_entries(body)
        if kind == "sitemapindex":
            self.count("sitemap/indexes")
            for loc, _date in entries:
                yield Request(loc, callback=self.parse_sitemap)
        elif kind == "urlset":
            self.count("sitemap/sitemaps")
            for loc, date in entries:
                if self.too_old(date):
                    self.count("dropped/too_old_in_sitemap")
                    continue
                self.count("sitemap/urls")
                yield self.page_request(loc, follow=False)
        else:
            self.drop("bad_sitemap", response.url, "neither a urlset nor a sitemap index")

    def too_old(self, date: str | None) -> bool:
        if self.since is None or not date:
            return False
        try:
            moment = datetime.fromisoformat(date.replace("Z", "+00:00"))
        except ValueError:
            return False
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=self.since.tzinfo)
        return moment < self.since
