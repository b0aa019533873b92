"""How a crawl command turns the archive on: the settings, the site lock, the JOBDIR.

    with ArchiveRun(data_dir, site) as run:           # raises LockHeld at once if taken
        settings.update(run.settings(target=..., refresh=..., quiet=...))
        ... run the crawl ...
    code = stats["archive/exit_code"]
"""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path
from typing import Any

from scrapy.crawler import Crawler

from newscrawl.archive.extension import ArchiveExtension, new_run_id, prepare_jobdir
from newscrawl.archive.layout import DataLayout, site_dirname
from newscrawl.archive.lock import SiteLock
from newscrawl.archive.runstats import EXIT_UNFINISHED
from newscrawl.archive.state import SqliteState

logger = logging.getLogger(__name__)

# The item pipelines, in the order they run (newscrawl/pipelines/: thin adapters over the
# archive). Named, not imported: the archive does not depend on its Scrapy adapters.
ARCHIVE_PIPELINES = {
    "newscrawl.pipelines.normalise.NormalisePipeline": 100,
    "newscrawl.pipelines.validate.ValidatePipeline": 200,
    "newscrawl.pipelines.dedupe.DedupePipeline": 300,
    "newscrawl.pipelines.store.StorePipeline": 400,
}
ARCHIVE_EXTENSIONS = {
    "newscrawl.archive.extension.ArchiveExtension": 100,
    "newscrawl.archive.progress.ProgressLine": 900,
}
ARCHIVE_SPIDER_MIDDLEWARES = {
    # Early (low number = nearest the engine on output): filter before anything else sees it.
    "newscrawl.middlewares.skipstored.SkipStoredMiddleware": 25,
}
ARCHIVE_DOWNLOADER_MIDDLEWARES = {
    # Before robots.txt and the rest: a redirect onto a stored article goes no further.
    "newscrawl.middlewares.skipstored.SkipStoredRedirectMiddleware": 50,
    # Next to the downloader: the request as sent, the response as received.
    "newscrawl.middlewares.warc.WarcArchiveMiddleware": 950,
}


def archive_settings(
    data_dir: str | Path,
    site: str,
    *,
    target: str | None = None,
    refresh: bool = False,
    resume: bool = True,
    warc: bool = True,
    progress: bool = True,
    summary: bool = True,
    fsync: str = "batch",
    max_error_rate: float = 0.5,
    run_id: str | None = None,
    jobdir: Path | None = None,
    replay: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Scrapy settings that store a crawl's items in the archive (instead of feed exports)."""
    settings: dict[str, Any] = {
        "NEWSCRAWL_ARCHIVE_ENABLED": True,
        "NEWSCRAWL_DATA_DIR": str(data_dir),
        "NEWSCRAWL_SITE": site,
        "NEWSCRAWL_TARGET": target or site,
        "NEWSCRAWL_REFRESH": refresh,
        "NEWSCRAWL_WARC_ENABLED": warc,
        "NEWSCRAWL_PROGRESS": progress,
        "NEWSCRAWL_SUMMARY": summary,
        "NEWSCRAWL_FSYNC": fsync,
        "NEWSCRAWL_MAX_ERROR_RATE": max_error_rate,
        "NEWSCRAWL_RUN_ID": run_id or new_run_id(),
        # How to crawl this again from the WARC files (spider, target, base URL, arguments).
        "NEWSCRAWL_REPLAY": {**(replay or {}), "refresh": refresh},
        "EXTENSIONS": dict(ARCHIVE_EXTENSIONS),
        "ITEM_PIPELINES": dict(ARCHIVE_PIPELINES),
        "SPIDER_MIDDLEWARES": dict(ARCHIVE_SPIDER_MIDDLEWARES),
        "DOWNLOADER_MIDDLEWARES": dict(ARCHIVE_DOWNLOADER_MIDDLEWARES),
        "FEEDS": {},
    }
    if resume:
        settings["JOBDIR"] = str(jobdir or DataLayout(data_dir).job_dir(site))
    return settings


class ArchiveError(Exception):
    """The data folder cannot be used (not writable, damaged state): a configuration error."""


class ArchiveRun:
    """The site lock and the JOBDIR of one run, held for the duration of a ``with`` block."""

    def __init__(self, data_dir: str | Path, site: str, *, resume: bool = True) -> None:
        self.layout = DataLayout(data_dir)
        self.data_dir = Path(data_dir)
        self.site = site_dirname(site)
        self.resume = resume
        self.lock = SiteLock(self.layout.lock_path(self.site))
        self.jobdir = self.layout.job_dir(self.site)
        self.jobdir_state = "off"

    def __enter__(self) -> ArchiveRun:
        try:
            self.lock.acquire()  # LockHeld propagates: the caller prints it and exits
        except OSError as exc:
            raise ArchiveError(f"cannot use the data folder {self.data_dir}: {exc}") from exc
        try:
            SqliteState(self.layout.state_path).close()
        except (OSError, sqlite3.Error) as exc:
            self.lock.release()
            raise ArchiveError(
                f"cannot open {self.layout.state_path} ({exc}); if it is damaged, move it "
                "away: the next run rebuilds it from the records") from exc
        if self.resume:
            self.jobdir_state = prepare_jobdir(self.jobdir)
        return self

    def __exit__(self, *exc: object) -> None:
        self.lock.release()

    def settings(self, **options: Any) -> dict[str, Any]:
        return archive_settings(self.data_dir, self.site, resume=self.resume,
                                jobdir=self.jobdir, **options) | {
            "NEWSCRAWL_JOBDIR_STATE": self.jobdir_state}

    @staticmethod
    def exit_code(crawler: Crawler) -> int:
        """The run's exit code (see newscrawl.archive.runstats); EXIT_UNFINISHED if the run
        never got to write its report."""
        ext = crawler.get_extension(ArchiveExtension)
        if ext is None or ext.exit_code is None:
            return EXIT_UNFINISHED
        return ext.exit_code


def archive_options(args: Any, *, target: str | None, replay: dict[str, Any] | None = None) -> dict[str, Any]:
    """Settings keyword arguments of :func:`archive_settings` from parsed options (any
    namespace: a missing option takes its default)."""
    quiet = bool(getattr(args, "quiet", False))
    return {
        "target": target,
        "refresh": bool(getattr(args, "refresh", False)),
        "warc": not getattr(args, "no_warc", False),
        "progress": not quiet,
        "summary": False,  # the crawl command prints the summary itself
        "fsync": getattr(args, "fsync", "batch") or "batch",
        "max_error_rate": float(getattr(args, "max_error_rate", 0.5)),
        "replay": replay,
    }


def logging_settings(args: Any, log_level: str | None) -> dict[str, Any]:
    """LOG_FILE / LOG_LEVEL for --quiet and --log-file: under cron only problems are logged."""
    out: dict[str, Any] = {}
    log_file = getattr(args, "log_file", None)
    if log_file:
        out["LOG_FILE"] = log_file
        out["LOG_FILE_APPEND"] = True
    if getattr(args, "quiet", False) and not log_file:
        out["LOG_LEVEL"] = "WARNING"
    elif log_level:
        out["LOG_LEVEL"] = log_level
    return out
