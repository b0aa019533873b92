"""Each credit form: source, authors, editor, and the body-edge credit lines."""

import pytest

from newscrawl.extract import bylines


@pytest.mark.parametrize(
    ("line", "source"),
    [
        ("时间:2022-04-26 11:01:53    来源:中国质量新闻网", "中国质量新闻网"),
        ("2005年3月11日12:12 来源：[ 人民网 ]", "人民网"),
        ("发布时间：2021-01-20浏览次数：次来源：39健康网", "39健康网"),
        ("发布时间：2022-02-11 09:52:09来源：巴彦淖尔日报点击次数：", "巴彦淖尔日报"),
        ("本文来源于北京商报 2024-05-20 09:47:48", "北京商报"),
        ("( 2012-06-04 09:20:26 ) 稿件来源： 河北日报", "河北日报"),
        ("信息来源： 内蒙古日报", "内蒙古日报"),
        ("稿源：经济日报 编辑：王五", "经济日报"),
        ("作者： 赵婕 出自[人民文学出版社]", "人民文学出版社"),
        ("发稿时间：2024-05-20 13:15:00 来源：央视新闻客户端 中国青年网", "央视新闻客户端"),
        ("Source: Reuters", "Reuters"),
    ],
)
def test_source_labels(line, source):
    assert bylines.source_in(line) == source


@pytest.mark.parametrize(
    "line",
    ["来源:转载 作者:孙仲旻", "来源：互联网", "来源：本站原创", "它的名字来源于古希腊语，意为红色的海洋",
     "凡本网注明“来源：XXX（非本网）”的作品，均转载自其它媒体"],
)
def test_junk_sources_and_disclaimers_name_no_outlet(line):
    assert bylines.source_in(line) is None


@pytest.mark.parametrize(
    ("line", "authors"),
    [
        ("作者：伊琳 李清芬 来源：新华网", ["伊琳", "李清芬"]),
        ("时间：2022-02-14 03:01 作者：魑皇 浏览：次", ["魑皇"]),
        ("文/张三", ["张三"]),
        ("By Jane Doe and John Smith | May 3", ["Jane Doe", "John Smith"]),
        ("ggjjzhzz 发表于 2005-9-15 11:46:00", ["ggjjzhzz"]),
        ("作者：admin", []),
    ],
)
def test_author_labels(line, authors):
    assert bylines.parse_line(line).authors == authors


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("本报记者罗科苏盈发自北京", ["罗科苏盈"]),
        ("据新华社拉萨电（记者 格桑边觉）记者近日从", ["格桑边觉"]),
        ("光明日报记者 王建宏 张文攀", ["王建宏", "张文攀"]),
        ("新京报记者 彭冲 山东冠县报道", ["彭冲"]),
        ("记者了解到，", []),
        ("记者从上海昆剧团获悉", []),
    ],
)
def test_reporter_forms(text, names):
    assert bylines.reporters_in(text) == names


def test_editor_forms():
    assert bylines.parse_line("来源：巴彦淖尔日报 编辑：苏亮").editor == "苏亮"
    assert bylines.parse_line("[作者: 刘满仓 责任编辑: 杨丹宇 ]").editor == "杨丹宇"
    assert bylines.parse_line("[作者: 刘满仓 责任编辑: 杨丹宇 ]").authors == ["刘满仓"]


def test_split_credits_takes_the_trailing_byline_in_parentheses():
    paras, credits = bylines.split_credits(["第一段内容。", "最后一段内容。(井惠群 吴晓丽)", "责任编辑：张三"])
    assert paras == ["第一段内容。", "最后一段内容。"]
    assert credits.authors == ["井惠群", "吴晓丽"]
    assert credits.editor == "张三"


def test_split_credits_reads_editor_and_source_lines_and_drops_them():
    paras, credits = bylines.split_credits(["正文一。", "正文二。", "（责编：郝帅、杨迪）", "来源：北京青年报"])
    assert paras == ["正文一。", "正文二。"]
    assert credits.editor == "郝帅、杨迪"
    assert credits.source == "北京青年报"


def test_split_credits_reporter_in_first_paragraph_keeps_the_text():
    paras, credits = bylines.split_credits(["本报讯（记者叶婉）近日，项目启动。", "第二段。"])
    assert paras[0].startswith("本报讯")
    assert credits.authors == ["叶婉"]


def test_split_credits_leaves_plain_paragraphs_alone():
    paras, credits = bylines.split_credits(["他说（这是真的）。", "结尾。"])
    assert paras == ["他说（这是真的）。", "结尾。"]
    assert credits.authors == [] and credits.source is None and credits.editor is None


def test_trailing_place_report_is_not_a_name():
    _, credits = bylines.split_credits(["正文。（姚峰 上海报道）"])
    assert credits.authors == ["姚峰"]


def test_photographer_credit_is_no_author():
    assert bylines.reporters_in("阿比纳德尔发表胜选演讲。 新华社记者 李梦馨 摄") == []


def test_poster_account_is_no_author():
    assert bylines.parse_line("日期：2024-05-20 发布者：风继续吹 来源：1905电影网").authors == []


def test_furniture_words_are_no_names():
    assert bylines.split_names("播报文章") == []
    assert bylines.bare_names("正文") == []


def test_closing_parenthesis_naming_the_editor_is_not_an_author():
    paras, credits = bylines.split_credits(["正文内容很长的一段。（郭旭）", "【责任编辑：郭旭】"])
    assert paras == ["正文内容很长的一段。"]
    assert credits.editor == "郭旭" and credits.authors == []


@pytest.mark.parametrize(
    ("line", "authors"),
    [("作者：本报记者 张三", ["张三"]), ("作者：记者 李四 王五", ["李四", "王五"]), ("作者:网络", []),
     ("作者：本站编辑", [])],
)
def test_author_label_followed_by_a_reporter_phrase_or_junk(line, authors):
    assert bylines.parse_line(line).authors == authors


def test_editor_below_the_body_container_and_spaced_byline():
    """A profile that drops furniture can leave the editor line outside the body's
    container, and body text loses the spaces of "（记者 罗思远 郭静）": both still read."""
    from newscrawl import ExtractProfile, extract_article

    para = "<p>" + "清溪镇今年以来围绕乡村振兴累计开展检查二百余次，督促整改问题六十多项。" * 3 + "</p>"
    html = ("<html><head><meta charset=utf-8><title>清溪镇推进乡村振兴_东方网</title></head><body>"
            "<h1>清溪镇推进乡村振兴</h1><div class=info>时间：2026-11-18 12:20 来源：云岭融媒</div>"
            "<div class=share>分享到：微信 微博</div>"
            f"<div class=content>{para}{para}<p>（记者 罗思远 郭静）</p></div>"
            "<div class=editor>责任编辑：罗伟</div><div class=prenext>上一篇：甲 下一篇：乙</div>"
            "</body></html>")
    for profile in (None, ExtractProfile(drop_selectors=("div.share", "div.prenext"))):
        article = extract_article(html.encode("utf-8"), url="http://news.example.cn/a/1.html",
                                  profile=profile)
        assert article is not None
        assert article.editor == "罗伟", profile
        assert article.authors == ["罗思远", "郭静"], profile
        assert "记者" not in article.body and "罗伟" not in article.body, profile
