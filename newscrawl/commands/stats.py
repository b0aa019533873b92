"""Sum up a data folder per site: articles, versions, reposts, days, WARC size, last run.

The last run's line comes from its JSON stats file (DATA/<site>/runs/). Exit status: 0, or
2 when the data folder or a named site does not exist.
"""

from __future__ import annotations

import argparse
import json

from newscrawl.archive.inventory import human_bytes, site_summary
from newscrawl.commands._data import add_data_arguments, open_sites


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_data_arguments(parser)
    parser.add_argument("--json", action="store_true", help="one JSON object per site")


def run(args: argparse.Namespace) -> int:
    opened = open_sites(args, "newscrawl stats")
    if opened is None:
        return 2
    layout, sites = opened
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
