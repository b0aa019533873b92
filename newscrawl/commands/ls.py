"""List the records of a data folder: per site and day, articles, new versions, reposts.

Reads only complete lines, so it is safe while a crawl writes. Exit status: 0, or 2 when
the data folder or a named site does not exist.
"""

from __future__ import annotations

import argparse
import json

from newscrawl.archive.inventory import day_counts, human_bytes
from newscrawl.commands._data import add_data_arguments, open_sites
from newscrawl.commands._options import iso_day


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_data_arguments(parser)
    parser.add_argument("--since", type=iso_day, metavar="YYYY-MM-DD",
                        help="only days from this one on")
    parser.add_argument("--until", type=iso_day, metavar="YYYY-MM-DD",
                        help="only days up to this one")
    parser.add_argument("--json", action="store_true", help="one JSON object a line")


def run(args: argparse.Namespace) -> int:
    opened = open_sites(args, "newscrawl ls")
    if opened is None:
        return 2
    layout, sites = opened
    rows = []
    for site in sites:
        for count in day_counts(layout, site):
            if args.since and count.day < args.since or args.until and count.day > args.until:
                continue
            rows.append(count)
    if args.json:
        for row in rows:
            print(json.dumps(row.as_dict(), ensure_ascii=False))
        return 0
    width = max([len("SITE"), *(len(r.site) for r in rows)])
    print(f"{'SITE':<{width}}  {'DAY':<10}  {'ARTICLES':>8}  {'VERSIONS':>8}  {'REPOSTS':>7}  {'SIZE':>9}")
    for r in rows:
        print(f"{r.site:<{width}}  {r.day:<10}  {r.articles:>8}  {r.versions:>8}  {r.reposts:>7}"
              f"  {human_bytes(r.bytes):>9}")
    total = sum(r.articles for r in rows)
    print(f"{len(rows)} day(s), {total} article(s), {sum(r.versions for r in rows)} new version(s),"
          f" {sum(r.reposts for r in rows)} repost(s)")
    return 0
