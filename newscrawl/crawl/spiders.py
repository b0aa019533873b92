"""The spider registry: the name a user types (``--spider``, ``scrapy crawl NAME``, a seeded
site's entry in Redis) → the spider class."""

from __future__ import annotations

from typing import Any

from scrapy.utils.misc import load_object

SPIDER_CLASSES = {
    "portal": "newscrawl.spiders.portal.PortalSpider",
    "sitemap": "newscrawl.spiders.sitemap.SitemapSpider",
    "feed": "newscrawl.spiders.feed.FeedSpider",
    "urls": "newscrawl.spiders.urls.UrlsSpider",
}
SPIDERS = tuple(SPIDER_CLASSES)


def spider_class(name: str) -> type[Any]:
    """The spider class registered as ``name`` (or an import path, for tests' own spiders)."""
    cls: type[Any] = load_object(SPIDER_CLASSES.get(name, name))
    return cls
