"""Cost of an hourly re-crawl: bytes the second run of an unchanged demo portal transfers,
against the first run's, both through the real ``newscrawl crawl`` command.

    python benchmarks/recrawl_bytes.py [--scale 1] [--conditional-off]

The portal answers conditional requests (ETag / Last-Modified → 304); newscrawl sends them
for list pages, feeds and sitemaps and skips stored articles. Bytes are Scrapy's
``downloader/response_bytes`` from each run's stats file. Goal: ratio <= 0.10 with nothing
stored by the second run. ``--conditional-off`` shows the same without conditional requests.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

FAST = ["-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False",
        "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=16", "-s", "DOWNLOAD_TIMEOUT=1",
        "-s", "RETRY_TIMES=0"]


def newscrawl_command() -> list[str]:
    script = Path(sys.executable).with_name("newscrawl")
    return [str(script)] if script.exists() else [sys.executable, "-m", "newscrawl"]


def crawl(base_url: str, data_dir: Path, extra: list[str]) -> dict[str, Any]:
    """One ``newscrawl crawl demo`` run; returns its stats file (the newest under runs/)."""
    before = set(data_dir.glob("*/runs/*.json"))
    proc = subprocess.run(
        [*newscrawl_command(), "crawl", "demo", "--base-url", base_url, "--data-dir",
         str(data_dir), "--quiet", *FAST, *extra],
        capture_output=True, text=True, timeout=300)
    if proc.returncode != 0:
        raise SystemExit(f"crawl exited {proc.returncode}: {proc.stderr[-2000:]}")
    (new,) = set(data_dir.glob("*/runs/*.json")) - before
    report: dict[str, Any] = json.loads(new.read_text("utf-8"))
    return report


def measure(scale: int, extra: list[str]) -> tuple[dict[str, Any], dict[str, Any]]:
    from newscrawl.demo import DemoPortal

    with DemoPortal(slow_seconds=0.3, scale=scale) as portal, tempfile.TemporaryDirectory() as tmp:
        first = crawl(portal.base_url, Path(tmp), extra)
        second = crawl(portal.base_url, Path(tmp), extra)
    return first, second


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=int, default=1)
    parser.add_argument("--conditional-off", action="store_true")
    args = parser.parse_args()
    extra = ["-s", "NEWSCRAWL_CONDITIONAL_ENABLED=False"] if args.conditional_off else []
    first, second = measure(args.scale, extra)
    rows = []
    for name, report in (("first run", first), ("second run", second)):
        stats = report["scrapy_stats"]
        rows.append((name, stats.get("downloader/response_bytes", 0), report["pages_fetched"],
                     stats.get("newscrawl/conditional/not_modified", 0), report["articles_stored"]))
    print(f"{'':12} {'bytes':>10} {'pages':>6} {'304':>5} {'stored':>7}")
    for name, size, pages, unchanged, stored in rows:
        print(f"{name:12} {size:>10} {pages:>6} {unchanged:>5} {stored:>7}")
    ratio = rows[1][1] / max(rows[0][1], 1)
    print(f"ratio second/first bytes: {ratio:.3f} (goal <= 0.10, second run stores nothing)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
