"""scrapy-redis's priority queue, made reliable: a popped request is moved, not removed.

Plain ``scrapy_redis.queue.PriorityQueue.pop`` deletes the request from Redis the moment a
worker takes it, so a worker killed with requests in flight loses them. This subclass keeps
scrapy-redis's storage layout (one sorted set per queue, member = serialised request,
score = -priority) and its push/serialisation, and changes only ``pop``: a Lua script moves
the request atomically from the sorted set into the worker's *processing* hash. The
scheduler (:mod:`newscrawl.distributed.scheduler`) deletes the entry once Scrapy has
finished with the request (``ack``); entries of a worker whose heartbeat expired are put
back in the queue by any other worker (:func:`requeue_dead_workers`).

The processing hash maps ``"<sequence>\\t<score>"`` to the serialised request, so a
requeue restores the original priority without unpickling anything.
"""

from __future__ import annotations

import itertools
import logging
from collections.abc import Callable
from typing import Any

from redis import Redis
from scrapy import Request, Spider
from scrapy_redis.queue import PriorityQueue

from newscrawl.distributed.keys import Keys

logger = logging.getLogger(__name__)

# Pop the best-priority request and park it in the processing hash, in one step.
_POP = """
local popped = redis.call('ZPOPMIN', KEYS[1])
if #popped == 0 then return false end
local field = ARGV[1] .. '\\t' .. popped[2]
redis.call('HSET', KEYS[2], field, popped[1])
return {field, popped[1]}
"""

# Move every entry of a processing hash back into its queue, in one step.
_REQUEUE = """
local entries = redis.call('HGETALL', KEYS[1])
for i = 1, #entries, 2 do
  local score = string.match(entries[i], '\\t(.*)$') or '0'
  redis.call('ZADD', KEYS[2], score, entries[i + 1])
end
redis.call('DEL', KEYS[1])
return #entries / 2
"""


def dead_workers(server: Redis, keys: Keys, site: str) -> list[str]:
    """Registered workers of the site whose heartbeat key is gone."""
    workers = sorted(w.decode() if isinstance(w, bytes) else str(w)
                     for w in server.smembers(keys.site_workers(site)))
    if not workers:
        return []
    pipe = server.pipeline(transaction=False)
    for worker in workers:
        pipe.exists(keys.heartbeat(worker))
    return [w for w, alive in zip(workers, pipe.execute(), strict=True) if not alive]


# Requeue a worker's processing hash if its heartbeat is (still) gone, and forget it.
_REQUEUE_IF_DEAD = """
if redis.call('EXISTS', KEYS[1]) == 1 then return -1 end
local entries = redis.call('HGETALL', KEYS[2])
for i = 1, #entries, 2 do
  local score = string.match(entries[i], '\\t(.*)$') or '0'
  redis.call('ZADD', KEYS[3], score, entries[i + 1])
end
redis.call('DEL', KEYS[2])
redis.call('SREM', KEYS[4], ARGV[1])
return #entries / 2
"""


def requeue_dead_worker(server: Redis, keys: Keys, site: str, worker: str) -> int:
    """Put a dead worker's in-flight requests of ``site`` back in the queue; -1 if the
    worker turned out alive. Safe to run from any number of workers at once."""
    return int(server.eval(_REQUEUE_IF_DEAD, 4, keys.heartbeat(worker),
                           keys.processing(site, worker), keys.queue(site),
                           keys.site_workers(site), worker))


def requeue_dead_workers(server: Redis, keys: Keys, site: str,
                         before: Callable[[str], bool] | None = None) -> tuple[int, list[str]]:
    """Requeue the in-flight requests of every dead worker of ``site``.

    ``before(worker)`` runs first for each dead worker (the archive settles its
    half-written records there); when it returns False that worker is left for later.
    Returns (requests moved back, workers requeued).
    """
    moved, done = 0, []
    for worker in dead_workers(server, keys, site):
        if before is not None and not before(worker):
            continue
        count = requeue_dead_worker(server, keys, site, worker)
        if count >= 0:
            moved += count
            done.append(worker)
    return moved, done


# The run is over only if the queue and every worker's processing hash are empty; then the
# fingerprints of the run go. Atomic, so a concurrent pop or push cannot slip in between.
_END_RUN_IF_DRAINED = """
if redis.call('ZCARD', KEYS[1]) > 0 then return 0 end
for _, worker in ipairs(redis.call('SMEMBERS', KEYS[2])) do
  if redis.call('HLEN', ARGV[1] .. worker) > 0 then return 0 end
end
return redis.call('DEL', KEYS[3]) + 1
"""


def end_run_if_drained(server: Redis, keys: Keys, site: str, dupefilter_key: str) -> bool:
    """Drop the site's run fingerprints if nothing is queued or held by any worker.
    True when the site was drained (whether or not a run's fingerprints were there)."""
    return bool(server.eval(_END_RUN_IF_DRAINED, 3, keys.queue(site), keys.site_workers(site),
                            dupefilter_key, keys.processing(site, "")))


def inflight_count(server: Redis, keys: Keys, site: str) -> int:
    """Requests of the site currently held by any registered worker, alive or not."""
    workers = server.smembers(keys.site_workers(site))
    if not workers:
        return 0
    pipe = server.pipeline(transaction=False)
    for worker in workers:
        name = worker.decode() if isinstance(worker, bytes) else str(worker)
        pipe.hlen(keys.processing(site, name))
    return sum(int(n) for n in pipe.execute())


class ReliablePriorityQueue(PriorityQueue):
    """``scrapy_redis.queue.PriorityQueue`` whose ``pop`` parks requests until acknowledged.

    Built by scrapy-redis's scheduler with (server, spider, key, serializer); the site and
    worker id come from the crawler's settings (``NEWSCRAWL_REDIS_SITE``,
    ``NEWSCRAWL_WORKER_ID``, ``NEWSCRAWL_REDIS_PREFIX``).
    """

    def __init__(self, server: Redis, spider: Spider, key: str, serializer: Any = None):
        super().__init__(server, spider, key, serializer)
        settings = spider.crawler.settings
        self.site: str = settings.get("NEWSCRAWL_REDIS_SITE") or spider.name
        self.worker_id: str = settings["NEWSCRAWL_WORKER_ID"]
        self.keys = Keys(settings.get("NEWSCRAWL_REDIS_PREFIX") or Keys().prefix)
        self.processing_key = self.keys.processing(self.site, self.worker_id)
        self.dead_letter_key = f"{self.key}:undecodable"
        self._pop_script = server.register_script(_POP)
        self._requeue_script = server.register_script(_REQUEUE)
        self._sequence = itertools.count()
        self._run = format(id(self), "x")  # tells this process's fields from a predecessor's
        # Requests handed to Scrapy and not yet acknowledged, by identity.
        self.inflight: dict[Request, bytes] = {}
        self.undecodable = 0

    def pop(self, timeout: int = 0) -> Request | None:
        while True:
            token = f"{self._run}.{next(self._sequence)}"
            result = self._pop_script(keys=[self.key, self.processing_key], args=[token])
            if not result:
                return None
            field, data = result
            try:
                request: Request = self._decode_request(data)
            except Exception:
                # A request that cannot be rebuilt (e.g. its callback no longer exists)
                # is kept aside for inspection rather than dropped or retried forever.
                logger.exception("Undecodable request in %s moved to %s", self.key,
                                 self.dead_letter_key)
                self.undecodable += 1
                pipe = self.server.pipeline()
                pipe.rpush(self.dead_letter_key, data)
                pipe.hdel(self.processing_key, field)
                pipe.execute()
                continue
            self.inflight[request] = field
            return request

    def ack(self, requests: list[Request]) -> int:
        """Forget finished requests: remove them from this worker's processing hash."""
        fields = [self.inflight.pop(r) for r in requests if r in self.inflight]
        if fields:
            self.server.hdel(self.processing_key, *fields)
        return len(fields)

    def requeue_own(self) -> int:
        """Put everything this worker holds back in the queue (leaving, or restarting)."""
        self.inflight.clear()
        return int(self._requeue_script(keys=[self.processing_key, self.key]))

    def processing_len(self) -> int:
        return int(self.server.hlen(self.processing_key))
