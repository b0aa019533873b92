"""Run a worker of a distributed crawl: take any seeded site's requests from Redis.

Crawls every site that has queued requests (one crawler per site, --max-sites at once),
storing records in this worker's own JSONL/WARC shards under --data-dir. Start as many as
you like, on as many hosts as you like, whenever you like; stop them with Ctrl-C or
SIGTERM (what they hold goes back to the queue) — a worker killed outright loses nothing
either: its requests are picked up by the others once its heartbeat expires.

  newscrawl worker --redis redis://10.0.0.5:6379/0 --data-dir /srv/news/data
"""

from __future__ import annotations

import argparse
import sys

from newscrawl.commands._options import positive_int, seconds
from newscrawl.commands._redis import add_redis_arguments, checked_url, resolve_worker_id


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_redis_arguments(parser, required=True)
    parser.add_argument("--data-dir", default="data",
                        help="where this worker's shards go (default: ./data)")
    parser.add_argument("--sites", metavar="NAME,NAME",
                        help="only these seeded sites (default: every seeded site)")
    parser.add_argument("--max-sites", type=positive_int, default=4, metavar="N",
                        help="crawl at most N sites at once (default: 4)")
    parser.add_argument("--idle-exit", type=seconds, metavar="SECONDS",
                        help="leave after SECONDS without work (default: run until stopped)")
    parser.add_argument("--poll", type=seconds, default=1.0, metavar="SECONDS",
                        help="how often to look for sites with work (default: 1)")
    parser.add_argument("--contact", metavar="URL|EMAIL",
                        help="contact put in the User-Agent (setting NEWSCRAWL_CONTACT)")
    parser.add_argument("-s", "--set", action="append", default=[], metavar="NAME=VALUE",
                        help="any Scrapy setting, e.g. -s CONCURRENT_REQUESTS=32")
    parser.add_argument("--log-level", default="INFO")
    parser.add_argument("--status", action="store_true",
                        help="print each seeded site's queue, in-flight requests per worker "
                             "and stored articles as JSON, and exit")


def print_status(url: str, prefix: str) -> int:
    import json

    import redis

    from newscrawl.distributed.keys import Keys
    from newscrawl.distributed.sites import status

    try:
        sites = status(redis.Redis.from_url(url), Keys(prefix))
    except redis.RedisError as exc:
        print(f"newscrawl worker: cannot reach Redis at {url}: {exc}", file=sys.stderr)
        return 2
    for entry in sites:
        print(json.dumps(entry, ensure_ascii=False, sort_keys=True))
    return 0


def run(args: argparse.Namespace) -> int:
    from newscrawl.crawl.distributed import Worker
    from newscrawl.crawl.settings import SettingsError, layered_settings, parse_set_options
    from newscrawl.distributed.scheduler import WorkerIdInUse

    url = checked_url(args.redis, "worker")
    if url is None:
        return 2
    if args.status:
        return print_status(url, args.redis_prefix)
    command = {"LOG_LEVEL": args.log_level}
    if args.contact:
        command["NEWSCRAWL_CONTACT"] = args.contact
    try:
        settings = layered_settings(command=command, user=parse_set_options(args.set))
    except SettingsError as exc:
        print(f"newscrawl worker: {exc}", file=sys.stderr)
        return 2
    sites = [s.strip() for s in args.sites.split(",") if s.strip()] if args.sites else None
    worker = Worker(settings, redis_url=url, worker_id=resolve_worker_id(args.worker_id),
                    data_dir=args.data_dir, prefix=args.redis_prefix, sites=sites,
                    max_sites=args.max_sites, poll=args.poll, idle_exit=args.idle_exit)
    try:
        return worker.run()
    except WorkerIdInUse as exc:
        print(f"newscrawl worker: {exc}", file=sys.stderr)
        return 2
    except Exception as exc:  # Redis down at start, bad settings: one clear line
        print(f"newscrawl worker: {exc}", file=sys.stderr)
        return 2
