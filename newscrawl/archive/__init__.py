"""The archive: JSONL records, their state, WARC files, per-site lock (docs/archive.md).

The core is Scrapy-free: ``store`` (:class:`Archive`: decides and files records),
``state`` (the :class:`StateBackend` protocol; :class:`SqliteState` for one machine),
``redis`` (``RedisState``: the same protocol for the workers of a distributed crawl),
``jsonl``, ``warc``, ``layout``, ``lock``, ``inventory``, ``runstats``, ``normalise``,
``validate``. Its Scrapy side: ``extension`` (opens the archive for a crawl), ``setup``
(the settings and the run's lock), ``progress``, ``diskqueue``; the item pipelines
(newscrawl/pipelines/) and middlewares (newscrawl/middlewares/) are adapters over it.
"""

from newscrawl.archive.jsonl import FsyncPolicy, read_jsonl
from newscrawl.archive.layout import DataLayout
from newscrawl.archive.lock import LockHeld, SiteLock
from newscrawl.archive.state import SqliteState, StateBackend
from newscrawl.archive.store import Archive, Kind, Outcome, Rejected

__all__ = ["Archive", "DataLayout", "FsyncPolicy", "Kind", "LockHeld", "Outcome", "Rejected",
           "SiteLock", "SqliteState", "StateBackend", "read_jsonl"]
