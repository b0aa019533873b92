from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from fault_server import FaultServer

HERE = Path(__file__).resolve().parent

# Fast faults for tests: a stalled download gives up after 1.5 s, one retry, short backoff.
FAST = {
    "DOWNLOAD_TIMEOUT": 1.5,
    "RETRY_TIMES": 1,
    "RETRY_BACKOFF_BASE": 0.05,
    "AUTOTHROTTLE_ENABLED": False,
    "DOWNLOAD_DELAY": 0,
    "EXTRACT_WORKERS": 1,
    "LOG_LEVEL": "INFO",
    "TELNETCONSOLE_ENABLED": False,
    "TWISTED_DNS_RESOLVER": "loopback_resolver.LoopbackOnlyResolver",
    "ITEM_PIPELINES": {},
}


def run_crawl(tmp_path: Path, urls: list[str], allowed: list[str], settings: dict | None = None,
              spider: str = "probe_spider.ProbeSpider", timeout: float = 90) -> dict:
    """One real crawl in a subprocess: {"stats", "items", "spider_errors", "log", "seconds"}."""
    out = tmp_path / "result.json"
    cfg = {
        "spider": spider,
        "spider_args": {"urls": json.dumps(urls), "allowed": ",".join(allowed)},
        "settings": {**FAST, "LOG_FILE": str(tmp_path / "crawl.log"), **(settings or {})},
        "out": str(out),
    }
    cfg_path = tmp_path / "crawl.json"
    cfg_path.write_text(json.dumps(cfg))
    proc = subprocess.run([sys.executable, str(HERE / "crawl_runner.py"), str(cfg_path)],
                          capture_output=True, text=True, timeout=timeout, cwd=tmp_path)
    log = (tmp_path / "crawl.log").read_text(errors="replace") if (tmp_path / "crawl.log").exists() else ""
    assert proc.returncode == 0, proc.stderr[-3000:] + log[-3000:]
    result = json.loads(out.read_text())
    result["log"] = log
    return result


@pytest.fixture
def server():
    with FaultServer(articles=5) as srv:
        yield srv


@pytest.fixture
def other_host():
    """A second server, reached as 'localhost': another host for the guard."""
    with FaultServer(articles=1, host="127.0.0.1") as srv:
        yield srv
