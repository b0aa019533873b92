"""Crawl one portal (a site profile's name, or a URL with no profile) into JSONL records.

Examples:
  newscrawl crawl https://news.example.cn/              # no profile: generic rules, that host only
  newscrawl crawl demo --base-url http://127.0.0.1:8808  # a profile, pointed at its server
  newscrawl crawl mysite --since 2026-11-01 --max-pages 500 --cache
  newscrawl crawl mysite --quiet --log-file /var/log/newscrawl/mysite.log   # from cron

Records go to DATA_DIR/<site>/ (see docs/archive.md). Exit status: 0 ok; 1 errors above
--max-error-rate; 2 usage or configuration error; 3 the crawl did not finish; 75 another
run of the site holds its lock; 130 interrupted (run again to resume).
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any

from newscrawl.commands._options import add_archive_arguments, non_negative_int, positive_int
from newscrawl.commands._redis import add_redis_arguments, checked_url, resolve_worker_id
from newscrawl.crawl.spiders import SPIDERS

if TYPE_CHECKING:
    from newscrawl.crawl.runner import CrawlResult
    from newscrawl.profiles import SiteProfile

# Scrapy, the extractor and the archive are imported when a command runs, not when the
# parser is built: `newscrawl --help` and the light commands load none of them.


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
    parser.add_argument("--max-pages", type=positive_int, metavar="N",
                        help="stop after N responses")
    parser.add_argument("--max-articles", type=positive_int, metavar="N",
                        help="store at most N articles, then stop")
    parser.add_argument("--depth", type=non_negative_int, metavar="N",
                        help="follow links at most N deep")
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
    add_redis_arguments(parser, required=False)


def run(args: argparse.Namespace) -> int:
    from newscrawl.archive.runstats import EXIT_CONFIG
    from newscrawl.crawl.settings import SettingsError, crawl_settings
    from newscrawl.profiles import ProfileError, SiteProfile, resolve_target

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
        try:
            settings = crawl_settings(args, site, target=args.target, replay=replay,
                                      profile_settings=getattr(profile, "settings", None))
        except SettingsError as exc:
            print(f"newscrawl crawl: {exc}", file=sys.stderr)
            return EXIT_CONFIG
        return run_distributed_crawl(args, profile, spider_name, spider_args, settings)
    code, _ = run_archived_crawl(args, profile, spider_name, spider_args, site=site,
                                 target=args.target, replay=replay)
    return code


def run_archived_crawl(args: argparse.Namespace, profile: SiteProfile | None, spider_name: str,
                       spider_args: dict[str, Any], *, site: str, target: str | None,
                       replay: dict[str, Any], extra: dict[str, Any] | None = None,
                       ) -> tuple[int, CrawlResult | None]:
    """One crawl under the site's lock, stored in the archive; returns the exit code
    (newscrawl.archive.runstats: 0 ok, 1 errors above threshold, 3 unfinished, 75 locked)
    and the result (None when nothing ran), after printing the summary unless --quiet."""
    from newscrawl.archive.lock import LockHeld
    from newscrawl.archive.runstats import EXIT_CONFIG, EXIT_LOCKED, errors_by_type
    from newscrawl.archive.setup import ArchiveError
    from newscrawl.crawl.runner import run_archived, summarise
    from newscrawl.crawl.settings import SettingsError, crawl_settings

    profile_settings = getattr(profile, "settings", None)
    kwargs = dict(spider_args)
    if profile is not None:
        kwargs["profile"] = profile
    try:
        # A bad -s value stops here, before the lock is taken or anything is written.
        crawl_settings(args, site, profile_settings=profile_settings, target=target,
                       replay=replay, extra=extra)
        result = run_archived(
            args.data_dir, site,
            lambda run: crawl_settings(args, site, profile_settings=profile_settings,
                                       target=target, replay=replay, extra=extra,
                                       jobdir=run.jobdir if run.resume else None),
            spider_name, kwargs, resume=not getattr(args, "no_resume", False))
    except SettingsError as exc:
        print(f"newscrawl crawl: {exc}", file=sys.stderr)
        return EXIT_CONFIG, None
    except LockHeld as exc:
        print(f"newscrawl crawl: {exc}", file=sys.stderr)
        return EXIT_LOCKED, None
    except ArchiveError as exc:
        print(f"newscrawl crawl: {exc}", file=sys.stderr)
        return EXIT_CONFIG, None
    if result.stats.get("archive/write_error"):  # disk full, read-only: name the path
        print(f"newscrawl crawl: cannot write {result.stats['archive/write_error']}; "
              f"stopped, exit {result.exit_code} (what was written is whole; free space and "
              "run again)", file=sys.stderr)
        if getattr(args, "quiet", False):
            return result.exit_code, result
    if not getattr(args, "quiet", False):
        summarise(result)
    elif result.exit_code != 0:  # under cron: one line, because a person must act
        summary = str(result.stats.get("archive/summary", f"{site}: the run did not finish"))
        errors = ", ".join(f"{k} ×{v}" for k, v in errors_by_type(result.stats).items())
        print(f"newscrawl crawl: {summary.removeprefix('newscrawl: ')}"
              f"{' (' + errors + ')' if errors else ''}; exit {result.exit_code}, stats in "
              f"{result.stats.get('archive/stats_file', '(not written)')}", file=sys.stderr)
    return result.exit_code, result


def run_distributed_crawl(args: argparse.Namespace, profile: SiteProfile | None, spider_name: str,
                          spider_args: dict[str, Any], settings: Any) -> int:
    """``newscrawl crawl --redis`` (role ``crawl``) and ``newscrawl seed`` (role ``seed``):
    the crawl runs in :mod:`newscrawl.crawl.distributed`; here the Redis URL is checked,
    the run's outcome printed and its exit code returned."""
    import redis

    from newscrawl.crawl.distributed import run_distributed
    from newscrawl.crawl.runner import summarise

    role = getattr(args, "redis_role", "crawl")
    command = "seed" if role == "seed" else "crawl"
    url = checked_url(args.redis, command)
    if url is None:
        return 2
    try:
        server = redis.Redis.from_url(url)
        server.ping()
    except redis.RedisError as exc:
        print(f"newscrawl {command}: cannot reach Redis at {url}: {exc}", file=sys.stderr)
        return 2
    site = profile.name if profile is not None else "urls"
    worker_id = resolve_worker_id(getattr(args, "worker_id", None))
    if role == "seed":
        worker_id = f"seed-{worker_id}"
    result = run_distributed(
        settings, role=role, redis_url=url, site=site, worker_id=worker_id, spider=spider_name,
        spider_args=spider_args, profile=profile, data_dir=getattr(args, "data_dir", None),
        prefix=args.redis_prefix, target=getattr(args, "target", None) or site,
        progress=sys.stderr.isatty())
    if role == "seed":
        from newscrawl.distributed.keys import Keys

        pushed = int(result.stats.get("newscrawl/seed/pushed", 0))
        known = int(result.stats.get("newscrawl/seed/already_in_run", 0))
        queued = server.zcard(Keys(args.redis_prefix).queue(site))
        print(f"newscrawl seed: {pushed} start request(s) of {site!r} queued "
              f"({known} already in the current run; {queued} request(s) waiting) on {url}")
        return 0 if result.stats.get("finish_reason") == "finished" else 1
    if not getattr(args, "quiet", False):
        summarise(result)
    return result.exit_code
