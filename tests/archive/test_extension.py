"""A crawl killed (SIGKILL) at random points, or stopped with Ctrl-C, then run again:
every article stored exactly once, every line of every JSONL file parses, nothing lost."""

from __future__ import annotations

import json
import random
import signal
import subprocess
import time
from collections import Counter
from urllib.parse import urlsplit

from .helpers import ROOT, crawl_cmd, crawl_env, run_crawl, strict_records, truth_paths

# Slow the crawl down so that it lasts a few seconds and the kills land inside it.
SLOW = ["-s", "DOWNLOAD_DELAY=0.05", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=2",
        "-s", "NEWSCRAWL_COMMIT_EVERY=3"]


def _wait_until_crawling(proc, data, timeout=30.0):
    """Until the run holds the site lock (imports done, crawl starting)."""
    lock = data / "demo" / ".lock"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if lock.exists() and f"pid {proc.pid} " in lock.read_text():
            return
        assert proc.poll() is None, "the crawl ended before it started"
        time.sleep(0.02)
    raise AssertionError("the crawl did not start")


def _assert_exactly_once(portal, data):
    records = strict_records(data)
    counts = Counter(urlsplit(r["canonical_url"]).path for r in records)
    assert sorted(counts) == sorted(truth_paths(portal)), "an article is missing or extra"
    assert set(counts.values()) == {1}, [k for k, v in counts.items() if v > 1]
    assert all(r["version"] == 1 for r in records)


def test_sigkill_at_random_points_then_rerun(portal, tmp_path):
    data = tmp_path / "data"
    seed = random.randrange(1 << 30)
    rng = random.Random(seed)
    stored_before = 0
    for _ in range(4):
        proc = subprocess.Popen(crawl_cmd(portal, data, *SLOW), cwd=ROOT, env=crawl_env(),
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        _wait_until_crawling(proc, data)
        time.sleep(rng.uniform(0.0, 1.5))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        # Whatever was cut mid-write, every complete line already parses; the torn tail (if
        # any) is repaired by the next run before it writes.
        for path in data.glob("demo/articles/*.jsonl"):
            for line in path.read_bytes().split(b"\n")[:-1]:
                json.loads(line)
        stored = sum(1 for p in data.glob("demo/articles/*.jsonl")
                     for _ in p.read_bytes().split(b"\n")[:-1])
        assert stored >= stored_before, f"records disappeared (seed {seed})"
        stored_before = stored
    run_crawl(portal, data, *SLOW)
    _assert_exactly_once(portal, data)
    # A further run adds nothing.
    run_crawl(portal, data)
    _assert_exactly_once(portal, data)


def test_ctrl_c_then_resume_from_jobdir(portal, tmp_path):
    data = tmp_path / "data"
    proc = subprocess.Popen(crawl_cmd(portal, data, *SLOW), cwd=ROOT, env=crawl_env(),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    _wait_until_crawling(proc, data)
    # The lock is taken before Scrapy builds its engine (and imports its middlewares):
    # on a loaded machine that takes seconds. Interrupt a crawl that is fetching.
    deadline = time.monotonic() + 60
    while not portal.requested_paths("127.0.0.1") and time.monotonic() < deadline:
        assert proc.poll() is None, "the crawl ended before it fetched"
        time.sleep(0.05)
    time.sleep(1.0)
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, out + err
    jobdir = data / "demo" / "job"
    assert (jobdir / "newscrawl-resumable").exists(), "Ctrl-C must leave a resumable JOBDIR"
    partial = len(strict_records(data))
    assert partial < len(truth_paths(portal)), "the crawl finished before Ctrl-C: slow it down"
    resumed = run_crawl(portal, data, *SLOW, "--log-level", "INFO")
    assert "resuming the interrupted run" in resumed.stderr
    _assert_exactly_once(portal, data)
    assert not jobdir.exists(), "a finished run leaves no JOBDIR behind"
