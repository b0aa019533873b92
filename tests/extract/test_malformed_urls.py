"""Malformed addresses in a page (or as the page's URL) never make extraction raise."""

import pytest

from newscrawl import extract_article
from newscrawl.extract.pagetype import page_links, parse

BAD = ["http://[bad", "http://host:99999/x", "http://[::1/x", "//[", "https://a.example:port/"]
BODY = "<p>" + "这是一段足够长的新闻正文内容，用来确认提取仍然完成。" * 6 + "</p>"


@pytest.mark.parametrize("bad", BAD)
def test_bad_links_in_head_and_body(bad):
    html = (f'<html><head><title>标题_网站</title><link rel="canonical" href="{bad}">'
            f'<meta property="og:url" content="{bad}"><base href="{bad}"></head><body>'
            f'<h1>城市公园完成改造重新开放</h1><div class="content">{BODY}{BODY}'
            f'<img src="{bad}"><a href="{bad}">链接</a></div></body></html>')
    article = extract_article(html.encode("utf-8"), url="http://news.example.cn/a/2026/1.html")
    assert article is not None
    assert article.title == "城市公园完成改造重新开放"
    assert article.canonical_url == "http://news.example.cn/a/2026/1.html"
    assert bad not in article.images
    links = page_links(parse(html), "http://news.example.cn/a/2026/1.html")
    assert all(link.url.startswith("http://news.example.cn/") for link in links)


@pytest.mark.parametrize("bad", BAD)
def test_bad_page_url(bad):
    html = f"<html><body><h1>城市公园完成改造重新开放</h1>{BODY}{BODY}</body></html>"
    article = extract_article(html.encode("utf-8"), url=bad)
    assert article is not None
    if "[" in bad:  # no host can be read from it
        assert article.site is None
