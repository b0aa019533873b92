"""Counting what a data folder holds, per site and day, without opening the records by hand.

Shared by ``newscrawl ls`` and ``newscrawl stats``. Reads the JSONL files as a reader would
(complete lines only), so it is safe to run while a crawl is writing.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from newscrawl.archive.jsonl import read_jsonl
from newscrawl.archive.layout import DataLayout


@dataclass
class DayCount:
    site: str
    day: str
    articles: int = 0  # distinct articles first stored that day (version 1)
    versions: int = 0  # later versions of articles
    reposts: int = 0  # records in duplicates/
    bytes: int = 0

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def day_counts(layout: DataLayout, site: str) -> list[DayCount]:
    days: dict[str, DayCount] = {}
    for duplicates in (False, True):
        for path in layout.record_files(site, duplicates=duplicates):
            day = path.stem
            count = days.setdefault(day, DayCount(site, day))
            count.bytes += path.stat().st_size
            for record in read_jsonl(path):
                if duplicates:
                    count.reposts += 1
                elif int(record.get("version") or 1) > 1:
                    count.versions += 1
                else:
                    count.articles += 1
    return [days[d] for d in sorted(days)]


@dataclass
class SiteSummary:
    site: str
    articles: int = 0
    versions: int = 0
    reposts: int = 0
    days: int = 0
    first_day: str | None = None
    last_day: str | None = None
    bytes: int = 0
    warc_files: int = 0
    warc_bytes: int = 0
    runs: int = 0
    last_run: dict[str, Any] | None = field(default=None)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _last_run(runs_dir: Path) -> tuple[int, dict[str, Any] | None]:
    files = sorted(runs_dir.glob("*.json")) if runs_dir.is_dir() else []
    for path in reversed(files):
        try:
            report = json.loads(path.read_text("utf-8"))
        except (OSError, ValueError):
            continue
        keep = ("run_id", "started_at", "finished_at", "finish_reason", "pages_fetched",
                "articles_stored", "errors", "exit_code")
        return len(files), {k: report.get(k) for k in keep} | {"stats_file": str(path)}
    return len(files), None


def site_summary(layout: DataLayout, site: str) -> SiteSummary:
    out = SiteSummary(site)
    days = day_counts(layout, site)
    for d in days:
        out.articles += d.articles
        out.versions += d.versions
        out.reposts += d.reposts
        out.bytes += d.bytes
    if days:
        out.days, out.first_day, out.last_day = len(days), days[0].day, days[-1].day
    warc_dir = layout.warc_dir(site)
    if warc_dir.is_dir():
        warcs = list(warc_dir.glob("*.warc.gz"))
        out.warc_files = len(warcs)
        out.warc_bytes = sum(p.stat().st_size for p in warcs)
    out.runs, out.last_run = _last_run(layout.runs_dir(site))
    return out


def human_bytes(n: int) -> str:
    size = float(n)
    for unit in ("B", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{n} B"
