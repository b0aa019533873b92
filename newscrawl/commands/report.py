"""Write a one-file HTML report of a data folder: articles per day, field coverage, drops,
last runs, top sources and tags.

Example:
  newscrawl report --data-dir data -o report.html

The file holds everything (plots as inline SVG): it opens in any browser without a
network. Needs the analysis extra (pip install 'newscrawl[analysis]'). Exit status: 0 ok;
2 no such data folder or site, or the analysis extra missing.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from newscrawl.analysis import MissingExtra
from newscrawl.analysis.records import DataError, open_data


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--data-dir", default="data", help="the data folder (default: ./data)")
    parser.add_argument("-o", "--output", default="report.html", metavar="PATH",
                        help="the HTML file to write (default: ./report.html)")
    parser.add_argument("--site", metavar="NAME", help="only this site")


def run(args: argparse.Namespace) -> int:
    prog = "newscrawl report"
    out = Path(args.output)
    try:
        layout, sites = open_data(args.data_dir, args.site)
        from newscrawl.analysis import report

        text = report.render(report.gather(layout, sites), str(layout.root))
        tmp = out.with_name(f".{out.name}.{os.getpid()}.tmp")
        try:
            tmp.write_text(text, "utf-8")
            os.replace(tmp, out)
        finally:
            tmp.unlink(missing_ok=True)
    except (DataError, MissingExtra) as exc:
        print(f"{prog}: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"{prog}: cannot write {out}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    print(f"{prog}: {len(sites)} site(s) reported in {out.resolve()}")
    return 0
