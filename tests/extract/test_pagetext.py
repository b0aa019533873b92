"""The page's lines of text: read by page_lines alone, and in the body's walk (walk_page)
for extraction. Both must give the same lines, whatever the body walk skips."""

from __future__ import annotations

import pytest

from newscrawl.extract.body import walk_page
from newscrawl.extract.core import parse_page
from newscrawl.extract.pagetext import MAX_LINES, page_lines
from newscrawl.extract.profile import ExtractProfile

PAGES = {
    "article": "<html><head><title>T</title></head><body><h1>标题</h1><div class=info>时间:2026-01-02"
               " 来源:某报</div><p>第一段。</p><p>第二段 <a href=/x>链接</a> 后文。</p></body></html>",
    "furniture": "<html><body><nav><a href=/>首页</a> <a href=/n>新闻</a></nav><article><h2>Head</h2>"
                 "<p>Text one.</p><aside>Related <b>item</b></aside>tail text<p>Text two.</p></article>"
                 "<footer>© site <span>2026</span></footer>after</body></html>",
    "hidden": "<html><body><div style='display:none'>hidden <p>inner</p> text</div><div hidden>"
              "also hidden</div><p class=hide>x</p><p>shown</p></body></html>",
    "forms": "<html><body><form>Label <select><option>One</option><option>Two</option></select>"
             "<textarea>typed</textarea><button>Go</button><label>lab</label></form><p>p</p></body></html>",
    "hidden body": "<html><body style='display:none'>lead <p>para</p> end</body></html>",
    "scripts": "<html><body>a<script>var x;</script>b<style>p{}</style>c<figure><img src=a.jpg>"
               "<figcaption>cap <i>it</i></figcaption></figure>d<br>e</body></html>",
    "text around body": "<html>before<body>in body<div>block</div>tail of block</body>after</html>",
}


@pytest.mark.parametrize("name", sorted(PAGES))
def test_the_walk_reads_the_same_lines_as_page_lines(name):
    tree = parse_page(PAGES[name]).tree
    expected = [(line.text, line.element, line.heading) for line in page_lines(tree)]
    walked = [(line.text, line.element, line.heading) for line in walk_page(tree, rules=ExtractProfile()).lines]
    assert walked == expected
    assert expected  # every page above has some text


def test_the_same_lines_with_a_profile_dropping_parts_and_up_to_the_limit():
    rows = "".join(f"<p>line {n}</p><nav>menu {n}</nav>" for n in range(MAX_LINES // 2 + 50))
    tree = parse_page(f"<html><body><div class=ad>advert</div>{rows}</body></html>").tree
    expected = [(line.text, line.element) for line in page_lines(tree)]
    rules = ExtractProfile(drop_selectors=[".ad"])
    walked = [(line.text, line.element) for line in walk_page(tree, rules=rules).lines]
    assert walked == expected
    assert MAX_LINES <= len(expected) <= MAX_LINES + 1
    assert expected[0][0] == "advert"  # dropped from the body, still a line of the page


def test_a_profile_body_element_still_gets_the_whole_page_s_lines():
    tree = parse_page("<html><body><p>outside</p><div id=main><p>inside</p></div></body></html>").tree
    walk = walk_page(tree, rules=ExtractProfile(body="#main"))
    assert [line.text for line in walk.lines] == ["outside", "inside"]
    assert [b.text for b in walk.page.blocks] == ["inside"]
