"""Run one real Scrapy crawl in a fresh process; write its stats and items as JSON.

Twisted's reactor cannot be restarted, so each crawl of the fault tests runs here:
``python fault_crawl_runner.py CONFIG.json`` with {"spider", "spider_args", "settings", "out"}.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))


def main(config_path: str) -> int:
    cfg = json.loads(Path(config_path).read_text())
    from scrapy import signals
    from scrapy.crawler import CrawlerProcess
    from scrapy.settings import Settings
    from scrapy.utils.misc import load_object

    settings = Settings()
    settings.setmodule("newscrawl.settings", priority="project")
    if cfg.get("data_dir"):
        # Store into the archive exactly as `newscrawl crawl` does (pipelines, JSONL, WARC).
        from newscrawl.store.setup import archive_settings

        for key, value in archive_settings(cfg["data_dir"], cfg.get("site", "faults"),
                                           resume=False, progress=False,
                                           summary=False).items():
            base = settings.get(key)
            if isinstance(value, dict) and hasattr(base, "copy_to_dict"):
                value = {**base.copy_to_dict(), **value}
            settings.set(key, value, priority="cmdline")
    settings.update(cfg.get("settings", {}), priority="cmdline")
    process = CrawlerProcess(settings, install_root_handler=True)
    crawler = process.create_crawler(load_object(cfg["spider"]))
    items: list[dict] = []
    errors: list[str] = []

    def on_item(item, response, spider):
        items.append(item.to_dict() if hasattr(item, "to_dict") else dict(item))

    def on_error(failure, response, spider):
        errors.append(f"{response.url}: {failure.getErrorMessage()}")

    crawler.signals.connect(on_item, signal=signals.item_scraped)
    crawler.signals.connect(on_error, signal=signals.spider_error)
    process.crawl(crawler, **cfg.get("spider_args", {}))
    process.start()
    stats = crawler.stats.get_stats()
    stored: list[dict] = []
    if cfg.get("data_dir"):
        from newscrawl.store.layout import DataLayout

        layout = DataLayout(cfg["data_dir"])
        for site in layout.sites():
            # Articles and reposts (same body at another URL): both are stored records.
            for path in [*layout.record_files(site), *layout.record_files(site, duplicates=True)]:
                with open(path, encoding="utf-8") as fh:
                    # A reader splitting lines the strictest way: every line one record.
                    for line in fh.read().split("\n"):
                        if line:
                            stored.append(json.loads(line))
    out = {"stats": stats, "items": items, "stored": stored, "spider_errors": errors}
    Path(cfg["out"]).write_text(json.dumps(out, default=str, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
