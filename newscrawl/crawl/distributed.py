"""Running the three distributed roles: ``crawl --redis``, ``seed`` and ``worker``.

All three are ordinary Scrapy crawls of the newscrawl spiders, run here beside the
single-machine runner (:mod:`newscrawl.crawl.runner`); what differs is the settings overlay
:func:`distributed_settings` puts on top of a crawl's settings (the scrapy-redis components
it names live in :mod:`newscrawl.distributed`):

========  ==========================================================================
crawl     seeds the site (its start requests go through the shared filter), crawls it
          with the others until the site is drained, stores in its own shard.
seed      pushes the start requests and registers the profile; downloads nothing.
worker    never starts a run; crawls whichever seeded sites have queued requests, one
          crawler per site (at most ``--max-sites`` at once), until stopped or idle.
========  ==========================================================================
"""

from __future__ import annotations

import json
import logging
import signal
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import redis
from scrapy.crawler import Crawler, CrawlerProcess
from scrapy.settings import SETTINGS_PRIORITIES, Settings
from scrapy.utils.ossignal import install_shutdown_handlers
from twisted.python.failure import Failure

from newscrawl.archive.setup import ArchiveRun, archive_settings
from newscrawl.crawl.runner import CrawlResult, run_crawl
from newscrawl.crawl.settings import merge
from newscrawl.crawl.spiders import registered_spider
from newscrawl.distributed.keys import DEFAULT_PREFIX, Keys
from newscrawl.distributed.queue import dead_workers
from newscrawl.distributed.scheduler import WorkerIdInUse, claim_worker_id
from newscrawl.distributed.settings import redis_settings
from newscrawl.distributed.sites import load_site, seeded_sites

logger = logging.getLogger(__name__)

ROLES = ("crawl", "seed", "worker")


def _merge_component(settings: Settings, name: str, extra: dict[str, Any]) -> None:
    merge(settings, {name: extra}, "cmdline")


def distributed_settings(base: Settings, *, role: str, redis_url: str, site: str,
                         worker_id: str | None, data_dir: str | Path | None = None,
                         prefix: str = DEFAULT_PREFIX, spider_args: dict[str, Any] | None = None,
                         target: str | None = None, progress: bool = False,
                         summary: bool = True) -> Settings:
    """``base`` (a crawl's settings) turned into one distributed ``role`` for ``site``."""
    if role not in ROLES:
        raise ValueError(f"role must be one of {ROLES}, not {role!r}")
    settings = base.copy()
    overlay = redis_settings(redis_url, site, worker_id, prefix)
    settings.setdict(overlay, priority="cmdline")
    settings.set("NEWSCRAWL_REDIS_ROLE", role, priority="cmdline")
    settings.set("FEEDS", {}, priority="cmdline")  # records go to the sharded archive
    if role in ("crawl", "seed"):
        settings.set("NEWSCRAWL_REDIS_REGISTER", True, priority="cmdline")
        settings.set("NEWSCRAWL_REDIS_SPIDER_ARGS", json.dumps(spider_args or {}),
                     priority="cmdline")
        _merge_component(settings, "EXTENSIONS",
                         {"newscrawl.distributed.components.SiteRegistration": 50})
    if role == "seed":
        settings.set("SCHEDULER", "newscrawl.distributed.components.SeedScheduler",
                     priority="cmdline")
        # Stores nothing: the archive's components are taken out (not merely disabled,
        # which Scrapy would log as a warning for each).
        settings.set("NEWSCRAWL_ARCHIVE_ENABLED", False, priority="cmdline")
        for name, value in archive_settings("data", site).items():
            if isinstance(value, dict) and name != "FEEDS":
                _merge_component(settings, name, dict.fromkeys(value))
        return settings
    # Scrapy takes up to CONCURRENT_REQUESTS requests from the scheduler, though only
    # CONCURRENT_REQUESTS_PER_DOMAIN of them can be downloading from the site at once; the
    # rest would sit in this worker while other workers find the shared queue empty. One
    # crawler crawls one site, so unless the user asked otherwise, take what can start.
    cmdline = SETTINGS_PRIORITIES["cmdline"]
    if (settings.getpriority("CONCURRENT_REQUESTS") or 0) < cmdline:
        per_domain = settings.getint("CONCURRENT_REQUESTS_PER_DOMAIN", 8)
        settings.set("CONCURRENT_REQUESTS",
                     min(settings.getint("CONCURRENT_REQUESTS", 16), max(1, per_domain)),
                     priority="cmdline")
    if not settings.getbool("NEWSCRAWL_ARCHIVE_ENABLED"):
        # A worker starts from the project settings: add the archive (the crawl command's
        # settings have it already, with the user's archive options).
        archive = archive_settings(data_dir or "data", site, target=target or site,
                                   resume=False, progress=progress, summary=summary)
        for name, value in archive.items():
            if isinstance(value, dict) and name != "FEEDS":
                _merge_component(settings, name, value)
            elif name != "FEEDS" and (settings.getpriority(name) or 0) < cmdline:
                # ... but what the user set (-s NEWSCRAWL_REFRESH=True) stands.
                settings.set(name, value, priority="cmdline")
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    settings.setdict({
        # The worker id in every file of the run: WARC files, the run's stats file.
        "NEWSCRAWL_RUN_ID": f"{stamp}-{overlay['NEWSCRAWL_WORKER_ID']}",
        "NEWSCRAWL_SITE": site,
        # The queue in Redis is the resumable state: no JOBDIR (scrapy-redis ignores it).
        "JOBDIR": None,
        "NEWSCRAWL_JOBDIR_STATE": None,
    }, priority="cmdline")
    # The single-machine archive extension (SQLite state, site lock's files) gives way to
    # the sharded one; archive_of() finds the subclass all the same.
    _merge_component(settings, "EXTENSIONS", {
        "newscrawl.archive.extension.ArchiveExtension": None,
        "newscrawl.distributed.archive.ShardedArchiveExtension": 100,
    })
    if role == "worker":
        _merge_component(settings, "SPIDER_MIDDLEWARES",
                         {"newscrawl.distributed.components.WorkerStart": 10})
    return settings


class Worker:
    """A process that crawls whatever seeded sites have work, joining and leaving freely.

    Every ``poll`` seconds it looks at the seeded sites (or ``sites``): a site with queued
    requests, or with requests held by a dead worker, gets a crawler in this process unless
    one runs already or ``max_sites`` crawlers do. A crawler ends when its site is drained.
    SIGINT/SIGTERM stop it gracefully (unfinished requests go back to the queue); a second
    signal stops at once. With ``idle_exit`` the worker ends after that many seconds
    without work (for batch jobs and tests).
    """

    def __init__(self, base: Settings, *, redis_url: str, worker_id: str, data_dir: str | Path,
                 prefix: str = DEFAULT_PREFIX, sites: list[str] | None = None,
                 max_sites: int = 4, poll: float = 1.0, idle_exit: float | None = None) -> None:
        self.base = base
        self.redis_url = redis_url
        self.worker_id = worker_id
        self.data_dir = data_dir
        self.prefix = prefix
        self.keys = Keys(prefix)
        self.server = redis.Redis.from_url(redis_url)
        self.sites = sites
        self.max_sites = max(1, max_sites)
        self.poll_interval = poll
        self.idle_exit = idle_exit
        self.running: dict[str, Crawler] = {}
        self.retry_after: dict[str, float] = {}
        self.finished: list[tuple[str, str]] = []  # (site, finish reason) of every crawler
        self.idle_since: float | None = None
        self.stopping = False
        self.exit_code = 0
        self.process: CrawlerProcess | None = None

    # -- the loop ---------------------------------------------------------------------
    def run(self) -> int:
        from scrapy.utils.reactor import install_reactor

        install_reactor(self.base["TWISTED_REACTOR"], self.base["ASYNCIO_EVENT_LOOP"])
        from twisted.internet import reactor, task

        self.server.ping()
        # Refuse a worker id a live process holds now, not when the first site opens; the
        # idle loop keeps the claim (its sites' schedulers beat while they crawl).
        self.heartbeat_ttl = self.base.getfloat("NEWSCRAWL_REDIS_HEARTBEAT_TTL", 15.0)
        claim_worker_id(self.server, self.keys, self.worker_id, self.heartbeat_ttl)
        self.process = CrawlerProcess(self.base)
        logger.info("Worker %s: taking requests from %s (prefix %r)", self.worker_id,
                    self.redis_url, self.prefix)
        loop = task.LoopingCall(self.poll)
        loop.start(self.poll_interval, now=False)
        reactor.callWhenRunning(self.poll)
        install_shutdown_handlers(self._on_signal)
        self.process.start(stop_after_crawl=False, install_signal_handlers=False)
        return self.exit_code

    def poll(self) -> None:
        if self.stopping:
            return
        # Nothing may escape: an exception would stop the LoopingCall, and the worker would
        # sit idle forever.
        try:
            self._poll()
        except WorkerIdInUse as exc:  # another process took our id while we were idle
            logger.error("%s", exc)
            self.exit_code = 2
            self.shutdown()
        except redis.RedisError as exc:
            logger.error("Worker %s: Redis unavailable (%s); retrying", self.worker_id, exc)
        except Exception:
            logger.exception("Worker %s: looking for work failed; retrying", self.worker_id)

    def _poll(self) -> None:
        now = time.monotonic()
        claim_worker_id(self.server, self.keys, self.worker_id, self.heartbeat_ttl)
        for site in self.sites or seeded_sites(self.server, self.keys):
            if site in self.running or self.retry_after.get(site, 0) > now:
                continue
            if len(self.running) >= self.max_sites:
                break
            if self.has_work(site):
                try:
                    self.start_site(site)
                except Exception:  # a profile that will not load, a spider that will not build
                    logger.exception("Worker %s: cannot crawl %r; trying again in a minute",
                                     self.worker_id, site)
                    self.running.pop(site, None)
                    self.retry_after[site] = time.monotonic() + 60
        if self.running:
            self.idle_since = None
            return
        self.idle_since = self.idle_since or now
        if self.idle_exit is not None and now - self.idle_since >= self.idle_exit:
            logger.info("Worker %s: no work for %gs, leaving", self.worker_id, self.idle_exit)
            self.shutdown()

    def has_work(self, site: str) -> bool:
        if self.server.zcard(self.keys.queue(site)):
            return True
        return any(self.server.hlen(self.keys.processing(site, w))
                   for w in dead_workers(self.server, self.keys, site))

    def start_site(self, site: str) -> None:
        assert self.process is not None
        entry = load_site(self.server, self.keys, site)
        if entry is None:
            logger.error("Site %r has queued requests but no profile in Redis (seed it with "
                         "`newscrawl seed`); skipping it for a minute", site)
            self.retry_after[site] = time.monotonic() + 60
            return
        settings = distributed_settings(
            self.base, role="worker", redis_url=self.redis_url, site=site,
            worker_id=self.worker_id, data_dir=self.data_dir, prefix=self.prefix,
        )
        crawler = Crawler(registered_spider(entry.spider), settings, init_reactor=False)
        logger.info("Worker %s: crawling %r", self.worker_id, site)
        self.running[site] = crawler
        d = self.process.crawl(crawler, profile=entry.profile, **entry.spider_args)
        d.addBoth(self._crawler_done, site, crawler)

    def _crawler_done(self, result: Any, site: str, crawler: Crawler) -> None:
        self.running.pop(site, None)
        if isinstance(result, Failure):
            if result.check(WorkerIdInUse):
                logger.error("%s", result.getErrorMessage())
                self.exit_code = 2
                self.shutdown()
                return
            logger.error("Worker %s: the crawler of %r failed: %s", self.worker_id, site,
                         result.getTraceback())
            self.retry_after[site] = time.monotonic() + 10
            self.finished.append((site, "error"))
            return
        reason = crawler.stats.get_value("finish_reason") if crawler.stats else None
        self.finished.append((site, str(reason)))
        logger.info("Worker %s: done with %r (%s)", self.worker_id, site, reason)

    # -- stopping ---------------------------------------------------------------------
    def _on_signal(self, signum: int, _: Any) -> None:
        from twisted.internet import reactor

        install_shutdown_handlers(self._on_second_signal)
        reactor.callFromThread(self.shutdown)

    def _on_second_signal(self, signum: int, _: Any) -> None:
        from twisted.internet import reactor

        install_shutdown_handlers(signal.SIG_IGN)
        reactor.callFromThread(self._stop_reactor)

    def shutdown(self) -> None:
        if self.stopping:
            return
        self.stopping = True
        assert self.process is not None
        logger.info("Worker %s: stopping (unfinished requests go back to the queue)",
                    self.worker_id)
        d = self.process.stop()
        d.addBoth(self._stop_reactor)

    @staticmethod
    def _stop_reactor(_: Any = None) -> None:
        from twisted.internet import reactor

        if reactor.running:
            reactor.stop()  # type: ignore[misc]


def worker_spider_args(spider: str, spider_args: dict[str, Any]) -> dict[str, Any]:
    """The arguments a worker constructs the site's spider with. A worker never runs the
    spider's start(), so what only feeds start requests stays with the seeding host; the
    urls spider still wants one URL to be constructed."""
    args = {k: v for k, v in spider_args.items() if k in ("since",)}
    if spider == "urls":
        from newscrawl.spiders.urls import read_urls

        urls = read_urls(spider_args.get("urls"), spider_args.get("urls_file"))
        args["urls"] = urls[0]
    return args


def run_distributed(base: Settings, *, role: str, redis_url: str, site: str, worker_id: str,
                    spider: str, spider_args: dict[str, Any], profile: Any = None,
                    data_dir: str | Path | None = None, prefix: str = DEFAULT_PREFIX,
                    target: str | None = None, progress: bool = False) -> CrawlResult:
    """One ``crawl --redis`` (role ``crawl``) or ``seed`` (role ``seed``) run of ``site``
    to its end. The result's ``exit_code`` is the archive's (a seed stores nothing: its
    stats say what it pushed)."""
    settings = distributed_settings(
        base, role=role, redis_url=redis_url, site=site, worker_id=worker_id,
        data_dir=data_dir, prefix=prefix, spider_args=worker_spider_args(spider, spider_args),
        target=target or site, progress=progress,
    )
    kwargs = dict(spider_args)
    if profile is not None:
        kwargs["profile"] = profile
    crawler = run_crawl(settings, spider, kwargs)
    stats = dict(crawler.stats.get_stats()) if crawler.stats else {}
    if role != "seed":
        stats.setdefault("archive/exit_code", ArchiveRun.exit_code(crawler))
    return CrawlResult(Path(str(settings.get("NEWSCRAWL_DATA_DIR") or "data")) / site, stats)
