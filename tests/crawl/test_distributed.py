"""What --redis changes in a crawl's settings (newscrawl.crawl.distributed), and what it
leaves alone."""

from __future__ import annotations

import pytest

from newscrawl.crawl.distributed import distributed_settings
from newscrawl.crawl.settings import project_settings

URL = "redis://127.0.0.1:6379/0"


def test_worker_settings_shard_the_archive_and_keep_what_the_user_set():
    base = project_settings()
    base.set("NEWSCRAWL_REFRESH", "True", priority="cmdline")
    base.set("CONCURRENT_REQUESTS_PER_DOMAIN", 3, priority="cmdline")
    s = distributed_settings(base, role="worker", redis_url=URL, site="demo",
                             worker_id="host 1", data_dir="d")
    assert s["SCHEDULER"] == "newscrawl.distributed.scheduler.ReliableScheduler"
    assert s["SCHEDULER_QUEUE_CLASS"] == "newscrawl.distributed.queue.ReliablePriorityQueue"
    assert s["DUPEFILTER_CLASS"] == "newscrawl.distributed.dupefilter.FingerprintDupeFilter"
    assert s["SCHEDULER_QUEUE_KEY"] == "newscrawl:site:demo:requests"
    assert s.getbool("SCHEDULER_PERSIST")
    assert s["NEWSCRAWL_WORKER_ID"] == "host-1"  # fit for file names
    assert s["NEWSCRAWL_RUN_ID"].endswith("-host-1")
    assert not s.get("JOBDIR")
    assert s.getbool("NEWSCRAWL_ARCHIVE_ENABLED") and s.getbool("NEWSCRAWL_REFRESH")
    extensions = s.getdict("EXTENSIONS")
    assert extensions["newscrawl.archive.extension.ArchiveExtension"] is None
    assert "newscrawl.distributed.archive.ShardedArchiveExtension" in extensions
    assert "newscrawl.distributed.components.WorkerStart" in s.getdict("SPIDER_MIDDLEWARES")
    assert s.getint("CONCURRENT_REQUESTS") == 3


def test_seed_settings_store_nothing_and_download_nothing():
    s = distributed_settings(project_settings(), role="seed", redis_url=URL, site="demo",
                             worker_id="w")
    assert s["SCHEDULER"] == "newscrawl.distributed.components.SeedScheduler"
    assert not s.getbool("NEWSCRAWL_ARCHIVE_ENABLED")
    assert s.getbool("NEWSCRAWL_REDIS_REGISTER")


def test_without_redis_nothing_is_distributed():
    s = project_settings()
    assert "scrapy_redis" not in str(s.get("SCHEDULER")) and "distributed" not in str(s.get("SCHEDULER"))
    assert not s.get("NEWSCRAWL_WORKER_ID")


def test_a_bad_redis_url_is_refused():
    with pytest.raises(ValueError, match="redis://host:port/db"):
        distributed_settings(project_settings(), role="crawl", redis_url="localhost:6379",
                             site="demo", worker_id="w")
