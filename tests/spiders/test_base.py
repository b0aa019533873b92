"""Spider logic without a crawl: drops by reason, the date limit, merging pages."""

from __future__ import annotations

import logging
from datetime import datetime, timezone

import pytest
from scrapy.utils.test import get_crawler

from newscrawl.record import Article
from newscrawl.spiders.analysis import PageCopy, extract_pages
from newscrawl.spiders.base import build_user_agent, merge_pages, parse_since
from newscrawl.spiders.portal import PortalSpider

NOW = datetime(2026, 11, 25, 8, 0, tzinfo=timezone.utc)


@pytest.fixture
def spider():
    crawler = get_crawler(PortalSpider, {"NEWSCRAWL_CONTACT": "ops@example.org"})
    crawler.stats.open_spider()
    return PortalSpider.from_crawler(crawler, url="https://news.example.cn/", since="2026-11-10")


def stats(spider):
    return spider.crawler.stats.get_stats()


def test_a_failing_extraction_is_a_counted_drop_logged_once(spider, caplog):
    page = PageCopy("https://news.example.cn/a/1.html", b"<html></html>", "utf-8", NOW)
    with caplog.at_level(logging.INFO):
        for _ in range(3):
            assert list(spider.finish([page], [], "ValueError: boom")) == []
    assert stats(spider)["newscrawl/dropped/extraction_error"] == 3
    assert len([r for r in caplog.records if "extraction_error" in r.getMessage()]) == 1


def test_since_drops_older_articles_and_keeps_undated_ones(spider):
    page = PageCopy("https://news.example.cn/a/1.html", b"", None, NOW)
    old = Article(url=page.url, title="t", body="b", published_at="2026-11-09T23:00:00+00:00")
    new = Article(url=page.url, title="t", body="b", published_at="2026-11-10T08:00:00+08:00")
    undated = Article(url=page.url, title="t", body="b")
    assert list(spider.finish([page], [old], None)) == []
    assert list(spider.finish([page], [new], None)) == [new]
    assert list(spider.finish([page], [undated], None)) == [undated]
    assert stats(spider)["newscrawl/dropped/too_old"] == 1
    assert stats(spider)["newscrawl/articles"] == 2


def test_extractor_saying_no_is_a_not_article_drop(spider):
    page = PageCopy("https://news.example.cn/a/1.html", b"", None, NOW)
    assert list(spider.finish([page], [None], None)) == []
    assert stats(spider)["newscrawl/dropped/not_article/extractor"] == 1


def test_merge_keeps_page_order_and_drops_repeated_paragraphs():
    first = Article(url="u", title="t", body="lead\n\none", images=["a.jpg"])
    second = Article(url="u_2", title="t", body="lead\n\ntwo", images=["a.jpg", "b.jpg"])
    third = Article(url="u_3", title="t", body="three")
    merged = merge_pages(first, [second, None, third])
    assert merged.body == "lead\n\none\n\ntwo\n\nthree"
    assert merged.images == ["a.jpg", "b.jpg"]
    assert merged.content_hash == Article(url="u", title="t", body=merged.body).content_hash
    assert merged.content_hash != first.content_hash


def test_extract_pages_reports_an_exception_instead_of_raising():
    class Exploding:
        def __getattr__(self, name):
            raise RuntimeError("bad profile")

    page = PageCopy("https://news.example.cn/a/1.html", b"<h1>x</h1><p>y</p>", "utf-8", NOW)
    articles, error = extract_pages([page], Exploding(), None)  # type: ignore[arg-type]
    assert articles == [] and error is not None and "RuntimeError" in error


def test_user_agent_and_since_parsing(spider):
    assert build_user_agent("ops@example.org").endswith("(+ops@example.org)")
    assert spider.settings.get("USER_AGENT") == build_user_agent("ops@example.org")
    assert spider.allowed_domains == ["news.example.cn"]
    assert parse_since("2026-11-01", "Asia/Shanghai").utcoffset().total_seconds() == 8 * 3600
    with pytest.raises(ValueError, match="not a date"):
        parse_since("last week")


def test_links_past_the_page_cap_are_counted_and_left_for_other_pages(caplog):
    crawler = get_crawler(PortalSpider, {"NEWSCRAWL_MAX_LINKS_PER_PAGE": 3})
    crawler.stats.open_spider()
    spider = PortalSpider.from_crawler(crawler, url="https://news.example.cn/")
    links = [f"https://news.example.cn/a/{n}.html" for n in range(8)]
    with caplog.at_level(logging.INFO):
        first = [r.url for r in spider.follow(links, {links[0]}, "https://news.example.cn/archive")]
    # links[0] is skipped (the page's own continuation), then three are followed.
    assert first == links[1:4]
    assert stats(spider)["newscrawl/links/over_page_cap"] == 4
    assert stats(spider)["newscrawl/links/capped_pages"] == 1
    assert [r for r in caplog.records if "NEWSCRAWL_MAX_LINKS_PER_PAGE" in r.getMessage()]
    # Another page listing the links past the cap has them followed.
    again = [r.url for r in spider.follow(links[4:6], set(), "https://news.example.cn/list")]
    assert again == links[4:6]


def test_no_cap_follows_every_new_link_once(spider):
    links = [f"https://news.example.cn/a/{n}.html" for n in range(50)]
    assert len(list(spider.follow(links + links[:10], set(), "https://news.example.cn/"))) == 50
    assert "newscrawl/links/over_page_cap" not in stats(spider)


def test_recent_urls_stay_bounded_and_keep_what_is_repeated():
    from newscrawl.spiders.base import RecentUrls

    recent = RecentUrls(100)
    recent.add("https://news.example.cn/")  # the link every page repeats
    for n in range(10_000):
        recent.add(f"https://news.example.cn/a/{n}.html")
        assert "https://news.example.cn/" in recent
    assert len(recent) <= 200
    assert "https://news.example.cn/a/9999.html" in recent
    assert "https://news.example.cn/a/0.html" not in recent  # forgotten: the dupefilter guards it
