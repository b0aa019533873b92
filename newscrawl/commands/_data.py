"""What the read-only data-folder commands (ls, stats) share: the SITE/--data-dir arguments
and the checks that the data folder and the named sites exist."""

from __future__ import annotations

import argparse
import sys

from newscrawl.archive.layout import DataLayout, site_dirname


def add_data_arguments(parser: argparse.ArgumentParser) -> None:
    """The positional SITE list and --data-dir."""
    parser.add_argument("sites", nargs="*", metavar="SITE", help="only these sites (default: all)")
    parser.add_argument("--data-dir", default="data", help="the data folder (default: ./data)")


def open_sites(args: argparse.Namespace, prog: str) -> tuple[DataLayout, list[str]] | None:
    """The data folder and the site folder names to read (the named ones, else all); None
    after telling stderr (as ``prog``) that the folder or a named site does not exist."""
    layout = DataLayout(args.data_dir)
    if not layout.root.is_dir():
        print(f"{prog}: no data folder at {layout.root}", file=sys.stderr)
        return None
    sites = [site_dirname(s) for s in args.sites] or layout.sites()
    missing = [s for s in sites if not layout.site_dir(s).is_dir()]
    if missing:
        print(f"{prog}: no site {', '.join(missing)} in {layout.root}", file=sys.stderr)
        return None
    return layout, sites
