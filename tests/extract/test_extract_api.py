"""extract_article's contract: signature, None for non-articles, profile overrides."""

import inspect
from datetime import datetime, timedelta, timezone

from newscrawl import ExtractProfile, extract_article

ARTICLE = """<html lang="zh-CN"><head><title>示例标题在这里_示例网</title></head><body>
<div class="crumb">当前位置:首页 > 科技 > 正文</div>
<h1>示例标题在这里</h1>
<div class="meta"><span class="pub">发布时间:3小时前</span> <span class="who">编者:王小二</span>
<span class="org">来自:示例晨报</span></div>
<div class="content"><p>这是正文的第一段,讲述了一件虚构的事情,篇幅足够作为一篇文章的正文内容。</p>
<p>这是正文的第二段,继续讲述这件虚构的事情,并补充了更多的细节和背景。</p>
<p>广告:点击领取优惠券</p></div>
<div class="kw">主题:虚构 示例</div>
</body></html>"""

FETCHED = datetime(2024, 5, 20, 12, 0, tzinfo=timezone(timedelta(hours=8)))


def test_public_signature():
    params = inspect.signature(extract_article).parameters
    assert list(params)[:2] == ["html", "url"]
    for name in ("profile", "fetched_at", "http_encoding"):
        assert params[name].kind is inspect.Parameter.KEYWORD_ONLY
        assert params[name].default is None


def test_relative_time_needs_the_fetch_time():
    with_fetch = extract_article(ARTICLE, url="http://a.example.cn/x.html", fetched_at=FETCHED)
    without = extract_article(ARTICLE, url="http://a.example.cn/x.html")
    assert with_fetch is not None and without is not None
    assert with_fetch.published_at == "2024-05-20T09:00:00+08:00"
    assert without.published_at is None  # never the crawl time


def test_url_date_is_the_last_resort():
    art = extract_article(ARTICLE, url="http://a.example.cn/2024-05/18/content_1.htm")
    assert art is not None and art.published_at == "2024-05-18T00:00:00"
    assert (art.published_date, art.published_precision) == ("2024-05-18", "day")


def test_generic_rules_miss_what_only_a_profile_knows():
    art = extract_article(ARTICLE, url="http://a.example.cn/x.html")
    assert art is not None
    assert art.source is None and art.authors == [] and art.tags == []
    assert "广告:点击领取优惠券" in art.body


def test_profile_selectors_override_the_generic_rules():
    profile = ExtractProfile(
        title="//h1/text()",
        source="span.org",
        author="span.who",
        tags="div.kw",
        section="div.crumb",
        published_at="span.pub",
        timezone="Asia/Tokyo",
        drop_text=(r"^广告[:：]",),
    )
    art = extract_article(ARTICLE, url="http://a.example.cn/x.html", profile=profile, fetched_at=FETCHED)
    assert art is not None
    assert art.title == "示例标题在这里"
    assert art.source == "示例晨报"
    assert art.authors == ["王小二"]
    assert art.tags == ["虚构", "示例"]
    assert art.section == ["科技"]
    assert "广告" not in art.body


def test_profile_timezone_is_used_for_bare_local_times():
    page = ARTICLE.replace("3小时前", "2024-05-01 10:00")
    tokyo = extract_article(page, url="http://a.example.cn/x.html", profile=ExtractProfile(timezone="Asia/Tokyo"))
    default = extract_article(page, url="http://a.example.cn/x.html")
    assert tokyo is not None and default is not None
    assert tokyo.published_at == "2024-05-01T10:00:00+09:00"
    assert default.published_at == "2024-05-01T10:00:00"


def test_object_with_an_extract_attribute_is_a_profile():
    class SiteProfile:
        extract = ExtractProfile(source="span.org")

    art = extract_article(ARTICLE, url="http://a.example.cn/x.html", profile=SiteProfile())
    assert art is not None and art.source == "示例晨报"


def test_not_articles_give_none():
    assert extract_article(b"") is None
    assert extract_article("<html><body></body></html>") is None
    listing = "<html><head><title>新闻列表_示例网</title></head><body><ul>" + "".join(
        f'<li><a href="/n/{i}.htm">第{i}条新闻标题</a> 2024-05-{i:02d}</li>' for i in range(1, 29)
    ) + "</ul></body></html>"
    assert extract_article(listing, url="http://a.example.cn/list.htm") is None


def test_english_page_metadata_from_json_ld_and_meta():
    page = """<html lang="en"><head><title>Council approves park plan | Example Gazette</title>
<meta property="og:site_name" content="Example Gazette">
<meta property="article:tag" content="Parks"><meta property="article:tag" content="City Council">
<link rel="canonical" href="/2024/05/02/park-plan">
<script type="application/ld+json">{"@type": "NewsArticle", "headline": "Council approves park plan",
"datePublished": "2024-05-02T09:15:00-04:00", "author": {"@type": "Person", "name": "Dana Reyes"}}</script>
</head><body><h1>Council approves park plan</h1>
<article><p>The City Council voted on Tuesday to approve a new plan for the riverside park, after months of debate about
its cost and design.</p><p>Work on the City Council's Parks project is to begin next spring.</p></article></body></html>"""
    art = extract_article(page, url="https://gazette.example.com/story")
    assert art is not None
    assert art.title == "Council approves park plan"
    assert art.published_at == "2024-05-02T09:15:00-04:00"
    assert art.authors == ["Dana Reyes"]
    assert art.tags == ["Parks", "City Council"]
    assert art.canonical_url == "https://gazette.example.com/2024/05/02/park-plan"
    assert art.language == "en"


def test_machine_utc_time_follows_the_local_time_the_page_shows():
    page = """<html lang="zh-CN"><head><title>某地举行活动_示例网</title>
<meta property="article:published_time" content="2024-05-20T06:33:26Z"></head><body>
<h1>某地举行活动</h1><div class="info">2024-05-20 14:33 来源:示例日报</div>
<div><p>这是一段足够长的正文内容,用于说明页面显示的是本地时间,而元数据写的是协调世界时。</p></div>
</body></html>"""
    art = extract_article(page, url="http://www.example.cn/a.html")
    assert art is not None
    assert art.published_at == "2024-05-20T14:33:26+08:00"
    assert art.source == "示例日报"


def test_byline_element_names_the_author_when_no_credit_line_does():
    page = """<html lang="en"><head><title>Harbour expansion opens | Port Daily</title></head><body>
<h1>Harbour expansion opens</h1><div class="article-byline">By Maria Lopez and Tom Berg</div>
<figure><img src="/a.jpg"><figcaption><span class="author">Getty Images</span></figcaption></figure>
<div class="story"><p>The new quay at the harbour opened on Monday after three years of construction work
and several delays caused by storms.</p></div></body></html>"""
    art = extract_article(page, url="https://portdaily.example.com/harbour")
    assert art is not None
    assert art.authors == ["Maria Lopez", "Tom Berg"]


def test_breadcrumb_label_variants_and_site_crumb():
    page = """<html><head><title>某某标题内容较长一些_示例网</title></head><body>
<div>您的当前位置：首页 &gt; 示例网 &gt; 新闻中心 &gt; 行业动态</div>
<h1>某某标题内容较长一些</h1><div>发布时间：2022-02-13</div>
<div><p>正文第一段有足够的长度来构成一篇文章的主体内容,这里是虚构的文字。</p></div></body></html>"""
    art = extract_article(page, url="http://www.example.cn/a.html")
    assert art is not None
    assert art.section == ["新闻中心", "行业动态"]
    assert art.published_at == "2022-02-13T00:00:00" and art.published_precision == "day"


def test_unclosed_title_swallowing_the_page_costs_neither_memory_nor_a_crash():
    parts = " | ".join(f"栏目{i} - 条目{i}_频道{i}" for i in range(3000))
    page = "<html><head><title>页面标题 | " + parts + "<body><h1>页面标题在这里</h1><p>" + "正文。" * 50
    art = extract_article(page.encode("utf-8"), url="http://www.example.cn/a.html")
    assert art is None or len(art.title) < 400


def test_old_portal_dateline_with_bracketed_source_and_an_unlabelled_bracket():
    page = """<html><head><title>某公司宣布新计划-示例财经</title></head><body>
<div>示例首页 &gt; 示例财经 &gt; 国际财经</div><h1>某公司宣布新计划</h1>
<div>BUSINESS.EXAMPLE.COM 2004年7月16日08:19 [ 黄小宇 ]&nbsp; 来源：[ 国际金融时报 ]</div>
<div><p>这是一段虚构的正文,讲述某公司宣布了一项新的计划,内容足够长,可以作为文章的正文部分。</p></div>
</body></html>"""
    art = extract_article(page, url="http://business.example.com.cn/a.shtml")
    assert art is not None
    # An unlabelled bracket in a dateline may hold a name, a column or a place: no author
    # without a byline label (the rule that read it fitted one page's template).
    assert art.authors == []
    assert art.source == "国际金融时报"
    assert art.published_at == "2004-07-16T08:19:00"


def test_list_page_of_dated_short_items_is_no_article():
    items = "".join(f"<p>第{i}条:某某单位开展专项活动 2024-05-{i:02d}</p>" for i in range(1, 20))
    page = f"<html><head><title>通知公告_示例网</title></head><body><h1>通知公告</h1><div>{items}</div></body></html>"
    assert extract_article(page, url="http://www.example.cn/tzgg/") is None


def test_weekday_after_the_date_is_no_outlet_and_a_channel_link_no_author():
    page = """<html><head><title>市区新增三处口袋公园_示例网</title></head><body>
<h1>市区新增三处口袋公园</h1><div><a href="/sz/">时政</a></div>
<div>2022-02-13 09:57 星期日</div>
<div><p>这是一段虚构的正文,介绍市区新增的三处口袋公园以及周边居民的反映,篇幅足够长。</p></div></body></html>"""
    art = extract_article(page, url="http://www.example.cn/a.html")
    assert art is not None
    assert art.source is None
    assert art.authors == []
    assert art.published_at == "2022-02-13T09:57:00"


def test_dateline_outlet_slot_names_the_source():
    page = """<html><head><title>土豆产业带动增收_示例网</title></head><body>
<h1>土豆产业带动增收</h1><div>2022-02-13 09:57 光明网</div>
<div><p>这是一段虚构的正文,介绍当地土豆产业的发展情况和农民增收的做法,篇幅足够长。</p></div></body></html>"""
    art = extract_article(page, url="http://www.example.cn/a.html")
    assert art is not None and art.source == "光明网"


SHORT_POST = """<html><head><title>新馆开放 | 示例博客</title><meta property="og:type" content="article"></head>
<body><header class="site-header"><a href="/">示例博客</a><nav><a href="/archives/">归档</a>
<a href="/tags/">标签</a></nav></header><main><article class="post"><h1 class="post-title">新馆开放</h1>
<div class="post-meta"><time datetime="2024-05-01T10:00:00+08:00">2024-05-01</time></div>
<div class="post-body"><p>{text}</p></div>
<footer class="post-footer"><div class="post-nav"><a href="/p/1/">上一篇 旧文章</a></div></footer>
</article></main><footer class="footer">© 2024 示例博客</footer></body></html>"""


def test_a_two_sentence_post_is_an_article_in_triage_and_extraction():
    from newscrawl.extract.pagetype import PageType, classify_page

    url = "https://blog.example/2024/05/01/library/"
    for text in ("今天上午市图书馆新馆正式开放，首日接待读者三千余人。馆方表示，周末将延长开放时间。",
                 "The new library opened on Monday. It will stay open until 9 pm on weekends."):
        page = SHORT_POST.format(text=text)
        assert classify_page(page, url).kind is PageType.ARTICLE
        art = extract_article(page, url=url)
        assert art is not None and art.body == text and art.title == "新馆开放"
        assert art.published_at == "2024-05-01T10:00:00+08:00"
