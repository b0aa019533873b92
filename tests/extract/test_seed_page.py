"""A page built to the seed's structure (invented text), every field checked, GBK and UTF-8.

Structure as on the seed page: breadcrumb, headline, ``时间:… 来源:…`` line, body, a
byline in parentheses closing the last paragraph, ``标签:``, ``上一篇/下一篇``, 相关新闻,
the ``凡本网注明…`` disclaimer, 特别关注 / 热文推荐 / 焦点资讯 lists.
"""

import json
from datetime import datetime, timedelta, timezone

import jsonschema
import pytest

from newscrawl import extract_article
from newscrawl.extract import EXTRACTOR_VERSION
from newscrawl.record import content_hash, load_schema

URL = "http://www.qinghe-news.invalid/news/guonei/2023-09/14/content_5521.htm"

PARAGRAPHS = [
    "青禾网讯 9月13日,青禾市首届湿地观鸟周在白鹭湾公园启动。观鸟周为期七天,"
    "邀请市民在专业志愿者带领下认识湿地鸟类,了解候鸟迁徙路线和栖息地保护的意义。",
    "市园林绿化局负责人介绍,近三年全市修复湿地面积一千二百余亩,记录到的鸟类由"
    "一百四十种增加到一百八十七种,其中包括多种国家重点保护野生动物。",
    "启动仪式上,青禾师范学院生态学专业的学生发布了本地鸟类图鉴,市民可扫码查看"
    "每种鸟的照片、鸣声和常见出没地点。观鸟周期间还将举办摄影展和自然课堂。",
    "家住湿地附近的刘先生说,过去这里是一片荒滩,现在每天清晨都能听到鸟叫,"
    "周末带孩子来看鸟成了全家最期待的事。(赵一鸣 钱晓雯)",
]


def seed_like_page(charset: str) -> str:
    body = "\n".join(f"<p>{p}</p>" for p in PARAGRAPHS[:2])
    body += '\n<p align="center"><img src="/uploads/2023/09/egret.jpg" alt="" /></p>\n'
    body += "\n".join(f"<p>{p}</p>" for p in PARAGRAPHS[2:])
    return f"""<!DOCTYPE html>
<html>
<head>
<meta http-equiv="Content-Type" content="text/html; charset={charset}" />
<title>青禾市首届湿地观鸟周启动_国内新闻_青禾新闻网</title>
<meta name="keywords" content="青禾新闻网,新闻,资讯,青禾" />
</head>
<body>
<div class="topnav"><a href="/">首页</a> | <a href="/news/">新闻</a> | <a href="/sports/">体育</a></div>
<div class="location">您现在的位置:<a href="/">首页</a> &gt; <a href="/news/">新闻</a> &gt; <a href="/news/guonei/">国内</a> &gt; 正文</div>
<div class="wrap">
<div class="article">
<h1>青禾市首届湿地观鸟周启动</h1>
<div class="info">时间:2023-09-14 08:05:30&nbsp;&nbsp;&nbsp;&nbsp;来源:青禾晚报&nbsp;&nbsp;&nbsp;&nbsp;<span>点击:<script src="/count.php?id=5521"></script></span></div>
<div class="text">
{body}
</div>
<div class="keywords">标签: 湿地 观鸟 生态保护</div>
<div class="editor">责任编辑:孙宁</div>
<div class="pn"><p>上一篇:<a href="/news/guonei/2023-09/13/content_5520.htm">青禾港开通第二条集装箱航线</a></p>
<p>下一篇:<a href="/news/guonei/2023-09/15/content_5522.htm">秋季学期校车线路调整</a></p></div>
</div>
<div class="xgxw"><h3>相关新闻</h3><ul>
<li><a href="/news/guonei/2023-08/02/content_5301.htm">白鹭湾公园完成二期改造</a></li>
<li><a href="/news/guonei/2023-07/19/content_5222.htm">青禾发布生物多样性保护计划</a></li></ul></div>
<div class="mzsm">凡本网注明“来源:XXX(非青禾新闻网)”的作品,均转载自其它媒体,转载目的在于传递更多信息,并不代表本网赞同其观点和对其真实性负责。</div>
<div class="right"><h3>特别关注</h3><ul><li><a href="/n/1.htm">全市秋粮收购工作有序展开</a></li></ul>
<h3>热文推荐</h3><ul><li><a href="/n/2.htm">青禾至临川高铁进入联调联试</a></li><li><a href="/n/3.htm">中秋假期出行提示</a></li></ul>
<h3>焦点资讯</h3><ul><li><a href="/n/4.htm">老旧小区加装电梯提速</a></li></ul></div>
</div>
<div class="foot">Copyright &copy; 2023 青禾新闻网 版权所有</div>
</body>
</html>"""


@pytest.fixture(params=["gbk", "utf-8"])
def article(request):
    html = seed_like_page(request.param).encode(request.param)
    fetched = datetime(2023, 9, 14, 10, 0, tzinfo=timezone(timedelta(hours=8)))
    art = extract_article(html, url=URL, fetched_at=fetched)
    assert art is not None
    return art


def test_title_is_the_headline(article):
    assert article.title == "青禾市首届湿地观鸟周启动"


def test_time_as_the_page_shows_it(article):
    # No offset on the page, no profile, no country-code host: the wall-clock time alone
    # (the page's language names no zone).
    assert article.published_at == "2023-09-14T08:05:30"
    assert (article.published_date, article.published_precision) == ("2023-09-14", "second")
    assert article.published_at_raw == "2023-09-14 08:05:30"


def test_source_authors_editor(article):
    assert article.source == "青禾晚报"
    assert article.authors == ["赵一鸣", "钱晓雯"]
    assert article.editor == "孙宁"


def test_tags_section_language_urls(article):
    assert article.tags == ["湿地", "观鸟", "生态保护"]
    assert article.section == ["新闻", "国内"]
    assert article.language == "zh"
    assert article.url == URL and article.canonical_url == URL
    assert article.site == "www.qinghe-news.invalid"
    assert article.fetched_at == "2023-09-14T10:00:00+08:00"


def test_body_is_the_paragraphs_and_nothing_else(article):
    paras = article.body.split("\n\n")
    assert len(paras) == len(PARAGRAPHS)
    assert paras[0].startswith("青禾网讯 9月13日")
    assert paras[-1].endswith("最期待的事。")  # the byline is taken out
    for junk in ("赵一鸣", "来源", "标签", "责任编辑", "上一篇", "下一篇", "相关新闻", "凡本网注明",
                 "热文推荐", "特别关注", "焦点资讯", "您现在的位置", "Copyright", "白鹭湾公园完成二期改造"):
        assert junk not in article.body, junk


def test_images_hash_and_version(article):
    assert article.images == ["http://www.qinghe-news.invalid/uploads/2023/09/egret.jpg"]
    assert article.content_hash == content_hash(article.body)
    assert article.extractor_version == EXTRACTOR_VERSION


def test_record_validates_against_the_schema(article):
    jsonschema.validate(json.loads(article.to_json()), load_schema())
