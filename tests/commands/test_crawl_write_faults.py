"""A data folder that stops taking writes mid-crawl — a really full disk (a small tmpfs
mounted for the test; needs root) — ends the crawl with exit 73 and one line naming the
path; what was written stays whole; a rerun with space completes. And --max-articles N
stores at most N at full concurrency."""

from __future__ import annotations

import os
import subprocess

import pytest
from support.console_script import FAST, run_cli, stored_records

from newscrawl.archive.runstats import EXIT_CANT_WRITE
from newscrawl.demo import DemoPortal

pytestmark = pytest.mark.timeout(240)


@pytest.fixture
def portal():
    with DemoPortal(slow_seconds=0.3) as running:
        yield running


def test_disk_full_mid_crawl_exits_73_naming_the_path(tmp_path, portal):
    if os.geteuid() != 0:
        pytest.fail("mounting the small tmpfs of this test needs root")
    mount = tmp_path / "small"
    mount.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=160k", "tmpfs", str(mount)], check=True)
    try:
        data = mount / "data"
        args = ["crawl", "demo", "--base-url", portal.base_url, "--data-dir", str(data), *FAST,
                "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=8"]
        full = run_cli(*args, "--quiet", cwd=tmp_path)
        assert full.returncode == EXIT_CANT_WRITE, full.stderr[-3000:]
        assert full.stdout == ""
        lines = full.stderr.splitlines()
        assert len(lines) == 1, full.stderr[-3000:]
        line = lines[0]
        assert line.startswith(f"newscrawl crawl: cannot write {mount}") and "No space" in line
        first = stored_records(data)  # every line whole
        subprocess.run(["mount", "-o", "remount,size=64m", str(mount)], check=True)
        again = run_cli(*args, cwd=tmp_path)
        assert again.returncode == 0, again.stderr[-3000:]
        records = stored_records(data)
        assert len(records) >= len(portal.truth()["articles"]) - 2 > len(first)
        assert len({r["url"] for r in records}) == len(records)
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def test_max_articles_is_never_overshot(tmp_path, portal):
    proc = run_cli("crawl", "demo", "--base-url", portal.base_url, "--data-dir",
                   str(tmp_path / "data"), *FAST, "--max-articles", "5",
                   "-s", "CONCURRENT_REQUESTS=32", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=32",
                   "-s", "NEWSCRAWL_EXTRACT_WORKERS=2", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr[-3000:]
    records = stored_records(tmp_path / "data") + stored_records(tmp_path / "data", "duplicates")
    assert len(records) == 5
