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

    from newscrawl.crawl.runner import run_crawl
    from newscrawl.crawl.settings import archived_settings, layered_settings

    if cfg.get("data_dir"):
        # Stored into the archive exactly as `newscrawl crawl` stores it (same merge).
        settings = archived_settings(cfg["data_dir"], cfg.get("site", "faults"),
                                     cfg.get("settings", {}), progress=False, summary=False)
    else:
        settings = layered_settings(command=cfg.get("settings", {}))
    items: list[dict] = []
    errors: list[str] = []

    def on_item(item, response, spider):
        items.append(item.to_dict() if hasattr(item, "to_dict") else dict(item))

    def on_error(failure, response, spider):
        errors.append(f"{response.url}: {failure.getErrorMessage()}")

    def connect(crawler):
        crawler.signals.connect(on_item, signal=signals.item_scraped)
        crawler.signals.connect(on_error, signal=signals.spider_error)

    crawler = run_crawl(settings, cfg["spider"], cfg.get("spider_args", {}), connect=connect)
    stats = crawler.stats.get_stats()
    stored: list[dict] = []
    if cfg.get("data_dir"):
        from newscrawl.archive.layout import DataLayout

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
