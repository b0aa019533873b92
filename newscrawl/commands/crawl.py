"""Crawl one portal (a site profile's name, or a URL with no profile) into JSONL records.

Examples:
  newscrawl crawl https://news.example.cn/              # no profile: generic rules, that host only
  newscrawl crawl demo --base-url http://127.0.0.1:8808  # a profile, pointed at its server
  newscrawl crawl mysite --since 2026-11-01 --max-pages 500 --cache
  newscrawl crawl mysite --quiet --log-file /var/log/newscrawl/mysite.log   # from cron

Records go to DATA_DIR/<site>/ (see docs/archive.md). Exit status: 0 ok; 1 errors above
--max-error-rate; 2 usage or configuration error; 3 the crawl did not finish (also when it
"stopped: budget", NEWSCRAWL_PAGE_BUDGET pages, on by default); 75 another
run of the site holds its lock; 130 interrupted (run again to resume).
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from scrapy.settings import BaseSettings, Settings

from newscrawl.profiles import ProfileError, SiteProfile, resolve_target
from newscrawl.store.layout import DataLayout
from newscrawl.store.lock import LockHeld
from newscrawl.store.runstats import EXIT_CONFIG, EXIT_LOCKED, EXIT_UNFINISHED
from newscrawl.store.setup import (
    ArchiveError,
    ArchiveRun,
    add_archive_arguments,
    archive_options,
    archive_settings,
    logging_settings,
)

SPIDERS = ("portal", "sitemap", "feed", "urls")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("target", metavar="SITE|URL", nargs="?",
                        help="a profile name (see `newscrawl sites`) or a start URL")
    parser.add_argument("--data-dir", default="data", help="where records go (default: ./data)")
    parser.add_argument("--spider", choices=SPIDERS,
                        help="how to find articles (default: what the profile provides: "
                             "start URLs → portal, else sitemap, else feed)")
    parser.add_argument("--urls-file", metavar="FILE",
                        help="with --spider urls: a file of article URLs, '-' for stdin")
    parser.add_argument("--since", metavar="DATE", help="skip articles published before DATE")
    parser.add_argument("--max-pages", type=int, metavar="N", help="stop after N responses")
    parser.add_argument("--max-articles", type=int, metavar="N", help="stop after N articles")
    parser.add_argument("--depth", type=int, metavar="N", help="follow links at most N deep")
    parser.add_argument("--cache", action="store_true",
                        help="cache responses under DATA_DIR/httpcache (for development)")
    parser.add_argument("--resume", action="store_true",
                        help="a crawl stopped by --max-pages/--max-articles continues where it "
                             "stopped next time (an interrupted one always does: Scrapy JOBDIR "
                             "in DATA_DIR/<site>/job, see docs/archive.md)")
    parser.add_argument("--sites-dir", metavar="DIR", help="look for profiles here first")
    parser.add_argument("--base-url", metavar="URL",
                        help="run the profile against another origin (mirror, local copy)")
    parser.add_argument("--contact", metavar="URL|EMAIL",
                        help="contact put in the User-Agent (setting NEWSCRAWL_CONTACT)")
    parser.add_argument("-s", "--set", action="append", default=[], metavar="NAME=VALUE",
                        help="any Scrapy setting, e.g. -s DOWNLOAD_DELAY=2")
    parser.add_argument("--log-level", default=None,
                        help="INFO by default; WARNING with --quiet or while a progress line is drawn")
    add_archive_arguments(parser)
    from newscrawl.distributed.cli import add_redis_arguments

    add_redis_arguments(parser, required=False)


def output_settings(data_dir: str | Path, site: str, args: argparse.Namespace | None = None,
                    *, target: str | None = None, replay: dict[str, Any] | None = None,
                    jobdir: Path | None = None) -> dict[str, Any]:
    """Where records go: the archive (newscrawl.store) — JSONL per site and day, SQLite
    state, WARC — through its pipelines. See docs/archive.md."""
    opts = archive_options(args, target=target, replay=replay)
    settings = archive_settings(data_dir, site, resume=jobdir is not None, jobdir=jobdir, **opts)
    settings["NEWSCRAWL_OUTPUT"] = str(DataLayout(data_dir).site_dir(site))
    return settings


def project_settings() -> Settings:
    settings = Settings()
    settings.setmodule("newscrawl.settings", priority="project")
    return settings


def crawl_settings(args: argparse.Namespace, spider_name: str, job_name: str | None = None,
                   *, site: str | None = None, target: str | None = None,
                   replay: dict[str, Any] | None = None, jobdir: Path | None = None) -> Settings:
    settings = project_settings()
    data_dir = Path(args.data_dir)
    overrides: dict[str, Any] = {}
    for key, value in output_settings(data_dir, site or spider_name, args, target=target,
                                      replay=replay, jobdir=jobdir).items():
        base = settings.get(key)
        if isinstance(base, BaseSettings):  # Scrapy keeps component dicts as BaseSettings
            base = base.copy_to_dict()
        # Component dicts (EXTENSIONS, ITEM_PIPELINES, …) add to the project's, not replace.
        overrides[key] = {**base, **value} if isinstance(value, dict) and isinstance(base, dict) else value
    log_level = getattr(args, "log_level", None)
    if log_level is None and not getattr(args, "quiet", False) and sys.stderr.isatty():
        log_level = "WARNING"  # the progress line tells the story; logs would scramble it
    overrides.update(logging_settings(args, log_level or "INFO"))
    if args.max_pages:
        overrides["CLOSESPIDER_PAGECOUNT"] = args.max_pages
    if args.max_articles:
        overrides["CLOSESPIDER_ITEMCOUNT"] = args.max_articles
    if args.depth is not None:
        overrides["DEPTH_LIMIT"] = args.depth
    if args.cache:
        overrides["HTTPCACHE_ENABLED"] = True
        overrides["HTTPCACHE_DIR"] = str((data_dir / "httpcache").resolve())
    if args.contact:
        overrides["NEWSCRAWL_CONTACT"] = args.contact
    if getattr(args, "resume", False):
        # The archive keeps the JOBDIR (DATA_DIR/<site>/job, on by default); --resume also
        # keeps it after a --max-pages/--max-articles stop, so the next run continues.
        overrides["NEWSCRAWL_RESUME_AFTER_LIMIT"] = True
    settings.setdict(overrides, priority="cmdline")
    for item in args.set:
        name, sep, value = item.partition("=")
        if not sep:
            raise SystemExit(f"newscrawl crawl: -s {item!r}: expected NAME=VALUE")
        settings.set(name.strip(), value, priority="cmdline")
    return settings


@dataclass
class CrawlResult:
    output: Path
    stats: dict[str, Any]

    @property
    def articles(self) -> int:
        return int(self.stats.get("item_scraped_count", 0))


def run_crawl(profile: SiteProfile, spider_name: str, settings: Settings,
              spider_args: dict[str, Any]) -> CrawlResult:
    """Run one crawl to the end in this process (Scrapy's reactor: once per process)."""
    from scrapy.crawler import CrawlerProcess

    from newscrawl.spiders.feed import FeedSpider
    from newscrawl.spiders.portal import PortalSpider
    from newscrawl.spiders.sitemap import SitemapSpider
    from newscrawl.spiders.urls import UrlsSpider

    classes = {"portal": PortalSpider, "sitemap": SitemapSpider, "feed": FeedSpider,
               "urls": UrlsSpider}
    output = Path(settings.get("NEWSCRAWL_OUTPUT"))
    output.parent.mkdir(parents=True, exist_ok=True)
    process = CrawlerProcess(settings)
    crawler = process.create_crawler(classes[spider_name])
    process.crawl(crawler, profile=profile, **spider_args)
    process.start()
    stats = dict(crawler.stats.get_stats()) if crawler.stats else {}
    return CrawlResult(output, stats)


def summarise(result: CrawlResult, out: Any = sys.stdout) -> None:
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
    errors = {k.split("/", 1)[1]: v for k, v in stats.items() if k.startswith("httperror/response_ignored_status_count/")}
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


def run(args: argparse.Namespace) -> int:
    if not args.target and not (args.spider == "urls" and args.urls_file):
        print("newscrawl crawl: give a SITE (profile name) or a start URL", file=sys.stderr)
        return 2
    try:
        if args.target:
            profile = resolve_target(args.target, args.sites_dir)
        else:
            profile = SiteProfile(name="urls", source="<url list>")
        if args.base_url:
            profile = profile.with_base_url(args.base_url)
    except ProfileError as exc:
        print(f"newscrawl crawl: {exc}", file=sys.stderr)
        return 2
    spider_name = args.spider or ("urls" if args.urls_file else profile.discovery)
    spider_args: dict[str, Any] = {}
    if args.since:
        spider_args["since"] = args.since
    if spider_name == "urls":
        if not args.urls_file:
            print("newscrawl crawl: --spider urls needs --urls-file FILE (or -)", file=sys.stderr)
            return 2
        spider_args["urls_file"] = args.urls_file
        if not args.target:
            profile = None  # type: ignore[assignment]
    if spider_name == "sitemap" and profile is not None and not (profile.sitemaps or profile.start_urls):
        print(f"newscrawl crawl: profile {profile.name!r} has no sitemaps", file=sys.stderr)
        return 2
    if spider_name == "feed" and profile is not None and not (profile.feeds or profile.start_urls):
        print(f"newscrawl crawl: profile {profile.name!r} has no feeds", file=sys.stderr)
        return 2
    try:
        if args.since:
            from newscrawl.spiders.base import parse_since

            parse_since(args.since)
    except ValueError as exc:
        print(f"newscrawl crawl: {exc}", file=sys.stderr)
        return 2
    site = profile.name if profile is not None else "urls"
    replay = {"spider": spider_name, "target": args.target, "base_url": args.base_url,
              "sites_dir": args.sites_dir, "spider_args": spider_args}
    if getattr(args, "redis", None):  # distributed: newscrawl.distributed (docs/scale-out.md)
        from newscrawl.distributed.runner import run_distributed_crawl

        return run_distributed_crawl(args, profile, spider_name, spider_args, crawl_settings(
            args, spider_name, site=site, target=args.target, replay=replay))
    code, _ = run_archived(args, profile, spider_name, spider_args, site=site,
                           target=args.target, replay=replay)
    return code


def run_archived(args: argparse.Namespace, profile: SiteProfile | None, spider_name: str,
                 spider_args: dict[str, Any], *, site: str, target: str | None,
                 replay: dict[str, Any], extra: dict[str, Any] | None = None,
                 ) -> tuple[int, CrawlResult | None]:
    """One crawl under the site's lock, stored in the archive; returns the exit code
    (newscrawl.store.runstats: 0 ok, 1 errors above threshold, 3 unfinished, 75 locked)
    and the result (None when the lock was held)."""
    try:
        with ArchiveRun(args.data_dir, site, resume=not getattr(args, "no_resume", False)) as run:
            settings = crawl_settings(args, spider_name, site=site, target=target, replay=replay,
                                      jobdir=run.jobdir if run.resume else None)
            settings.set("NEWSCRAWL_JOBDIR_STATE", run.jobdir_state, priority="cmdline")
            if extra:
                settings.setdict(extra, priority="cmdline")
            result = run_crawl(profile, spider_name, settings, spider_args)  # type: ignore[arg-type]
    except LockHeld as exc:
        print(f"newscrawl crawl: {exc}", file=sys.stderr)
        return EXIT_LOCKED, None
    except ArchiveError as exc:
        print(f"newscrawl crawl: {exc}", file=sys.stderr)
        return EXIT_CONFIG, None
    if not getattr(args, "quiet", False):
        summarise(result)
    return int(result.stats.get("archive/exit_code", EXIT_UNFINISHED)), result
