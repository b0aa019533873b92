"""The one crawl runner: a Scrapy crawl run to its end in this process (Scrapy's reactor
runs once per process), with or without the archive's site lock around it.

    settings = crawl_settings(args, site, ...)            # newscrawl.crawl.settings
    crawler = run_crawl(settings, "portal", {"profile": profile})
    result = run_archived(data_dir, site, lambda run: settings_for(run), "portal", kwargs)
    outcomes, failure = run_in_turn(base, [PlannedCrawl(...), ...], data_dir)  # one reactor

The distributed roles (``crawl --redis``, ``seed``, ``worker``) run in
:mod:`newscrawl.crawl.distributed`.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from scrapy.crawler import Crawler, CrawlerProcess
from scrapy.settings import Settings
from scrapy.utils.ossignal import install_shutdown_handlers

from newscrawl.archive.layout import DataLayout
from newscrawl.archive.lock import LockHeld, SiteLock
from newscrawl.archive.runstats import EXIT_UNFINISHED
from newscrawl.archive.setup import ArchiveRun
from newscrawl.crawl.spiders import spider_class


@dataclass
class CrawlResult:
    output: Path
    stats: dict[str, Any]

    @property
    def articles(self) -> int:
        return int(self.stats.get("item_scraped_count", 0))

    @property
    def exit_code(self) -> int:
        """The run's exit code (newscrawl.archive.runstats); unfinished if no report was made."""
        return int(self.stats.get("archive/exit_code", EXIT_UNFINISHED))


def run_crawl(settings: Settings, spider: str | type[Any],
              spider_kwargs: dict[str, Any] | None = None, *,
              connect: Callable[[Crawler], None] | None = None) -> Crawler:
    """Run one crawler to its end; ``spider`` a registered name (or an import path, or a
    class); ``connect(crawler)`` is called before it starts (signal handlers)."""
    process = CrawlerProcess(settings)
    # Scrapy installs its Ctrl-C/SIGTERM handlers once the reactor runs; a signal while the
    # crawler is still being built would otherwise be a KeyboardInterrupt inside it (exit 70,
    # a traceback). The same graceful stop instead, carried out when the reactor starts.
    install_shutdown_handlers(process._signal_shutdown)
    crawler = process.create_crawler(spider_class(spider) if isinstance(spider, str) else spider)
    if connect is not None:
        connect(crawler)
    process.crawl(crawler, **(spider_kwargs or {}))
    process.start()
    return crawler


def run_archived(data_dir: str | Path, site: str, settings_for: Callable[[ArchiveRun], Settings],
                 spider: str, spider_kwargs: dict[str, Any], *, resume: bool = True) -> CrawlResult:
    """One crawl under the site's lock, stored in the archive. ``settings_for(run)`` builds
    the crawl's settings once the lock is held (the JOBDIR is known then). Raises
    ``LockHeld`` (another run holds the lock) and ``ArchiveError`` (unusable data folder)."""
    with ArchiveRun(data_dir, site, resume=resume) as run:
        settings = settings_for(run)
        settings.set("NEWSCRAWL_JOBDIR_STATE", run.jobdir_state, priority="cmdline")
        output = Path(settings.get("NEWSCRAWL_OUTPUT") or DataLayout(data_dir).site_dir(site))
        crawler = run_crawl(settings, spider, spider_kwargs)
        finish_forced_stop(crawler)
    stats = dict(crawler.stats.get_stats()) if crawler.stats else {}
    return CrawlResult(output, stats)


@dataclass
class PlannedCrawl:
    """One crawl of :func:`run_in_turn`: ``name`` is the caller's (a WARC run's id)."""

    name: str
    site: str
    spider: type[Any]
    settings: Settings
    spider_kwargs: dict[str, Any] = field(default_factory=dict)


@dataclass
class CrawlOutcome:
    name: str
    site: str
    stats: dict[str, Any]
    locked: LockHeld | None = None  # the site's lock was held: the crawl did not run


def run_in_turn(base: Settings, crawls: Sequence[PlannedCrawl], data_dir: str | Path,
                ) -> tuple[list[CrawlOutcome], str | None]:
    """Run ``crawls`` one after another in this process's one reactor (Scrapy's sequential
    pattern, ``CrawlerRunner``), each under its site's lock; a crawl whose lock another
    run holds is skipped (exit code 75 in its stats). Returns the outcomes in order and,
    if the chain broke, the error's message (the crawls after it have no outcome)."""
    from scrapy.crawler import CrawlerRunner
    from scrapy.utils.log import configure_logging
    from scrapy.utils.reactor import install_reactor
    from twisted.internet import defer

    from newscrawl.archive.runstats import EXIT_LOCKED

    install_reactor(base["TWISTED_REACTOR"])
    configure_logging(base)
    runner = CrawlerRunner(base)
    outcomes: list[CrawlOutcome] = []
    failure: list[str] = []

    @defer.inlineCallbacks
    def run_all() -> Any:
        for planned in crawls:
            lock = SiteLock(DataLayout(data_dir).lock_path(planned.site))
            try:
                lock.acquire()
            except LockHeld as exc:
                outcomes.append(CrawlOutcome(planned.name, planned.site,
                                             {"archive/exit_code": EXIT_LOCKED}, exc))
                continue
            try:
                crawler = Crawler(planned.spider, planned.settings)
                yield runner.crawl(crawler, **planned.spider_kwargs)
                stats = crawler.stats.get_stats() if crawler.stats else {}
                outcomes.append(CrawlOutcome(planned.name, planned.site, dict(stats)))
            finally:
                lock.release()

    from twisted.internet import reactor

    def stop(result: Any) -> None:
        if hasattr(result, "getErrorMessage"):
            failure.append(result.getErrorMessage())
        reactor.stop()  # type: ignore[misc]

    d: Any = run_all()
    d.addBoth(stop)
    reactor.run()  # type: ignore[misc]
    return outcomes, (failure[0] if failure else None)


def finish_forced_stop(crawler: Crawler) -> None:
    """A second Ctrl-C / SIGTERM stops the reactor before the engine reports: write the
    run's stats now, as an interrupted run (exit 130, the same in the stats and the exit
    status), so cron sees one code for "interrupted" however many signals it took."""
    from newscrawl.archive.extension import ArchiveExtension

    ext = crawler.get_extension(ArchiveExtension)
    if ext is None or ext.exit_code is not None or crawler.stats is None:
        return
    if crawler.stats.get_value("finish_reason") in (None, "shutdown"):
        crawler.stats.set_value("finish_reason", "shutdown")
        crawler.stats.set_value("archive/forced_stop", True)
    ext.spider_closed()
    ext.engine_stopped()


def summarise(result: CrawlResult, out: Any = None) -> None:
    """The summary a person reads after a run: the archive's line, where things are, what
    was not stored and why, what failed."""
    out = out or sys.stdout
    stats = result.stats
    if "archive/summary" in stats:
        print(f"{stats['archive/summary']}\n  records in {result.output},"
              f" run stats in {stats.get('archive/stats_file')}", file=out)
    else:
        print(f"newscrawl: {result.articles} article(s) stored in {result.output}", file=out)
    dropped = {k.split("newscrawl/dropped/", 1)[1]: v for k, v in sorted(stats.items())
               if k.startswith("newscrawl/dropped/")}
    if dropped:
        print("  not stored: " + ", ".join(f"{k} {v}" for k, v in dropped.items()), file=out)
    refused = stats.get("newscrawl/offsite/refused_links", 0) + stats.get("offsite/filtered", 0)
    errors = {k.split("/", 1)[1]: v for k, v in stats.items()
              if k.startswith("httperror/response_ignored_status_count/")}
    failures = {k.rsplit("/", 1)[-1].rsplit(".", 1)[-1]: v for k, v in stats.items()
                if k.startswith("downloader/exception_type_count/") and "IgnoreRequest" not in k}
    notes = []
    if refused:
        notes.append(f"off-site links refused {refused}")
    if stats.get("robotstxt/forbidden"):
        notes.append(f"robots.txt forbade {stats['robotstxt/forbidden']}")
    for k, v in errors.items():
        notes.append(f"HTTP {k.rsplit('/', 1)[-1]} ×{v}")
    for name, count in sorted(failures.items()):
        notes.append(f"{name} ×{count}")
    if notes:
        print("  " + ", ".join(notes), file=out)
