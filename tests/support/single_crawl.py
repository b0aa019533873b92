"""The single-machine reference crawl for tests/distributed/test_portal.py: the portal spider with the
embedded archive (SQLite state, one set of JSONL files), no Redis.

Usage: python single_crawl.py BASE_URL DATA_DIR SETTINGS_JSON
"""

from __future__ import annotations

import json
import sys


def main(base_url: str, data_dir: str, settings_json: str) -> int:
    from newscrawl.crawl.runner import run_crawl
    from newscrawl.crawl.settings import archived_settings
    from newscrawl.profiles import load_profile

    settings = archived_settings(data_dir, "demo", json.loads(settings_json), progress=False)
    run_crawl(settings, "portal", {"profile": load_profile("demo").with_base_url(base_url)})
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:4]))
