"""Running real crawls of the fault server: one subprocess per crawl."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent

# Fast faults for tests: a stalled download gives up after 4 s (not less: on a loaded CI
# machine a healthy loopback response can take over a second), one retry, short backoff.
FAST = {
    "DOWNLOAD_TIMEOUT": 4,
    "RETRY_TIMES": 1,
    "NEWSCRAWL_RETRY_BACKOFF": 0.05,
    "AUTOTHROTTLE_ENABLED": False,
    "DOWNLOAD_DELAY": 0,
    "NEWSCRAWL_EXTRACT_WORKERS": 1,
    "LOG_LEVEL": "INFO",
    "TELNETCONSOLE_ENABLED": False,
    "TWISTED_DNS_RESOLVER": "loopback_resolver.LoopbackOnlyResolver",
}


class CrawlJob:
    """One real crawl of the project's spider in a subprocess, stored into an archive under
    ``folder/data``. Start many at once (they mostly wait on sockets), then ``result()``."""

    def __init__(self, folder: Path, urls: list[str], settings: dict | None = None,
                 spider: str = "newscrawl.spiders.urls.UrlsSpider",
                 spider_args: dict | None = None) -> None:
        self.folder = folder
        self.out = folder / "result.json"
        cfg = {
            "spider": spider,
            "spider_args": {**({"urls": " ".join(urls)} if urls else {}), **(spider_args or {})},
            "data_dir": str(folder / "data"),
            "settings": {**FAST, "LOG_FILE": str(folder / "crawl.log"), **(settings or {})},
            "out": str(self.out),
        }
        cfg_path = folder / "crawl.json"
        cfg_path.write_text(json.dumps(cfg))
        self.proc = subprocess.Popen([sys.executable, str(HERE / "fault_crawl_runner.py"), str(cfg_path)],
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                     cwd=folder)

    def result(self, timeout: float = 90) -> dict:
        """{"stats", "items", "stored" (records read back from the JSONL files),
        "spider_errors", "log"}."""
        try:
            _, stderr = self.proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            raise
        log_path = self.folder / "crawl.log"
        log = log_path.read_text(errors="replace") if log_path.exists() else ""
        assert self.proc.returncode == 0, stderr[-3000:] + log[-3000:]
        result = json.loads(self.out.read_text())
        result["log"] = log
        return result


def run_crawl(folder: Path, urls: list[str], settings: dict | None = None, **kwargs) -> dict:
    return CrawlJob(folder, urls, settings, **kwargs).result()
