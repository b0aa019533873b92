"""Where things live under a data folder (see docs/archive.md for the picture).

    DATA/state.sqlite3                      incremental state, all sites (SQLite, WAL)
    DATA/<site>/articles/YYYY-MM-DD.jsonl   one record a line, partitioned by publish date
    DATA/<site>/duplicates/YYYY-MM-DD.jsonl reposts of an article stored elsewhere
    DATA/<site>/warc/*.warc.gz              raw requests and responses
    DATA/<site>/runs/<run-id>.json          statistics of each run
    DATA/<site>/job/                        Scrapy JOBDIR of an interrupted run
    DATA/<site>/.lock                       held (flock) while a run of the site is going
"""

from __future__ import annotations

import re
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

STATE_FILE = "state.sqlite3"
ARTICLES = "articles"
DUPLICATES = "duplicates"
WARC = "warc"
RUNS = "runs"
JOB = "job"
LOCK = ".lock"

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")


def site_dirname(site: str) -> str:
    """A site name as a folder name: ``news.example.cn`` stays, ``127.0.0.1:8080`` → ``127.0.0.1_8080``."""
    name = _UNSAFE.sub("_", site.strip()).strip("._")
    if not name:
        raise ValueError(f"site name {site!r} has no usable characters")
    return name


class DataLayout:
    """Paths of one data folder. Pure: nothing is created until a writer asks for it."""

    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)

    @property
    def state_path(self) -> Path:
        return self.root / STATE_FILE

    def site_dir(self, site: str) -> Path:
        return self.root / site_dirname(site)

    def lock_path(self, site: str) -> Path:
        return self.site_dir(site) / LOCK

    def warc_dir(self, site: str) -> Path:
        return self.site_dir(site) / WARC

    def runs_dir(self, site: str) -> Path:
        return self.site_dir(site) / RUNS

    def job_dir(self, site: str) -> Path:
        return self.site_dir(site) / JOB

    def partition(self, site: str, record: dict[str, Any], *, duplicate: bool = False) -> Path:
        kind = DUPLICATES if duplicate else ARTICLES
        return self.site_dir(site) / kind / f"{partition_date(record)}.jsonl"

    def sites(self) -> list[str]:
        """Folder names of the sites that have records or runs here."""
        if not self.root.is_dir():
            return []
        return sorted(
            p.name for p in self.root.iterdir()
            if p.is_dir() and any((p / d).is_dir() for d in (ARTICLES, DUPLICATES, RUNS, WARC))
        )

    def record_files(self, site: str, *, duplicates: bool = False) -> list[Path]:
        folder = self.site_dir(site) / (DUPLICATES if duplicates else ARTICLES)
        return sorted(folder.glob("*.jsonl")) if folder.is_dir() else []


def partition_date(record: dict[str, Any]) -> str:
    """The day a record is filed under: its publish date as the page gave it (local to the
    portal), else the day it was fetched, else today (UTC). Deterministic for a record, so a
    rebuild files records exactly where the crawl did."""
    for key in ("published_at", "fetched_at"):
        value = record.get(key)
        if isinstance(value, str):
            m = _DATE.match(value)
            if m:
                return "-".join(m.groups())
    return datetime.now(timezone.utc).strftime("%Y-%m-%d")
