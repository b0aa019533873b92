"""The Scrapy settings that turn one site's crawl into a distributed one.

``newscrawl crawl --redis URL``, ``newscrawl worker`` and anyone running ``scrapy crawl``
by hand (``-s`` options) use the same dictionary: scrapy-redis's own settings pointing at
our subclasses, plus the ``NEWSCRAWL_*`` settings those subclasses read.
"""

from __future__ import annotations

import os
import re
import socket
from typing import Any

from newscrawl.distributed.keys import DEFAULT_PREFIX, Keys

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def default_worker_id() -> str:
    """``<host>-<pid>``: unique among live processes, readable in shard file names."""
    return safe_name(f"{socket.gethostname()}-{os.getpid()}")


def safe_name(text: str) -> str:
    """A worker id fit for Redis keys and file names."""
    cleaned = _UNSAFE.sub("-", text).strip("-.")
    if not cleaned:
        raise ValueError(f"not a usable worker id: {text!r}")
    return cleaned


def check_redis_url(url: str) -> str:
    if not re.match(r"^(redis|rediss|unix)://", url):
        raise ValueError(f"--redis wants redis://host:port/db (or rediss://, unix://), got {url!r}")
    return url


def redis_settings(redis_url: str, site: str, worker_id: str | None = None,
                   prefix: str = DEFAULT_PREFIX) -> dict[str, Any]:
    """Settings for crawling ``site`` as one worker among many, sharing ``redis_url``."""
    keys = Keys(prefix)
    worker = safe_name(worker_id) if worker_id else default_worker_id()

    def literal(key: str) -> str:  # scrapy-redis %-formats its key settings
        return key.replace("%", "%%")

    return {
        # scrapy-redis's extension points, pointing at our subclasses.
        "SCHEDULER": "newscrawl.distributed.scheduler.ReliableScheduler",
        "SCHEDULER_QUEUE_CLASS": "newscrawl.distributed.queue.ReliablePriorityQueue",
        "DUPEFILTER_CLASS": "newscrawl.distributed.dupefilter.FingerprintDupeFilter",
        "SCHEDULER_QUEUE_KEY": literal(keys.queue(site)),
        "SCHEDULER_DUPEFILTER_KEY": literal(keys.dupefilter(site)),
        "SCHEDULER_PERSIST": True,
        "SCHEDULER_SERIALIZER": "newscrawl.distributed.serializer",
        "REDIS_URL": check_redis_url(redis_url),
        # Read by our subclasses (and by the archive's Redis state and sharded store).
        "NEWSCRAWL_REDIS_URL": redis_url,
        "NEWSCRAWL_REDIS_SITE": site,
        "NEWSCRAWL_REDIS_PREFIX": prefix,
        "NEWSCRAWL_WORKER_ID": worker,
    }
