"""Start the local demo portal and crawl it into ./data/ — newscrawl's first command.

The demo portal is a real HTTP server on 127.0.0.1 serving an invented Chinese news site
(GBK and UTF-8 pages, paginated sections, multi-page articles, tag and author pages,
sitemaps, feeds, robots.txt, broken links). No network beyond loopback is needed.
"""

from __future__ import annotations

import argparse
import sys

from newscrawl.commands import crawl as crawl_cmd
from newscrawl.commands._options import add_archive_arguments, port_number
from newscrawl.crawl.spiders import SPIDERS

DEFAULT_PORT = 8808


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--data-dir", default="data", help="where records go (default: ./data)")
    parser.add_argument("--port", type=port_number, default=DEFAULT_PORT,
                        help=f"portal port (default {DEFAULT_PORT}, the demo profile's; a fixed "
                             "port keeps URLs equal between runs, so a second demo in the same "
                             "folder stores nothing new; 0: any free port)")
    parser.add_argument("--spider", choices=SPIDERS[:3], default="portal")
    parser.add_argument("--serve", action="store_true",
                        help="only serve the portal (Ctrl-C to stop), do not crawl")
    parser.add_argument("--log-level", default="WARNING")
    add_archive_arguments(parser)


def run(args: argparse.Namespace) -> int:
    from newscrawl.demo import DemoPortal
    from newscrawl.profiles import load_profile

    try:
        portal = DemoPortal(port=args.port, slow_seconds=1.0)
    except OSError as exc:
        print(f"newscrawl demo: port {args.port} is busy ({exc.strerror}); using a free one — "
              "its URLs differ from earlier runs', so their articles count as new", file=sys.stderr)
        portal = DemoPortal(port=0, slow_seconds=1.0)
    portal.start()
    try:
        if args.serve:
            print(f"newscrawl demo: portal at {portal.base_url}/ (Ctrl-C to stop)", flush=True)
            import time

            while True:
                time.sleep(3600)
        print(f"newscrawl demo: portal at {portal.base_url}/ — crawling it with the "
              f"{args.spider!r} spider", flush=True)
        profile = load_profile("demo").with_base_url(portal.base_url)
        ns = argparse.Namespace(
            data_dir=args.data_dir, max_pages=None, max_articles=None, depth=None, cache=False,
            contact=None, set=[], log_level=args.log_level,
            **{k: getattr(args, k) for k in ("refresh", "no_resume", "no_warc", "quiet",
                                              "log_file", "max_error_rate", "fsync")},
        )
        replay = {"spider": args.spider, "target": "demo", "base_url": portal.base_url,
                  "sites_dir": None, "spider_args": {}}
        # Our own server on loopback: no need to wait between requests.
        fast = {"DOWNLOAD_DELAY": 0, "AUTOTHROTTLE_ENABLED": False,
                "CONCURRENT_REQUESTS_PER_DOMAIN": 8}
        code, result = crawl_cmd.run_archived_crawl(ns, profile, args.spider, {}, site="demo",
                                                    target="demo", replay=replay, extra=fast)
        if result is not None and not args.quiet:
            truth = len(portal.truth()["articles"])
            print(f"newscrawl demo: the portal has {truth} articles; see them with\n"
                  f"  newscrawl ls --data-dir {args.data_dir}", flush=True)
        return code
    except KeyboardInterrupt:
        return 130
    finally:
        portal.stop()
        sys.stdout.flush()
