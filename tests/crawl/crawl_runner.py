"""Run one newscrawl spider in this (fresh) process; items collected by signal.

Usage: python crawl_runner.py CONFIG.json OUTPUT.json — CONFIG holds "spider", "kwargs"
(spider arguments) and "settings"; OUTPUT receives {"items": [...], "stats": {...}}.
A subprocess per crawl because Twisted's reactor cannot restart within one process.
"""

from __future__ import annotations

import json
import sys
from typing import Any


def main(config_path: str, output_path: str) -> int:
    from scrapy import signals
    from scrapy.crawler import CrawlerProcess

    from newscrawl.commands.crawl import project_settings
    from newscrawl.spiders.feed import FeedSpider
    from newscrawl.spiders.portal import PortalSpider
    from newscrawl.spiders.sitemap import SitemapSpider
    from newscrawl.spiders.urls import UrlsSpider

    with open(config_path, encoding="utf-8") as fh:
        config = json.load(fh)
    classes = {"portal": PortalSpider, "sitemap": SitemapSpider, "feed": FeedSpider, "urls": UrlsSpider}
    settings = project_settings()
    settings.setdict(config.get("settings", {}), priority="cmdline")
    items: list[dict[str, Any]] = []

    def collect(item: Any, response: Any, spider: Any) -> None:
        items.append(item.to_dict())

    process = CrawlerProcess(settings)
    crawler = process.create_crawler(classes[config["spider"]])
    crawler.signals.connect(collect, signal=signals.item_scraped)
    process.crawl(crawler, **config.get("kwargs", {}))
    process.start()
    stats = crawler.stats.get_stats() if crawler.stats else {}
    with open(output_path, "w", encoding="utf-8") as fh:
        json.dump({"items": items, "stats": stats}, fh, ensure_ascii=False, default=str)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
