"""Crawl speed: the ``portal`` spider beside a bare Scrapy spider that only fetches the
same pages, both against the local demo portal, in one run.

    python benchmarks/crawl_speed.py [--scale 20] [--repeat 3] [--workers 0 -1] [--latency 0 0.05]
                                     [--archive]

The portal is served by its own process (so the server does not share a GIL with the
crawler); each crawl runs in a fresh process (Scrapy's reactor starts once per process).
pages/s = responses / the crawl's elapsed time (Scrapy's stats). The bare spider is given
exactly the URLs the portal spider fetched, with the same settings. ``--workers N`` runs
the portal spider with its page analysis in a pool of N processes
(NEWSCRAWL_EXTRACT_WORKERS; 0 inline, -1 the default size), so both ratios — pool and
inline — are printed. Each row is the median of ``--repeat`` runs; ``reactor ms/page`` is
the CPU time of the reactor's thread per page while the engine ran (what fetching,
scheduling and whatever else stays on that thread cost). ``--archive`` stores what the
portal spider finds as ``newscrawl crawl`` does (JSONL, WARC, state).
``--latency`` runs the whole comparison once per value: the portal delays every response
by that many seconds. At 0 (loopback, no network) the crawl is CPU-bound and the ratio
shows the per-page cost of triage and extraction; with a real network's round trip the
fetching dominates again, as it does on a real portal. Goal: ratio >= 0.8.
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
from typing import Any

SETTINGS: dict[str, Any] = {
    "DOWNLOAD_DELAY": 0,
    "AUTOTHROTTLE_ENABLED": False,
    "CONCURRENT_REQUESTS": 16,
    "CONCURRENT_REQUESTS_PER_DOMAIN": 16,
    "RETRY_TIMES": 0,
    "LOG_LEVEL": "ERROR",
    "ROBOTSTXT_OBEY": True,
}


def _run_in_this_process(kind: str, target: str, out: str, workers: int, archive: str) -> None:
    """One crawl (child process): ``portal`` crawls ``target`` (a start URL), ``bare``
    fetches every URL listed in the file ``target``. ``workers`` < 0: the project's default
    pool; ``archive``: a data folder to store into as ``newscrawl crawl`` does ("" for none)."""
    import scrapy
    from scrapy import signals
    from scrapy.crawler import CrawlerProcess

    from newscrawl.crawl.settings import archived_settings, project_settings
    from newscrawl.spiders.portal import PortalSpider

    class BareSpider(scrapy.Spider):
        name = "bare"

        def __init__(self, urls_file: str, **kwargs: Any) -> None:
            super().__init__(**kwargs)
            self.urls = Path(urls_file).read_text("utf-8").split()

        async def start(self):  # type: ignore[override]
            for url in self.urls:
                yield scrapy.Request(url, callback=self.parse, dont_filter=True)

        def parse(self, response: Any, **kwargs: Any) -> None:
            return None

    class FollowSpider(scrapy.Spider):
        """The bare spider the issue names: it follows the links of every page it fetches
        (Scrapy's own selectors, request objects, dupefilter) from the start page, but only
        to the pages the portal spider fetched, so both crawl the same pages."""

        name = "follow"

        def __init__(self, urls_file: str, **kwargs: Any) -> None:
            super().__init__(**kwargs)
            self.urls = Path(urls_file).read_text("utf-8").split()
            self.wanted = set(self.urls)

        async def start(self):  # type: ignore[override]
            self.wanted.discard(self.urls[0])
            yield scrapy.Request(self.urls[0], callback=self.parse)

        def parse(self, response: Any, **kwargs: Any) -> Any:
            if not isinstance(response, scrapy.http.HtmlResponse):
                return  # a JSON or XML response has no links to follow (and no css())
            for href in response.css("a::attr(href)").getall():
                url = response.urljoin(href)
                # Each wanted page asked for once (as the portal spider does): a request
                # object for every repeat of a sidebar link would cost more than the page.
                if url in self.wanted:
                    self.wanted.discard(url)
                    yield scrapy.Request(url, callback=self.parse)

    overrides = dict(SETTINGS)
    if workers >= 0:
        overrides["NEWSCRAWL_EXTRACT_WORKERS"] = workers
    if archive and kind == "portal":
        # What `newscrawl crawl URL` runs: JSONL records, WARC of every response, state.
        settings = archived_settings(archive, "bench", overrides, progress=False, summary=False)
    else:
        settings = project_settings()
        settings.setdict(overrides, priority="cmdline")
    fetched: list[str] = []
    process = CrawlerProcess(settings)
    if kind == "portal":
        crawler = process.create_crawler(PortalSpider)
        kwargs: dict[str, Any] = {"url": target}
    else:
        crawler = process.create_crawler(BareSpider if kind == "bare" else FollowSpider)
        kwargs = {"urls_file": target}
    def record(response: Any, request: Any, spider: Any) -> None:
        fetched.append(request.url)

    # CPU seconds of the reactor's thread (this one) while the engine ran: what fetching,
    # scheduling and everything else left on that thread cost per page.
    reactor_cpu: list[float] = []
    machine_cpu: list[float] = []

    def tick() -> None:
        reactor_cpu.append(time.thread_time())
        machine_cpu.append(_machine_busy_seconds())

    # Named functions: the signal dispatcher holds only weak references.
    crawler.signals.connect(record, signal=signals.response_received)
    crawler.signals.connect(tick, signal=signals.engine_started)
    crawler.signals.connect(tick, signal=signals.spider_closed)
    process.crawl(crawler, **kwargs)
    process.start()
    stats = crawler.stats.get_stats() if crawler.stats else {}
    cpu = reactor_cpu[-1] - reactor_cpu[0] if len(reactor_cpu) >= 2 else float("nan")
    busy = machine_cpu[-1] - machine_cpu[0] if len(machine_cpu) >= 2 else float("nan")
    Path(out).write_text(json.dumps({"fetched": fetched, "stats": stats, "reactor_cpu": cpu,
                                     "machine_cpu": busy}, default=str), "utf-8")


def _machine_busy_seconds() -> float:
    """CPU seconds the whole machine has spent busy since boot (/proc/stat: every core,
    every process — the portal's server and the extraction workers included)."""
    try:
        fields = Path("/proc/stat").read_text("ascii").split("\n", 1)[0].split()[1:]
    except OSError:  # not Linux
        return float("nan")
    user, nice, system, _idle, _iowait, irq, softirq, steal = (int(f) for f in fields[:8])
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


def crawl(kind: str, target: str, workdir: Path, workers: int = 0,
          archive: bool = False) -> dict[str, Any]:
    out = workdir / f"{kind}-{workers}.json"
    data = ""
    if archive:
        data = tempfile.mkdtemp(dir=workdir)  # a fresh archive: every article is new
    subprocess.run([sys.executable, __file__, "--_child", kind, target, str(out), str(workers),
                    data], check=True)
    result: dict[str, Any] = json.loads(out.read_text("utf-8"))
    stats = result["stats"]
    pages = int(stats.get("downloader/response_count", 0))
    seconds = float(stats["elapsed_time_seconds"])
    result.update(pages=pages, seconds=seconds, rate=pages / seconds,
                  articles=int(stats.get("item_scraped_count", 0)),
                  reactor_ms=1000 * float(result["reactor_cpu"]) / max(pages, 1),
                  machine_ms=1000 * float(result["machine_cpu"]) / max(pages, 1),
                  cores_busy=float(result["machine_cpu"]) / seconds)
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=int, default=20, help="portal size: 26 × SCALE articles")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each; the median counts")
    parser.add_argument("--workers", type=int, nargs="*", default=[0, -1],
                        help="extraction process-pool sizes to try (0: on the reactor thread; "
                             "-1: the default, NEWSCRAWL_EXTRACT_WORKERS unset)")
    parser.add_argument("--latency", type=float, nargs="*", default=[0.0, 0.05],
                        help="seconds the portal delays every response; one comparison each")
    parser.add_argument("--archive", action="store_true",
                        help="the portal spider stores what it finds as `newscrawl crawl` does "
                             "(JSONL, WARC, state in a fresh data folder)")
    args = parser.parse_args(argv)
    for latency in args.latency:
        compare(args, latency)
    return 0


def _median(runs: list[dict[str, Any]]) -> dict[str, Any]:
    return sorted(runs, key=lambda r: r["rate"])[len(runs) // 2]


def _label(workers: int) -> str:
    if workers < 0:
        from newscrawl.bounded import default_workers

        return f"pool of {default_workers()} (default)"
    return "inline" if workers == 0 else f"pool of {workers}"


def compare(args: argparse.Namespace, latency: float) -> None:
    server = subprocess.Popen(
        [sys.executable, "-m", "newscrawl.demo.server", "--port", "0", "--slow-seconds", "0",
         "--scale", str(args.scale), "--quiet-log", "--latency", str(latency)],
        stdout=subprocess.PIPE, text=True,
    )
    try:
        assert server.stdout is not None
        base_url = server.stdout.readline().strip()
        with tempfile.TemporaryDirectory() as tmp:
            work = Path(tmp)
            results: dict[int, list[dict[str, Any]]] = {w: [] for w in args.workers}
            bare_runs: list[dict[str, Any]] = []
            follow_runs: list[dict[str, Any]] = []
            for _ in range(args.repeat):
                for workers in args.workers:
                    results[workers].append(
                        crawl("portal", base_url + "/", work, workers, args.archive))
                urls = work / "urls.txt"
                first = results[args.workers[0]][-1]
                # robots.txt is fetched by both spiders' middleware; list the rest.
                urls.write_text("\n".join(u for u in dict.fromkeys(first["fetched"])
                                          if not u.endswith("/robots.txt")), "utf-8")
                bare_runs.append(crawl("bare", str(urls), work))
                follow_runs.append(crawl("follow", str(urls), work))
        bare = _median(bare_runs)
        follow = _median(follow_runs)
        what = "newscrawl crawl (archive on)" if args.archive else "portal spider"
        print(f"demo portal at scale {args.scale}, {latency * 1000:.0f} ms latency; "
              f"median of {args.repeat} run(s) each; {what} vs bare Scrapy")
        print(f"{'spider':<32}{'pages':>7}{'seconds':>9}{'pages/s':>9}{'articles':>10}"
              f"{'reactor ms/page':>17}{'machine CPU ms/page':>21}{'cores busy':>12}{'ratio':>8}"
              f"{'vs follow':>10}")
        print(f"{'bare scrapy (fetch only)':<32}{bare['pages']:>7}{bare['seconds']:>9.2f}"
              f"{bare['rate']:>9.1f}{'-':>10}{bare['reactor_ms']:>17.2f}{bare['machine_ms']:>21.2f}"
              f"{bare['cores_busy']:>12.2f}{1.0:>8.2f}{'-':>10}")
        print(f"{'bare scrapy, following links':<32}{follow['pages']:>7}{follow['seconds']:>9.2f}"
              f"{follow['rate']:>9.1f}{'-':>10}{follow['reactor_ms']:>17.2f}{follow['machine_ms']:>21.2f}"
              f"{follow['cores_busy']:>12.2f}{follow['rate'] / bare['rate']:>8.2f}"
              f"{1.0:>10.2f}")
        for workers, runs in results.items():
            run = _median(runs)
            key = f"portal, {_label(workers)}"
            print(f"{key:<32}{run['pages']:>7}{run['seconds']:>9.2f}{run['rate']:>9.1f}"
                  f"{run['articles']:>10}{run['reactor_ms']:>17.2f}{run['machine_ms']:>21.2f}"
                  f"{run['cores_busy']:>12.2f}"
                  f"{run['rate'] / bare['rate']:>8.2f}{run['rate'] / follow['rate']:>10.2f}")
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--_child":
        _run_in_this_process(sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5]),
                             sys.argv[6] if len(sys.argv) > 6 else "")
    else:
        sys.exit(main())
