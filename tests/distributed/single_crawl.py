"""The single-machine reference crawl for test_portal.py: the portal spider with the
embedded archive (SQLite state, one set of JSONL files), no Redis.

Usage: python single_crawl.py BASE_URL DATA_DIR SETTINGS_JSON
"""

from __future__ import annotations

import json
import sys


def main(base_url: str, data_dir: str, settings_json: str) -> int:
    from scrapy.crawler import CrawlerProcess

    from newscrawl.commands.crawl import project_settings
    from newscrawl.profiles import load_profile
    from newscrawl.spiders.portal import PortalSpider
    from newscrawl.store.setup import archive_settings

    settings = project_settings()
    settings.setdict(json.loads(settings_json), priority="cmdline")
    settings.setdict(archive_settings(data_dir, "demo", resume=False, progress=False),
                     priority="cmdline")
    process = CrawlerProcess(settings)
    process.crawl(PortalSpider, profile=load_profile("demo").with_base_url(base_url))
    process.start()
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:4]))
