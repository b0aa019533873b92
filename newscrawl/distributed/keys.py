"""Names of the Redis keys a distributed crawl uses, in one place.

Everything lives under one prefix (``NEWSCRAWL_REDIS_PREFIX``, default ``newscrawl``) so
several independent deployments can share one Redis server, and ``redis-cli --scan
--pattern 'newscrawl:*'`` shows all of it. Per-site keys carry the site name: that is how
a worker knows which profile a queued request belongs to.
"""

from __future__ import annotations

from dataclasses import dataclass

DEFAULT_PREFIX = "newscrawl"


@dataclass(frozen=True, slots=True)
class Keys:
    prefix: str = DEFAULT_PREFIX

    # -- per site ---------------------------------------------------------------------
    def queue(self, site: str) -> str:
        """Sorted set of serialised requests (scrapy-redis PriorityQueue layout)."""
        return f"{self.prefix}:site:{site}:requests"

    def dupefilter(self, site: str) -> str:
        """Set of request fingerprints of the site's current run."""
        return f"{self.prefix}:site:{site}:dupefilter"

    def processing(self, site: str, worker: str) -> str:
        """Hash of the requests ``worker`` popped and has not finished (its in-flight list)."""
        return f"{self.prefix}:site:{site}:processing:{worker}"

    def site_workers(self, site: str) -> str:
        """Set of worker ids that may hold a processing hash for the site."""
        return f"{self.prefix}:site:{site}:workers"

    def profile(self, site: str) -> str:
        """The site's profile as seeded (JSON), so workers on other hosts need no file."""
        return f"{self.prefix}:site:{site}:profile"

    def seen(self, site: str) -> str:
        """Hash canonical URL -> "content hash<TAB>version" of stored articles (cross-run)."""
        return f"{self.prefix}:site:{site}:articles"

    def fingerprints(self, site: str) -> str:
        """Hash body fingerprint -> canonical URL of the first record with that body."""
        return f"{self.prefix}:site:{site}:bodies"

    def urls(self, site: str) -> str:
        """Hash URL -> canonical URL of the stored article it leads to (aliases, reposts)."""
        return f"{self.prefix}:site:{site}:urls"

    def aliases(self, site: str) -> str:
        """Hash canonical URL -> tab-separated URLs that lead to it."""
        return f"{self.prefix}:site:{site}:aliases"

    def runs(self, site: str) -> str:
        """Hash run id -> JSON summary of each worker's run."""
        return f"{self.prefix}:site:{site}:runs"

    def pending(self, site: str, worker: str) -> str:
        """Hash of records a worker is writing right now (claimed, line not yet written)."""
        return f"{self.prefix}:site:{site}:pending:{worker}"

    # -- global -----------------------------------------------------------------------
    def sites(self) -> str:
        """Set of site names that have been seeded."""
        return f"{self.prefix}:sites"

    def workers(self) -> str:
        """Set of every worker id that ever registered (heartbeat keys tell who is alive)."""
        return f"{self.prefix}:workers"

    def heartbeat(self, worker: str) -> str:
        """Expiring key: present while the worker is alive."""
        return f"{self.prefix}:worker:{worker}"
