"""Cheap hourly re-crawls (newscrawl/middlewares/conditional.py), through the real console
script against the demo portal, which answers conditional requests with 304."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from newscrawl.demo import DemoPortal

FAST = ["-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False",
        "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=16", "-s", "DOWNLOAD_TIMEOUT=2", "-s", "RETRY_TIMES=1",
        "-s", "NEWSCRAWL_CONTACT=crawl-tests@example.invalid"]


def newscrawl_command() -> list[str]:
    script = Path(sys.executable).with_name("newscrawl")
    return [str(script)] if script.exists() else [sys.executable, "-m", "newscrawl"]


def crawl(portal: DemoPortal, data: Path, *extra: str) -> tuple[subprocess.CompletedProcess[str], dict]:
    before = set(data.glob("*/runs/*.json"))
    proc = subprocess.run([*newscrawl_command(), "crawl", "demo", "--base-url", portal.base_url,
                           "--data-dir", str(data), *FAST, *extra],
                          capture_output=True, text=True, timeout=120, cwd=data.parent)
    (new,) = set(data.glob("*/runs/*.json")) - before
    return proc, json.loads(new.read_text("utf-8"))


@pytest.fixture
def demo_portal():
    with DemoPortal(slow_seconds=0.3) as portal:
        yield portal


def test_second_run_of_an_unchanged_portal_costs_under_a_tenth_of_the_bytes(demo_portal, tmp_path):
    data = tmp_path / "data"
    truth = demo_portal.truth()
    proc, first = crawl(demo_portal, data, "--quiet")
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert first["articles_stored"] == len(truth["articles"])
    start = len(demo_portal.requests)
    proc, second = crawl(demo_portal, data)
    assert proc.returncode == 0, proc.stderr[-3000:]
    s1, s2 = first["scrapy_stats"], second["scrapy_stats"]
    assert s2["downloader/response_bytes"] <= 0.10 * s1["downloader/response_bytes"]
    assert second["articles_stored"] == 0
    # The list pages were asked again and answered 304: counted as unchanged, not as errors,
    # not retried, and their links were still followed (every list page was reached again).
    unchanged = s2["newscrawl/conditional/not_modified"]
    lists = {r.path for r in demo_portal.requests[start:] if r.status == 304}
    assert unchanged == len(lists) == s2["downloader/response_status_count/304"] > 10
    assert "httperror/response_ignored_status_count/304" not in s2
    assert second["errors"] == first["errors"]  # the portal's one broken page, nothing new
    assert "HTTP 304" not in proc.stdout
    first_lists = {r.path for r in demo_portal.requests[:start] if r.status == 200
                   and r.path not in {a["url"].replace(demo_portal.base_url, "") for a in truth["articles"]}}
    assert lists <= first_lists


def test_refresh_sends_no_conditions_and_stores_the_new_version(demo_portal, tmp_path):
    data = tmp_path / "data"
    proc, _ = crawl(demo_portal, data, "--quiet")
    assert proc.returncode == 0, proc.stderr[-3000:]
    article = demo_portal.truth()["articles"][3]
    path = article["url"].replace(demo_portal.base_url, "")
    demo_portal.revise(path)  # an editor corrects the article
    start = len(demo_portal.requests)
    proc, second = crawl(demo_portal, data, "--quiet", "--refresh")
    assert proc.returncode == 0, proc.stderr[-3000:]
    # --refresh fetches everything unconditionally and stores the new version.
    assert second["stored_by_kind"].get("new_version") == 1
    assert not [r for r in demo_portal.requests[start:] if r.status == 304]
