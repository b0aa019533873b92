"""Page triage without Scrapy: URL shapes, page evidence, multi-page article links."""

from __future__ import annotations

import json
import urllib.request
from pathlib import Path

import pytest

from newscrawl.extract.pagetype import (
    Link,
    PageType,
    UrlRules,
    classify_page,
    classify_url,
    continuation_pages,
    first_page_of,
)

SHARED = Path(__file__).resolve().parents[2] / ".." / "shared"
NEUTRAL = "http://portal.example/x/p"  # a URL that says nothing: only the page decides


@pytest.mark.parametrize(
    ("url", "kind"),
    [
        ("http://a.cn/news/2022-04/26/content_123.htm", PageType.ARTICLE),
        ("http://a.cn/shehui/202204/t20220426_123.html", PageType.ARTICLE),
        ("http://a.cn/a/20220426/123456.html", PageType.ARTICLE),
        ("https://a.com/2022/04/26/business/markets-fall-on-rate-fears/", PageType.ARTICLE),
        ("https://a.com/world/a-long-article-slug-about-the-news-12345678", PageType.ARTICLE),
        ("http://a.cn/news/guonei/index_2.html", PageType.LIST),
        ("http://a.cn/tags/economy.html", PageType.LIST),
        ("http://a.cn/author/wang.html", PageType.LIST),
        ("http://a.cn/news/?page=3", PageType.LIST),
        ("http://a.cn/", PageType.LIST),
        ("http://a.cn/about.html", None),
        # static-site generators' :year/:month/:day/:title/ permalink, one-word title
        ("https://blog.example/2024/05/01/library/", PageType.ARTICLE),
        ("https://blog.example/2024/05/01/", PageType.LIST),
        ("https://blog.example/2024/05/01/page/2/", PageType.LIST),
    ],
)
def test_url_shapes(url, kind):
    assert classify_url(url) is kind


def test_profile_patterns_win_over_generic_shapes():
    rules = UrlRules(article=(r"/special/\d+\.html$",), list=(r"/content_\d+\.htm$",))
    assert classify_url("http://a.cn/special/12.html", rules) is PageType.ARTICLE
    assert classify_url("http://a.cn/2022-04/26/content_1.htm", rules) is PageType.LIST
    assert classify_page(b"<html><body><p>x</p></body></html>", "http://a.cn/special/1.html",
                         rules).kind is PageType.ARTICLE


def test_demo_pages_are_told_apart_by_their_content_alone(portal, truth):
    """With a URL that says nothing, the page's own evidence must still keep every list,
    tag, author and archive page out (single-page articles are recognised too)."""
    articles = {a["url"]: a for a in truth["articles"]}
    for url in list(articles) + truth["non_articles"]:
        raw = urllib.request.urlopen(url, timeout=10).read()
        verdict = classify_page(raw, NEUTRAL)
        if url in articles and len(articles[url]["pages"]) == 1:
            assert verdict.kind is PageType.ARTICLE, (url, verdict)
        if url not in articles:
            assert verdict.kind is not PageType.ARTICLE, (url, verdict)


def _corpus_cases():
    for folder in ("corpus", "corpus-templated"):
        for meta in sorted((SHARED / folder).glob("*.json")):
            page = meta.with_suffix(".html")
            if page.exists():
                yield meta, page


def test_real_article_pages_are_recognised_as_articles():
    cases = list(_corpus_cases())
    if not cases:
        pytest.fail(f"corpus not found under {SHARED}")
    hits = 0
    for meta, page in cases:
        url = json.loads(meta.read_text("utf-8")).get("url") or NEUTRAL
        hits += classify_page(page.read_bytes(), url).kind is PageType.ARTICLE
    # Every corpus page is an article; a few are shells whose text is loaded by script.
    assert hits / len(cases) >= 0.9, f"{hits}/{len(cases)}"


def test_a_long_list_of_teasers_is_not_an_article():
    items = "".join(
        f'<div class="item"><h3><a href="/2024/01/0{i}/story-{i}-about-things.html">'
        f"Headline number {i} about something that happened today</a></h3>"
        f"<p>Summary {i}: " + "a teaser sentence that runs for a while. " * 4 + "</p>"
        "<span>2024-01-05 10:00</span></div>"
        for i in range(1, 9)
    )
    html = f"<html><head><title>News</title></head><body><h1>Latest news</h1>{items}</body></html>"
    assert classify_page(html, NEUTRAL).kind is PageType.LIST


def test_multi_page_links_in_page_order_and_next_page_text():
    first = "http://a.cn/news/2022-04/26/content_9.htm"
    links = [
        Link("http://a.cn/news/2022-04/26/content_9_3.htm", "3"),
        Link("http://a.cn/news/2022-04/26/content_9_2.htm", "2"),
        Link("http://a.cn/news/2022-04/26/content_8.htm", "下一篇：另一条新闻"),
        Link("http://a.cn/news/2022-04/26/content_10.htm", "上一篇"),
    ]
    assert continuation_pages(first, links) == [
        "http://a.cn/news/2022-04/26/content_9_2.htm",
        "http://a.cn/news/2022-04/26/content_9_3.htm",
    ]
    query = "http://a.cn/a/20220426/1.html?from=rss"
    assert continuation_pages(query, [Link("http://a.cn/a/20220426/1.html?from=rss&page=2", "2")]) == [
        "http://a.cn/a/20220426/1.html?from=rss&page=2"
    ]
    only_next = [Link("http://a.cn/a/20220426/p2-x.html", "下一页")]
    assert continuation_pages("http://a.cn/a/20220426/1.html", only_next) == ["http://a.cn/a/20220426/p2-x.html"]
    other_folder = [Link("http://a.cn/b/2.html", "下一页")]
    assert continuation_pages("http://a.cn/a/20220426/1.html", other_folder) == []


def test_page_two_knows_its_first_page():
    page2 = "http://a.cn/news/2022-04/26/content_9_2.htm"
    links = [Link("http://a.cn/news/2022-04/26/content_9.htm", "1"), Link("http://a.cn/", "首页")]
    assert first_page_of(page2, links) == "http://a.cn/news/2022-04/26/content_9.htm"
    assert first_page_of("http://a.cn/news/2022-04/26/content_9.htm", links) is None


def test_opaque_demo_urls_leave_the_decision_to_the_page():
    from newscrawl.demo import DemoSite

    site = DemoSite("http://127.0.0.1:1", "http://localhost:1", opaque_urls=True)
    truth = site.truth()
    articles = {a["url"] for a in truth["articles"]}
    for url in articles | set(truth["non_articles"]):
        assert classify_url(url) is None or url.endswith(":1/"), url  # the URL says nothing
        page = site.pages[url[len("http://127.0.0.1:1"):]]
        verdict = classify_page(page.body, url)
        assert (verdict.kind is PageType.ARTICLE) == (url in articles), (url, verdict)


def test_a_short_teaser_inside_a_list_item_is_not_an_article_body():
    summary = "这是一条新闻的摘要，介绍了活动的主要内容和参加单位的情况。" * 3
    html = (
        "<html><body><h1>标签：乡村振兴</h1><ul>"
        f'<li><a href="/x/1.html">乡村振兴工作推进会在青州市召开</a><span>2026-11-20</span><p>{summary}</p></li>'
        "</ul></body></html>"
    )
    assert classify_page(html, "http://a.cn/news/2026-11/20/content_12345.htm").kind is not PageType.ARTICLE


def test_xhtml_with_an_xml_declaration_parses_as_text_and_bytes():
    from newscrawl.extract.pagetype import parse

    page = '<?xml version="1.0" encoding="utf-8"?>\n<html><body><h1>标题</h1></body></html>'
    for form in (page, page.encode("utf-8")):
        tree = parse(form)
        assert tree is not None and tree.findtext(".//h1") == "标题"
