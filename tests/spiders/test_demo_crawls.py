"""Real Scrapy crawls of the demo portal (a live HTTP server on 127.0.0.1).

Each crawl runs once per module in a subprocess; several tests assert on its result.
"""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from newscrawl.demo import DemoPortal

ROOT = Path(__file__).resolve().parents[2]
SLOW_SECONDS = 2.5  # as the session portal: longer than the test DOWNLOAD_TIMEOUT


def _in_order(needles: list[str], haystack: str) -> bool:
    pos = 0
    for needle in needles:
        found = haystack.find(needle, pos)
        if found < 0:
            return False
        pos = found + len(needle)
    return True


def _assert_exactly_the_articles(run, truth):
    expected = [a["url"] for a in truth["articles"]]
    assert sorted(run.urls) == sorted(expected), (
        f"missing {set(expected) - set(run.urls)}; extra {set(run.urls) - set(expected)}"
    )
    assert len(run.urls) == len(set(run.urls)), "an article was stored twice"
    assert not set(run.urls) & set(truth["non_articles"])


def _assert_bodies_whole(run, truth):
    by_url = {i["url"]: i for i in run.items}
    for article in truth["articles"]:
        item = by_url[article["url"]]
        assert item["title"] == article["title"]
        assert _in_order(article["paragraphs"], item["body"]), (
            f"{article['url']} ({len(article['pages'])} pages): body incomplete or out of order"
        )


@pytest.fixture(scope="module")
def profile_run(portal, run_spider):
    return run_spider("portal", site="demo", base_url=portal.base_url)


@pytest.fixture(scope="module")
def bare_run(portal, run_spider):
    # No profile: the start URL's host is the allowed host, every rule generic.
    return run_spider("portal", url=portal.base_url + "/")


@pytest.fixture(scope="module")
def opaque_run(run_spider):
    """A portal whose URLs say nothing (/p/<letters>.html): no URL shape to lean on, only
    the pages themselves tell articles from lists, tags, authors and archives."""
    with DemoPortal(slow_seconds=SLOW_SECONDS, opaque_urls=True) as opaque:
        run = run_spider("portal", server=opaque, url=opaque.base_url + "/")
        run.truth = opaque.truth()
        yield run


def test_portal_with_opaque_urls_stores_every_article_and_nothing_else(opaque_run):
    truth = opaque_run.truth
    assert all("/p/" in a["url"] for a in truth["articles"])
    _assert_exactly_the_articles(opaque_run, truth)
    _assert_bodies_whole(opaque_run, truth)
    assert opaque_run.stat("newscrawl/multipage/articles") == sum(1 for a in truth["articles"] if len(a["pages"]) > 1)
    assert {r.host for r in opaque_run.requests} == {"127.0.0.1"}


@pytest.mark.parametrize("which", ["profile_run", "bare_run"])
def test_every_article_exactly_once_and_nothing_else(which, request, truth):
    run = request.getfixturevalue(which)
    _assert_exactly_the_articles(run, truth)
    assert run.stat("newscrawl/articles") == len(truth["articles"])


@pytest.mark.parametrize("which", ["profile_run", "bare_run"])
def test_multi_page_articles_are_merged_whole_and_in_order(which, request, truth):
    run = request.getfixturevalue(which)
    _assert_bodies_whole(run, truth)
    multi = [a for a in truth["articles"] if len(a["pages"]) > 1]
    assert len(multi) >= 3
    assert run.stat("newscrawl/multipage/articles") == len(multi)
    assert run.stat("newscrawl/multipage/pages") == sum(len(a["pages"]) for a in multi)


@pytest.mark.parametrize("which", ["profile_run", "bare_run"])
def test_never_leaves_the_site_or_enters_robots_disallowed_paths(which, request, portal, truth):
    run = request.getfixturevalue(which)
    assert run.requests, "the portal saw no request"
    hosts = {r.host for r in run.requests}
    assert hosts == {"127.0.0.1"}, f"requested another host: {hosts}"
    assert not [r.path for r in run.requests if r.path.startswith("/private/")]
    assert any(r.path == "/robots.txt" for r in run.requests)
    assert run.stat("robotstxt/forbidden") >= 1
    # The links to the other host are refused and counted; the redirect to it is filtered.
    assert run.stat("newscrawl/offsite/refused_links") >= 1
    assert run.stat("offsite/filtered") >= 1
    assert all(r.user_agent.startswith("newscrawl/") and "crawl-tests@example.invalid" in r.user_agent
               for r in run.requests)


@pytest.mark.parametrize("which", ["profile_run", "bare_run"])
def test_errors_are_counted_and_the_crawl_goes_on(which, request):
    run = request.getfixturevalue(which)
    assert run.stats["finish_reason"] == "finished"
    assert run.stat("httperror/response_ignored_status_count/404") == 1
    assert run.stat("retry/reason_count/500 Internal Server Error") >= 1
    assert run.stat("httperror/response_ignored_status_count/500") == 1
    timeouts = sum(v for k, v in run.stats.items()
                   if k.startswith("downloader/exception_type_count/") and "TimeoutError" in k)
    assert timeouts >= 1, "the slow page should have timed out"
    assert run.stat("newscrawl/dropped/not_html") >= 1  # the JSON endpoint, the RSS link
    assert run.stat("newscrawl/dropped/empty") == 1


def test_retries_back_off(profile_run, portal):
    broken = [r.at for r in profile_run.requests if r.path == "/news/broken.htm"]
    assert len(broken) == 2  # the first try and RETRY_TIMES=1 retry
    assert broken[1] - broken[0] >= 0.4  # NEWSCRAWL_RETRY_BACKOFF in the test settings
    assert profile_run.stats["newscrawl/retry_backoff_seconds"] >= 0.4


def test_page_limit_stops_the_crawl(portal, run_spider):
    run = run_spider("portal", {"CLOSESPIDER_PAGECOUNT": 8, "CONCURRENT_REQUESTS": 2,
                                "CONCURRENT_REQUESTS_PER_DOMAIN": 2}, url=portal.base_url + "/")
    assert run.stats["finish_reason"] == "closespider_pagecount"
    assert run.stat("response_received_count") <= 8 + 2


def test_http_cache_serves_a_second_crawl(portal, run_spider, truth, tmp_path):
    urls = " ".join(a["url"] for a in truth["articles"][:3])
    cache = {"HTTPCACHE_ENABLED": True, "HTTPCACHE_DIR": str(tmp_path / "cache")}
    first = run_spider("urls", cache, urls=urls)
    second = run_spider("urls", cache, urls=urls)
    assert sorted(first.urls) == sorted(second.urls) == sorted(urls.split())
    assert second.stat("httpcache/hit") >= 3
    assert not [r for r in second.requests if r.path != "/robots.txt"]


def test_list_tag_author_and_archive_pages_are_seen_but_never_stored(profile_run, bare_run, truth):
    for run in (profile_run, bare_run):
        fetched = {r.path for r in run.requests}
        for kind in ("/tags/", "/author/", "/archive/", "/news/guonei/index"):
            assert any(p.startswith(kind) for p in fetched), f"never fetched a {kind} page"
        assert run.stat("newscrawl/pages/list") >= 10
        assert not [u for u in run.urls if any(k in u for k in ("/tags/", "/author/", "/archive/", "index"))]


def test_redirected_article_stored_once_under_its_own_url(bare_run, truth):
    target = truth["redirect"]["to"]
    assert bare_run.urls.count(target) == 1
    assert truth["redirect"]["from"] not in bare_run.urls


def test_gbk_pages_decode_even_with_a_lying_or_missing_charset(bare_run, truth):
    by_url = {i["url"]: i for i in bare_run.items}
    odd = [a for a in truth["articles"] if a["encoding"] == "gbk" and a["charset_header"] != "gbk"]
    assert len(odd) == 2
    for article in odd:
        assert by_url[article["url"]]["title"] == article["title"]


def test_sitemap_spider_finds_the_articles_from_robots_txt(portal, run_spider, truth):
    # No sitemaps in this profile: the spider reads robots.txt's Sitemap: line, then the
    # index, then a news sitemap and a plain one (which also lists list and tag pages).
    run = run_spider("sitemap", url=portal.base_url + "/")
    _assert_exactly_the_articles(run, truth)
    _assert_bodies_whole(run, truth)
    assert run.stat("newscrawl/sitemap/indexes") == 1
    assert run.stat("newscrawl/sitemap/sitemaps") == 2
    assert run.stat("newscrawl/dropped/not_article/list") >= 1
    assert not [r for r in run.requests if r.path.startswith("/tags/t5")]  # only linked, not listed


def test_sitemap_spider_since_uses_publication_dates(portal, run_spider, truth):
    since = "2026-11-19"
    run = run_spider("sitemap", site="demo", base_url=portal.base_url, since=since)
    expected = {a["url"] for a in truth["articles"] if a["published_at"] >= "2026-11-19T00:00:00+08:00"}
    assert 0 < len(expected) < len(truth["articles"])
    assert set(run.urls) == expected
    assert run.stat("newscrawl/dropped/too_old_in_sitemap") >= 1


def test_feed_spider_reads_rss_given_as_a_bare_url(portal, run_spider, truth):
    run = run_spider("feed", url=portal.base_url + "/rss.xml")
    _assert_exactly_the_articles(run, truth)
    assert run.stat("newscrawl/feed/urls") == len(truth["articles"])


def test_feed_spider_reads_atom_from_a_user_profile(portal, run_spider, truth, tmp_path):
    sites = tmp_path / "sites"
    sites.mkdir()
    (sites / "demo-atom.toml").write_text(
        f'name = "demo-atom"\nfeeds = ["{portal.base_url}/atom.xml"]\n', "utf-8")
    run = run_spider("feed", site="demo-atom", sites_dir=str(sites), since="2026-11-18")
    since = datetime(2026, 11, 18, tzinfo=timezone.utc)  # a naive --since is UTC without a profile zone
    expected = {a["url"] for a in truth["articles"] if datetime.fromisoformat(a["published_at"]) >= since}
    assert set(run.urls) == expected
    assert run.stat("newscrawl/dropped/too_old_in_feed") == len(truth["articles"]) - len(expected)


def test_urls_spider_crawls_a_list_of_article_urls(portal, run_spider, truth, tmp_path):
    chosen = [a for a in truth["articles"] if len(a["pages"]) > 1][:2] + truth["articles"][:1]
    listing = tmp_path / "urls.txt"
    listing.write_text("# my list\n" + "\n".join(a["url"] for a in chosen) + "\n\n", "utf-8")
    run = run_spider("urls", urls_file=str(listing))
    assert sorted(run.urls) == sorted(a["url"] for a in chosen)
    by_url = {i["url"]: i for i in run.items}
    for a in chosen:
        assert _in_order(a["paragraphs"], by_url[a["url"]]["body"])
    # It fetched those pages (and robots.txt), nothing else.
    wanted = {urlsplit(p).path + (f"?{urlsplit(p).query}" if urlsplit(p).query else "") for a in chosen for p in a["pages"]}
    assert {r.path for r in run.requests} == wanted | {"/robots.txt"}


def test_failed_later_page_still_stores_what_was_fetched(portal, run_spider, truth):
    article = next(a for a in truth["articles"] if len(a["pages"]) == 3)
    broken = urlsplit(article["pages"][2]).path
    portal.break_page(broken)
    try:
        run = run_spider("urls", urls=article["url"])
    finally:
        portal.restore_page(broken)
    assert run.urls == [article["url"]]
    body = run.items[0]["body"]
    first_two = [p for p in article["paragraphs"] if p in body]
    assert first_two and len(first_two) < len(article["paragraphs"])
    assert run.stat("newscrawl/multipage/incomplete") == 1


def test_a_later_page_redirecting_off_site_is_not_followed(portal, run_spider, truth):
    article = next(a for a in truth["articles"] if len(a["pages"]) == 3)
    second = urlsplit(article["pages"][1]).path
    portal.redirect_page(second, portal.foreign_base_url + "/partner.html")
    try:
        run = run_spider("urls", urls=article["url"])
    finally:
        portal.restore_page(second)
    assert {r.host for r in run.requests} == {"127.0.0.1"}
    assert run.urls == [article["url"]]
    assert run.stat("newscrawl/multipage/incomplete") == 1
    assert run.stat("newscrawl/offsite/refused_links") == 1


def test_crawl_command_bare_url_writes_jsonl(portal, truth, tmp_path, fast_settings):
    """`newscrawl crawl URL --data-dir DIR` with no profile: JSONL of exactly the articles."""
    sets = [f"-s{k}={v}" for k, v in fast_settings.items() if k != "LOG_LEVEL"]
    proc = subprocess.run(
        [sys.executable, "-m", "newscrawl", "crawl", portal.base_url + "/", "--data-dir",
         str(tmp_path / "data"), "--log-level", "WARNING", *sets],
        cwd=tmp_path, capture_output=True, text=True, timeout=120,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    # The archive's layout (docs/archive.md): data/<site>/articles/<day>.jsonl
    files = list((tmp_path / "data").glob("*/articles/*.jsonl"))
    assert files and str(files[0].parent.parent) in proc.stdout
    records = [json.loads(line) for f in files for line in f.read_text("utf-8").splitlines()]
    assert sorted(r["url"] for r in records) == sorted(a["url"] for a in truth["articles"])
    assert f"{len(records)} articles stored" in proc.stdout


def test_scrapy_crawl_works_from_the_project_folder(portal, truth, tmp_path, fast_settings):
    """`scrapy crawl portal -a site=demo` as Scrapy users expect (scrapy.cfg at the top)."""
    out = tmp_path / "out.jsonl"
    sets = [a for k, v in fast_settings.items() for a in ("-s", f"{k}={v}")]
    proc = subprocess.run(
        [sys.executable, "-m", "scrapy", "crawl", "portal", "-a", "site=demo", "-a",
         f"base_url={portal.base_url}", "-a", "since=2026-11-20", "-O", str(out), *sets],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    records = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
    # --since drops what the extractor dates before it; undated records are kept.
    stored = {r["url"] for r in records}
    assert len(stored) == len(records)
    everything = {a["url"] for a in truth["articles"]}
    if any(r["published_at"] for r in records):
        expected = {a["url"] for a in truth["articles"]
                    if a["published_at"] >= "2026-11-20T00:00:00+08:00"}
        assert stored == expected
    else:
        assert stored == everything


@pytest.mark.parametrize("which", ["profile_run", "bare_run"])
def test_every_field_of_every_article_matches_the_portal(which, request, truth):
    """End to end: crawl + extraction give each demo article's real metadata."""
    run = request.getfixturevalue(which)
    by_url = {i["url"]: i for i in run.items}
    wrong = []
    for article in truth["articles"]:
        item = by_url[article["url"]]
        want_time = datetime.fromisoformat(article["published_at"])
        got_time = datetime.fromisoformat(item["published_at"]) if item["published_at"] else None
        if got_time is not None and got_time.tzinfo is None:
            # No offset on the page and none configured: the record keeps the page's
            # wall-clock time (the page language names no zone); compared as such.
            want_time = want_time.replace(tzinfo=None)
        # Relative dates ("3小时前") are read against the fetch time: minute precision.
        if got_time is None or abs((got_time - want_time).total_seconds()) >= 60:
            wrong.append((article["url"], "published_at", item["published_at"], article["published_at"]))
        for field in ("source", "authors", "editor", "tags"):
            if item[field] != article[field]:
                wrong.append((article["url"], field, item[field], article[field]))
        if item["section"] != [s for s in article["section"] if s != "首页"]:
            wrong.append((article["url"], "section", item["section"], article["section"]))
    assert not wrong, wrong
