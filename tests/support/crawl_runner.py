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

    from newscrawl.crawl.runner import run_crawl
    from newscrawl.crawl.settings import layered_settings

    with open(config_path, encoding="utf-8") as fh:
        config = json.load(fh)
    # The same merge and runner as `newscrawl crawl` (without the archive: items by signal).
    settings = layered_settings(command=config.get("settings", {}))
    items: list[dict[str, Any]] = []

    def collect(item: Any, response: Any, spider: Any) -> None:
        items.append(item.to_dict())

    def connect(crawler: Any) -> None:
        crawler.signals.connect(collect, signal=signals.item_scraped)

    crawler = run_crawl(settings, config["spider"], config.get("kwargs", {}), connect=connect)
    stats = crawler.stats.get_stats() if crawler.stats else {}
    with open(output_path, "w", encoding="utf-8") as fh:
        json.dump({"items": items, "stats": stats}, fh, ensure_ascii=False, default=str)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
