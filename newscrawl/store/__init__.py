"""The archive: JSONL records, SQLite state, WARC files, per-site lock (docs/archive.md)."""

from newscrawl.store.archive import Archive, Kind, Outcome
from newscrawl.store.jsonl import FsyncPolicy, read_jsonl
from newscrawl.store.layout import DataLayout
from newscrawl.store.lock import LockHeld, SiteLock

__all__ = ["Archive", "DataLayout", "FsyncPolicy", "Kind", "LockHeld", "Outcome", "SiteLock",
           "read_jsonl"]
