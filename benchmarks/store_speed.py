"""Store speed and memory: records/s of the archive, the cost of de-duplication, and peak
RSS at 10k vs 100k records (each size in its own subprocess, so one run's memory does not
hide another's).

    python benchmarks/store_speed.py            # 100,000 records (default)
    python benchmarks/store_speed.py -n 20000   # quicker

Baseline, in the same process: the same records serialised and appended to one JSONL file
with plain buffered writes — what a feed export does, with no state and no de-duplication.
Printed ratios are archive time / baseline time.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from newscrawl.archive.jsonl import FsyncPolicy
from newscrawl.archive.store import Archive, Kind
from newscrawl.record import Article

_WORDS = [
    "国家",
    "市场",
    "监管",
    "总局",
    "质量",
    "发展",
    "经济",
    "企业",
    "产品",
    "标准",
    "检测",
    "消费者",
    "服务",
    "安全",
    "技术",
    "创新",
    "政策",
    "地区",
    "城市",
    "项目",
    "数据",
    "平台",
    "合作",
    "建设",
    "管理",
    "行业",
    "改革",
    "推进",
]


def make_articles(n: int, seed: int = 7) -> list[Article]:
    """n records: ~3% reposts (another URL, same body), ~2% changed versions."""
    rng = random.Random(seed)
    out: list[Article] = []
    for i in range(n):
        roll = rng.random()
        if out and roll < 0.03:
            src = out[rng.randrange(len(out))]
            out.append(
                Article(
                    url=f"http://mirror.example.cn/r/{i}.html",
                    title=src.title,
                    body=src.body,
                    published_at=src.published_at,
                )
            )
            continue
        if out and roll < 0.05:
            src = out[rng.randrange(len(out))]
            out.append(
                Article(
                    url=src.url,
                    title=src.title,
                    body=src.body + " 更新。",
                    published_at=src.published_at,
                )
            )
            continue
        body = "\n\n".join(
            "".join(rng.choice(_WORDS) for _ in range(rng.randint(30, 60))) + "。"
            for _ in range(rng.randint(3, 8))
        )
        day = 1 + i % 28
        out.append(
            Article(
                url=f"http://news.example.cn/2026-11/{day:02d}/content_{i}.htm?from=home",
                title=f"标题 {i}",
                body=body,
                published_at=f"2026-11-{day:02d}T08:00:00+08:00",
                source="示例网",
                authors=["记者"],
                extractor_version="bench",
            )
        )
    return out


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def child(n: int) -> None:
    """Store n records into fresh folders in this process; print JSON with timings + RSS."""
    articles = make_articles(n)
    rss_before = peak_rss_mb()
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp) / "baseline.jsonl"
        t0 = time.perf_counter()
        with open(base, "w", encoding="utf-8") as fh:
            for a in articles:
                fh.write(a.to_json() + "\n")
        baseline = time.perf_counter() - t0

        # The CPU cost alone: the same archive without fsync.
        quick = Archive(Path(tmp) / "nosync", "bench", fsync=FsyncPolicy.NEVER)
        quick.reconcile()
        t0 = time.perf_counter()
        for a in articles:
            quick.add(a)
        quick.close()
        nosync = time.perf_counter() - t0

        # As a crawl runs it: the default policy (fsync the touched files, then commit the
        # state, every 2 s or 1000 records).
        archive = Archive(Path(tmp) / "data", "bench")
        archive.reconcile()
        kinds: dict[str, int] = {}
        t0 = time.perf_counter()
        for a in articles:
            kind = archive.add(a).kind
            kinds[kind.value] = kinds.get(kind.value, 0) + 1
        archive.commit()
        store = time.perf_counter() - t0

        # Second pass: every record is known, so this is the pure look-up cost of
        # de-duplication (what a rerun of the same crawl pays per item).
        t0 = time.perf_counter()
        unchanged = sum(archive.add(a).kind is Kind.UNCHANGED for a in articles)
        archive.commit()
        lookup = time.perf_counter() - t0
        archive.close()
    result = {
        "n": n, "baseline_s": baseline, "store_s": store, "nosync_s": nosync,
        "lookup_s": lookup, "kinds": kinds, "unchanged_on_rerun": unchanged,
        "rss_data_mb": rss_before, "rss_peak_mb": peak_rss_mb(),
    }
    print(json.dumps(result))


def run_child(n: int) -> dict:
    proc = subprocess.run([sys.executable, __file__, "--child", str(n)], capture_output=True,
                          text=True, check=True)
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", type=int, default=100_000, help="records in the big run")
    parser.add_argument("--small", type=int, default=10_000, help="records in the small run")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child)
        return
    small, big = run_child(args.small), run_child(args.n)
    for r in (small, big):
        n = r["n"]
        per = (r["nosync_s"] - r["baseline_s"]) / n * 1e6
        print(f"n={n:,} records")
        print(f"  baseline: plain JSONL append, no state  {n / r['baseline_s']:>9,.0f} rec/s")
        print(f"  archive, default fsync policy (batch)   {n / r['store_s']:>9,.0f} rec/s"
              f"   x{r['store_s'] / r['baseline_s']:.1f} the baseline's time")
        print(f"  archive, no fsync (the CPU cost)        {n / r['nosync_s']:>9,.0f} rec/s"
              f"   x{r['nosync_s'] / r['baseline_s']:.1f} the baseline's time,"
              f" +{per:.0f} µs/record for canonical URL, fingerprint, state")
        print(f"  de-duplication look-up (rerun, all known) {n / r['lookup_s']:>7,.0f} rec/s"
              f"   {r['lookup_s'] / n * 1e6:.0f} µs/record")
        print(f"  outcomes {r['kinds']}; on rerun {r['unchanged_on_rerun']:,} unchanged"
              " (the others are old versions of changed articles: stored again as newer ones)")
    # Each child generates its input in memory first; the archive's own memory is the peak
    # minus that (its state and indexes live in SQLite on disk).
    print("peak RSS (MB), each size in its own process:")
    print(f"  {'records':>8} | {'after generating input':>22} | {'peak after storing':>18} |"
          f" {'archive share':>13}")
    for r in (small, big):
        print(f"  {r['n']:>8,} | {r['rss_data_mb']:>22.1f} | {r['rss_peak_mb']:>18.1f} |"
              f" {r['rss_peak_mb'] - r['rss_data_mb']:>13.1f}")
    share = [r["rss_peak_mb"] - r["rss_data_mb"] for r in (small, big)]
    print(f"archive memory growth from {small['n']:,} to {big['n']:,} records:"
          f" {share[1] - share[0]:+.1f} MB")


if __name__ == "__main__":
    main()
