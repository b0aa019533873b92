"""Fixtures of the tests that crawl: one demo portal per session, crawls in subprocesses
(tests/support/crawl_runner.py). This folder is on sys.path: helpers are ``support.*``."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from newscrawl.demo import DemoPortal, LoggedRequest

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent

# Fast and deterministic: no politeness delays against our own loopback server; a short
# timeout so the portal's slow page (SLOW_SECONDS) times out; one retry.
SLOW_SECONDS = 2.5
FAST_SETTINGS: dict[str, Any] = {
    "DOWNLOAD_DELAY": 0,
    "AUTOTHROTTLE_ENABLED": False,
    "CONCURRENT_REQUESTS_PER_DOMAIN": 16,
    "DOWNLOAD_TIMEOUT": 1.0,
    "RETRY_TIMES": 1,
    "NEWSCRAWL_RETRY_BACKOFF": 0.4,
    "LOG_LEVEL": "WARNING",
    "NEWSCRAWL_CONTACT": "crawl-tests@example.invalid",
}


@dataclass
class CrawlRun:
    items: list[dict[str, Any]]
    stats: dict[str, Any]
    requests: list[LoggedRequest]  # what the portal saw during this crawl
    log: str
    truth: dict[str, Any] | None = None  # set by tests that run their own portal

    @property
    def urls(self) -> list[str]:
        return [i["url"] for i in self.items]

    def stat(self, key: str) -> int:
        return int(self.stats.get(key, 0))


@pytest.fixture(scope="session")
def fast_settings() -> dict[str, Any]:
    return dict(FAST_SETTINGS)


# One portal per test module: its pages carry times relative to when it started, and
# the modules that use it no longer run one after another.
@pytest.fixture(scope="module")
def portal():
    with DemoPortal(slow_seconds=SLOW_SECONDS) as running:
        yield running


@pytest.fixture(scope="module")
def truth(portal):
    return portal.truth()


@pytest.fixture(scope="module")
def run_spider(portal, tmp_path_factory):
    """run_spider(spider, settings=None, server=portal, **spider_kwargs) -> CrawlRun, one
    subprocess each; ``server`` is the demo portal whose request log the run keeps."""
    counter = iter(range(1000))

    def run(spider: str, settings: dict[str, Any] | None = None, *, server: DemoPortal | None = None,
            **kwargs: Any) -> CrawlRun:
        server = server or portal
        work = tmp_path_factory.mktemp(f"crawl{next(counter)}")
        config = {"spider": spider, "kwargs": kwargs, "settings": {**FAST_SETTINGS, **(settings or {})}}
        (work / "config.json").write_text(json.dumps(config), "utf-8")
        start = len(server.requests)
        proc = subprocess.run(
            [sys.executable, str(HERE / "support" / "crawl_runner.py"), str(work / "config.json"), str(work / "out.json")],
            cwd=work, capture_output=True, text=True, timeout=120,
        )
        assert proc.returncode == 0, proc.stderr[-4000:]
        result = json.loads((work / "out.json").read_text("utf-8"))
        return CrawlRun(result["items"], result["stats"], server.requests[start:], proc.stderr)

    return run
