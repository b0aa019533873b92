"""Rewrite the stored records of a data folder in the current record schema.

Records written by an older newscrawl (schema_version 1.0) gain ``host``,
``published_date`` and ``published_precision``, a full ``published_at`` (a date alone
becomes midnight, precision day) and the site name of the folder they are filed in; their
text, fingerprints and versions stay as they are (see docs/archive.md, "Schema versions").
Each file is rewritten whole (a new file renamed over the old one) under the site's lock,
and the state learns the new sizes, so the next crawl goes on from there. Lines that are
not JSON, or not a record, are kept as they are and counted.
Exit status: 0 ok; 2 no such data folder or site; 75 a crawl of the site holds its lock.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from newscrawl.analysis.records import DataError, current_form, open_data
from newscrawl.archive.jsonl import iter_lines
from newscrawl.archive.layout import DataLayout
from newscrawl.archive.lock import LockHeld, SiteLock
from newscrawl.archive.runstats import EXIT_LOCKED
from newscrawl.archive.state import SqliteState
from newscrawl.record import SCHEMA_VERSION, Article


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("sites", nargs="*", metavar="SITE", help="only these sites (default: all)")
    parser.add_argument("--data-dir", default="data", help="the data folder (default: ./data)")


def upgrade_file(path: Path, site: str) -> tuple[int, int, int]:
    """Rewrite ``path`` in the current schema; (records upgraded, already current, kept as
    they were). The file is replaced only when something changed."""
    upgraded = current = kept = 0
    lines: list[bytes] = []
    for _, raw in iter_lines(path):
        try:
            record = json.loads(raw)
        except ValueError:
            record = None
        if not isinstance(record, dict):
            lines.append(raw)
            kept += 1
            continue
        new = current_form(record, site)
        if new is record or new.get("schema_version") != SCHEMA_VERSION:
            lines.append(raw)
            kept += 1
        elif new == record:
            lines.append(raw)
            current += 1
        else:
            lines.append(Article.from_dict(new).to_json().encode("utf-8"))
            upgraded += 1
    if upgraded:
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        with open(tmp, "wb") as fh:
            fh.write(b"".join(line + b"\n" for line in lines))
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    return upgraded, current, kept


def upgrade_site(layout: DataLayout, site: str) -> tuple[int, int, int, int]:
    """(files rewritten, records upgraded, already current, kept) of one site, under its lock."""
    totals = [0, 0, 0, 0]
    with SiteLock(layout.lock_path(site)):
        state = SqliteState(layout.state_path)
        try:
            for duplicates in (False, True):
                for path in layout.record_files(site, duplicates=duplicates):
                    indexed = state.indexed_size(path.relative_to(layout.root).as_posix())
                    whole = indexed == path.stat().st_size
                    upgraded, current, kept = upgrade_file(path, site)
                    if upgraded:
                        totals[0] += 1
                        if whole:  # the state knew every line: it knows the new file too
                            state.set_indexed_size(path.relative_to(layout.root).as_posix(),
                                                   site, path.stat().st_size)
                        else:  # lines it had not indexed yet: let the next run index all
                            state.set_indexed_size(path.relative_to(layout.root).as_posix(),
                                                   site, 0)
                    totals[1] += upgraded
                    totals[2] += current
                    totals[3] += kept
            state.commit()
        finally:
            state.close()
    return totals[0], totals[1], totals[2], totals[3]


def run(args: argparse.Namespace) -> int:
    prog = "newscrawl upgrade"
    try:
        if args.sites:
            layout = open_data(args.data_dir)[0]
            sites = [s for name in args.sites for s in open_data(args.data_dir, name)[1]]
        else:
            layout, sites = open_data(args.data_dir)
    except DataError as exc:
        print(f"{prog}: {exc}", file=sys.stderr)
        return 2
    for site in sites:
        try:
            files, upgraded, current, kept = upgrade_site(layout, site)
        except LockHeld as exc:
            print(f"{prog}: {exc}", file=sys.stderr)
            return EXIT_LOCKED
        note = f", {kept} line(s) left as they were (not a record)" if kept else ""
        print(f"{prog}: {site}: {upgraded} record(s) upgraded to schema {SCHEMA_VERSION} in "
              f"{files} file(s), {current} already current{note}")
    return 0
