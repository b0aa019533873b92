"""extract_body on pages built for one layout class each: <br>-separated text in a layout table
or a <div>, one <div> per paragraph, <article>, hidden and scripted text, the headline as
the anchor, teaser lists, images."""

from __future__ import annotations

import pytest

from newscrawl.extract.body import Body, extract_body
from newscrawl.extract.dom import parse_html
from newscrawl.extract.profile import ExtractProfile

URL = "http://news.example.cn/html/2022/04/26/1.html"
TITLE = "大连市开展知识产权宣传周主题日活动"
LINES = [
    "中国质量新闻网讯 4月25日，第22个世界知识产权日到来之际，作为今年知识产权宣传周活动的重要内容，大连市举行宣传活动。",
    "市市场监管局、市委宣传部、市贸促会、市法院、市检察院等30余家成员单位，5家学校代表及各区市县企业代表参加了活动。",
    "去年，大连市获批国家级洁净能源知识产权运营中心，建立了市知识产权保护工作联盟，在知识产权领域收获颇丰。",
    "今年，要着重推进知识产权行政执法与司法保护有效衔接，精准开展知识产权保护专项行动，高质量推动知识产权创造和运用。",
]
NAV = "".join(f'<a href="/c/{i}.html">栏目{i}</a> | ' for i in range(12))
LINK_LIST = "".join(f'<li><a href="/a/{i}.html">大连市召开第{i}次知识产权工作推进会议</a></li>' for i in range(10))


def run(html: str, title: str | None = TITLE, rules: ExtractProfile | None = None) -> Body:
    tree = parse_html(html)
    assert tree is not None
    return extract_body(tree, url=URL, title=title, rules=rules or ExtractProfile())


def test_br_separated_text_in_layout_table():
    # A 2005-era portal: nav cell, content cell with <br><br> paragraphs, link cell.
    text = "<br><br>\n".join("　　" + line for line in LINES)
    html = (
        f"<html><body><table><tr><td colspan=3>{NAV}</td></tr>"
        f"<tr><td width=150><ul>{LINK_LIST}</ul></td>"
        f'<td><font size=4><b>{TITLE}</b></font><br>2022-04-26 11:01<br><font size=2>{text}</font></td>'
        f"<td><ul>{LINK_LIST}</ul></td></tr></table></body></html>"
    )
    assert run(html).paragraphs == LINES


def test_br_separated_text_in_div_with_wrapped_lines():
    # Source lines wrapped mid-sentence: the wrap is not a gap between hanzi.
    wrapped = [line[:20] + "\n" + line[20:] for line in LINES]
    html = f"<html><body><div>{NAV}</div><div id=text>{'<br/><br/>'.join(wrapped)}</div><div>{NAV}</div></body></html>"
    assert run(html).paragraphs == LINES


def test_one_div_per_paragraph_with_ads_between():
    blocks = "".join(
        f'<div class="para-wrap"><div class="para"><p>{line}</p></div></div><div class="slot">Advertisement</div>'
        for line in LINES
    )
    html = f"<html><body><div>{NAV}</div><h1>{TITLE}</h1><div class=story>{blocks}</div><ul>{LINK_LIST}</ul></body></html>"
    assert run(html).paragraphs == LINES


def test_article_beats_long_sidebar_summaries():
    teasers = "".join(
        f'<div class="card"><h3><a href="/a/{i}.html">另一条新闻标题第{i}条</a></h3>'
        f"<p>这是另一条新闻的摘要，内容与本文无关，只是一段较长的介绍文字，用来吸引读者点击第{i}条。</p></div>"
        for i in range(8)
    )
    html = (
        f"<html><body><h1>{TITLE}</h1><article>{''.join(f'<p>{x}</p>' for x in LINES)}</article>"
        f'<div class="more">{teasers}</div></body></html>'
    )
    assert run(html).paragraphs == LINES


def test_hidden_script_and_style_text_dropped():
    html = (
        f"<html><head><style>p{{color:red}}</style></head><body><h1>{TITLE}</h1><div>"
        f"<p>{LINES[0]}</p><script>document.write('脚本文字')</script>"
        f'<p style="display: none">隐藏段落的文字，任何情况下都不应该出现在正文中。隐藏段落的文字。</p>'
        f"<p hidden>另一段隐藏文字，也不应该出现在正文中，无论它有多长。</p>"
        f"<noscript>请启用脚本</noscript>{''.join(f'<p>{x}</p>' for x in LINES[1:])}</div></body></html>"
    )
    assert run(html).paragraphs == LINES


def test_headline_anchors_the_body():
    # Breadcrumb and date line sit in the same container above the headline.
    html = (
        f'<html><body><div class="main"><p>当前栏目：新闻中心 国内新闻 正文内容</p><p>浏览次数：1024</p>'
        f"<h2>{TITLE}</h2>{''.join(f'<p>{x}</p>' for x in LINES)}</div></body></html>"
    )
    assert run(html).paragraphs == LINES


def test_headline_in_a_header_element_is_found():
    html = (
        f"<html><body><header><nav>{NAV}</nav></header><main><header><h1>{TITLE}</h1></header>"
        f"{''.join(f'<p>{x}</p>' for x in LINES)}</main></body></html>"
    )
    assert run(html).paragraphs == LINES


def test_wrong_title_does_not_cut_the_body():
    html = f"<html><body><div>{''.join(f'<p>{x}</p>' for x in LINES)}</div><h3>网友评论</h3></body></html>"
    assert run(html, title="网友评论").paragraphs == LINES


def test_duplicate_headline_and_link_lines_inside_body_dropped():
    html = (
        f"<html><body><div><h1>{TITLE}</h1><p>{TITLE}</p>{''.join(f'<p>{x}</p>' for x in LINES)}"
        f'<p><a href="/tag/1">知识产权</a> <a href="/tag/2">大连</a> <a href="/tag/3">宣传周</a></p></div></body></html>'
    )
    assert run(html).paragraphs == LINES


def test_subheadings_and_quotes_kept_in_order():
    html = (
        f"<html><body><div><h1>{TITLE}</h1><p>{LINES[0]}</p><h2>保护力度不减</h2><p>{LINES[1]}</p>"
        f"<blockquote>“知识产权保护是创新的基础，我们一定要把这项工作做好做实。”</blockquote>"
        f"<p>{LINES[2]}</p><ul><li>第一，加强行政执法与司法保护衔接工作。</li><li>第二，推进知识产权金融创新工作。</li></ul>"
        f"<p>{LINES[3]}</p></div></body></html>"
    )
    assert run(html).paragraphs == [
        LINES[0], "保护力度不减", LINES[1], "“知识产权保护是创新的基础，我们一定要把这项工作做好做实。”",
        LINES[2], "第一，加强行政执法与司法保护衔接工作。", "第二，推进知识产权金融创新工作。", LINES[3],
    ]


def test_images_inside_body_are_absolute_and_outside_ones_are_not_listed():
    html = (
        f'<html><body><div class="logo"><img src="/img/logo.png"></div><div>{NAV}</div>'
        f"<div class=content><h1>{TITLE}</h1><p>{LINES[0]}</p>"
        f'<p><img src="../../pic/a.jpg" alt="活动现场"></p><p>{LINES[1]}</p>'
        f'<p><img data-src="//img.example.cn/b.jpg" src="data:image/gif;base64,R0lGOD"></p>'
        f'<p><img src="https://cdn.example.com/c.png"><img src="https://cdn.example.com/c.png"></p>'
        f"{''.join(f'<p>{x}</p>' for x in LINES[2:])}</div>"
        f'<div class="ad"><img src="/ads/banner.gif"></div></body></html>'
    )
    body = run(html)
    assert body.paragraphs == LINES
    assert body.images == [
        "http://news.example.cn/html/2022/pic/a.jpg",
        "http://img.example.cn/b.jpg",
        "https://cdn.example.com/c.png",
    ]


def test_english_article_with_byline_and_related():
    lines = [
        "The city council approved the new harbour plan on Tuesday evening, ending a debate that had lasted for more than two years.",
        "Supporters said the plan would bring jobs and new housing to the waterfront, while critics warned about rising costs.",
        "The mayor said construction could begin next spring, once the final permits have been granted.",
    ]
    html = (
        "<html><body><nav><a href='/'>Home</a><a href='/news'>News</a></nav><article>"
        "<h1>Council approves harbour plan</h1><p>Updated May 2, 2024</p>"
        f"{''.join(f'<p>{x}</p>' for x in lines)}<section><h2>Related stories</h2>"
        "<p>Harbour works delayed again after the storm damaged the old pier last winter, officials said.</p>"
        "</section></article></body></html>"
    )
    assert run(html, title="Council approves harbour plan").paragraphs == lines


def test_page_without_article_gives_empty_body():
    html = f"<html><body><div>{NAV}</div><ul>{LINK_LIST}</ul></body></html>"
    assert run(html).paragraphs == []


def test_profile_body_selector_overrides_the_choice():
    other = "".join(f"<p>{x}</p>" for x in LINES)
    html = f'<html><body><div id="a">{other}</div><div id="b"><p>{LINES[0]}</p></div></body></html>'
    assert run(html, rules=ExtractProfile(body="#b")).paragraphs == [LINES[0]]
    assert run(html, rules=ExtractProfile(body="//div[@id='b']")).paragraphs == [LINES[0]]


@pytest.mark.parametrize("depth", [300, 1500])
def test_deeply_nested_markup(depth):
    # Unclosed <font>/<div> tags nest deeply on old pages: libxml2 would silently drop
    # what lies deeper than 256 levels without huge_tree, and the walk has no recursion.
    html = "<html><body>" + "<div>" * depth + "".join(f"<p>{x}</p>" for x in LINES) + "</body></html>"
    assert run(html).paragraphs == LINES


def test_template_header_line_and_summary_box_above_body():
    html = (
        f"<html><body><div class=main><h1>{TITLE}</h1>"
        "<p>字号+ 作者：罗科苏盈来源：第一财经日报 2005-04-25 08:24 我要评论(</p><p>)</p>"
        f"<p>核心提示：{LINES[0][:40]}...</p>"
        f"{''.join(f'<p>{x}</p>' for x in LINES)}</div></body></html>"
    )
    assert run(html).paragraphs == LINES


def test_description_printed_as_lead_in_is_dropped_but_equal_captions_kept():
    caption = "5月19日，在多米尼加首都圣多明各，阿比纳德尔在竞选总部发表胜选演讲。"
    lead = (LINES[0] + LINES[1])[:70]
    html = (
        f"<html><body><div class=main><h1>{TITLE}</h1><div class=desc>{lead}</div>"
        f"{''.join(f'<p>{x}</p>' for x in LINES[:2])}<p>{caption}</p><p>{caption}</p>"
        f"{''.join(f'<p>{x}</p>' for x in LINES[2:])}</div></body></html>"
    )
    assert run(html).paragraphs == LINES[:2] + [caption, caption] + LINES[2:]


def test_captions_and_repeated_labels_dropped():
    html = (
        f"<html><body><article><h1>{TITLE}</h1>"
        + "".join(
            f'<div class="label">Article content</div><p>{x}</p>'
            f'<figure><img src="/p{i}.jpg"><figcaption>图为活动现场{i}。</figcaption></figure>'
            f'<p class="img-caption">摄影：记者王某{i}</p>'
            for i, x in enumerate(LINES)
        )
        + "</article></body></html>"
    )
    body = run(html)
    # A label repeated all through the article survives at most once.
    assert body.paragraphs.count("Article content") <= 1
    assert [p for p in body.paragraphs if p != "Article content"] == LINES
    assert body.images == [f"http://news.example.cn/p{i}.jpg" for i in range(4)]


def test_json_ld_article_body_when_the_page_renders_by_script():
    import json

    data = {"@context": "https://schema.org", "@graph": [
        {"@type": "WebPage", "name": "x"},
        {"@type": "NewsArticle", "headline": TITLE, "articleBody": "\n".join(LINES)},
    ]}
    html = (
        f'<html><head><script type="application/ld+json">{json.dumps(data, ensure_ascii=False)}</script>'
        f'</head><body><div id="root"></div><script>render()</script></body></html>'
    )
    assert run(html).paragraphs == LINES


def test_dom_text_wins_over_json_ld():
    import json

    data = {"@type": "NewsArticle", "articleBody": "JSON-LD 里的摘要文字，比正文短得多。"}
    html = (
        f'<html><head><script type="application/ld+json">{json.dumps(data, ensure_ascii=False)}</script></head>'
        f"<body><h1>{TITLE}</h1>{''.join(f'<p>{x}</p>' for x in LINES)}</body></html>"
    )
    assert run(html).paragraphs == LINES


def test_streamed_hidden_content_is_read_when_nothing_else_is_there():
    # React streaming SSR sends late content in <div hidden> and moves it with a script.
    html = (
        f"<html><body><div id=app><h1>{TITLE}</h1><template id=B:0></template></div>"
        f"<div hidden id=S:0>{''.join(f'<p>{x}</p>' for x in LINES)}</div></body></html>"
    )
    assert run(html).paragraphs == LINES


def test_article_hidden_until_a_script_lays_it_out():
    # WeChat-style: the text sits in a visibility:hidden container beside a QR prompt.
    html = (
        f"<html><body><h1>{TITLE}</h1><div class=profile>微信扫一扫关注该公众号，获取更多知识产权资讯和活动信息。</div>"
        f'<div id="js_content" style="visibility: hidden; opacity: 0;">'
        f"{''.join(f'<p>{x}</p>' for x in LINES)}</div></body></html>"
    )
    assert run(html).paragraphs == LINES


def test_preformatted_text_keeps_its_lines():
    html = f"<html><body><div>{NAV}</div><h1>{TITLE}</h1><pre>{chr(10).join(LINES)}\n</pre><div>{NAV}</div></body></html>"
    assert run(html).paragraphs == LINES


def test_data_table_rows_read_as_lines():
    rows = [("Pos.", "Piloto", "Pontos"), ("1", "Kyle Busch", "5040"), ("2", "Martin Truex Jr.", "5035")]
    table = "".join(
        f'<tr class="row player-{i}">' + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for i, row in enumerate(rows)
    )
    html = (
        f"<html><body><div>{NAV}</div><div class=post><h1>{TITLE}</h1><p>{LINES[0]}</p>"
        f"<table><tbody>{table}</tbody></table><p>{LINES[1]}</p></div></body></html>"
    )
    assert run(html).paragraphs == [LINES[0], *(" | ".join(row) for row in rows), LINES[1]]


def test_images_in_furniture_inside_the_body_and_pixels_are_not_listed():
    html = (
        f"<html><body><article><h1>{TITLE}</h1><p>{LINES[0]}</p><p><img src='/a.jpg'></p>"
        f"<div class='share-bar'><img src='/icons/weixin.png'><img src='/icons/weibo.png'></div>"
        f"<p><img src='/t.gif' width='1' height='1'></p>{''.join(f'<p>{x}</p>' for x in LINES[1:])}"
        f"</article></body></html>"
    )
    body = run(html)
    assert body.paragraphs == LINES
    assert body.images == ["http://news.example.cn/a.jpg"]


def test_bad_profile_rules_and_addresses_do_not_raise():
    html = f"<html><body><h1>{TITLE}</h1>{''.join(f'<p>{x}</p>' for x in LINES)}<p><img src='http://[bad'></p></body></html>"
    rules = ExtractProfile(body="(((", drop_selectors=("[[bad",), drop_text=("(unclosed", "^（完）$"))
    body = run(html, rules=rules)
    assert body.paragraphs == LINES
    assert body.images == []


def test_sentence_with_a_long_link_is_kept_link_lines_are_not():
    linked = (
        '<p><a href="/a/9.html">大连市市场监管局局长王聚在今年的知识产权宣传周主题日活动上作了重要讲话</a>，'
        "强调要着重推进知识产权行政执法与司法保护有效衔接。</p>"
    )
    html = (
        f"<html><body><div class=main><h1>{TITLE}</h1><p>{LINES[0]}</p>{linked}"
        f'<p><a href="/a/10.html">推荐：大连海关开展知识产权保护专项行动</a></p>'
        f"{''.join(f'<p>{x}</p>' for x in LINES[1:])}</div></body></html>"
    )
    paragraphs = run(html).paragraphs
    assert paragraphs[0] == LINES[0]
    assert paragraphs[1].startswith("大连市市场监管局局长王聚") and paragraphs[1].endswith("有效衔接。")
    assert paragraphs[2:] == LINES[1:]


def test_framework_hidden_classes():
    html = (
        f"<html><body><article><h1>{TITLE}</h1>"
        f'<div class="card hidden aria-expanded:block"><p>这是自动生成的摘要，默认折叠不显示，不属于正文内容，不应出现。</p></div>'
        f'<p class="sr-only">屏幕阅读器专用的提示文字，页面上不可见，不应出现在正文里面。</p>'
        f'<div class="hidden md:block">{"".join(f"<p>{x}</p>" for x in LINES)}</div>'
        f'<div class="overflow-hidden"><p>最后一段，类名里带有 hidden 字样但并不隐藏，应当保留在正文之中。</p></div>'
        f"</article></body></html>"
    )
    assert run(html).paragraphs == [*LINES, "最后一段，类名里带有 hidden 字样但并不隐藏，应当保留在正文之中。"]


def test_list_page_of_teasers_is_not_an_article():
    from newscrawl import extract_article

    cards = "".join(
        f'<li><h3><a href="/a/{i}.html">大连市召开第{i}次知识产权工作推进会议并部署下一步工作</a></h3>'
        f"<p>会议指出，要进一步加强知识产权保护工作，推动高质量发展，这是第{i}条新闻的摘要。</p></li>"
        for i in range(12)
    )
    html = f"<html><head><title>新闻中心</title></head><body><div>{NAV}</div><h1>新闻中心</h1><ul>{cards}</ul></body></html>"
    assert run(html, title="新闻中心").paragraphs == []
    assert extract_article(html.encode("utf-8"), url="http://news.example.cn/list/") is None


def test_short_article_with_teaser_list_in_the_same_container_is_kept():
    cards = "".join(
        f'<h3><a href="/a/{i}.html">大连市召开第{i}次知识产权工作推进会议并部署下一步工作</a></h3>'
        f"<p>会议指出，要进一步加强知识产权保护工作，推动高质量发展，这是第{i}条新闻的摘要。</p>"
        for i in range(8)
    )
    html = f"<html><body><div class=main><h1>{TITLE}</h1>{''.join(f'<p>{x}</p>' for x in LINES[:3])}{cards}</div></body></html>"
    assert run(html).paragraphs[:3] == LINES[:3]


def test_standfirst_between_headline_and_text_is_kept_header_lines_and_captions_are_not():
    # News templates print the lead in the article header, apart from the text block,
    # with the date/credit line and the lead photo's caption beside it.
    lead = "大连市以宣传周为契机，推进知识产权保护与运用，全市三十余家单位参加了主题日活动。"
    text = [f"{line}（第{number}段）" for number, line in enumerate(LINES * 3)]
    html = (
        f"<html><body><div>{NAV}</div><div class=main><div class=top><h1>{TITLE}</h1>"
        f'<p class="lead">{lead}</p><div class="meta">2022-04-26 11:01 来源：中国质量新闻网</div>'
        f'<figure><img src="/a.jpg"><p>活动现场，市民在展台前了解知识产权保护知识，工作人员现场解答问题。</p></figure>'
        f"<ul><li>要点：大连市获批国家级洁净能源知识产权运营中心，建立保护工作联盟</li></ul></div>"
        f"<div class=text>{''.join(f'<p>{line}</p>' for line in text)}</div></div>"
        f"<ul>{LINK_LIST}</ul></body></html>"
    )
    assert run(html).paragraphs == [lead, *text]


def test_lead_repeating_the_opening_is_not_printed_twice():
    text = [f"{line}（第{number}段）" for number, line in enumerate(LINES * 3)]
    html = (
        f"<html><body><div class=main><div class=top><h1>{TITLE}</h1><p class=intro>{text[0]}</p></div>"
        f"<div class=text>{''.join(f'<p>{line}</p>' for line in text)}</div></div></body></html>"
    )
    assert run(html).paragraphs == text
