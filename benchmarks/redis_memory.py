"""How much Redis memory a distributed crawl needs, measured: per million URLs.

Starts its own redis-server (from PATH) on a free port, then for N URLs (default 10,000
and 100,000) fills, one component at a time, exactly the keys a crawl fills:

- request queue: N requests queued at once (scrapy-redis sorted set of serialised
  ``Request.to_dict`` entries, as our ReliablePriorityQueue pushes them with our compact
  serializer) — the peak of a run whose discovery outruns its fetching — beside stock
  scrapy-redis's full pickle as the baseline (ratio printed);
- request dupefilter: N request fingerprints (our 20-byte digests), beside stock
  scrapy-redis's 40-hex-character fingerprints as the baseline (ratio printed);
- in flight: 1,000 requests parked in one worker's processing hash (a worker holds
  at most about CONCURRENT_REQUESTS of them);
- article state: N stored articles in the layout of ``RedisState`` (canonical URL ->
  "content hash, version"; content hash -> first URL), the part kept across runs.

It prints INFO memory ``used_memory`` after each step and extrapolates per million URLs
from the largest N. Run: ``python benchmarks/redis_memory.py [--sizes 10000 100000]``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import redis
from scrapy import Request
from scrapy.utils.test import get_crawler

from newscrawl.distributed import serializer
from newscrawl.distributed.dupefilter import FingerprintDupeFilter
from newscrawl.distributed.keys import Keys
from newscrawl.distributed.queue import ReliablePriorityQueue
from newscrawl.distributed.settings import redis_settings
from newscrawl.profiles import SiteProfile
from newscrawl.spiders.portal import PortalSpider

SITE = "bench"
BATCH = 5000


@contextmanager
def redis_server() -> Iterator[redis.Redis]:
    binary = shutil.which("redis-server")
    if binary is None:
        sys.exit("redis-server is not on PATH (apt-get install redis-server)")
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with tempfile.TemporaryDirectory() as workdir:
        proc = subprocess.Popen(
            [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", workdir],
            stdout=subprocess.DEVNULL,
        )
        client = redis.Redis(port=port)
        try:
            for _ in range(200):
                try:
                    client.ping()
                    break
                except redis.ConnectionError:
                    time.sleep(0.05)
            yield client
        finally:
            proc.terminate()
            proc.wait(10)


def url_for(i: int) -> str:
    day = 1 + i % 28
    return f"https://news.portal-example.cn/news/guonei/2026-11/{day:02d}/content_{10_000_000 + i}.htm"


def used_memory(server: redis.Redis) -> int:
    return int(server.info("memory")["used_memory"])


def fill(server: redis.Redis, n: int, add: Callable[[Any, int], None]) -> int:
    """Run ``add(pipeline, i)`` for i < n in batches; return the used_memory growth."""
    before = used_memory(server)
    for start in range(0, n, BATCH):
        pipe = server.pipeline(transaction=False)
        for i in range(start, min(n, start + BATCH)):
            add(pipe, i)
        pipe.execute()
    return used_memory(server) - before


def measure(server: redis.Redis, n: int) -> dict[str, int]:
    server.flushall()
    # The real portal spider, so queued requests are exactly what it pushes.
    crawler = get_crawler(PortalSpider, redis_settings("redis://127.0.0.1/0", SITE, "bench-1"))
    spider = PortalSpider.from_crawler(
        crawler, profile=SiteProfile.for_url("https://news.portal-example.cn/"))
    keys = Keys()
    queue = ReliablePriorityQueue(server, spider, keys.queue(SITE), serializer)
    stock_queue = ReliablePriorityQueue(server, spider, "stock-scrapy-redis-queue")
    fingerprinter = crawler.request_fingerprinter
    stock = FingerprintDupeFilter(server, "stock-scrapy-redis-dupefilter")

    def request(i: int) -> Request:
        queued = spider.page_request(url_for(i), priority=i % 2)
        queued.meta["depth"] = 2  # what DepthMiddleware adds before it is scheduled
        return queued

    out: dict[str, int] = {}
    out["queue"] = fill(server, n, lambda p, i: p.zadd(
        queue.key, {queue._encode_request(request(i)): -request(i).priority}))
    # Baseline: scrapy-redis 0.9.1's default serializer (pickle of the full to_dict()).
    out["queue_stock"] = fill(server, n, lambda p, i: p.zadd(
        stock_queue.key, {stock_queue._encode_request(request(i)): -request(i).priority}))
    out["dupefilter"] = fill(server, n, lambda p, i: p.sadd(
        keys.dupefilter(SITE), fingerprinter.fingerprint(Request(url_for(i)))))
    # Baseline: scrapy-redis 0.9.1's own fingerprint, a 40-character hex string.
    out["dupefilter_stock"] = fill(server, n, lambda p, i: p.sadd(
        stock.key, super(FingerprintDupeFilter, stock).request_fingerprint(Request(url_for(i)))))
    out["inflight_1000"] = fill(server, 1000, lambda p, i: p.hset(
        keys.processing(SITE, "bench-1"), f"run.{i}\t0", queue._encode_request(request(i))))

    def article(p: Any, i: int) -> None:
        # The layout of newscrawl.archive.redis.RedisState for one stored article.
        content_hash = "sha256:" + hashlib.sha256(f"body {i}".encode()).hexdigest()
        p.hset(keys.seen(SITE), url_for(i), f"{content_hash}\t1")
        p.hset(keys.fingerprints(SITE), content_hash, url_for(i))

    out["article_state"] = fill(server, n, article)
    server.delete(stock.key, stock_queue.key)  # the baselines are not part of a crawl
    out["total"] = used_memory(server)
    # What persistence writes: the RDB snapshot of all of it (AOF after a rewrite is of
    # the same order).
    server.save()
    folder = server.config_get("dir")["dir"]
    name = server.config_get("dbfilename")["dbfilename"]
    out["rdb_file"] = os.path.getsize(os.path.join(folder, name))
    return out


def mib(value: float) -> str:
    return f"{value / 2**20:8.1f} MiB"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--json", action="store_true", help="print the numbers as JSON too")
    args = parser.parse_args(argv)
    results: dict[int, dict[str, int]] = {}
    with redis_server() as server:
        version = server.info("server")["redis_version"]
        for n in args.sizes:
            results[n] = measure(server, n)
    print(f"Redis {version}: used_memory growth (INFO memory)")
    rows = ["queue", "queue_stock", "dupefilter", "dupefilter_stock", "article_state"]
    print(f"{'component':<18}" + "".join(f"{'N=' + format(n, ','):>16}" for n in results)
          + f"{'per 1M URLs':>16}{'bytes/URL':>11}")
    largest = max(results)
    for row in rows:
        cells = "".join(f"{mib(results[n][row]):>16}" for n in results)
        per_url = results[largest][row] / largest
        print(f"{row:<18}{cells}{mib(per_url * 1_000_000):>16}{per_url:>11.0f}")
    per_inflight = results[largest]["inflight_1000"] / 1000
    print(f"in flight (a worker's processing hash): {per_inflight:.0f} bytes per request held")
    for ours, stock, what in (("queue", "queue_stock", "request serializer"),
                              ("dupefilter", "dupefilter_stock", "request fingerprint")):
        ratio = results[largest][ours] / results[largest][stock]
        print(f"{ours} memory, ours / stock scrapy-redis {what}: {ratio:.2f}")
    total, rdb = results[largest]["total"], results[largest]["rdb_file"]
    print(f"a crawl's keys at N={largest:,}: used_memory {mib(total).strip()}, RDB snapshot "
          f"{mib(rdb).strip()} ({rdb / largest:.0f} bytes/URL on disk)")
    run_peak = (results[largest]["queue"] + results[largest]["dupefilter"]) / largest
    state = results[largest]["article_state"] / largest
    print(f"a run's peak (all URLs queued + fingerprinted): {mib(run_peak * 1e6).strip()} per 1M URLs;"
          f" article state kept across runs: {mib(state * 1e6).strip()} per 1M articles")
    if args.json:
        print(json.dumps({str(n): r for n, r in results.items()}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
