"""Tags: the article's tag line, or its keywords — not the site's keyword list."""

import lxml.html

from newscrawl.extract import tags


def test_tag_line_split_on_spaces():
    assert tags.tags_from_line("标签: 知识产权 知识产权保护 市知识产权局", None) == ["知识产权", "知识产权保护", "市知识产权局"]


def test_tag_line_of_links_glued_together_uses_the_links():
    el = lxml.html.fromstring('<div>标签： <a href="#">蓝羽会客厅</a><a href="#">北京影人</a><a href="#">中国电影报道</a></div>')
    assert tags.tags_from_line(el.text_content().strip(), el) == ["蓝羽会客厅", "北京影人", "中国电影报道"]


def test_keyword_line_with_commas_and_english_label():
    assert tags.tags_from_line("关键词：LPR，利率", None) == ["LPR", "利率"]
    assert tags.tags_from_line("Tags: Mexico, Latin America", None) == ["Mexico", "Latin America"]


def test_not_a_tag_line():
    assert tags.tags_from_line("本站关键字：东莞做网站 东莞建网站", None) is None
    assert tags.tags_from_line("热门关键词 食品安全 暴雨", None) is None


def test_article_keywords_kept_when_the_article_uses_them():
    kept = tags.article_keywords(["短缺", "药品信息", "新闻"], title="短缺药品保供稳价",
                                 text="短缺药品信息监测共享正在推进。", site_name=None, host=None)
    assert kept == ["短缺", "药品信息"] or kept == ["短缺", "药品信息", "新闻"]


def test_site_wide_keywords_are_not_tags():
    site_wide = tags.split_keywords(["东莞做网站,东莞建网站,网站建设,网站制作"])
    assert tags.article_keywords(site_wide, title="现代汽车再次提速", text="上海车展上现代汽车发布新车。",
                                 site_name=None, host=None) == []


def test_site_name_and_generic_words_dropped_from_the_keywords_meta_only():
    assert "新闻" in tags.split_keywords(["dailymail,新闻,Florida,Federal Reserve"])  # a listed tag
    words = tags.split_keywords(["dailymail,新闻,Florida,Federal Reserve"], drop_generic=True)
    assert "新闻" not in words
    kept = tags.article_keywords(words, title="Your $1 bill", text="In Florida the Federal Reserve said",
                                 site_name="Daily Mail", host="www.dailymail.co.uk")
    assert kept == ["Florida", "Federal Reserve"]


def test_very_long_lists_are_site_lists():
    many = [f"词{i}" for i in range(40)]
    assert tags.article_keywords(many, title="词1", text=" ".join(many), site_name=None, host=None) == []


def test_chinese_keywords_used_in_other_words_still_count():
    kept = tags.article_keywords(["留学经验分享", "留学面试"], title="在英国找工作",
                                 text="分享一些留学的经验,以及面试的准备。", site_name=None, host=None)
    assert kept == ["留学经验分享", "留学面试"]


def test_article_tag_meta_is_kept_as_given():
    assert tags.article_keywords(["Parks"], title="x", text="y", site_name=None, host=None, per_article=True) == ["Parks"]
    assert tags.article_keywords(["Parks"], title="x", text="y", site_name=None, host=None) == []


def test_tag_line_value_ends_at_the_next_label():
    line = "标签： 留学经验分享 留学面试 留学指南 发布于：2015-11-05 11:34 51offer编辑：Alice"
    assert tags.tags_from_line(line, None) == ["留学经验分享", "留学面试", "留学指南"]


def test_tags_whole_with_slash_and_hash_only_as_prefix():
    assert tags.split_keywords(["AI/机器学习, #热点, C#"]) == ["AI/机器学习", "热点", "C#"]
    assert tags.tidy(["  TCP/IP ", "TCP/IP", "＃要闻"]) == ["TCP/IP", "要闻"]
