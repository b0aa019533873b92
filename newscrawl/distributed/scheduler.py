"""scrapy-redis's scheduler with acknowledgements, heartbeats and shared run ends.

What ``scrapy_redis.scheduler.Scheduler`` already does and we keep: the request queue and
the duplicate filter live in Redis and every worker of a site shares them
(``SCHEDULER_QUEUE_KEY``, ``SCHEDULER_DUPEFILTER_KEY``), requests are serialised with
``Request.to_dict`` (callbacks by name, so any worker running the same spider can run them).

What this subclass adds, through scrapy-redis's extension points (``SCHEDULER``,
``SCHEDULER_QUEUE_CLASS``, ``DUPEFILTER_CLASS``) rather than a queue of our own:

- **Nothing in flight is lost.** The queue class (:class:`ReliablePriorityQueue`) parks a
  popped request in this worker's processing hash. A request is acknowledged (removed
  from that hash) once Scrapy's engine has finished with it: downloaded, its callback run,
  the requests it yielded pushed to Redis and its items through the item pipelines. A
  worker killed midway leaves its hash behind; its heartbeat key expires and another
  worker moves the hash back into the queue.
- **A run ends when the site is drained, not when one worker is idle.** An idle worker
  keeps its spider open (``DontCloseSpider``) while other workers still hold requests of
  the site: their callbacks may yield more work, or they may die and their requests come
  back. When the queue and every processing hash are empty the run is over and the
  site's request fingerprints are dropped, so the next run (next hour's cron) fetches list
  pages again; stored articles are skipped by the cross-run article state instead.
- **Leaving is clean.** On close (Ctrl-C, SIGTERM, ``CLOSESPIDER_*``) whatever the worker
  still holds goes back to the queue.
"""

from __future__ import annotations

import json
import logging
import os
import socket
from typing import Any

from scrapy import Request, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import DontCloseSpider
from scrapy.utils.misc import load_object
from scrapy_redis.scheduler import Scheduler
from twisted.internet.task import LoopingCall
from twisted.python.failure import Failure

from newscrawl.distributed.keys import Keys
from newscrawl.distributed.queue import (
    ReliablePriorityQueue,
    end_run_if_drained,
    requeue_dead_workers,
)
from newscrawl.distributed.signals import worker_died

logger = logging.getLogger(__name__)

class WorkerIdInUse(RuntimeError):
    """Another live process already runs with this worker id."""


def process_identity() -> str:
    """What the heartbeat key holds: which host and process own a worker id."""
    return json.dumps({"host": socket.gethostname(), "pid": os.getpid()}, sort_keys=True)


def _owner_is_gone(identity: bytes | str) -> bool:
    """True when the heartbeat belongs to a process on this host that no longer exists."""
    try:
        owner = json.loads(identity)
    except ValueError:
        return False
    if owner.get("host") != socket.gethostname():
        return False
    try:
        os.kill(int(owner["pid"]), 0)
    except ProcessLookupError:
        return True
    except (OSError, KeyError, ValueError):
        return False
    return False


def claim_worker_id(server: Any, keys: Keys, worker_id: str, ttl: float) -> None:
    """Take ``worker_id`` for this process (its heartbeat key), or raise WorkerIdInUse if a
    live process holds it. A holder on this host whose process is gone does not count."""
    key = keys.heartbeat(worker_id)
    identity = process_identity()
    ttl_ms = int(ttl * 1000)
    if server.set(key, identity, nx=True, px=ttl_ms):
        return
    owner = server.get(key)
    if owner is None or owner.decode() == identity or _owner_is_gone(owner):
        server.set(key, identity, px=ttl_ms)
        return
    raise WorkerIdInUse(
        f"worker id {worker_id!r} is in use by {owner.decode()}; choose another "
        f"--worker-id, or wait {ttl:g}s if that process has stopped"
    )


class ReliableScheduler(Scheduler):
    """Settings (besides scrapy-redis's own): ``NEWSCRAWL_WORKER_ID`` (required),
    ``NEWSCRAWL_REDIS_SITE``, ``NEWSCRAWL_REDIS_PREFIX``, ``NEWSCRAWL_REDIS_HEARTBEAT_TTL``
    (seconds without a heartbeat before a worker counts as dead, default 15) and
    ``NEWSCRAWL_REDIS_TICK`` (seconds between heartbeats, acknowledgements and reaping,
    default 1)."""

    crawler: Crawler
    queue: ReliablePriorityQueue
    _ticker: LoopingCall | None
    df: Any

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ReliableScheduler:
        settings = crawler.settings
        if not settings.get("NEWSCRAWL_WORKER_ID"):
            raise ValueError("ReliableScheduler needs the NEWSCRAWL_WORKER_ID setting")
        instance: ReliableScheduler = super().from_crawler(crawler)
        # Shared state must outlive any one worker: never flush on close.
        instance.persist = True
        instance.crawler = crawler
        instance.worker_id = settings["NEWSCRAWL_WORKER_ID"]
        instance.keys = Keys(settings.get("NEWSCRAWL_REDIS_PREFIX") or Keys().prefix)
        instance.heartbeat_ttl = settings.getfloat("NEWSCRAWL_REDIS_HEARTBEAT_TTL", 15.0)
        instance.tick_interval = settings.getfloat("NEWSCRAWL_REDIS_TICK", 1.0)
        instance.identity = process_identity()
        instance._ticker = None
        return instance

    # -- lifecycle -------------------------------------------------------------------
    def open(self, spider: Any) -> None:
        # scrapy-redis's open() builds the queue and filter the same way, then logs
        # through Spider.log(), deprecated in current Scrapy; hence our own copy.
        self.spider = spider
        queue_cls = load_object(self.queue_cls)
        if not issubclass(queue_cls, ReliablePriorityQueue):
            raise ValueError(
                "ReliableScheduler needs SCHEDULER_QUEUE_CLASS = "
                "'newscrawl.distributed.queue.ReliablePriorityQueue' (or a subclass)"
            )
        self.queue = queue_cls(server=self.server, spider=spider,
                               key=self.queue_key % {"spider": spider.name},
                               serializer=self.serializer)
        if not self.df:
            self.df = load_object(self.dupefilter_cls).from_spider(spider)
        if self.flush_on_start:
            self.flush()
        _engine_inprogress(self.crawler)  # fail now, not mid-crawl, on an unknown Scrapy
        self.site = self.queue.site
        self._claim_worker_id()
        # A run whose last worker died while idle left its fingerprints behind: with nothing
        # queued or held, it is over, and this crawl's start requests begin the next one.
        if (self.end_run_if_drained(quiet=True)
                and self.crawler.settings.get("NEWSCRAWL_REDIS_ROLE") == "crawl"):
            logger.info("No run of %r is going: this crawl starts one", self.site)
        # A previous process with our id may have died holding requests and half-written
        # records: settle the records, then put the requests back.
        if not self._settle(self.worker_id):
            raise RuntimeError(f"could not settle what an earlier worker {self.worker_id!r} "
                               "left unfinished (see the log above)")
        left = self.queue.requeue_own()
        if left:
            logger.warning("Requeued %d requests left by an earlier run of worker %s",
                           left, self.worker_id)
            self._inc("newscrawl/redis/requeued_own_leftovers", left)
        self._beat()
        self._reap()
        self._ticker = LoopingCall(self._tick)
        self._ticker.start(self.tick_interval, now=False)
        self.crawler.signals.connect(self._on_idle, signal=signals.spider_idle)
        logger.info("Worker %s joined site %r on %s (%d requests queued)",
                    self.worker_id, self.site, self.queue.key, len(self.queue))

    def close(self, reason: str) -> None:
        if self._ticker is not None and self._ticker.running:
            self._ticker.stop()
        self._sweep()
        back = self.queue.requeue_own()
        if back:
            logger.info("Worker %s left %d unfinished requests in the queue", self.worker_id, back)
            self._inc("newscrawl/redis/requeued_on_close", back)
        if self.queue.undecodable:
            self._inc("newscrawl/redis/undecodable", self.queue.undecodable)
        # Holding nothing now: leave the site's worker set, so nobody reaps us later.
        # The heartbeat key is left to expire: other crawlers of this process may share it.
        self.server.srem(self.keys.site_workers(self.site), self.worker_id)
        self.end_run_if_drained(quiet=True)

    # -- scheduling -------------------------------------------------------------------
    # scrapy-redis's versions pass ``spider=`` to the stats collector, deprecated in
    # current Scrapy; same logic otherwise.
    def enqueue_request(self, request: Request) -> bool:
        if not request.dont_filter and self.df.request_seen(request):
            self.df.log(request, self.spider)
            return False
        self._inc("scheduler/enqueued/redis")
        self.queue.push(request)
        return True

    def next_request(self) -> Request | None:
        self._sweep()
        request = self.queue.pop()
        if request is not None:
            self._inc("scheduler/dequeued/redis")
        return request

    # -- the periodic work ------------------------------------------------------------
    def _tick(self) -> None:
        try:
            self._beat()
            self._sweep()
            self._reap()
            # Requeued or newly pushed requests start now, and a drained site closes now,
            # rather than at the idle engine's next 5-second heartbeat.
            _wake_engine(self.crawler)
        except Exception:  # a Redis hiccup must not stop the heartbeat loop for good
            logger.exception("Redis housekeeping of worker %s failed", self.worker_id)

    def _claim_worker_id(self) -> None:
        claim_worker_id(self.server, self.keys, self.worker_id, self.heartbeat_ttl)

    def _beat(self) -> None:
        pipe = self.server.pipeline()
        pipe.set(self.keys.heartbeat(self.worker_id), self.identity,
                 px=int(self.heartbeat_ttl * 1000))
        pipe.sadd(self.keys.site_workers(self.site), self.worker_id)
        pipe.sadd(self.keys.workers(), self.worker_id)
        pipe.sadd(self.keys.sites(), self.site)
        pipe.execute()

    def _sweep(self) -> None:
        """Acknowledge the requests the engine has finished with."""
        if not self.queue.inflight:
            return
        inprogress = _engine_inprogress(self.crawler)
        done = [r for r in self.queue.inflight if r not in inprogress]
        if done:
            self._inc("newscrawl/redis/acked", self.queue.ack(done))

    def _settle(self, worker: str) -> bool:
        """Let the archive settle a dead worker's records before its requests return."""
        results = self.crawler.signals.send_catch_log(
            signal=worker_died, site=self.site, worker=worker)
        failures = [r for _, r in results if isinstance(r, Failure)]
        for failure in failures:
            logger.error("Settling worker %s of %r failed: %s", worker, self.site,
                         failure.getErrorMessage())
        return not failures

    def _reap(self) -> None:
        moved, dead = requeue_dead_workers(self.server, self.keys, self.site,
                                           before=self._settle)
        if dead:
            logger.warning("Workers %s of site %r stopped beating; %d of their requests "
                           "are back in the queue", ", ".join(dead), self.site, moved)
            self._inc("newscrawl/redis/requeued_from_dead", moved)

    def _on_idle(self) -> None:
        self._sweep()
        self._reap()
        if len(self.queue):
            raise DontCloseSpider
        if not self.end_run_if_drained():
            # Others still hold requests: wait for their children, or for their death.
            raise DontCloseSpider

    def end_run_if_drained(self, quiet: bool = False) -> bool:
        """End the site's run if nothing is queued or in flight anywhere."""
        ended = end_run_if_drained(self.server, self.keys, self.site, self.df.key)
        if ended and not quiet:
            logger.info("Site %r is drained: run over", self.site)
        return ended

    def _inc(self, key: str, count: int = 1) -> None:
        if self.stats is not None:
            self.stats.inc_value(key, count)


def _engine_inprogress(crawler: Crawler) -> set[Request]:
    """The engine's set of requests it has not finished with.

    Scrapy exposes no public signal for "this request and everything it produced is
    done"; the engine's slot keeps exactly that set (a request leaves it after its
    callback's output, items included, has been processed). Reading it is the one private
    access of the distributed mode, checked when the scheduler opens.
    """
    engine = crawler.engine
    slot = getattr(engine, "_slot", None)
    inprogress = getattr(slot, "inprogress", None)
    if not isinstance(inprogress, set):
        raise RuntimeError(
            "this Scrapy version has no engine._slot.inprogress; the reliable Redis "
            "scheduler cannot tell finished requests from unfinished ones"
        )
    return inprogress


def _wake_engine(crawler: Crawler) -> None:
    """Ask the engine to pull from the scheduler (or re-check idleness) now.

    An idle engine (its spider kept open by ``DontCloseSpider``) only looks at the
    scheduler on its 5-second heartbeat; requests pushed by other workers or requeued
    from a dead one would wait that long, and so would the close of a drained site.
    Scheduling the engine's next call (what ``engine.crawl()`` does after queueing a
    request) does it at once; when the engine is busy it is a no-op.
    """
    nextcall = getattr(getattr(crawler.engine, "_slot", None), "nextcall", None)
    if nextcall is not None:
        nextcall.schedule()
