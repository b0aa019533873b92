"""The archive's Scrapy extension: opens the site's :class:`Archive` for the run (so the
pipelines and middlewares share one state connection), and at the end writes the run's
JSON stats file, records the run in the state, prints the one-line summary and leaves the
JOBDIR ready for the next run (removed after a finished run, marked resumable after Ctrl-C).

Settings:
    NEWSCRAWL_ARCHIVE_ENABLED  bool   turn the whole archive on (off: NotConfigured)
    NEWSCRAWL_DATA_DIR         str    the data folder (default ``data``)
    NEWSCRAWL_SITE             str    site name: folder under the data folder (default: spider name)
    NEWSCRAWL_RUN_ID           str    name of this run's stats file (default: UTC time + pid)
    NEWSCRAWL_FSYNC            str    always | batch | never (default batch)
    NEWSCRAWL_COMMIT_EVERY     int    records per state commit (default 1000; at least every 2 s)
    NEWSCRAWL_MAX_ERROR_RATE   float  errors per request above which the exit code is 1 (0.5)
    NEWSCRAWL_SUMMARY          bool   print the summary line on stdout (default True)
"""

from __future__ import annotations

import errno
import logging
import os
import shutil
import sqlite3
import sys
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured

from newscrawl.archive.jsonl import FsyncPolicy
from newscrawl.archive.layout import DataLayout, site_dirname
from newscrawl.archive.runstats import (
    FINISHED_REASONS,
    exit_code,
    run_report,
    summary_line,
    write_json_atomic,
)
from newscrawl.archive.state import StateBackend
from newscrawl.archive.store import Archive

logger = logging.getLogger(__name__)

# Written into JOBDIR when a run stopped cleanly but unfinished (Ctrl-C): resume from it.
RESUMABLE_MARK = "newscrawl-resumable"


def new_run_id() -> str:
    return datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ") + f"-{os.getpid()}"


def require_archive_enabled(crawler: Crawler) -> None:
    """The first check of every archive component: NotConfigured unless
    NEWSCRAWL_ARCHIVE_ENABLED is on."""
    if not crawler.settings.getbool("NEWSCRAWL_ARCHIVE_ENABLED"):
        raise NotConfigured("NEWSCRAWL_ARCHIVE_ENABLED is off")


def enabled_components(crawler: Crawler) -> dict[str, list[str]]:
    """Class paths of the components this crawl runs with, by kind, in Scrapy's order: the
    run's stats file shows which safeguards were on."""
    def names(manager: Any) -> list[str]:
        return [f"{type(m).__module__}.{type(m).__qualname__}"
                for m in getattr(manager, "middlewares", ())]

    engine = crawler.engine
    downloader = getattr(engine, "downloader", None)
    scraper = getattr(engine, "scraper", None)
    return {
        "downloader_middlewares": names(getattr(downloader, "middleware", None)),
        "spider_middlewares": names(getattr(scraper, "spidermw", None)),
        "item_pipelines": names(getattr(scraper, "itemproc", None)),
        "extensions": names(crawler.extensions),
    }


# A data folder that cannot take more: disk full, quota, read-only, permission taken away.
WRITE_ERRNOS = {errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EACCES, errno.EPERM}
CANT_WRITE = "cant_write"  # the finish reason; exit code 73 (newscrawl.archive.runstats)


def stop_on_write_error(crawler: Crawler, exc: OSError, path: Any = None) -> bool:
    """A write into the data folder failed for good: close the crawl (reason
    ``cant_write``), naming the path once. Returns False for other errors."""
    if exc.errno not in WRITE_ERRNOS:
        return False
    assert crawler.stats is not None
    data_dir = Path(crawler.settings.get("NEWSCRAWL_DATA_DIR") or "data").resolve()
    where = str(exc.filename or path or data_dir)
    if not crawler.stats.get_value("archive/write_error"):
        crawler.stats.set_value("archive/write_error", f"{where}: {exc.strerror}")
        logger.info("cannot write %s: %s; stopping the crawl (what was written stays whole)",
                     where, exc.strerror)
        from scrapy.utils.defer import deferred_from_coro

        assert crawler.engine is not None
        deferred_from_coro(crawler.engine.close_spider_async(reason=CANT_WRITE))
    return True


def archive_of(crawler: Crawler) -> Archive:
    """The archive of the running crawl (raises NotConfigured when the extension is off)."""
    ext = crawler.get_extension(ArchiveExtension)
    if ext is None:
        raise NotConfigured("ArchiveExtension is not enabled")
    return ext.archive


class ArchiveExtension:
    def __init__(self, crawler: Crawler) -> None:
        settings = crawler.settings
        self.crawler = crawler
        self.data_dir = Path(settings.get("NEWSCRAWL_DATA_DIR") or "data")
        spidercls = getattr(crawler, "spidercls", None)
        site = settings.get("NEWSCRAWL_SITE") or getattr(spidercls, "name", None) or "default"
        self.site = site_dirname(site)
        self.run_id = settings.get("NEWSCRAWL_RUN_ID") or new_run_id()
        self.max_error_rate = settings.getfloat("NEWSCRAWL_MAX_ERROR_RATE", 0.5)
        self.print_summary = settings.getbool("NEWSCRAWL_SUMMARY", True)
        self.jobdir = settings.get("JOBDIR")
        self.resume_after_limit = settings.getbool("NEWSCRAWL_RESUME_AFTER_LIMIT")
        self.archive = self.open_archive()
        done = self.archive.reconcile()
        assert crawler.stats is not None
        for key, value in done.items():
            if value:
                crawler.stats.set_value(f"archive/reconcile/{key}", value)
        jobdir_state = settings.get("NEWSCRAWL_JOBDIR_STATE")
        if jobdir_state:
            crawler.stats.set_value("archive/jobdir", jobdir_state)
        if jobdir_state == "resume":
            logger.info("resuming the interrupted run from %s", self.jobdir)
        elif jobdir_state == "discarded":
            logger.warning("the last run of %s was killed: starting over from the start URLs "
                           "(articles it stored are not fetched again)", self.site)
        self.started_at = datetime.now(timezone.utc).isoformat(timespec="seconds")
        self.archive.state.start_run(self.run_id, self.site, self.started_at)
        self.report: dict[str, Any] | None = None
        self.exit_code: int | None = None
        self._closed = False
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)
        crawler.signals.connect(self.engine_stopped, signal=signals.engine_stopped)

    def open_state(self) -> StateBackend | None:
        """The archive's state: None for SQLite in the data folder (a distributed crawl's
        extension returns a :class:`~newscrawl.archive.redis.RedisState`)."""
        return None

    def open_archive(self) -> Archive:
        """The archive this run files records in."""
        settings = self.crawler.settings
        return Archive(
            self.data_dir, self.site, state=self.open_state(),
            fsync=FsyncPolicy.parse(settings.get("NEWSCRAWL_FSYNC") or "batch"),
            commit_every=settings.getint("NEWSCRAWL_COMMIT_EVERY", 1000),
        )

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ArchiveExtension:
        require_archive_enabled(crawler)
        return cls(crawler)

    @property
    def stats_path(self) -> Path:
        return DataLayout(self.data_dir).runs_dir(self.site) / f"{self.run_id}.json"

    def spider_closed(self, spider: Any = None, reason: str = "") -> None:
        # Pipelines are closed by now; commit what they stored.
        self.archive.commit()

    def engine_stopped(self) -> None:
        if self._closed:
            return
        self._closed = True
        assert self.crawler.stats is not None
        stats = self.crawler.stats.get_stats()
        report = run_report(stats, run_id=self.run_id, site=self.site, data_dir=str(self.data_dir))
        self.report = report
        self.exit_code = exit_code(report, self.max_error_rate)
        report["exit_code"] = self.exit_code
        report["components"] = enabled_components(self.crawler)
        report["written"] = {
            str(path.relative_to(self.data_dir)): {"from_byte": a, "to_byte": b, "records": n}
            for path, (a, b, n) in sorted(self.archive.written.items())
        }
        self.crawler.stats.set_value("archive/exit_code", self.exit_code)
        self.crawler.stats.set_value("archive/stats_file", str(self.stats_path))
        self.crawler.stats.set_value("archive/summary", summary_line(report))
        try:  # written when it can be: a full disk may refuse it too
            write_json_atomic(self.stats_path, report)
            self.archive.state.finish_run(
                self.run_id, finished_at=datetime.now(timezone.utc).isoformat(timespec="seconds"),
                reason=str(report["finish_reason"]), pages=report["pages_fetched"],
                stored=report["articles_stored"], errors=report["errors"],
                stats_file=str(self.stats_path),
            )
            self.archive.close()
        except (OSError, sqlite3.Error) as exc:
            self.crawler.stats.set_value("archive/stats_file", f"(not written: {exc})")
            logger.info("cannot write the run's stats %s: %s", self.stats_path, exc)
        self._leave_jobdir(report.get("finish_reason"))
        line = summary_line(report) + f" — records in {self.data_dir / self.site}, stats {self.stats_path}"
        logger.info(line)
        if self.print_summary:
            print(line, file=sys.stdout, flush=True)

    def _leave_jobdir(self, reason: Any) -> None:
        if not self.jobdir:
            return
        jobdir = Path(self.jobdir)
        if reason == CANT_WRITE:
            # Requests the full disk refused are not in the queue: start over next time
            # (the state still skips every article stored).
            shutil.rmtree(jobdir, ignore_errors=True)
            return
        if reason != "finished" and str(reason).startswith("closespider") and self.resume_after_limit:
            pass  # stopped at a limit with --resume: the next run continues the queue
        elif reason in FINISHED_REASONS:
            # The next run is a new crawl: its list pages must be fetched again.
            shutil.rmtree(jobdir, ignore_errors=True)
            return
        if jobdir.is_dir():
            (jobdir / RESUMABLE_MARK).write_text(f"{self.run_id} {reason}\n", encoding="utf-8")


def prepare_jobdir(jobdir: Path) -> str:
    """Before a run: keep JOBDIR only if the last run stopped cleanly (then it resumes);
    a JOBDIR left by a killed run is not trustworthy (Scrapy writes the queue's index and
    flushes the seen-requests file only on a clean close), so it is discarded and the
    crawl starts over — the archive's state still skips every article already stored.
    Returns what was done: ``fresh``, ``resume`` or ``discarded``."""
    if not jobdir.exists():
        return "fresh"
    mark = jobdir / RESUMABLE_MARK
    if mark.exists():
        mark.unlink()
        return "resume"
    shutil.rmtree(jobdir, ignore_errors=True)
    return "discarded"
