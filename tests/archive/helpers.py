"""Helpers of the archive tests: the demo portal in this process, crawls in subprocesses
of ``newscrawl crawl`` (as cron runs them), and readers of what they stored."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

from newscrawl.demo import DemoPortal

ROOT = Path(__file__).resolve().parents[2]

# Loopback portal: no politeness delay needed; a little delay where a test needs a crawl
# that lasts long enough to be killed or overlapped.
FAST = ["-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False",
        "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=8"]


def crawl_cmd(portal: DemoPortal, data_dir: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "newscrawl", "crawl", "demo", "--base-url", portal.base_url,
            "--data-dir", str(data_dir), *FAST, *extra]


def run_crawl(portal: DemoPortal, data_dir: Path, *extra: str, expect: int | None = 0
              ) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run(crawl_cmd(portal, data_dir, *extra), capture_output=True, text=True,
                          cwd=ROOT, timeout=120, env=crawl_env())
    if expect is not None:
        assert proc.returncode == expect, proc.stdout + proc.stderr
    return proc


def crawl_env() -> dict[str, str]:
    env = dict(os.environ)
    env.pop("SCRAPY_SETTINGS_MODULE", None)
    return env


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def jsonl_files(data_dir: Path) -> list[Path]:
    return sorted(data_dir.glob("*/articles/*.jsonl")) + sorted(data_dir.glob("*/duplicates/*.jsonl"))


def strict_records(data_dir: Path, kind: str = "articles") -> list[dict]:
    """Every line of every file parses, and every file ends with a line break."""
    out = []
    for path in sorted(data_dir.glob(f"*/{kind}/*.jsonl")):
        data = path.read_bytes()
        assert data.endswith(b"\n"), f"{path} ends inside a line"
        for n, line in enumerate(data.split(b"\n")[:-1], 1):
            try:
                out.append(json.loads(line))
            except ValueError as exc:
                raise AssertionError(f"{path}:{n} is not JSON: {line[:80]!r}") from exc
    return out


def truth_paths(portal: DemoPortal) -> dict[str, list[str]]:
    """Each article's first-page path → the paths of all its pages."""
    return {urlsplit(a["url"]).path: [urlsplit(u).path for u in a["pages"]]
            for a in portal.truth()["articles"]}


def last_run_report(data_dir: Path, site: str = "demo") -> dict:
    runs = sorted((data_dir / site / "runs").glob("*.json"))
    return json.loads(runs[-1].read_text("utf-8"))
