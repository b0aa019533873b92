"""The archive: JSONL records, SQLite state, WARC files, per-site lock (docs/archive.md)."""

from newscrawl.archive.jsonl import FsyncPolicy, read_jsonl
from newscrawl.archive.layout import DataLayout
from newscrawl.archive.lock import LockHeld, SiteLock
from newscrawl.archive.store import Archive, Kind, Outcome

__all__ = ["Archive", "DataLayout", "FsyncPolicy", "Kind", "LockHeld", "Outcome", "SiteLock",
           "read_jsonl"]
