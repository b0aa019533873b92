"""Page classes the shared corpus has few or none of, each built in code (invented text).

Every test checks every field the page gives, and the empty ones as empty: the held-out
pages come from sites never seen, so these are templates of common CMSs and page types
(WordPress, Drupal, AMP, Chinese government sites, 新浪/网易-style portals, DedeCMS /
PHPCMS defaults, table-layout portals, Japanese, Korean and German news).
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from newscrawl import extract_article
from newscrawl.extract import dates

CST = timezone(timedelta(hours=8))
FETCHED = datetime(2026, 11, 25, 10, 0, tzinfo=CST)


def page(body: str, *, head: str = "", lang: str | None = None, charset: str = "utf-8",
         html_attrs: str = "") -> str:
    lang_attr = f' lang="{lang}"' if lang else ""
    return (f'<!DOCTYPE html>\n<html{lang_attr}{html_attrs}>\n<head>\n<meta charset="{charset}">\n{head}\n</head>\n'
            f"<body>\n{body}\n</body>\n</html>")


def paras(items: list[str]) -> str:
    return "\n".join(f"<p>{p}</p>" for p in items)


def check(article, **expected) -> None:
    """Every field named must be as expected; the credits default to empty."""
    assert article is not None
    expected.setdefault("authors", [])
    expected.setdefault("source", None)
    expected.setdefault("editor", None)
    expected.setdefault("tags", [])
    expected.setdefault("section", [])
    expected.setdefault("images", [])
    when = expected.get("published_at")
    if when is not None and len(when) == 10:
        # A date alone: the record gives its midnight and says the precision is a day.
        assert article.published_precision == "day", article.published_at
        assert article.published_date == when
        assert article.published_at.startswith(when + "T00:00:00")
        del expected["published_at"]
    for name, value in expected.items():
        assert getattr(article, name) == value, (name, getattr(article, name))


# ---- English: WordPress, Drupal, AMP --------------------------------------------------

WP_PARAS = [
    "The harbour board approved a plan on Thursday to replace the ageing ferry fleet with "
    "three battery-powered vessels, ending a debate that has run for almost four years.",
    "Board chair Lena Ortiz said the first boat would enter service in the spring of 2028, "
    "with the others following at six-month intervals as crews finish their training.",
    "Critics had argued that the charging stations would overload the island's grid, but an "
    "independent study found that overnight charging would stay well within its capacity.",
]
WP_COMMENTS = [
    "I have taken this ferry every day for twenty years and I am glad something is finally "
    "being done about the noise and the smell of the old engines.",
    "Who is going to pay for the new charging stations? The article does not say, and the "
    "board has not answered that question at any of its public meetings.",
]


def wordpress_page() -> str:
    comments = "\n".join(
        f'<li class="comment"><article class="comment-body"><footer class="comment-meta">'
        f'<b class="fn">Reader {i}</b> <time datetime="2026-11-06T08:0{i}:00-05:00">November 6, 2026</time></footer>'
        f'<div class="comment-content"><p>{text}</p></div></article></li>'
        for i, text in enumerate(WP_COMMENTS)
    )
    body = f"""
<header id="masthead" class="site-header"><p class="site-title"><a href="/">Bayside Courier</a></p>
<nav class="main-navigation"><ul><li><a href="/news/">News</a></li><li><a href="/sports/">Sports</a></li></ul></nav></header>
<div id="primary" class="content-area"><main id="main" class="site-main">
<article id="post-4711" class="post-4711 post type-post status-publish format-standard hentry category-local">
<header class="entry-header"><h1 class="entry-title">Harbour board votes to replace ferry fleet</h1>
<div class="entry-meta"><span class="byline"> By <span class="author vcard"><a class="url fn n" href="/author/mhale/">Marcus Hale</a></span></span>
<span class="posted-on">Posted on <a href="/2026/11/05/harbour-ferry/" rel="bookmark"><time class="entry-date published" datetime="2026-11-05T09:30:00-05:00">November 5, 2026</time></a></span></div>
</header>
<div class="entry-content">
{paras(WP_PARAS)}
<div class="sharedaddy sd-sharing-enabled"><h3 class="sd-title">Share this:</h3><ul><li><a href="#">Facebook</a></li><li><a href="#">X</a></li></ul></div>
</div>
<footer class="entry-footer"><span class="cat-links">Posted in <a href="/category/local/" rel="category tag">Local</a></span>
<span class="tags-links">Tags: <a href="/tag/ferries/" rel="tag">ferries</a>, <a href="/tag/energy/" rel="tag">energy</a></span></footer>
</article>
<nav class="navigation post-navigation"><div class="nav-previous"><a href="/2026/11/04/x/">Previous: School budget passes</a></div></nav>
<div id="comments" class="comments-area"><h2 class="comments-title">2 thoughts on &ldquo;Harbour board votes to replace ferry fleet&rdquo;</h2>
<ol class="comment-list">{comments}</ol>
<div id="respond" class="comment-respond"><h3>Leave a Reply</h3><form><textarea></textarea></form></div></div>
</main></div>
<aside id="secondary" class="widget-area"><section class="widget"><h2>Recent Posts</h2><ul><li><a href="/a">Town hall reopens after repairs</a></li></ul></section></aside>
<footer id="colophon" class="site-footer">&copy; 2026 Bayside Courier. Proudly powered by WordPress</footer>
"""
    head = ('<title>Harbour board votes to replace ferry fleet &#8211; Bayside Courier</title>\n'
            '<meta property="og:site_name" content="Bayside Courier">')
    return page(body, head=head, lang="en-US")


def test_wordpress_post_with_byline_time_tags_and_comments():
    art = extract_article(wordpress_page(), url="https://baysidecourier.example/2026/11/05/harbour-ferry/",
                          fetched_at=FETCHED)
    check(art, title="Harbour board votes to replace ferry fleet", body="\n\n".join(WP_PARAS),
          published_at="2026-11-05T09:30:00-05:00", authors=["Marcus Hale"], tags=["ferries", "energy"],
          language="en-US")


def test_wordpress_post_without_url_gives_the_same_record():
    with_url = extract_article(wordpress_page(), url="https://baysidecourier.example/2026/11/05/harbour-ferry/")
    without = extract_article(wordpress_page())
    assert without is not None and with_url is not None
    for name in ("title", "body", "published_at", "authors", "tags", "source", "editor", "language"):
        assert getattr(without, name) == getattr(with_url, name), name


DRUPAL_PARAS = [
    "Volunteers planted more than two thousand native trees along the river bank last "
    "weekend, the largest single planting the conservation trust has organised so far.",
    "The trust hopes the new trees will shade the water in summer and help the trout "
    "population recover after three unusually warm years in a row.",
]


def test_drupal_node_with_submitted_by_line():
    body = f"""
<div class="layout-container"><header role="banner"><div class="site-branding__name"><a href="/">Riverside Post</a></div></header>
<nav role="navigation" class="menu--main"><ul><li><a href="/news">News</a></li></ul></nav>
<main role="main"><div class="region region-content">
<article role="article" about="/node/1234" class="node node--type-article node--view-mode-full">
<h1 class="page-title"><span class="field field--name-title">Volunteers plant two thousand trees by the river</span></h1>
<footer class="node__meta"><div class="node__submitted">Submitted by <span class="field--name-uid"><span>Priya Raman</span></span>
on <span class="field--name-created"><time datetime="2026-11-05T14:30:00Z">Thu, 11/05/2026 - 14:30</time></span></div></footer>
<div class="node__content"><div class="clearfix text-formatted field field--name-body field--type-text-with-summary field--label-hidden field__item">
{paras(DRUPAL_PARAS)}
</div>
<div class="field field--name-field-tags field--type-entity-reference"><div class="field__label">Tags</div>
<div class="field__items"><div class="field__item"><a href="/taxonomy/term/3">Environment</a></div></div></div>
</div></article></div></main>
<footer role="contentinfo" class="site-footer">Riverside Post &middot; Contact &middot; Privacy</footer></div>
"""
    head = "<title>Volunteers plant two thousand trees by the river | Riverside Post</title>"
    art = extract_article(page(body, head=head, lang="en"), url="https://riversidepost.example/node/1234")
    check(art, title="Volunteers plant two thousand trees by the river", body="\n\n".join(DRUPAL_PARAS),
          published_at="2026-11-05T14:30:00+00:00", authors=["Priya Raman"], language="en",
          tags=["Environment"])  # the node's tags field, shown under the body


AMP_PARAS = [
    "City officials confirmed on Wednesday that the main library will stay open until "
    "midnight during the exam season, a trial that students have requested for years.",
    "The extra hours will be staffed by volunteers from the university, and the city will "
    "review attendance figures in February before deciding whether to keep the schedule.",
]


def test_amp_page_with_json_ld():
    ld = ('{"@context":"https://schema.org","@type":"NewsArticle","headline":"Library to stay open until midnight",'
          '"datePublished":"2026-11-04T16:05:00+00:00","author":[{"@type":"Person","name":"Tom Becker"}],'
          '"publisher":{"@type":"Organization","name":"Metro Daily"}}')
    body = f"""
<header class="amp-header"><a href="/">Metro Daily</a><amp-social-share type="twitter"></amp-social-share></header>
<article class="amp-article">
<h1 class="amp-title">Library to stay open until midnight</h1>
<div class="amp-byline">By Tom Becker | <time datetime="2026-11-04T16:05:00Z">Nov 4, 2026</time></div>
<amp-img src="/img/library.jpg" width="800" height="450" layout="responsive" alt=""></amp-img>
<div class="amp-article-body">
{paras(AMP_PARAS)}
<amp-ad width="300" height="250" type="doubleclick" data-slot="/123/amp"></amp-ad>
</div></article>
<footer class="amp-footer">&copy; 2026 Metro Daily</footer>
"""
    head = (f'<title>Library to stay open until midnight - Metro Daily</title>\n'
            f'<link rel="canonical" href="https://metrodaily.example/news/library-midnight">\n'
            f'<script type="application/ld+json">{ld}</script>')
    art = extract_article(page(body, head=head, lang="en", html_attrs=" amp"),
                          url="https://metrodaily.example/amp/news/library-midnight")
    check(art, title="Library to stay open until midnight", body="\n\n".join(AMP_PARAS),
          published_at="2026-11-04T16:05:00+00:00", authors=["Tom Becker"], language="en",
          images=["https://metrodaily.example/img/library.jpg"])
    assert art.canonical_url == "https://metrodaily.example/news/library-midnight"


# ---- Chinese: government site, portals, CMS defaults ----------------------------------

GOV_PARAS = [
    "为切实做好今冬明春供暖保障工作，市住房和城乡建设局近日召开专题会议，"
    "部署全市供暖设施检修、燃料储备和应急处置等各项准备工作。",
    "会议要求各供热企业在十一月十日前完成管网试压和设备调试，确保按时供暖、"
    "稳定供暖，对群众反映的问题做到件件有回音、事事有着落。",
    "市民如遇室温不达标等情况，可拨打供暖服务热线反映，相关单位将在二十四小时内上门处理。",
]


def test_government_site_article():
    body = f"""
<div class="top"><img src="/images/logo.png" alt="某某市人民政府"></div>
<div class="nav"><a href="/">首页</a><a href="/zwgk/">政务公开</a><a href="/hdjl/">互动交流</a></div>
<div class="position">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk/">政务公开</a> &gt; <a href="/zwgk/tzgg/">通知公告</a></div>
<div class="main">
<div class="article_title">市住房和城乡建设局部署今冬供暖保障工作</div>
<div class="article_info">信息来源：市住房和城乡建设局　　发布日期：2026-11-05　　浏览次数：<span id="hits">128</span>　　字号：[ <a href="#">大</a> <a href="#">中</a> <a href="#">小</a> ]</div>
<div class="TRS_Editor">
{paras(GOV_PARAS)}
</div>
<div class="article_tools">【<a href="javascript:window.print()">打印本页</a>】　【<a href="javascript:window.close()">关闭窗口</a>】</div>
</div>
<div class="footer">主办单位：某某市人民政府办公室　网站标识码：1234567890　备案号：某ICP备12345678号</div>
"""
    head = "<title>某某市人民政府</title>"
    art = extract_article(page(body, head=head, lang="zh-CN"), url="http://www.mouxx.gov.cn/zwgk/tzgg/202611/t20261105_98765.html",
                          fetched_at=FETCHED)
    check(art, title="市住房和城乡建设局部署今冬供暖保障工作", body="\n\n".join(GOV_PARAS),
          published_at="2026-11-05", source="市住房和城乡建设局", section=["政务公开", "通知公告"],
          language="zh-CN")


SINA_PARAS = [
    "记者从省交通运输厅获悉，全省首条跨海隧道主体工程日前全线贯通，"
    "预计明年下半年建成通车，届时两岸通行时间将由一小时缩短至十五分钟。",
    "隧道全长约八点六公里，采用双向六车道设计。施工单位介绍，"
    "海底段穿越多处断层破碎带，建设者先后攻克了高压涌水等多项技术难题。",
]


def test_sina_style_portal_with_original_title_and_editor_footer():
    body = f"""
<div class="top-bar"><a href="/">新闻首页</a> <a href="/china/">国内</a></div>
<div class="main-content w1240">
<h1 class="main-title">全省首条跨海隧道全线贯通</h1>
<div class="top-bar-wrap"><div class="date-source"><span class="date">2026年11月05日 09:30</span>
<a href="http://www.example-economy.cn/" class="source" target="_blank">中国经济网</a></div></div>
<div class="article" id="article">
<p>原标题：跨海隧道全线贯通 明年有望通车</p>
{paras(SINA_PARAS)}
<p class="article-editor">责任编辑：王小明 </p>
</div>
<div class="article-bottom"><div class="keywords" id="keywords">文章关键词： <a href="#">跨海隧道</a> <a href="#">交通</a></div></div>
<div class="blk-related"><h3>相关新闻</h3><ul><li><a href="/a.shtml">沿海高速公路扩容工程启动</a></li></ul></div>
</div>
"""
    head = '<title>全省首条跨海隧道全线贯通|隧道_新浪新闻</title>\n<meta property="og:site_name" content="新浪新闻">'
    art = extract_article(page(body, head=head), url="https://news.portal-example.com.cn/c/2026-11-05/doc-abcdefg1234567.shtml",
                          fetched_at=FETCHED)
    check(art, title="全省首条跨海隧道全线贯通", body="\n\n".join(SINA_PARAS),
          published_at="2026-11-05T09:30:00", source="中国经济网", editor="王小明",
          tags=["跨海隧道", "交通"], language="zh")


NETEASE_PARAS = [
    "今年以来，我市新增城市绿道一百二十公里，串联起沿江公园、湿地和老城区街巷，"
    "市民步行十五分钟即可抵达一处绿道入口。",
    "市园林部门表示，下一步将在绿道沿线增设休憩驿站和公共卫生间，"
    "并通过小程序实时发布各段绿道的客流情况。",
]


def test_netease_style_portal_with_author_and_coded_editor():
    body = f"""
<div class="post_main">
<h1 class="post_title">今年新增城市绿道一百二十公里</h1>
<div class="post_info">2026-11-05 09:30:12　来源: <a href="https://www.thepaper-example.cn/">澎湃新闻</a></div>
<div class="post_body">
{paras(NETEASE_PARAS)}
<p class="f_center"><img src="//cms-bucket.example.net/2026/1105/abc.jpeg"></p>
<div class="post_author">本文来源：澎湃新闻 作者：李华 <br>责任编辑：张伟_NE0011</div>
</div>
<div class="post_next"><a href="#">下一篇：江滩公园夜景灯光秀本周末开演</a></div>
</div>
"""
    head = "<title>今年新增城市绿道一百二十公里_网易新闻</title>"
    art = extract_article(page(body, head=head), url="https://www.portal-example.com/news/article/ABCDEF123456.html",
                          fetched_at=FETCHED)
    check(art, title="今年新增城市绿道一百二十公里", body="\n\n".join(NETEASE_PARAS),
          # A .com host and no profile: the page's wall-clock time, no offset guessed.
          published_at="2026-11-05T09:30:12", source="澎湃新闻", authors=["李华"], editor="张伟",
          images=["https://cms-bucket.example.net/2026/1105/abc.jpeg"], language="zh")


DEDE_PARAS = [
    "本周六上午，市图书馆将举办冬季读书分享会，邀请三位本地作家与读者面对面交流创作经历，"
    "活动免费开放，名额有限，需提前在官网预约。",
    "图书馆工作人员介绍，分享会结束后还将举行新书签售，现场购书的读者可获赠纪念书签一枚。",
]


@pytest.mark.parametrize("defaults", [
    "<small>时间:</small>2026-11-05 09:30<small>来源:</small>未知<small>作者:</small>admin<small>点击:</small>"
    "<script src='/plus/count.php?aid=123'></script>次",
    "发布时间：2026-11-05 09:30:00 &nbsp; 来源：本站 &nbsp; 作者：管理员 &nbsp; 浏览：<span id='hits'>5</span>",
    "2026-11-05 09:30 来源：网络 作者：佚名 阅读：",
    "2026-11-05 09:30 来源：未知来源 作者：webmaster",
    "2026-11-05 09:30 来源：本站整理 作者：本站编辑",
])
def test_cms_default_source_and_author_are_not_reported(defaults):
    body = f"""
<div class="place">当前位置：<a href="/">主页</a> &gt; <a href="/news/">新闻动态</a> &gt;</div>
<div class="viewbox">
<div class="title"><h2>市图书馆本周六举办冬季读书分享会</h2></div>
<div class="info">{defaults}</div>
<div class="content"><table width="100%"><tr><td>
{paras(DEDE_PARAS)}
</td></tr></table></div>
<div class="context"><ul><li>上一篇：<a href="/news/122.html">社区开展消防安全演练</a></li><li>下一篇：没有了</li></ul></div>
</div>
"""
    head = '<title>市图书馆本周六举办冬季读书分享会_新闻动态_某某文化网</title>\n<meta name="keywords" content="" />'
    art = extract_article(page(body, head=head, charset="gb2312").encode("gbk"),
                          url="http://www.wenhua-example.cn/news/123.html", fetched_at=FETCHED)
    check(art, title="市图书馆本周六举办冬季读书分享会", body="\n\n".join(DEDE_PARAS),
          published_at="2026-11-05T09:30:00", section=["新闻动态"], language="zh")


TABLE_LINES = [
    "本报讯 十一月四日，县农业农村局组织技术人员深入各乡镇，指导农户做好冬小麦田间管理工作。",
    "技术人员提醒，近期气温波动较大，农户要及时浇灌越冬水，防止麦苗受冻，同时注意防治病虫害。",
    "据统计，全县今年冬小麦播种面积达十二万亩，目前出苗率在九成以上，长势总体良好。",
]


def test_old_portal_table_layout_with_br_separated_body():
    body = f"""
<table width="980" align="center"><tr><td><img src="/images/banner.gif" width="980" height="90"></td></tr></table>
<table width="980" align="center"><tr>
<td width="220" valign="top" class="left"><table><tr><td class="lm">栏目导航</td></tr>
<tr><td><a href="/list.asp?id=1">县内新闻</a><br><a href="/list.asp?id=2">通知公告</a><br><a href="/list.asp?id=3">政策法规</a></td></tr></table></td>
<td width="760" valign="top">
<table width="100%"><tr><td height="40" align="center"><font size="5"><b>县农业农村局指导冬小麦田间管理</b></font></td></tr>
<tr><td align="center" class="hui">作者：刘建国　　来源：某某县报　　发布时间：2026-11-05 16:20:00　　点击数：86</td></tr>
<tr><td class="content">&nbsp;&nbsp;&nbsp;&nbsp;{TABLE_LINES[0]}<br><br>&nbsp;&nbsp;&nbsp;&nbsp;{TABLE_LINES[1]}<br><br>&nbsp;&nbsp;&nbsp;&nbsp;{TABLE_LINES[2]}<br></td></tr>
<tr><td align="right">【<a href="javascript:window.print()">打印此文</a>】【<a href="javascript:window.close()">关闭窗口</a>】</td></tr>
</table></td></tr></table>
<table width="980" align="center"><tr><td align="center">版权所有：某某县人民政府 技术支持：某某网络</td></tr></table>
"""
    head = "<title>某某县人民政府网</title>"
    art = extract_article(page(body, head=head, charset="gbk").encode("gbk"),
                          url="http://www.xian-example.gov.cn/show.asp?id=2231", fetched_at=FETCHED)
    check(art, title="县农业农村局指导冬小麦田间管理", body="\n\n".join(TABLE_LINES),
          published_at="2026-11-05T16:20:00", source="某某县报", authors=["刘建国"], language="zh")


LONG_LIST_PARAS = [
    "The regional transport authority will add forty new buses to its fleet next year, "
    "most of them on routes that connect the suburbs with the two main hospitals.",
    "Passenger numbers have risen by a fifth since fares were cut in the spring, and "
    "several routes have been running at full capacity during the morning rush hour.",
    "The authority said drivers for the new buses would be hired from January onwards.",
]


def test_long_related_list_inside_the_article_container():
    related = "\n".join(f'<li><a href="/news/{i}">Transport story number {i} about roads, rails and regional plans</a></li>'
                        for i in range(40))
    body = f"""
<div class="story-container">
<h1>Forty new buses for suburban routes</h1>
<p class="dateline">Published: Nov 5, 2026, 9:30 a.m. ET</p>
{paras(LONG_LIST_PARAS)}
<ul class="links">{related}</ul>
</div>
"""
    art = extract_article(page(body, head="<title>Forty new buses for suburban routes</title>", lang="en"),
                          url="https://transit-news.example/story/forty-buses", fetched_at=FETCHED)
    check(art, title="Forty new buses for suburban routes", body="\n\n".join(LONG_LIST_PARAS),
          published_at="2026-11-05T09:30:00-05:00", language="en")


GALLERY_PARAS = [
    "Thousands of visitors came to the old harbour on Saturday to watch the annual "
    "lantern parade, which returned this year after the quay was rebuilt.",
    "The organisers said more than two hundred lanterns had been made by local schools "
    "and clubs, the largest number since the parade began.",
]


def test_photo_gallery_with_captions():
    figures = "\n".join(
        f'<figure class="gallery-item"><img src="/photos/lantern-{i}.jpg" width="640" height="400">'
        f"<figcaption>Lantern number {i} is carried along the quay by pupils of the harbour school.</figcaption></figure>"
        for i in range(1, 4)
    )
    body = f"""
<article>
<h1>Lantern parade returns to the old harbour</h1>
<div class="meta">By Sofia Lind · 5 November 2026</div>
<div class="article-body">
<p>{GALLERY_PARAS[0]}</p>
<div class="gallery">{figures}</div>
<p>{GALLERY_PARAS[1]}</p>
</div></article>
"""
    art = extract_article(page(body, head="<title>Lantern parade returns to the old harbour | Harbour Times</title>",
                               lang="en-GB"), url="https://harbourtimes.example/lantern-parade")
    check(art, title="Lantern parade returns to the old harbour", body="\n\n".join(GALLERY_PARAS),
          published_at="2026-11-05", authors=["Sofia Lind"], language="en-GB",
          images=[f"https://harbourtimes.example/photos/lantern-{i}.jpg" for i in range(1, 4)])


NO_H1_PARAS = [
    "区市场监管局近日对辖区内三十二家农贸市场开展食品安全专项检查，"
    "重点检查进货查验、索证索票和冷链食品管理等情况。",
    "检查中发现的十七处问题已全部督促整改到位。区市场监管局表示，"
    "将持续加大抽检力度，保障群众“菜篮子”安全。",
]


def test_headline_in_div_title_and_no_h1():
    body = f"""
<div class="header"><a href="/">某某区人民政府</a></div>
<div class="content-box">
<div class="title">区市场监管局开展农贸市场食品安全专项检查</div>
<div class="sub">发布时间：2026-11-05　来源：区市场监管局</div>
<div class="con">
{paras(NO_H1_PARAS)}
</div></div>
"""
    art = extract_article(page(body, head="<title>某某区人民政府</title>"), fetched_at=FETCHED)
    check(art, title="区市场监管局开展农贸市场食品安全专项检查", body="\n\n".join(NO_H1_PARAS),
          published_at="2026-11-05", source="区市场监管局", language="zh")


TITLE_ONLY_PARAS = [
    "The council has agreed to keep the outdoor swimming pool open for an extra month "
    "after a petition signed by more than three thousand residents.",
    "Lifeguards will be on duty every afternoon until the end of September, weather permitting.",
]


def test_headline_only_in_the_document_title():
    body = f"""
<div id="top"><a href="/">Home</a> <a href="/news">News</a></div>
<div id="content">
<div class="date">Published 05.11.2026</div>
{paras(TITLE_ONLY_PARAS)}
</div>
"""
    art = extract_article(page(body, head="<title>Outdoor pool to stay open an extra month - Lakeside Gazette</title>",
                               lang="en"), url="https://lakeside-gazette.example/news/pool")
    check(art, title="Outdoor pool to stay open an extra month", body="\n\n".join(TITLE_ONLY_PARAS),
          published_at="2026-11-05", language="en")


# ---- Japanese, Korean, German ---------------------------------------------------------

JA_PARAS = [
    "気象庁は五日、関東甲信地方で木枯らし一号が吹いたと発表した。昨年より三日早く、"
    "東京都心では午前中に最大瞬間風速十五メートルを観測した。",
    "同庁によると、週末にかけて冬型の気圧配置が続く見込みで、"
    "山沿いでは初雪となる所もあるという。",
]


def test_japanese_news_article():
    body = f"""
<header class="site-header"><a href="/">みなと新聞</a></header>
<main><article class="article">
<h1 class="article-title">関東で木枯らし一号　昨年より三日早く</h1>
<div class="article-info"><span class="date">2026年11月5日 9時30分</span></div>
<div class="article-body">
{paras(JA_PARAS)}
</div>
<p class="copyright">無断転載・複製を禁じます</p>
</article></main>
"""
    head = '<title>関東で木枯らし一号　昨年より三日早く：みなと新聞</title>\n<meta name="author" content="山田 太郎">'
    art = extract_article(page(body, head=head, lang="ja"), url="https://minato-shimbun.example.jp/articles/20261105-001")
    # Spaces in a headline are folded to one ASCII space, the ideographic one too.
    check(art, title="関東で木枯らし一号 昨年より三日早く", body="\n\n".join(JA_PARAS),
          published_at="2026-11-05T09:30:00", authors=["山田 太郎"], language="ja")


KO_PARAS = [
    "서울시는 다음 달부터 시내버스 심야 노선을 열두 개 늘린다고 5일 밝혔다. "
    "새 노선은 지하철 막차 이후 귀가하는 시민들의 이동 편의를 높이기 위한 것이다.",
    "시 관계자는 이용 현황을 분석해 수요가 많은 구간에는 배차 간격을 더 줄일 계획이라고 말했다.",
]


def test_korean_news_article():
    body = f"""
<div id="header"><a href="/">예시일보</a></div>
<div class="article-head">
<h1 class="headline">서울시, 심야버스 노선 12개 늘린다</h1>
<div class="info"><span class="byline">김민수 기자</span> <span class="date">입력 2026.11.05 09:30</span></div>
</div>
<div id="article-view-content-div" class="article-body">
{paras(KO_PARAS)}
<p>김민수 기자 minsu@example.co.kr</p>
<p>저작권자 © 예시일보 무단전재 및 재배포 금지</p>
</div>
"""
    art = extract_article(page(body, head="<title>서울시, 심야버스 노선 12개 늘린다 - 예시일보</title>", lang="ko"),
                          url="https://www.yesi-ilbo.example.kr/news/articleView.html?idxno=12345")
    check(art, title="서울시, 심야버스 노선 12개 늘린다", body="\n\n".join(KO_PARAS),
          published_at="2026-11-05T09:30:00", authors=["김민수"], language="ko")


DE_PARAS = [
    "Der Stadtrat hat am Mittwochabend beschlossen, die Innenstadt ab dem kommenden "
    "Frühjahr an Samstagen für den Autoverkehr zu sperren.",
    "Händler hatten zunächst Umsatzeinbußen befürchtet, nach einem erfolgreichen Probelauf "
    "im Sommer unterstützt inzwischen aber auch der Gewerbeverein den Plan.",
]


def test_german_article_with_von_byline():
    body = f"""
<header><a href="/">Kreisbote</a></header>
<article>
<h1>Innenstadt wird samstags autofrei</h1>
<p class="byline">Von Anna Schmidt</p>
<p class="date">5. November 2026, 09:30 Uhr</p>
<div class="article-text">
{paras(DE_PARAS)}
</div></article>
"""
    art = extract_article(page(body, head="<title>Innenstadt wird samstags autofrei | Kreisbote</title>", lang="de"),
                          url="https://kreisbote.example.de/lokales/innenstadt-autofrei-123456.html")
    check(art, title="Innenstadt wird samstags autofrei", body="\n\n".join(DE_PARAS),
          published_at="2026-11-05T09:30:00", authors=["Anna Schmidt"], language="de")


# ---- date forms -------------------------------------------------------------------------

@pytest.mark.parametrize(("dateline", "expected"), [
    ("2026年11月5日 星期三", "2026-11-05"),
    ("11-05 09:30", "2026-11-05T09:30:00"),
    ("发布时间：2026-11-05", "2026-11-05"),
    ("发布时间：11月5日 09:30", "2026-11-05T09:30:00"),
    ("2026年11月5日 下午3:30 来源：某某日报", "2026-11-05T15:30:00"),
])
def test_chinese_dateline_forms(dateline, expected):
    body = f"""
<h1>街道社区食堂正式开业运营</h1>
<div class="info">{dateline}</div>
<div class="text">{paras(NO_H1_PARAS)}</div>
"""
    art = extract_article(page(body, head="<title>街道社区食堂正式开业运营</title>"),
                          url="http://www.jiedao-example.cn/news/1.html", fetched_at=FETCHED)
    assert art is not None
    if len(expected) == 10:  # a date alone: its midnight, precision a day
        assert (art.published_at, art.published_precision) == (expected + "T00:00:00", "day")
    else:
        assert art.published_at == expected


def test_year_less_date_without_a_fetch_time_gives_no_time():
    body = f"""
<h1>街道社区食堂正式开业运营</h1>
<div class="info">11-05 09:30</div>
<div class="text">{paras(NO_H1_PARAS)}</div>
"""
    art = extract_article(page(body, head="<title>街道社区食堂正式开业运营</title>"),
                          url="http://www.jiedao-example.cn/news/1.html")
    assert art is not None and art.published_at is None


def test_year_less_date_after_the_fetch_day_is_last_year():
    found = dates.find_month_day("12-30 08:15", datetime(2026, 1, 2, 9, 0, tzinfo=CST))
    assert found is not None and found[0].day.isoformat() == "2025-12-30"


@pytest.mark.parametrize(("text", "expected"), [
    ("Published: Nov 5, 2026, 9:30 a.m. ET", "2026-11-05T09:30:00-05:00"),
    ("Updated June 5, 2026 at 4:15 p.m. ET", "2026-06-05T16:15:00-04:00"),
    ("June 5, 2026 11:00 PT", "2026-06-05T11:00:00-07:00"),
    ("5. November 2026", "2026-11-05"),
    ("5. November 2026, 09:30 Uhr", None),  # no offset: the page's zone decides
])
def test_english_and_german_date_forms(text, expected):
    found = dates.find_absolute(text, not_after=FETCHED)
    assert found is not None
    stamp = found[0]
    assert stamp.day.isoformat() == "2026-11-05" or stamp.day.isoformat() == "2026-06-05"
    if expected is not None:
        assert stamp.iso(None) == expected
    else:
        assert stamp.offset is None and (stamp.hour, stamp.minute) == (9, 30)


# ---- the default article templates of DedeCMS and PHPCMS, as sites ship them ----------

CMS_PARAS = [
    "十一月四日，市第一中学举行秋季运动会，全校两千余名师生参加了开幕式。"
    "本届运动会设田径、跳绳、拔河等二十个比赛项目，为期两天。",
    "学校负责人表示，运动会旨在引导学生走出教室、走向操场，"
    "养成坚持锻炼的好习惯，今后还将增加更多集体项目。",
    "闭幕式上，高二年级获得团体总分第一名，多名同学打破了校运会纪录。",
]


def test_dedecms_default_article_template():
    intro = CMS_PARAS[0][:40] + "..."
    body = f"""
<div class="header"><div class="top w960 center"><div class="title"><h1><a href="/">某某中学</a></h1></div></div>
<div class="module blue mT10 wrapper w963"><div id="navMenu"><ul><li><a href='/'>主页</a></li><li><a href='/a/news/'>新闻中心</a></li></ul></div></div></div>
<div class="w960 center clear mt1">
<div class="pleft">
<div class="place"><strong>当前位置:</strong> <a href='/'>主页</a> > <a href='/a/news/'>新闻中心</a> > </div>
<div class="viewbox">
<div class="title"><h2>市第一中学举行秋季运动会</h2></div>
<div class="info"><small>时间:</small>2026-11-05 09:30<small>来源:</small>未知<small>作者:</small>admin<small>点击:</small><script src="/plus/count.php?view=yes&amp;aid=12&amp;mid=1" type='text/javascript' language="javascript"></script>次</div>
<div class="intro">{intro}</div>
<div class="content"><table width='100%'><tr><td>
{paras(CMS_PARAS)}
</td></tr></table></div>
<div class="dede_pages"><ul class="pagelist"></ul></div>
<div class="boxoff"><strong>------分隔线----------------------------</strong></div>
<div class="handle"><div class="context"><ul><li>上一篇：<a href='/a/news/11.html'>学校图书馆新书上架</a></li><li>下一篇：没有了 </li></ul></div>
<div class="actbox"><ul><li id="act-fav"><a href="/plus/stow.php?aid=12">收藏</a></li><li id="act-err"><a href="/plus/erraddsave.php?aid=12">挑错</a></li><li id="act-pus"><a href="/plus/recommend.php?aid=12">推荐</a></li><li id="act-pnt"><a href="#">打印</a></li></ul></div></div>
</div></div>
<div class="pright"><div class="commend"><dl class="tbox"><dt><strong>推荐内容</strong></dt><dd><ul class="d4"><li><a href="/a/news/10.html">初三年级召开家长会</a></li></ul></dd></dl></div></div>
</div>
<div class="footer w960 center mt1 clear"><div class="footer_body"><p class="powered">Powered by <a href="http://www.dedecms.com"><b>DedeCMS</b></a> &copy; 2004-2026 DesDev Inc.</p><div class="copyright">Copyright &copy; 2002-2026 某某中学 版权所有</div></div></div>
"""
    head = ('<title>市第一中学举行秋季运动会_某某中学</title>\n<meta name="keywords" content="运动会" />\n'
            f'<meta name="description" content="{intro}" />')
    art = extract_article(page(body, head=head, charset="gb2312").encode("gbk"),
                          url="http://www.zhongxue-example.cn/a/news/12.html", fetched_at=FETCHED)
    check(art, title="市第一中学举行秋季运动会", body="\n\n".join(CMS_PARAS),
          published_at="2026-11-05T09:30:00", section=["新闻中心"], tags=["运动会"], language="zh")


def test_phpcms_default_show_template():
    body = f"""
<div class="header"><div class="logo"><a href="/">某某资讯网</a></div></div>
<div class="main">
<div class="crumbs"><a href="/">首页</a><span> &gt; </span><a href="/news/">新闻</a> &gt;  正文</div>
<div id="Article">
<h1>市第一中学举行秋季运动会<br/>
<span>2026-11-05 09:30:00&nbsp;&nbsp;&nbsp;来源：本站&nbsp;&nbsp;&nbsp;评论：<a href="#comment_iframe" id="comment">0</a> 点击：<span id="hits"></span></span></h1>
<div class="content">
{paras(CMS_PARAS)}
</div>
<div id="pages" class="text-c"></div>
<p style="margin-bottom:10px"><strong>相关热词搜索：</strong><a href="/tag/yundonghui">运动会</a> <a href="/tag/xiaoyuan">校园</a></p>
<p class="f14"><strong>上一篇：</strong><a href="/news/10.html">学校图书馆新书上架</a><br /><strong>下一篇：</strong><a href="/news/12.html">初三年级召开家长会</a></p>
</div></div>
<div class="footer"><p>Powered by PHPCMS v9 &copy; 2026 某某资讯网</p></div>
"""
    head = "<title>市第一中学举行秋季运动会 - 新闻 - 某某资讯网</title>"
    art = extract_article(page(body, head=head, charset="gbk").encode("gbk"),
                          url="http://www.zixun-example.cn/news/11.html", fetched_at=FETCHED)
    check(art, title="市第一中学举行秋季运动会", body="\n\n".join(CMS_PARAS),
          published_at="2026-11-05T09:30:00", section=["新闻"], tags=["运动会", "校园"], language="zh")


@pytest.mark.parametrize(("text", "expected"), [
    ("Publié le 5 novembre 2026 à 09h30", (2026, 11, 5, 9, 30)),
    ("5 de noviembre de 2026 - 09:30", (2026, 11, 5, 9, 30)),
    ("5 de novembro de 2026, 09h30", (2026, 11, 5, 9, 30)),
    ("5 ноября 2026, 09:30", (2026, 11, 5, 9, 30)),
    ("5 listopada 2026, 09:30", (2026, 11, 5, 9, 30)),
    ("5 KASIM 2026 09:30", (2026, 11, 5, 9, 30)),
    ("5 Kasım 2026", (2026, 11, 5, None, None)),
    ("Updated 3:04 PM EST, November 5, 2026", (2026, 11, 5, 15, 4)),
    ("14:00, 5 Nov 2026", (2026, 11, 5, None, None)),
    ("입력 2026.11.05 오후 3:30", (2026, 11, 5, 15, 30)),
    ("2026年11月5日 午後3時30分", (2026, 11, 5, 15, 30)),  # a bare time before a date is not read as its time
])
def test_date_forms_of_other_languages(text, expected):
    found = dates.find_absolute(text, not_after=FETCHED)
    assert found is not None
    stamp = found[0]
    assert (stamp.day.year, stamp.day.month, stamp.day.day, stamp.hour, stamp.minute) == expected


@pytest.mark.parametrize(("lang", "byline", "name"), [
    ("it", "di Marco Rossi", "Marco Rossi"),
    ("fr", "Par Jean Dupont", "Jean Dupont"),
    ("es", "Por María García", "María García"),
    ("en", "By Jane Doe | Updated 3:04 PM EST, November 5, 2026", "Jane Doe"),
])
def test_bylines_of_other_languages(lang, byline, name):
    body = f"""
<h1>Forty new buses for suburban routes</h1>
<div class="meta">{byline}</div>
<div class="article-text">{paras(LONG_LIST_PARAS)}</div>
"""
    art = extract_article(page(body, head="<title>Forty new buses for suburban routes</title>", lang=lang))
    assert art is not None
    assert art.authors == [name]
    assert art.body == "\n\n".join(LONG_LIST_PARAS)


def test_reader_comments_in_an_unnamed_list_below_the_article():
    comments = "".join(
        f'<li><div class="user">网友{i}</div><div class="text">这条新闻很有意义，希望隧道早日通车，方便两岸群众出行，'
        f'也能带动沿线经济发展，第{i}位网友留言。</div><span>2026-11-06 10:0{i}</span></li>' for i in range(6))
    body = f"""
<h1>全省首条跨海隧道全线贯通</h1>
<div class="info">2026-11-05 09:30 来源：某某日报</div>
<div class="article">{paras(SINA_PARAS + NETEASE_PARAS)}</div>
<div class="pl-box"><ul>{comments}</ul></div>
"""
    art = extract_article(page(body, head="<title>全省首条跨海隧道全线贯通_某某网</title>"),
                          url="http://www.x-example.cn/a/1.html", fetched_at=FETCHED)
    check(art, title="全省首条跨海隧道全线贯通", body="\n\n".join(SINA_PARAS + NETEASE_PARAS),
          published_at="2026-11-05T09:30:00", source="某某日报", language="zh")


@pytest.mark.parametrize(("heading", "meta_line", "title", "authors"), [
    # A kicker inside the <h1>: the headline is the part the <title> names.
    ('<h1><span class="kicker">Transport</span> Forty new buses for suburban routes</h1>', "",
     "Forty new buses for suburban routes", []),
    # A news agency after the writer is no author.
    ("<h1>Forty new buses for suburban routes</h1>", '<p class="meta">By Jane Doe, Reuters</p>',
     "Forty new buses for suburban routes", ["Jane Doe"]),
])
def test_headline_kicker_and_agency_bylines(heading, meta_line, title, authors):
    body = f'{heading}{meta_line}<div class="body">{paras(LONG_LIST_PARAS)}</div>'
    art = extract_article(page(body, head="<title>Forty new buses for suburban routes | World | Daily Example</title>",
                               lang="en"), url="https://daily.example.com/x/1")
    check(art, title=title, authors=authors, body="\n\n".join(LONG_LIST_PARAS), published_at=None, language="en")


@pytest.mark.parametrize(("title", "top"), [
    ("Metro Daily Courier | Ferry fleet replaced", '<div class="logo">Metro Daily Courier</div><h1>Ferry fleet replaced</h1>'),
    ("Ferry fleet replaced – Metro Daily Courier", '<div class="logo">Metro Daily Courier</div><h1>Ferry fleet replaced</h1>'),
    ("Ferry fleet replaced – Metro Daily Courier",
     '<h1 class="site-title">Metro Daily Courier</h1><h2 class="entry-title">Ferry fleet replaced</h2>'),
])
def test_site_name_shown_on_the_page_is_no_headline_without_a_url(title, top):
    art = extract_article(page(f'{top}<div class="body">{paras(LONG_LIST_PARAS)}</div>', head=f"<title>{title}</title>",
                               lang="en"))
    check(art, title="Ferry fleet replaced", body="\n\n".join(LONG_LIST_PARAS), published_at=None, language="en")
