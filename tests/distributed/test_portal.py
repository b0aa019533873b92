"""Scale-out on the demo portal: `newscrawl seed` + three `newscrawl worker` processes on
a real redis-server, one of them SIGKILLed midway, another stopped with SIGTERM.

- every article is stored exactly once across all shards, each worker writing only
  files that carry its id;
- the killed worker loses nothing: its in-flight requests come back and are crawled by
  the others;
- the records equal a single-machine crawl of the same portal (canonical URLs and
  content hashes, reposts included);
- a second run (seed again) stores nothing new and fetches no stored article again.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from newscrawl.archive.jsonl import read_jsonl
from newscrawl.archive.layout import DataLayout
from newscrawl.demo import DemoPortal
from newscrawl.distributed.keys import Keys

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]

# Quick against our own loopback server, but slow enough that a worker has requests in
# flight when it is killed; short heartbeats so the others notice in seconds.
CRAWL_SETTINGS: dict[str, Any] = {
    "DOWNLOAD_DELAY": 0.05,
    "AUTOTHROTTLE_ENABLED": False,
    "CONCURRENT_REQUESTS_PER_DOMAIN": 2,
    "DOWNLOAD_TIMEOUT": 1.0,
    "RETRY_TIMES": 1,
    "LOG_LEVEL": "INFO",
    "NEWSCRAWL_CONTACT": "distributed-tests@example.invalid",
}
WORKER_SETTINGS = {**CRAWL_SETTINGS, "NEWSCRAWL_REDIS_HEARTBEAT_TTL": 2.5,
                   "NEWSCRAWL_REDIS_TICK": 0.3}


def newscrawl(*args: str) -> list[str]:
    return [sys.executable, "-m", "newscrawl", *args]


def set_options(settings: dict[str, Any]) -> list[str]:
    return [a for k, v in settings.items() for a in ("-s", f"{k}={v}")]


def records(data: Path, duplicates: bool = False) -> list[tuple[str, dict[str, Any]]]:
    layout = DataLayout(data)
    return [(p.name, r) for p in layout.record_files("demo", duplicates=duplicates)
            for r in read_jsonl(p)]


def fingerprint(recs: list[tuple[str, dict[str, Any]]]) -> list[tuple[str, str]]:
    return sorted((r["canonical_url"], r["content_hash"]) for _, r in recs)


class Cluster:
    """Worker processes of one test, with their logs."""

    def __init__(self, redis_url: str, data: Path, logs: Path) -> None:
        self.redis_url, self.data, self.logs = redis_url, data, logs
        self.procs: dict[str, subprocess.Popen] = {}
        self.env = {**os.environ, "PYTHONUNBUFFERED": "1"}

    def seed(self, base_url: str) -> str:
        proc = subprocess.run(
            newscrawl("seed", "demo", "--base-url", base_url, "--redis", self.redis_url,
                      "--log-level", "WARNING"),
            capture_output=True, text=True, timeout=60, cwd=self.data.parent, env=self.env)
        assert proc.returncode == 0, proc.stderr[-3000:]
        return proc.stdout

    def start(self, worker: str) -> None:
        log = open(self.logs / f"{worker}.log", "ab")  # noqa: SIM115 - lives with the process
        self.procs[worker] = subprocess.Popen(
            newscrawl("worker", "--redis", self.redis_url, "--worker-id", worker,
                      "--data-dir", str(self.data), "--idle-exit", "1", "--poll", "0.3",
                      *set_options(WORKER_SETTINGS)),
            stdout=log, stderr=subprocess.STDOUT, cwd=self.data.parent, env=self.env)

    def log(self, worker: str) -> str:
        return (self.logs / f"{worker}.log").read_text("utf-8", "replace")

    def wait(self, worker: str, timeout: float = 60) -> int:
        try:
            return self.procs[worker].wait(timeout)
        except subprocess.TimeoutExpired:
            self.procs[worker].kill()
            raise AssertionError(f"{worker} did not finish:\n{self.log(worker)[-4000:]}") from None

    def kill_all(self) -> None:
        for proc in self.procs.values():
            if proc.poll() is None:
                proc.kill()
                proc.wait()


@pytest.fixture(scope="module")
def portal():
    with DemoPortal(slow_seconds=2.5) as running:
        yield running


@pytest.fixture(scope="module")
def single(portal, tmp_path_factory) -> Path:
    """The reference: one process, embedded archive."""
    data = tmp_path_factory.mktemp("single") / "data"
    proc = subprocess.run(
        [sys.executable, str(ROOT / "tests" / "support" / "single_crawl.py"), portal.base_url, str(data),
         json.dumps(CRAWL_SETTINGS)],
        capture_output=True, text=True, timeout=120, cwd=data.parent)
    assert proc.returncode == 0, proc.stderr[-4000:]
    return data


@pytest.fixture(scope="module")
def cluster_run(portal, redis_server, tmp_path_factory):
    redis_server.client.flushall()
    work = tmp_path_factory.mktemp("cluster")
    cluster = Cluster(redis_server.url, work / "data", work)
    server = redis_server.client
    keys = Keys()
    portal.clear_log()
    try:
        seeded = cluster.seed(portal.base_url)
        cluster.start("w1")
        # w1 works alone until it has stored something and holds requests in flight; then
        # the others join, and w1 is killed while it still holds some.
        deadline = time.monotonic() + 30
        while not (server.hlen(keys.processing("demo", "w1")) >= 1
                   and server.hlen(keys.seen("demo")) >= 3):
            assert time.monotonic() < deadline, cluster.log("w1")[-4000:]
            time.sleep(0.02)
        cluster.start("w2")
        cluster.start("w3")
        time.sleep(0.3)
        held = server.hlen(keys.processing("demo", "w1"))
        cluster.procs["w1"].send_signal(signal.SIGKILL)
        cluster.procs["w1"].wait()
        # w3 leaves politely (SIGTERM) once it holds requests: they go back at once.
        deadline = time.monotonic() + 10
        while not server.hlen(keys.processing("demo", "w3")) and time.monotonic() < deadline:
            time.sleep(0.02)
        w3_held = server.hlen(keys.processing("demo", "w3"))
        cluster.procs["w3"].send_signal(signal.SIGTERM)
        codes = {w: cluster.wait(w) for w in ("w2", "w3")}
        requests = list(portal.requests)
        yield {"cluster": cluster, "seeded": seeded, "held": held, "codes": codes,
               "w3_held": w3_held,
               "data": cluster.data, "server": server, "requests": requests}
    finally:
        cluster.kill_all()


def test_killed_worker_loses_nothing_and_every_article_is_stored_once(cluster_run, portal):
    cluster, data = cluster_run["cluster"], cluster_run["data"]
    assert "1 start request(s) of 'demo' queued" in cluster_run["seeded"]
    assert cluster_run["codes"] == {"w2": 0, "w3": 0}, cluster.log("w2")[-3000:]
    assert cluster_run["held"] > 0, "w1 held nothing when killed: the test proved nothing"
    logs = cluster.log("w2") + cluster.log("w3")
    assert "Workers w1 of site 'demo' stopped beating" in logs
    # w3 left on SIGTERM holding requests; it handed them back rather than dropping them.
    assert cluster_run["w3_held"] > 0, "w3 held nothing when stopped: the test proved nothing"
    assert "Worker w3: stopping" in cluster.log("w3")
    stored = records(data)
    urls = [r["url"] for _, r in stored]
    assert len(urls) == len(set(urls)), "an article was stored twice"
    truth = {a["url"] for a in portal.truth()["articles"]}
    assert set(urls) == truth, f"missing {truth - set(urls)}, extra {set(urls) - truth}"
    # Each worker wrote only its own shards; w1's records before the kill are kept.
    by_worker = {name.split(".")[-2] for name, _ in stored}
    assert by_worker <= {"w1", "w2", "w3"} and len(by_worker) >= 2
    for folder in ("warc", "runs"):
        for path in (data / "demo" / folder).iterdir():
            assert any(w in path.name for w in ("w1", "w2", "w3")), path
    # Nothing is left in Redis but the cross-run state: the run is over.
    server, keys = cluster_run["server"], Keys()
    assert server.zcard(keys.queue("demo")) == 0
    for w in ("w1", "w2", "w3"):
        assert server.hlen(keys.processing("demo", w)) == 0
        assert server.hlen(keys.pending("demo", w)) == 0
    assert server.exists(keys.dupefilter("demo")) == 0
    assert server.hlen(keys.seen("demo")) == len(truth)
    status = subprocess.run(newscrawl("worker", "--redis", cluster.redis_url, "--status"),
                            capture_output=True, text=True, timeout=60)
    assert json.loads(status.stdout) == {"site": "demo", "queued": 0, "in_flight": {},
                                         "dead_workers": [], "articles": len(truth),
                                         "run_active": False}


def test_the_result_equals_a_single_machine_crawl(cluster_run, single):
    assert fingerprint(records(cluster_run["data"])) == fingerprint(records(single))
    assert fingerprint(records(cluster_run["data"], duplicates=True)) == \
        fingerprint(records(single, duplicates=True))


def test_a_second_run_stores_nothing_new_and_refetches_no_article(cluster_run, portal):
    cluster = cluster_run["cluster"]
    before = fingerprint(records(cluster_run["data"]))
    articles = {a["url"].split("://", 1)[1].split("/", 1)[1] for a in portal.truth()["articles"]}
    portal.clear_log()
    assert "1 start request(s) of 'demo' queued" in cluster.seed(portal.base_url)
    cluster.start("w4")
    cluster.start("w5")
    assert (cluster.wait("w4"), cluster.wait("w5")) == (0, 0)
    assert fingerprint(records(cluster_run["data"])) == before
    fetched = {r.path.lstrip("/") for r in portal.requests}
    assert "" in fetched or "index.html" in fetched  # the run did crawl the lists again
    assert not fetched & articles, f"stored articles fetched again: {fetched & articles}"


def test_crawl_with_redis_on_two_hosts_at_once_shares_one_run(portal, redis_server, tmp_path):
    """`newscrawl crawl SITE --redis` twice at once (two hosts' cron jobs): one run, both
    processes crawl it, every article stored once. Its own key prefix keeps it apart from
    the cluster of the other tests on the same Redis."""
    data = tmp_path / "data"
    common = ["crawl", "demo", "--base-url", portal.base_url, "--redis", redis_server.url,
              "--redis-prefix", "twohosts", "--data-dir", str(data),
              *set_options({**CRAWL_SETTINGS, "LOG_LEVEL": "WARNING"})]
    procs = [subprocess.Popen(newscrawl(*common, "--worker-id", host), cwd=tmp_path,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for host in ("hostA", "hostB")]
    outputs = [p.communicate(timeout=90) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outputs
    for (out, _), host in zip(outputs, ("hostA", "hostB"), strict=True):
        assert f"{host}.json" in out  # each printed its own summary and stats file
    urls = [r["url"] for _, r in records(data)]
    assert len(urls) == len(set(urls))
    assert set(urls) == {a["url"] for a in portal.truth()["articles"]}
    assert not redis_server.client.exists(Keys("twohosts").queue("demo"))
