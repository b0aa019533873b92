"""Ports count: another port of the same host is another site — never fetched from this
one, and crawled into its own folder under its own lock."""

from __future__ import annotations

import pytest
from support.console_script import (
    FAST,
    FaultServer,
    index_page,
    last_stats,
    run_cli,
    start_cli,
    stored_records,
)

from newscrawl.profiles import SiteProfile

pytestmark = pytest.mark.timeout(180)


def test_allow_list_compares_scheme_host_and_port():
    profile = SiteProfile.for_url("http://127.0.0.1:8080/")
    assert profile.name == "127-0-0-1-8080"
    assert profile.allows("http://127.0.0.1:8080/a/1.html")
    assert not profile.allows("http://127.0.0.1:8081/a/1.html")
    assert not profile.allows("http://127.0.0.1/a/1.html")
    assert not profile.allows("ftp://127.0.0.1:8080/a/1.html")
    plain = SiteProfile.for_url("https://news.example.cn/")
    assert plain.name == "news-example-cn"  # no port named: the name is unchanged
    assert plain.allows("http://news.example.cn/x") and plain.allows("https://m.news.example.cn/x")
    assert not plain.allows("http://news.example.cn:8443/x")


def test_two_portals_on_one_host_two_folders_no_cross_fetch(tmp_path):
    with FaultServer(articles=3) as one, FaultServer(articles=3) as two:
        # The first portal links to the second one's articles: same host, other port.
        one.extra_pages["/index.html"] = index_page([*one.article_urls(), *two.article_urls()])
        data = str(tmp_path / "data")
        first = start_cli("crawl", one.url("/index.html"), "--data-dir", data, *FAST,
                          cwd=tmp_path)
        second = run_cli("crawl", two.url("/index.html"), "--data-dir", data, *FAST,
                         cwd=tmp_path)
        out, err = first.communicate(timeout=120)
        hits_two = [h.path for h in two.hits]
    assert first.returncode == 0, err[-2000:]
    assert second.returncode == 0, second.stderr[-2000:]  # not 75: its own lock
    folders = {p.name for p in (tmp_path / "data").iterdir() if p.is_dir()}
    assert {f"127-0-0-1-{one.port}", f"127-0-0-1-{two.port}"} <= folders
    # Each article of the second portal fetched once: by its own crawl, never by the first.
    assert sorted(p for p in hits_two if p.startswith("/a/")) == ["/a/1.html", "/a/2.html",
                                                                   "/a/3.html"]
    report = last_stats(tmp_path / "data", f"127-0-0-1-{one.port}")["scrapy_stats"]
    assert report.get("newscrawl/offsite/refused_links", 0) + report.get("offsite/filtered", 0) >= 3
    # The two portals carry the same pages: the later copies are reposts (duplicate_of).
    records = stored_records(tmp_path / "data") + stored_records(tmp_path / "data", "duplicates")
    by_port = {p: sorted(r["url"] for r in records if f":{p}/" in r["url"])
               for p in (one.port, two.port)}
    assert by_port[one.port] == sorted(one.article_urls())
    assert by_port[two.port] == sorted(two.article_urls())  # fetched once, by its own crawl
    assert len(records) == 6


def test_two_concurrent_crawls_of_a_shared_article_store_one_original(tmp_path):
    """Two sites (two ports) carrying the same articles, crawled at the same moment into one
    data folder: each body has exactly one original, the other copy is its duplicate_of."""
    with FaultServer(articles=8) as one, FaultServer(articles=8) as two:
        data = str(tmp_path / "data")
        crawls = [start_cli("crawl", server.url("/index.html"), "--data-dir", data, *FAST,
                            "-s", "NEWSCRAWL_EXTRACT_WORKERS=0", cwd=tmp_path)
                  for server in (one, two)]
        results = [proc.communicate(timeout=120) for proc in crawls]
    for proc, (_, err) in zip(crawls, results, strict=True):
        assert proc.returncode == 0, err[-2000:]
    records = stored_records(tmp_path / "data") + stored_records(tmp_path / "data", "duplicates")
    assert len(records) == 16
    by_hash: dict[str, list[dict]] = {}
    for record in records:
        by_hash.setdefault(record["content_hash"], []).append(record)
    assert len(by_hash) == 8
    for copies in by_hash.values():
        originals = [r for r in copies if not r.get("duplicate_of")]
        assert len(originals) == 1, [(r["url"], r.get("duplicate_of")) for r in copies]
        (repost,) = [r for r in copies if r.get("duplicate_of")]
        assert repost["duplicate_of"] == originals[0]["canonical_url"]
