"""The spider registry: the name a user types (``--spider``, ``scrapy crawl NAME``, a seeded
site's entry in Redis, a WARC run's replay record) → the spider class."""

from __future__ import annotations

from typing import Any

SPIDER_CLASSES = {
    "portal": "newscrawl.spiders.portal.PortalSpider",
    "sitemap": "newscrawl.spiders.sitemap.SitemapSpider",
    "feed": "newscrawl.spiders.feed.FeedSpider",
    "urls": "newscrawl.spiders.urls.UrlsSpider",
}
SPIDERS = tuple(SPIDER_CLASSES)


def spider_class(name: str) -> type[Any]:
    """The spider class registered as ``name`` (or an import path, for tests' own spiders)."""
    # Imported here: the command line reads SPIDERS for its choices without loading Scrapy.
    from scrapy.utils.misc import load_object

    cls: type[Any] = load_object(SPIDER_CLASSES.get(name, name))
    return cls


def registered_spider(name: str) -> type[Any]:
    """The spider class registered as ``name``; ValueError for any other name. For names
    read from shared state (Redis, WARC files), which must never load an arbitrary object."""
    if name not in SPIDER_CLASSES:
        raise ValueError(f"unknown spider {name!r} (one of: {', '.join(SPIDERS)})")
    return spider_class(name)
