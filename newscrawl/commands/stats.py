"""Sum up a data folder per site: articles, versions, reposts, days, WARC size, last run.

The last run's line comes from its JSON stats file (DATA/<site>/runs/). Exit status: 0, or
2 when the data folder or a named site does not exist.
"""

from __future__ import annotations

import argparse
import json
import sys

from newscrawl.store.inventory import human_bytes, site_summary
from newscrawl.store.layout import DataLayout, site_dirname


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("sites", nargs="*", metavar="SITE", help="only these sites (default: all)")
    parser.add_argument("--data-dir", default="data", help="the data folder (default: ./data)")
    parser.add_argument("--json", action="store_true", help="one JSON object per site")


def run(args: argparse.Namespace) -> int:
    layout = DataLayout(args.data_dir)
    if not layout.root.is_dir():
        print(f"newscrawl stats: no data folder at {layout.root}", file=sys.stderr)
        return 2
    sites = [site_dirname(s) for s in args.sites] or layout.sites()
    missing = [s for s in sites if not layout.site_dir(s).is_dir()]
    if missing:
        print(f"newscrawl stats: no site {', '.join(missing)} in {layout.root}", file=sys.stderr)
        return 2
    for site in sites:
        s = site_summary(layout, site)
        if args.json:
            print(json.dumps(s.as_dict(), ensure_ascii=False))
            continue
        span = f"{s.first_day} … {s.last_day}" if s.days else "no records"
        print(f"{s.site}: {s.articles} articles, {s.versions} new versions, {s.reposts} reposts"
              f" over {s.days} day(s) ({span}); JSONL {human_bytes(s.bytes)},"
              f" WARC {s.warc_files} file(s) {human_bytes(s.warc_bytes)}; {s.runs} run(s)")
        if s.last_run:
            r = s.last_run
            print(f"  last run {r['run_id']}: {r['finish_reason']}, {r['pages_fetched']} pages,"
                  f" {r['articles_stored']} stored, {r['errors']} errors, exit {r['exit_code']}")
    return 0
