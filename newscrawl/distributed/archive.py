"""The archive of a distributed crawl: the same :class:`~newscrawl.archive.store.Archive`
with its state in Redis (:class:`~newscrawl.archive.redis.RedisState`) and one JSONL shard
per worker. This module only wires it to scrapy-redis: the Redis connection from the
settings, and settling a dead worker's half-written records when the scheduler finds it.
"""

from __future__ import annotations

from scrapy.crawler import Crawler
from scrapy_redis.connection import get_redis_from_settings

from newscrawl.archive.extension import ArchiveExtension
from newscrawl.archive.redis import RedisState
from newscrawl.archive.state import StateBackend
from newscrawl.distributed.keys import Keys
from newscrawl.distributed.signals import worker_died


class ShardedArchiveExtension(ArchiveExtension):
    """The archive extension of a distributed crawl (replaces ``ArchiveExtension`` in
    ``EXTENSIONS``; ``archive_of()`` finds it all the same)."""

    def open_state(self) -> StateBackend:
        settings = self.crawler.settings
        keys = Keys(settings.get("NEWSCRAWL_REDIS_PREFIX") or Keys().prefix)
        self.crawler.signals.connect(self._worker_died, signal=worker_died)
        return RedisState(get_redis_from_settings(settings), keys, self.site,
                          settings["NEWSCRAWL_WORKER_ID"])

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ShardedArchiveExtension:
        ext = super().from_crawler(crawler)
        assert isinstance(ext, ShardedArchiveExtension)
        return ext

    def _worker_died(self, site: str, worker: str) -> None:
        # Before the scheduler puts the dead worker's requests back: settle its records.
        done = self.archive.settle(worker)
        if worker == self.archive.shard:
            assert self.crawler.stats is not None
            for key, value in done.items():
                if value:
                    self.crawler.stats.set_value(f"archive/reconcile/{key}", value)
