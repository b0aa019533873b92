"""One crawl of the demo portal (by the real ``newscrawl`` console script, against the
portal served on 127.0.0.1) shared by the analysts' tests, and a runner of the script."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from newscrawl.demo import DemoPortal

ROOT = Path(__file__).resolve().parents[2]
FAST = ["-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False",
        "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=8"]


def script() -> str:
    """The installed console script beside this Python (as a user runs it)."""
    beside = Path(sys.executable).with_name("newscrawl")
    found = str(beside) if beside.exists() else shutil.which("newscrawl")
    assert found, "the newscrawl console script is not installed (pip install -e .)"
    return found


def env() -> dict[str, str]:
    out = dict(os.environ)
    out.pop("SCRAPY_SETTINGS_MODULE", None)
    return out


def newscrawl(*args: str, cwd: Path | None = None, extra_env: dict[str, str] | None = None,
              timeout: float = 180) -> subprocess.CompletedProcess[str]:
    return subprocess.run([script(), *args], capture_output=True, text=True, cwd=cwd or ROOT,
                          timeout=timeout, env=env() | (extra_env or {}))


def records(data_dir: Path, kind: str = "*") -> list[dict]:
    out = []
    for path in sorted(data_dir.glob(f"*/{kind}/*.jsonl")):
        out += [json.loads(line) for line in path.read_text("utf-8").splitlines()]
    return out


@pytest.fixture(scope="session")
def demo_data(tmp_path_factory) -> Path:
    """A data folder holding one finished crawl of the demo portal (read-only for tests:
    copy it to change it)."""
    data = tmp_path_factory.mktemp("analysts") / "data"
    with DemoPortal(slow_seconds=0.3) as portal:
        proc = newscrawl("crawl", "demo", "--base-url", portal.base_url, "--data-dir", str(data),
                         *FAST)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert len(records(data)) >= 20
    return data
