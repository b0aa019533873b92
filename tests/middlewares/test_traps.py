"""Crawler-trap URL rules (newscrawl/middlewares/traps.py): traps are cut, articles never."""

from __future__ import annotations

from datetime import datetime

import pytest
from scrapy import Request
from scrapy.exceptions import NotConfigured
from scrapy.http import HtmlResponse
from scrapy.utils.test import get_crawler
from w3lib.url import canonicalize_url

from newscrawl.extract.pagetype import UrlRules
from newscrawl.middlewares.traps import UNPRODUCTIVE_META, TrapFilterMiddleware, TrapRules

NOW = datetime(2026, 11, 20)


def rules() -> TrapRules:
    return TrapRules(now=NOW)


@pytest.mark.parametrize(("url", "rule"), [
    ("http://h/news/more/more/more/", "segment_repeat"),
    ("http://h/a/b/a/b/a/b/", "segment_repeat"),
    ("http://h/" + "/".join(f"d{i}" for i in range(17)) + "/", "path_depth"),
    ("http://h/archive/2031/13/", "date"),
    ("http://h/archive/2028/01/", "date"),
    ("http://h/archive/1901/05/", "date"),
    ("http://h/calendar/?year=2026&month=956", "date"),
    ("http://h/calendar/?year=2026&month=0", "date"),
    ("http://h/calendar/?year=9999&month=1", "date"),
    ("http://h/cal.php?date=2026-14-01", "date"),
    ("http://h/news/2026-11-32/", "date"),
])
def test_trap_shapes_are_named(url, rule):
    assert rules().shape_verdict(url) == rule


@pytest.mark.parametrize("url", [
    "http://h/news/more/more/",  # twice is a real "more" section page
    "http://h/news/guonei/2026-11/20/content_1000.htm",
    "http://h/shehui/202611/t20261120_2000.html",
    "http://h/2026/11/11/11/a.html",  # a repeated number is a date, not a loop
    "http://h/2027/01/05/a.html",  # next year: scheduled articles
    "http://h/1998/05/20/archive-story.html",
    "http://h/cal.php?year=2026&month=11&m=content",
    "http://h/news/1234/5678.html",
    "http://h/forum/1024/3/",  # ids, not a year and a month
])
def test_real_pages_pass_the_shape_rules(url):
    assert rules().shape_verdict(url) is None


def test_query_rules_cap_facet_combinations_but_never_a_new_id():
    r = rules()
    # A dynamic CMS: every article is one path with a new id — all pass, however many.
    for n in range(1, 2001):
        url = canonicalize_url(f"http://h/index.php?m=content&c=index&a=show&catid={n % 20}&id={n}")
        assert r.query_verdict(url) is None
    # Faceted search: four facets recombined; the known values soon stop producing URLs.
    verdicts = [r.query_verdict(canonicalize_url(f"http://h/search?cat={c}&color={k}&sort={s}"))
                for c in range(1, 7) for k in range(1, 7) for s in range(1, 5)]
    passed = verdicts.count(None)
    assert 20 <= passed < 40 and verdicts.count("query_combinations") == len(verdicts) - passed
    # A parameter permutation is the same canonical URL: judged once, passes again.
    assert r.query_verdict(canonicalize_url("http://h/search?sort=1&color=1&cat=1")) is None


def test_query_keysets_per_path_are_capped():
    r = TrapRules(now=NOW, max_query_keysets=3)
    names = ["a", "b", "c", "d", "e"]
    verdicts = [r.query_verdict(f"http://h/s?{n}=1") for n in names]
    assert verdicts == [None, None, None, "query_keysets", "query_keysets"]
    assert r.query_verdict("http://h/other?d=1") is None  # per path


# --- the middleware: list chains and the frontier -------------------------------------------


class _Spider:
    url_rules = None


def _middleware(**settings):
    crawler = get_crawler(settings_dict={"NEWSCRAWL_ARCHIVE_ENABLED": False, **settings})
    return TrapFilterMiddleware.from_crawler(crawler), crawler


def _page(url: str, depth: int) -> HtmlResponse:
    return HtmlResponse(url, body=b"<html></html>", request=Request(url, meta={UNPRODUCTIVE_META: depth}))


def _links(mw, response, urls):
    return [r.url for r in mw.process_spider_output(response, [Request(u) for u in urls], _Spider())]


def test_a_chain_of_list_pages_without_new_articles_is_abandoned():
    mw, crawler = _middleware()
    article = "http://h/news/2026-11/20/content_1001.htm"
    # Page 1 brings a new article: its list links start a fresh chain.
    followed = _links(mw, _page("http://h/list/?page=1", 0), [article, "http://h/list/?page=2"])
    assert followed == [article, "http://h/list/?page=2"]
    for depth, page in enumerate(range(2, 8)):
        response = _page(f"http://h/list/?page={page}", depth)
        followed = _links(mw, response, [article, f"http://h/list/?page={page + 1}"])
        if f"http://h/list/?page={page + 1}" not in followed:
            break
    # Pages 2, 3 and 4 brought nothing new; page 5 is not requested.
    assert page == 4
    assert crawler.stats.get_value("newscrawl/trap/dropped/no_new_articles") == 1


def test_article_links_are_never_cut_by_the_chain_rule():
    mw, _ = _middleware()
    response = _page("http://h/list/?page=9", 50)
    urls = ["http://h/news/2026-11/20/content_2001.htm", "http://h/list/?page=10"]
    # The new article link makes the page productive; its list link starts over.
    assert _links(mw, response, urls) == urls


def test_new_list_pages_wait_when_the_frontier_is_full():
    mw, crawler = _middleware(NEWSCRAWL_TRAP_MAX_FRONTIER=5)
    mw._frontier = lambda: 5  # the scheduler holds 5 requests
    urls = ["http://h/news/2026-11/20/content_3001.htm", "http://h/list/?page=2"]
    assert _links(mw, _page("http://h/list/", 0), urls) == urls[:1]
    assert crawler.stats.get_value("newscrawl/trap/dropped/frontier") == 1


def test_articles_by_url_are_exempt_from_the_query_rules():
    mw, _ = _middleware(NEWSCRAWL_TRAP_MAX_QUERY_KEYSETS=1)
    page = _page("http://h/", 0)
    assert _links(mw, page, ["http://h/index.php?a=1"]) == ["http://h/index.php?a=1"]
    assert _links(mw, page, ["http://h/index.php?b=1"]) == []  # a second keyset: capped
    article = "http://h/index.php?c=1&article=2"
    spider = _Spider()
    spider.url_rules = UrlRules((r"article=\d+",), ())
    followed = mw.process_spider_output(page, [Request(article)], spider)
    assert [r.url for r in followed] == [article]


def test_off_switch():
    with pytest.raises(NotConfigured):
        _middleware(NEWSCRAWL_TRAPS_ENABLED=False)
