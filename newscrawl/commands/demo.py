"""Start the local demo portal and crawl it into ./data/ — newscrawl's first command.

The demo portal is a real HTTP server on 127.0.0.1 serving an invented Chinese news site
(GBK and UTF-8 pages, paginated sections, multi-page articles, tag and author pages,
sitemaps, feeds, robots.txt, broken links). No network beyond loopback is needed.
"""

from __future__ import annotations

import argparse
import sys

from newscrawl.commands import crawl as crawl_cmd
from newscrawl.demo import DemoPortal
from newscrawl.profiles import load_profile


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--data-dir", default="data", help="where records go (default: ./data)")
    parser.add_argument("--port", type=int, default=0, help="portal port (default: any free one)")
    parser.add_argument("--spider", choices=crawl_cmd.SPIDERS[:3], default="portal")
    parser.add_argument("--serve", action="store_true",
                        help="only serve the portal (Ctrl-C to stop), do not crawl")
    parser.add_argument("--log-level", default="WARNING")


def run(args: argparse.Namespace) -> int:
    portal = DemoPortal(port=args.port, slow_seconds=1.0)
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
        )
        settings = crawl_cmd.crawl_settings(ns, args.spider)
        # Our own server on loopback: no need to wait between requests.
        settings.setdict({"DOWNLOAD_DELAY": 0, "AUTOTHROTTLE_ENABLED": False,
                          "CONCURRENT_REQUESTS_PER_DOMAIN": 8}, priority="cmdline")
        result = crawl_cmd.run_crawl(profile, args.spider, settings, {})
        crawl_cmd.summarise(result)
        truth = len(portal.truth()["articles"])
        print(f"newscrawl demo: the portal has {truth} articles; look at the records with\n"
              f"  head -c 600 {result.output}", flush=True)
        return 0 if result.articles else 1
    except KeyboardInterrupt:
        return 130
    finally:
        portal.stop()
        sys.stdout.flush()
