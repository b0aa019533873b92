"""``sitemap``: article URLs from sitemaps — robots.txt ``Sitemap:`` lines, sitemap
indexes, url sets (gzipped or not) and Google News sitemaps (whose publication dates
``--since`` uses). Parsing is Scrapy's own (what its SitemapSpider uses)."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterator
from datetime import datetime
from typing import Any
from urllib.parse import urljoin, urlsplit

import lxml.etree
from scrapy.http import Request, Response
from scrapy.utils.gz import gunzip, gzip_magic_number
from scrapy.utils.sitemap import Sitemap, sitemap_urls_from_robots

from newscrawl.spiders.base import NewsSpider

logger = logging.getLogger(__name__)

# Extension children (Google News, Image) that Scrapy's Sitemap flattens away: the values
# we read from them, by local name. News sitemaps carry the article's publication date.
_EXTENSION_FIELDS = {"publication_date": "news_publication_date", "title": "news_title"}


class NewsSitemap(Sitemap):
    """Scrapy's Sitemap (lxml iterparse: no entity expansion, no network, libxml2's size
    and depth limits, broken documents recovered), plus the nested fields of the news and
    image extensions: ``news_publication_date``, ``news_title`` and ``images`` (locs)."""

    def _process_sitemap_element(self, elem: lxml.etree._Element) -> dict[str, Any] | None:
        nested: dict[str, Any] = {}
        images: list[str] = []
        for child in elem:
            name = self._get_tag_name(child)
            if name not in ("news", "image"):
                continue
            for node in child.iter():
                inner = self._get_tag_name(node)
                text = (node.text or "").strip() if isinstance(node.tag, str) else ""
                if name == "news" and inner in _EXTENSION_FIELDS and text:
                    nested.setdefault(_EXTENSION_FIELDS[inner], text)
                elif name == "image" and inner == "loc" and text:
                    images.append(text)
        entry = super()._process_sitemap_element(elem)  # clears elem: read it first
        if entry is None:
            return None
        if images:
            nested["images"] = images
        return {**entry, **nested}


def sitemap_entries(body: bytes) -> tuple[str, list[dict[str, Any]]]:
    """(kind, entries) of a sitemap document: kind is 'sitemapindex' or 'urlset' ('' when
    it is neither, or no XML at all); each entry has 'loc' and what else the document
    gives ('lastmod', 'news_publication_date', 'images', 'alternate', ...)."""
    try:
        sitemap = NewsSitemap(body)
        return sitemap.type, list(sitemap)
    except (lxml.etree.LxmlError, StopIteration):
        return "", []


def entry_date(entry: dict[str, Any]) -> str | None:
    """The date ``--since`` compares: the news publication date, else lastmod."""
    return entry.get("news_publication_date") or entry.get("lastmod") or None


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
            found = list(sitemap_urls_from_robots(response.body, base_url=response.url))
            if not found:
                found = [urljoin(response.url, "/sitemap.xml")]
            for url in found:
                yield Request(url, callback=self.parse_sitemap)
            return
        body = response.body
        if gzip_magic_number(response):
            try:
                body = gunzip(body, max_size=self.settings.getint("DOWNLOAD_MAXSIZE"))
            except Exception:  # noqa: BLE001 - a broken or oversized archive is a counted drop
                self.drop("bad_sitemap", response.url, "cannot gunzip")
                return
        kind, entries = sitemap_entries(body)
        if kind == "sitemapindex":
            self.count("sitemap/indexes")
            for entry in entries:
                yield Request(response.urljoin(entry["loc"]), callback=self.parse_sitemap)
        elif kind == "urlset":
            self.count("sitemap/sitemaps")
            for entry in entries:
                if self.too_old(entry_date(entry)):
                    self.count("dropped/too_old_in_sitemap")
                    continue
                self.count("sitemap/urls")
                yield self.page_request(response.urljoin(entry["loc"]), follow=False)
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
