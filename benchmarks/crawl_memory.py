"""Crawl memory: peak RSS of a ``newscrawl crawl`` process against the local demo portal at
growing sizes, to show whether memory stays flat as the crawl grows.

    python benchmarks/crawl_memory.py [--pages 1000 10000] [--workers -1]

Each size serves the demo portal at the scale that gives about that many pages (26 × SCALE
articles, about one page per article) from its own process, and runs the real console command
``python -m newscrawl crawl URL --data-dir TMP --quiet`` at full speed (no politeness delay,
no AutoThrottle, page budget off) into a fresh data folder. While it runs, the parent reads
``VmHWM`` (the kernel's peak resident set) of the crawl process and of its extraction
workers from /proc every 50 ms. Printed per size: pages fetched, articles stored, seconds,
peak RSS of the crawl process and of the largest worker, and the growth per page between
consecutive sizes. Linux only (/proc).

What is expected to grow: Scrapy's dupefilter keeps one request fingerprint per URL
scheduled, the spider one entry per link target seen, the trap filter bounded tables; the
growth per page printed is what all of that costs.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ARTICLES_PER_SCALE = 26
# Pages fetched per article, measured: list pages past the first few are not fetched once the
# archive and tag pages have led to their articles (the no_new_articles rule).
PAGES_PER_ARTICLE = 1.0

SETTINGS = {
    "DOWNLOAD_DELAY": "0",
    "AUTOTHROTTLE_ENABLED": "False",
    "CONCURRENT_REQUESTS": "16",
    "CONCURRENT_REQUESTS_PER_DOMAIN": "16",
    "RETRY_TIMES": "0",
    "NEWSCRAWL_PAGE_BUDGET": "0",
    "NEWSCRAWL_TRAP_MAX_FRONTIER": "1000000",
}


def _status_kb(pid: int, field: str) -> int:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def _descendants(pid: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as fh:
                ppid = int(fh.read().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        children.setdefault(ppid, []).append(int(entry))
    found: list[int] = []
    todo = [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def crawl(pages: int, workers: int, work: Path) -> dict[str, float]:
    scale = max(1, round(pages / PAGES_PER_ARTICLE / ARTICLES_PER_SCALE))
    server = subprocess.Popen(
        [sys.executable, "-m", "newscrawl.demo.server", "--port", "0", "--slow-seconds", "0",
         "--scale", str(scale), "--quiet-log"],
        stdout=subprocess.PIPE, text=True,
    )
    try:
        assert server.stdout is not None
        base_url = server.stdout.readline().strip()
        data = Path(tempfile.mkdtemp(dir=work))
        command = [sys.executable, "-m", "newscrawl", "crawl", base_url + "/", "--data-dir",
                   str(data), "--quiet", "-s", f"NEWSCRAWL_EXTRACT_WORKERS={workers}"]
        for name, value in SETTINGS.items():
            command += ["-s", f"{name}={value}"]
        start = time.monotonic()
        proc = subprocess.Popen(command, stderr=subprocess.DEVNULL)
        crawl_kb = worker_kb = 0
        while proc.poll() is None:
            crawl_kb = max(crawl_kb, _status_kb(proc.pid, "VmHWM"))
            for pid in _descendants(proc.pid):
                worker_kb = max(worker_kb, _status_kb(pid, "VmHWM"))
            time.sleep(0.05)
        seconds = time.monotonic() - start
        if proc.returncode != 0:
            raise SystemExit(f"the crawl exited with {proc.returncode}")
        lines = sum(f.read_bytes().count(b"\n") for f in data.rglob("articles/*.jsonl"))
        stats = sorted(data.rglob("runs/*.json"))
        fetched = 0
        if stats:
            run = json.loads(stats[-1].read_text("utf-8"))
            counters = run.get("scrapy_stats", {})
            fetched = int(counters.get("downloader/response_count", 0))
        return {"scale": scale, "pages": fetched, "articles": lines, "seconds": seconds,
                "crawl_mb": crawl_kb / 1024, "worker_mb": worker_kb / 1024}
    finally:
        server.terminate()
        server.wait(timeout=30)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, nargs="*", default=[1000, 10000],
                        help="crawl sizes, in pages (about)")
    parser.add_argument("--workers", type=int, default=-1,
                        help="NEWSCRAWL_EXTRACT_WORKERS (-1: the default pool)")
    args = parser.parse_args(argv)
    print(f"{'scale':>6}{'pages':>8}{'articles':>10}{'seconds':>9}{'crawl peak MB':>15}"
          f"{'worker peak MB':>16}{'KB/page vs previous':>21}", flush=True)
    previous: dict[str, float] | None = None
    with tempfile.TemporaryDirectory() as tmp:
        for pages in args.pages:
            run = crawl(pages, args.workers, Path(tmp))
            growth = "-"
            if previous is not None and run["pages"] > previous["pages"]:
                per_page = ((run["crawl_mb"] - previous["crawl_mb"]) * 1024
                            / (run["pages"] - previous["pages"]))
                growth = f"{per_page:.2f}"
            print(f"{run['scale']:>6.0f}{run['pages']:>8.0f}{run['articles']:>10.0f}"
                  f"{run['seconds']:>9.1f}{run['crawl_mb']:>15.1f}{run['worker_mb']:>16.1f}"
                  f"{growth:>21}", flush=True)
            previous = run
    return 0


if __name__ == "__main__":
    sys.exit(main())
