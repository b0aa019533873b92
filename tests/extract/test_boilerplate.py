"""Each boilerplate pattern: a page built with the block beside a real body loses the block and
keeps the body's paragraphs in order."""

from __future__ import annotations

import lxml.html
import pytest

from newscrawl.extract import boilerplate
from newscrawl.extract.body import extract_body
from newscrawl.extract.profile import ExtractProfile

TITLE = "大连市开展知识产权宣传周主题日活动"
PARAGRAPHS = [
    "中国质量新闻网讯 4月25日，第22个世界知识产权日到来之际，作为今年知识产权宣传周活动的重要内容，大连市举行宣传活动。",
    "市市场监管局、市委宣传部、市贸促会、市法院、市检察院等30余家成员单位，5家学校代表及各区市县企业代表参加了活动。",
    "去年，大连市获批国家级洁净能源知识产权运营中心，建立了市知识产权保护工作联盟，在知识产权领域收获颇丰。",
    "今年，要着重推进知识产权行政执法与司法保护有效衔接，精准开展知识产权保护专项行动，高质量推动知识产权创造和运用。",
]
EN_TITLE = "City council approves the new harbour plan after a long debate"
EN_PARAGRAPHS = [
    "The city council approved the new harbour plan on Tuesday evening, ending a debate that had lasted for more than two years.",
    "Supporters said the plan would bring jobs and new housing to the waterfront, while critics warned about rising costs.",
    "The mayor said construction could begin next spring, once the final permits have been granted by the regional authority.",
    "Residents will be able to comment on the detailed designs at a series of public meetings to be held over the summer.",
]


def build(extra_before: str = "", extra_after: str = "", *, english: bool = False, inside: bool = True) -> str:
    title, paragraphs = (EN_TITLE, EN_PARAGRAPHS) if english else (TITLE, PARAGRAPHS)
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    article = f'<div class="article"><h1>{title}</h1>{extra_before if inside else ""}{body}{extra_after if inside else ""}</div>'
    return (
        f"<html><head><title>{title}_网站</title></head><body>"
        f'<div class="top"><a href="/">首页</a> <a href="/news">新闻</a></div>'
        f"{'' if inside else extra_before}{article}{'' if inside else extra_after}"
        "</body></html>"
    )


def body_of(html: str, *, english: bool = False, rules: ExtractProfile | None = None) -> list[str]:
    tree = lxml.html.document_fromstring(html)
    title = EN_TITLE if english else TITLE
    return extract_body(tree, url="http://news.example.cn/a/1.html", title=title, rules=rules or ExtractProfile()).paragraphs


# (pattern name, html placed after the body, text that must not be in it)
ZH_AFTER = [
    ("disclaimer_reprint", "<p>凡本网注明“来源：XXX（非中国质量新闻网）”的作品，均转载自其它媒体，转载目的在于传递更多信息，并不代表本网赞同其观点和对其真实性负责。</p>", "凡本网注明"),
    ("disclaimer_label", "<p>免责声明：本文仅代表作者个人观点，与本网无关。其原创性以及文中陈述文字和内容未经本站证实。</p>", "免责声明"),
    ("disclaimer_label", "<p>版权声明：本站所有文章均为原创，未经许可不得使用。</p>", "版权声明"),
    ("disclaimer_reprint_notice", "<p>（转载请注明出处）</p>", "转载请注明"),
    ("disclaimer_opinion", "<p>平台声明：该文观点仅代表作者本人，搜狐号系信息发布平台，搜狐仅提供信息存储空间服务。</p>", "平台声明"),
    ("share_bar", '<div class="bar">分享到：<a href="#">微信</a> <a href="#">微博</a> <a href="#">QQ空间</a></div>', "分享到"),
    ("page_tools", "<p>【字号 大 中 小】 【打印】 【关闭】</p>", "字号"),
    ("prev_next", '<p>上一篇：<a href="/a/0.html">市场监管局召开会议</a></p><p>下一篇：<a href="/a/2.html">大连海关开展活动</a></p>', "上一篇"),
    ("related", '<h3>相关新闻</h3><ul><li><a href="/a/3.html">知识产权保护中心落户大连</a></li><li><a href="/a/4.html">大连市召开知识产权工作会议</a></li></ul>', "相关新闻"),
    ("hot", '<h3>热文推荐</h3><ul><li><a href="/a/5.html">世界知识产权日主题活动在京举行</a></li></ul>', "热文推荐"),
    ("comments", "<h3>网友评论</h3><p>这个活动很有意义，希望以后多举办这样的活动，让更多的人了解知识产权。</p>", "很有意义"),
    ("breadcrumb", '<p>您现在的位置：<a href="/">首页</a> &gt; <a href="/news">新闻</a> &gt; 正文</p>', "您现在的位置"),
    ("advertisement", "<p>广告</p>", "广告"),
    ("copyright_footer", "<p>Copyright © 2022 中国质量新闻网 版权所有</p>", "Copyright"),
    ("icp_licence", "<p>京ICP备12345678号 京公网安备11010202000001号</p>", "ICP备"),
    ("follow_prompt", "<p>欢迎关注微信公众号：知识产权在线</p>", "微信公众号"),
    ("dateline", "<p>发布时间：2022-04-26 11:01</p>", "发布时间"),
    ("ui_words", "<p>举报</p>", "举报"),
    ("player_readout", "<p>00:00/01:45</p>", "01:45"),
    ("photo_credit", "<p>图片来源：视觉中国</p>", "视觉中国"),
    ("end_mark", "<p>（完）</p>", "（完）"),
    ("page_tools", "<p>【纠错】</p>", "纠错"),
    ("tags_line", "<p>标签：知识产权 大连 宣传周</p>", "标签"),
    ("click_prompt", "<p>点击这里查看更多活动图片</p>", "点击这里"),
    ("disclaimer_platform", "<p>以上内容（包括图片及视频）为创作者平台用户上传并发布，本平台仅提供信息存储服务。</p>", "本平台"),
    ("disclaimer_takedown", "<p>部分图片来自网络，如有侵权请联系删除，版权归原作者所有。</p>", "侵权"),
    ("rights_reserved", "<p>中国质量新闻网 版权所有 © 2008-2022</p>", "版权所有"),
    ("share_scan", "<p>微信扫一扫，分享到朋友圈</p>", "扫一扫"),
    ("toolbar_words", "<p>【打印】 【关闭】 【收藏】</p>", "打印"),
    ("back_to", '<p><a href="#top">返回顶部</a></p>', "返回顶部"),
    ("breadcrumb_trail", '<p><a href="/">首页</a> &gt; <a href="/news">新闻中心</a> &gt; 正文</p>', "新闻中心"),
    ("poster_location", "<p>发布于：北京市</p>", "发布于"),
    ("player_controls", "<p>播报文章</p>", "播报文章"),
    ("relative_time", "<p>3小时前</p>", "小时前"),
    ("view_counter", "<p>浏览次数：1024</p>", "浏览次数"),
    ("ad_label", "<p>【广告】专业知识产权代理，商标注册一站式服务</p>", "专业知识产权代理"),
]
EN_AFTER = [
    ("share_bar", "<p>Share this article</p>", "Share this"),
    ("prev_next", '<p><a href="/prev">Previous article</a></p>', "Previous article"),
    ("related", '<h3>Related Articles</h3><ul><li><a href="/x">Harbour works delayed again</a></li></ul>', "Related"),
    ("hot", '<h3>Most read</h3><ol><li><a href="/y">Storm closes schools</a></li></ol>', "Most read"),
    ("comments", "<h3>Leave a comment</h3><p>Great news for the city, I have waited years for this to happen at last.</p>", "Great news"),
    ("advertisement", "<p>Advertisement</p>", "Advertisement"),
    ("copyright_footer", "<p>© 2024 The Example Times. All rights reserved.</p>", "All rights reserved"),
    ("follow_prompt", "<p>Sign up for our daily newsletter to get the latest news.</p>", "Sign up"),
    ("ad_slot", "<p>Story continues below advertisement</p>", "Story continues"),
    ("photo_credit", "<p>Photo: Getty Images</p>", "Getty"),
    ("reading_time", "<p>4 min read</p>", "min read"),
    ("dateline", "<p>Updated May 2, 2024</p>", "Updated"),
    ("relative_stamp", "<p>Last updated 6 hours ago</p>", "Last updated"),
    ("contact_only", "<p>jane.doe@example.com</p>", "jane.doe"),
    ("newsletter_prompt", "<p>Like this story? Subscribe to our weekly newsletter.</p>", "newsletter"),
    ("credited_caption", "<p>The mayor at the harbour on Tuesday (Image: Getty)</p>", "Image: Getty"),
    ("agency_credit", "<p>Mike Marsland/Getty Images</p>", "Marsland"),
    ("signup_small_print", "<p>By signing up, you confirm that you are over 16. Read our Privacy Policy.</p>", "signing up"),
]


def assert_clean(paragraphs: list[str], absent: str, expected: list[str]) -> None:
    joined = "\n".join(paragraphs)
    assert absent not in joined, paragraphs
    assert paragraphs == expected


@pytest.mark.parametrize(("name", "html", "absent"), ZH_AFTER, ids=[f"{n}-{i}" for i, (n, _, _) in enumerate(ZH_AFTER)])
def test_chinese_boilerplate_after_body(name, html, absent):
    assert_clean(body_of(build(extra_after=html)), absent, PARAGRAPHS)


# A comment box above the article has only its heading to tell it apart: not tested there.
ZH_BEFORE = [case for case in ZH_AFTER if case[0] != "comments"]


@pytest.mark.parametrize(("name", "html", "absent"), ZH_BEFORE, ids=[f"{n}-{i}" for i, (n, _, _) in enumerate(ZH_BEFORE)])
def test_chinese_boilerplate_before_body(name, html, absent):
    assert_clean(body_of(build(extra_before=html)), absent, PARAGRAPHS)


@pytest.mark.parametrize(("name", "html", "absent"), EN_AFTER, ids=[n for n, _, _ in EN_AFTER])
def test_english_boilerplate_after_body(name, html, absent):
    assert_clean(body_of(build(extra_after=html, english=True), english=True), absent, EN_PARAGRAPHS)


def test_each_line_pattern_is_named_and_tested():
    tested = {n for n, _, _ in ZH_AFTER} | {n for n, _, _ in EN_AFTER}
    for name, html, _ in ZH_AFTER + EN_AFTER:
        first = lxml.html.fragment_fromstring(html, create_parent="div")[0]
        text = " ".join(first.text_content().split())
        if name != "dateline":
            assert name in boilerplate.LINE_PATTERNS
        assert boilerplate.boilerplate_kind(text) or boilerplate.section_marker_kind(text), text
    assert set(boilerplate.LINE_PATTERNS) <= tested | {"dateline"}, set(boilerplate.LINE_PATTERNS) - tested


# Containers named as furniture by class or id; their text matches no line pattern.
FURNITURE = [
    '<div class="share-bar"><p>微信 微博 QQ空间 豆瓣网 人人网</p></div>',
    '<div id="comments"><p>这个活动很有意义，希望以后多举办这样的活动，让更多的人了解。</p></div>',
    '<div class="related-news"><p>知识产权保护中心落户大连，将为企业提供一站式服务。</p></div>',
    '<div class="tuijian"><p>世界知识产权日主题活动在京举行，多部门联合发布白皮书。</p></div>',
    '<div class="pinglun"><p>网友甲：写得很好，支持大连的知识产权工作越来越好。</p></div>',
    '<div class="sidebar"><p>本站简介：本站是一家专注于知识产权资讯的综合性网站。</p></div>',
    '<aside><p>本站简介：本站是一家专注于知识产权资讯的综合性网站。</p></aside>',
    '<nav><a href="/">首页</a><a href="/news">新闻中心</a><a href="/about">关于我们</a></nav>',
    '<footer><p>主办单位：某某市知识产权局 地址：某某路1号 电话：0411-12345678</p></footer>',
    '<div class="ad-box"><p>专业知识产权代理，商标注册专利申请一站式服务，欢迎来电咨询。</p></div>',
    '<form><input value="搜索"><button>提交</button><select><option>全部栏目</option></select></form>',
    '<div style="display:none"><p>隐藏的文字不应出现在正文里，无论它有多长都不应该出现。</p></div>',
    "<script>var s = '脚本里的文字不应出现在正文里';</script><style>.x{content:'样式'}</style>",
]


@pytest.mark.parametrize("html", FURNITURE)
def test_furniture_containers_inside_article(html):
    paragraphs = body_of(build(extra_after=html))
    assert paragraphs == PARAGRAPHS


@pytest.mark.parametrize("html", FURNITURE)
def test_furniture_containers_beside_article(html):
    paragraphs = body_of(build(extra_before=html, extra_after=html, inside=False))
    assert paragraphs == PARAGRAPHS


def test_pattern_words_inside_prose_survive():
    prose = (
        "他表示，用户在分享到朋友圈之前应当仔细核实信息来源，相关新闻报道也提醒读者注意甄别，"
        "不要轻易转发未经证实的消息，更不要因此上当受骗。"
    )
    paragraphs = body_of(build(extra_after=f"<p>{prose}</p>"))
    assert paragraphs == PARAGRAPHS + [prose]


def test_body_ends_at_related_heading():
    after = '<div class="box"><h3>相关阅读</h3><p>大连市知识产权局召开专题会议，部署今年知识产权保护工作，提出十项具体措施。</p></div>'
    assert body_of(build(extra_after=after)) == PARAGRAPHS


def test_read_more_box_inside_the_text_does_not_end_it():
    box = (
        '<div class="box"><h3>Read more</h3><p><a href="/x">Harbour works delayed again after the storm</a></p>'
        '<p><a href="/y">Council elects a new chair for the planning committee</a></p></div>'
    )
    html = build(english=True).replace(f"<p>{EN_PARAGRAPHS[2]}</p>", f"{box}<p>{EN_PARAGRAPHS[2]}</p>")
    assert body_of(html, english=True) == EN_PARAGRAPHS


def test_comments_heading_ends_the_body_however_much_follows():
    comments = "".join(
        f"<p>Reader {i}: I think the harbour plan is a mistake and the council should reconsider it soon.</p>"
        for i in range(6)
    )
    after = f"<h3>Comments (6)</h3>{comments}"
    assert body_of(build(extra_after=after, english=True), english=True) == EN_PARAGRAPHS


def test_profile_drop_text_and_selectors():
    extra = '<p class="promo-x">本报记者采访手记：活动现场气氛热烈，群众参与度很高，各单位展示了成果。</p><p>（完）</p>'
    rules = ExtractProfile(drop_text=(r"^（完）$",), drop_selectors=("p.promo-x",))
    assert body_of(build(extra_after=extra), rules=rules) == PARAGRAPHS


@pytest.mark.parametrize(
    ("value", "level"),
    [
        ("relatedNews_list2", 2),
        ("article-share", 2),
        ("comment-list", 2),
        ("post-content", 0),
        ("article-body", 0),
        ("col pl-3", 0),
        ("side-rail", 1),
        ("hot-area", 1),
        ("main has-sidebar", 0),
    ],
)
def test_class_words(value, level):
    assert boilerplate.noise_level(value) == level


@pytest.mark.parametrize(
    ("text", "dateline"),
    [
        ("2024-05-20 06:48", True),
        ("发布时间：2024-05-15 08:58:52", True),
        ("Published May 25, 2026", True),
        ("GİRİŞ 20.05.2024 09:13 GÜNCELLEME 20.05.2024 09:13", True),
        ("时间:2022-04-26 11:01:53 来源:中国质量新闻网", False),  # a credit line: the byline reader's
        ("2022年4月26日，大连市召开会议。", False),
        ("On May 2, 2022, he said.", False),
    ],
)
def test_datelines(text, dateline):
    assert boilerplate.is_dateline(text) is dateline


# Article lines that begin like a label but are text: none may be taken for furniture.
PROSE_LOOKALIKES = [
    "Shares of Apple rose 5% on Monday",
    "Printing presses ran all night",
    "Popular vote",
    "Emails show the plan",
    "Related charges were filed",
    "More money for schools",
    "Comments from the mayor were brief.",
    "Advertisers left the platform.",
    "Trending upward",
    "热点一：房价",
    "广告法修订",
    "来自基层的声音",
    "评论员文章：坚定信心",
    "上一篇文章中我们讲到",
    "2022年4月26日，大连市召开会议。",
    "1.豆子提前浸泡",
    "The newsletter industry grew by 20 percent last year, according to a report published on Monday.",
    "他表示，分享到朋友圈之前应当核实信息来源。",
    "The company sold the images to Getty Images",
    "He said the ruling (see photo: below) was unfair.",
    "Meta updated its privacy policy on Monday.",
]


@pytest.mark.parametrize("text", PROSE_LOOKALIKES)
def test_prose_lookalikes_are_not_boilerplate(text):
    assert boilerplate.boilerplate_kind(text) is None
    assert boilerplate.section_marker_kind(text) is None


@pytest.mark.parametrize(
    ("kind", "heading"),
    [("related", "相关新闻"), ("hot", "热文推荐"), ("prev_next", "上一篇：大连海关开展活动"),
     ("comments", "网友评论"), ("disclaimer", "免责声明")],
)
def test_each_section_marker_ends_the_body(kind, heading):
    assert boilerplate.section_marker_kind(heading) == kind
    prose = "".join(
        f"<p>这是标题之后的第{i}段文字，它不属于本文正文，只是一段较长的说明，用来检验正文在此结束。</p>" for i in range(3)
    )
    after = f'<div class="box"><h3>{heading}</h3>{prose}</div>'
    assert body_of(build(extra_after=after)) == PARAGRAPHS
