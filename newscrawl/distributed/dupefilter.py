"""scrapy-redis's request duplicate filter, fingerprinting the way current Scrapy does.

``scrapy_redis.dupefilter.RFPDupeFilter`` (0.9.1) hashes its own JSON of method, URL and
body; it ignores the crawler's ``REQUEST_FINGERPRINTER_CLASS`` (Scrapy >= 2.7), so a
project that customises fingerprints (or Scrapy's own ``meta['fingerprint']``) would
de-duplicate differently on one machine and on many. This subclass keeps its Redis set
and ``SADD`` test, and takes the fingerprint from ``crawler.request_fingerprinter``.
It stores the raw 20-byte digest rather than 40 hex characters (measured in
``benchmarks/redis_memory.py``), and its ``close`` does not delete the set: several
workers share it, and the scheduler ends a run only when the site is drained.
"""

from __future__ import annotations

from typing import Any

from redis import Redis
from scrapy import Request, Spider
from scrapy_redis.connection import get_redis_from_settings
from scrapy_redis.dupefilter import RFPDupeFilter

from newscrawl.distributed.keys import Keys


class FingerprintDupeFilter(RFPDupeFilter):
    def __init__(self, server: Redis, key: str, debug: bool = False,
                 fingerprinter: Any = None) -> None:
        super().__init__(server, key, debug)
        self.fingerprinter = fingerprinter

    @classmethod
    def from_spider(cls, spider: Spider) -> FingerprintDupeFilter:
        # scrapy-redis's scheduler builds its filter here, once the spider (and so the
        # site) is known.
        settings = spider.crawler.settings
        site = settings.get("NEWSCRAWL_REDIS_SITE") or spider.name
        keys = Keys(settings.get("NEWSCRAWL_REDIS_PREFIX") or Keys().prefix)
        return cls(
            get_redis_from_settings(settings),
            key=keys.dupefilter(site),
            debug=settings.getbool("DUPEFILTER_DEBUG"),
            fingerprinter=spider.crawler.request_fingerprinter,
        )

    def request_fingerprint(self, request: Request) -> bytes:
        if self.fingerprinter is None:
            raise RuntimeError("FingerprintDupeFilter needs the crawler's request fingerprinter")
        digest: bytes = self.fingerprinter.fingerprint(request)
        return digest

    def close(self, reason: str = "") -> None:
        """Keep the shared set; see :meth:`ReliableScheduler.close`."""
