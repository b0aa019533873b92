"""Print one stored record for a person: title, time, source, authors, tags, then the body.

Examples:
  newscrawl show http://news.example.cn/2026/11/20/content_1.htm
  newscrawl show 3f2a9c41d07e55b2        # the id column of `newscrawl export`

URL is any URL the article was stored under (fetched or canonical); ID is the record's id
(its first 6 characters or more will do). Of several versions, the latest is shown.
Exit status: 0 shown; 1 no such record; 2 no data folder, or an ID that fits several records.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from w3lib.url import canonicalize_url

from newscrawl.analysis.records import DataError, StoredRecord, iter_stored, open_data
from newscrawl.render import as_text

_MIN_ID = 6


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("key", metavar="URL|ID", help="a URL the article was stored under, or its id")
    parser.add_argument("--data-dir", default="data", help="the data folder (default: ./data)")
    parser.add_argument("--site", metavar="NAME", help="look only in this site")
    parser.add_argument("--json", action="store_true", help="print the record as one JSON line")


def _matches(stored: StoredRecord, key: str, url: str | None) -> bool:
    record = stored.record
    if url is not None:
        urls = [record.get("url"), record.get("canonical_url"), *(record.get("also_at") or [])]
        return any(isinstance(u, str) and (u == key or canonicalize_url(u) == url) for u in urls)
    return stored.id.startswith(key.lower())


def find(data_dir: str, key: str, site: str | None = None) -> list[StoredRecord]:
    """Records stored under the URL ``key``, or whose id starts with ``key``."""
    layout, sites = open_data(data_dir, site)
    url = canonicalize_url(key) if "://" in key else None
    if url is None and len(key) < _MIN_ID:
        raise DataError(f"{key!r} is neither a URL nor an id (at least {_MIN_ID} characters)")
    return [s for s in iter_stored(layout, sites) if _matches(s, key, url)]


def render(stored: StoredRecord) -> str:
    r: dict[str, Any] = stored.record
    version = f", version {r.get('version')}" if int(r.get("version") or 1) > 1 else ""
    repost = f", repost of {r.get('duplicate_of')}" if r.get("duplicate_of") else ""
    return as_text(r, [("Record", f"{stored.site} {stored.id}{version}{repost}")])


def run(args: argparse.Namespace) -> int:
    prog = "newscrawl show"
    try:
        found = find(args.data_dir, args.key.strip(), args.site)
    except DataError as exc:
        print(f"{prog}: {exc}", file=sys.stderr)
        return 2
    if not found:
        print(f"{prog}: no stored record for {args.key}", file=sys.stderr)
        return 1
    if len({s.id for s in found}) > 1 and "://" not in args.key:
        ids = ", ".join(sorted({s.id for s in found})[:5])
        print(f"{prog}: {args.key!r} fits {len(found)} records ({ids}…): give more of the id",
              file=sys.stderr)
        return 2
    # The latest version of the article (reposts come after the articles they repeat).
    latest = max(found, key=lambda s: (s.kind == "article", int(s.record.get("version") or 1)))
    if args.json:
        sys.stdout.write(json.dumps(latest.record, ensure_ascii=False) + "\n")
    else:
        sys.stdout.write(render(latest))
    return 0
