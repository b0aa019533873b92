"""Crawler traps, through the real ``newscrawl crawl URL`` at full speed: the trap portal
(tests/support/trap_portal.py) of 30 articles behind session IDs, endless calendars and
pagination, a relative-path loop, parameter permutations and faceted search."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from support.trap_portal import TrapPortal

FAST = ["-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False",
        "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=16", "-s", "NEWSCRAWL_CONTACT=crawl-tests@example.invalid"]
SESSION = re.compile(r"jsessionid|[?&]sid=", re.IGNORECASE)


def newscrawl_command() -> list[str]:
    script = Path(sys.executable).with_name("newscrawl")
    return [str(script)] if script.exists() else [sys.executable, "-m", "newscrawl"]


def crawl_target(portal: TrapPortal, target: str, data: Path, *extra: str,
                 timeout: float = 180) -> tuple[subprocess.CompletedProcess[str], float, list[str]]:
    start, began = len(portal.requests), time.monotonic()
    proc = subprocess.run([*newscrawl_command(), "crawl", target, "--data-dir", str(data),
                           *FAST, *extra], capture_output=True, text=True, timeout=timeout, cwd=data.parent)
    return proc, time.monotonic() - began, portal.requests[start:]


def crawl(portal: TrapPortal, data: Path, *extra: str, timeout: float) -> tuple[subprocess.CompletedProcess[str], float, list[str]]:
    return crawl_target(portal, portal.base_url + "/", data, *extra, timeout=timeout)


def records(data: Path) -> list[dict]:
    return [json.loads(line) for f in sorted(data.glob("*/articles/*.jsonl"))
            for line in f.read_text("utf-8").splitlines()]


def last_report(data: Path) -> dict:
    return json.loads(max(data.glob("*/runs/*.json")).read_text("utf-8"))


@pytest.fixture
def trap_portal():
    with TrapPortal() as portal:
        yield portal


def test_trap_portal_crawl_ends_with_every_article_once(trap_portal, tmp_path):
    data = tmp_path / "data"
    proc, elapsed, requests = crawl(trap_portal, data, "--quiet", timeout=180)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert elapsed < 180
    assert len(requests) < 1500
    stored = records(data)
    urls = [r["url"] for r in stored]
    assert sorted(urls) == sorted(trap_portal.article_urls)  # every article, exactly once
    assert not [u for u in urls + [r["canonical_url"] for r in stored] if SESSION.search(u)]
    stats = last_report(data)["scrapy_stats"]
    # Each trap was met and cut by its rule, and the session parameters were stripped.
    for rule in ("date", "segment_repeat", "query_combinations", "no_new_articles"):
        assert stats.get(f"newscrawl/trap/dropped/{rule}", 0) > 0, rule
    assert stats["newscrawl/urlclean/stripped"] > 0
    report = last_report(data)
    assert report["trap_links_dropped_by_rule"]["date"] == stats["newscrawl/trap/dropped/date"]
    assert not [r for r in requests if SESSION.search(r)]
    assert not (data / "127-0-0-1" / "job").exists()  # a finished run leaves no queue behind

    # The next run (cron, an hour later) ends fast and stores nothing new.
    proc, elapsed, requests = crawl(trap_portal, data, "--quiet", timeout=60)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert elapsed < 60
    assert len(records(data)) == len(trap_portal.article_urls)
    report = last_report(data)
    assert report["articles_stored"] == 0 and report["finish_reason"] == "finished"


def test_without_the_defence_the_traps_do_not_end(trap_portal, tmp_path):
    """The control: the same crawl with the rules and URL cleaning off runs away."""
    data = tmp_path / "data"
    off = ["-s", "NEWSCRAWL_TRAPS_ENABLED=False", "-s", "NEWSCRAWL_URLCLEAN_ENABLED=False",
           "-s", "NEWSCRAWL_PAGE_BUDGET=600"]
    proc, _, requests = crawl(trap_portal, data, "--quiet", *off, timeout=120)
    assert proc.returncode == 3  # stopped by the budget, the last safeguard
    assert len(requests) >= 600
    assert sum(1 for r in requests if SESSION.search(r)) > len(requests) // 2


def test_page_budget_stops_with_exit_3_and_resumes_to_the_end(trap_portal, tmp_path):
    data = tmp_path / "data"
    proc, _, requests = crawl(trap_portal, data, "-s", "NEWSCRAWL_PAGE_BUDGET=60",
                              "--log-level", "ERROR", timeout=120)
    assert proc.returncode == 3, proc.stderr[-3000:]
    assert "stopped: budget" in proc.stdout
    report = last_report(data)
    assert report["finish_reason"] == "budget" and report["exit_code"] == 3
    assert 60 <= len(requests) < 60 + 40  # the requests in flight finish, nothing more
    # Each next run continues the queue; trap requests were never queued, so the runs
    # converge: the site is done in a few runs, every article stored once.
    codes = [proc.returncode]
    for _ in range(15):
        proc, _, requests = crawl(trap_portal, data, "-s", "NEWSCRAWL_PAGE_BUDGET=60",
                                  "--quiet", timeout=120)
        codes.append(proc.returncode)
        assert not [r for r in requests if SESSION.search(r) or "/more/more/more/" in r]
        if proc.returncode == 0:
            break
    assert codes[-1] == 0 and set(codes[:-1]) == {3}, codes
    assert sorted(r["url"] for r in records(data)) == sorted(trap_portal.article_urls)
    assert not (data / "127-0-0-1" / "job").exists()


def test_a_profile_strips_its_own_parameters_too(trap_portal, tmp_path):
    sites = tmp_path / "sites"
    sites.mkdir()
    (sites / "traps.toml").write_text(
        f'start_urls = ["{trap_portal.base_url}/"]\nstrip_params = ["view", "order"]\n', "utf-8")
    data = tmp_path / "data"
    proc, _, requests = crawl_target(trap_portal, "traps", data, "--sites-dir", str(sites), "--quiet")
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert not [r for r in requests if "view=" in r or "order=" in r or SESSION.search(r)]
    assert any("/news/?page=2" in r for r in requests)  # the list itself is still paged
    assert sorted(r["url"] for r in records(data)) == sorted(trap_portal.article_urls)
