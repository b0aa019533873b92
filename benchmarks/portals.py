"""Scores of `newscrawl crawl URL` (no profile) on the test portals, per generator and field.

    .venv/bin/python benchmarks/portals.py [--generator pelican] [--misses 5]

Builds (or takes from the cache) each test portal of tests/portals — corpus articles from
../shared/corpus rendered through real site generators and their stock themes — serves it on
127.0.0.1, crawls it with the real console script of this interpreter's environment and
prints recall, precision and the per-field scores against the posts' front matter (the same
metrics as tests/portals, whose targets are printed beside them).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "portals"))

from portalgen import (  # noqa: E402
    BUILDERS,
    FIELDS,
    TARGETS,
    PortalBuildError,
    build,
    crawl,
    score,
    serve,
)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--generator", action="append", choices=sorted(BUILDERS),
                        help="only this generator (repeatable; default: all)")
    parser.add_argument("--misses", type=int, default=0, help="print up to N misses per field")
    args = parser.parse_args()
    print(f"{'generator':<10} {'posts':>5} {'records':>7} " + " ".join(f"{f:>9}" for f in FIELDS))
    print(f"{'target':<10} {'':>5} {'':>7} " + " ".join(f"{TARGETS.get(f, ''):>9}" for f in FIELDS))
    failed = False
    for name in args.generator or sorted(BUILDERS):
        try:
            portal = build(name)
        except PortalBuildError as exc:
            print(f"{name:<10} could not be built: {exc}")
            failed = True
            continue
        with tempfile.TemporaryDirectory() as data_dir, serve(portal.site) as base_url:
            result = crawl(base_url, Path(data_dir))
        scored = score(portal, result.records)
        print(f"{name:<10} {scored.posts:>5} {scored.records:>7} "
              + " ".join(f"{scored.fields[f]:>9.3f}" if f in scored.fields else f"{'-':>9}"
                         for f in FIELDS)
              + ("" if result.returncode == 0 else f"   (crawl exit {result.returncode})"))
        for field in scored.fields if args.misses else ():
            for miss in scored.misses[field][:args.misses]:
                print(f"    {field}: {miss}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
