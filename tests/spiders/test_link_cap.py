"""NEWSCRAWL_MAX_LINKS_PER_PAGE through the real console script: a crawl of the demo portal
with a small cap still ends on its own, stores articles, and says in its stats how many
links the cap left unfollowed."""

from __future__ import annotations

import json

import pytest
from support.console_script import FAST, run_cli, stored_records

pytestmark = pytest.mark.timeout(180)


def test_a_capped_crawl_counts_what_it_left_and_still_stores_articles(portal, tmp_path):
    data = tmp_path / "data"
    proc = run_cli("crawl", portal.base_url + "/", "--data-dir", str(data), *FAST,
                   "-s", "NEWSCRAWL_MAX_LINKS_PER_PAGE=4", "--log-level", "INFO", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "Traceback" not in proc.stderr + proc.stdout
    assert "NEWSCRAWL_MAX_LINKS_PER_PAGE" in proc.stderr
    runs = sorted(data.glob("*/runs/*.json"))
    assert len(runs) == 1
    stats = json.loads(runs[0].read_text("utf-8"))["scrapy_stats"]
    assert stats["newscrawl/links/over_page_cap"] > 0
    assert stats["newscrawl/links/capped_pages"] >= 1
    # No page led to more than four new requests: scheduled requests are at most the
    # start requests plus four per page parsed.
    parsed = stats["newscrawl/pages/fetched"]
    assert stats["scheduler/enqueued"] <= 2 + 4 * parsed
    assert len(stored_records(data)) > 0
