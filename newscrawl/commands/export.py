"""Export stored records to SQLite (for Datasette, sqlite3), Parquet or CSV.

Examples:
  newscrawl export --format sqlite -o news.db          # then: datasette news.db
  newscrawl export --format parquet -o news.parquet --site demo --since 2026-11-01
  newscrawl export --format csv --excel -o news.csv

One row per stored record (reposts included, kind 'repost'); see docs/analysts.md for the
columns. An export into an existing SQLite file adds only the records not yet in it, so a
cron job can export after each crawl; Parquet and CSV files are written anew. Needs the
analysis extra (pip install 'newscrawl[analysis]'). Exit status: 0 ok; 2 bad usage, no such
data folder or site, or the analysis extra missing.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from newscrawl.analysis import MissingExtra
from newscrawl.analysis.records import DataError, check_day, iter_stored, open_data

FORMATS = ("sqlite", "parquet", "csv")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--data-dir", default="data", help="the data folder (default: ./data)")
    parser.add_argument("--format", choices=FORMATS, help="sqlite, parquet or csv "
                        "(default: from the output's extension: .db/.sqlite, .parquet, .csv)")
    parser.add_argument("-o", "--output", required=True, metavar="PATH", help="the file to write")
    parser.add_argument("--site", metavar="NAME", help="only this site (its folder's name)")
    parser.add_argument("--since", metavar="YYYY-MM-DD",
                        help="only records published on or after this date")
    parser.add_argument("--excel", action="store_true",
                        help="CSV with a UTF-8 byte order mark, so Excel reads Chinese text")


_EXTENSIONS = {".db": "sqlite", ".sqlite": "sqlite", ".sqlite3": "sqlite",
               ".parquet": "parquet", ".csv": "csv"}


def run(args: argparse.Namespace) -> int:
    prog = "newscrawl export"
    fmt = args.format or _EXTENSIONS.get(Path(args.output).suffix.lower())
    if fmt is None:
        print(f"{prog}: give --format ({', '.join(FORMATS)}) for {args.output}", file=sys.stderr)
        return 2
    if args.excel and fmt != "csv":
        print(f"{prog}: --excel is for --format csv", file=sys.stderr)
        return 2
    try:
        since = check_day(args.since)
        layout, sites = open_data(args.data_dir, args.site)
        from newscrawl.analysis import export

        out = Path(args.output)
        if out.parent and not out.parent.is_dir():
            raise DataError(f"no folder {out.parent} for {out}")
        stored = iter_stored(layout, sites, since=since)
        if fmt == "sqlite":
            added, total = export.to_sqlite(stored, out)
            print(f"{prog}: {added} new record(s) added to {out} ({total} in table "
                  f"{export.TABLE}; browse: datasette {out})")
            return 0
        tmp = out.with_name(f".{out.name}.{os.getpid()}.tmp")
        try:
            if fmt == "parquet":
                count = export.to_parquet(stored, tmp)
            else:
                count = export.to_csv(stored, tmp, excel=args.excel)
            os.replace(tmp, out)  # whole or absent: never a half-written export
        finally:
            tmp.unlink(missing_ok=True)
        print(f"{prog}: {count} record(s) written to {out}")
        return 0
    except (DataError, MissingExtra) as exc:
        print(f"{prog}: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"{prog}: cannot write {args.output}: {exc.strerror or exc}", file=sys.stderr)
        return 2
