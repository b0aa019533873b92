"""The archive pipelines in a real Scrapy run: each bad item dropped with its reason and
counted, reposts kept with duplicate_of, repeats dropped as unchanged."""

from __future__ import annotations

import json
import subprocess
import sys

from .helpers import ROOT, crawl_env, strict_records

SCRIPT = r'''
import json, sys
from scrapy import Spider
from newscrawl.crawl.runner import run_crawl
from newscrawl.crawl.settings import archived_settings

class ItemsSpider(Spider):
    name = "items"
    start_urls = ["data:,x"]  # no network: the items come from here

    def parse(self, response):
        yield {"url": "http://x.cn/1.html", "title": " 标题\u3000", "body": "正文一\n\n\n第二段 ",
               "published_at": "2026-11-20T08:00:00+08:00"}
        yield {"url": "http://x.cn/2.html", "title": "", "body": "正文二"}
        yield {"url": "http://x.cn/3.html", "title": "t", "body": "  "}
        yield {"url": "http://x.cn/4.html", "title": "t", "body": "b4", "published_at": "昨天"}
        yield {"url": "http://x.cn/5.html", "title": "t", "body": "b5", "bogus": 1}
        yield {"url": "http://y.cn/copy.html", "title": "标题", "body": "正文一 第二段",
               "published_at": "2026-11-21T09:00:00+08:00"}
        yield {"url": "http://x.cn/1.html#comments", "title": "标题", "body": "正文一\n\n第二段"}

settings = archived_settings(sys.argv[1], "items", progress=False, summary=False)
crawler = run_crawl(settings, ItemsSpider)
print(json.dumps(crawler.stats.get_stats(), default=str))
'''


def test_drops_counted_by_reason_and_reposts_kept(tmp_path):
    data = tmp_path / "data"
    proc = subprocess.run([sys.executable, "-c", SCRIPT, str(data)], cwd=ROOT, env=crawl_env(),
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-3000:]
    stats = json.loads(proc.stdout.strip().splitlines()[-1])
    assert stats["archive/dropped/missing_title"] == 1
    assert stats["archive/dropped/missing_body"] == 1
    assert stats["archive/dropped/invalid_published_at"] == 1
    assert stats["archive/dropped/invalid_extra_keys"] == 1
    assert stats["archive/dropped/unchanged"] == 1
    assert stats["archive/stored"] == 2
    assert stats["archive/duplicates/body"] == 1

    (article,) = strict_records(data)
    assert article["title"] == "标题"
    assert article["body"] == "正文一\n\n第二段"
    assert article["canonical_url"] == "http://x.cn/1.html"
    assert list(article)[:3] == ["url", "title", "body"]
    (repost,) = strict_records(data, "duplicates")
    assert repost["url"] == "http://y.cn/copy.html"
    assert repost["duplicate_of"] == "http://x.cn/1.html"
    # filed under their publish days
    assert (data / "items" / "articles" / "2026-11-20.jsonl").exists()
    assert (data / "items" / "duplicates" / "2026-11-21.jsonl").exists()


def test_ls_and_stats_commands(tmp_path):
    data = tmp_path / "data"
    subprocess.run([sys.executable, "-c", SCRIPT, str(data)], cwd=ROOT, env=crawl_env(),
                   capture_output=True, text=True, timeout=120, check=True)
    ls = subprocess.run([sys.executable, "-m", "newscrawl", "ls", "--data-dir", str(data),
                         "--json"], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert ls.returncode == 0, ls.stderr
    rows = [json.loads(line) for line in ls.stdout.splitlines()]
    assert [(r["site"], r["day"], r["articles"], r["reposts"]) for r in rows] == [
        ("items", "2026-11-20", 1, 0), ("items", "2026-11-21", 0, 1)]
    stats = subprocess.run([sys.executable, "-m", "newscrawl", "stats", "--data-dir", str(data)],
                           cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert stats.returncode == 0, stats.stderr
    assert "items: 1 articles, 0 new versions, 1 reposts over 2 day(s)" in stats.stdout
    assert "last run" in stats.stdout and "finished" in stats.stdout
    missing = subprocess.run([sys.executable, "-m", "newscrawl", "ls", "nosuchsite",
                              "--data-dir", str(data)], cwd=ROOT, capture_output=True, text=True)
    assert missing.returncode == 2
