"""The headline from competing candidates; suffixes and site names cleaned off."""

from newscrawl.extract import title


def choose(**kw):
    base = dict(doc_title=None, meta_titles=[], headings=[], shown=[], site_name=None, host=None)
    base.update(kw)
    return title.choose_title(**base)


def test_suffix_with_channel_and_site_is_cut_by_the_displayed_line():
    got = choose(doc_title="滨海市举办图书节_国内新闻_滨海新闻网", shown=["首页", "滨海市举办图书节", "正文"])
    assert got == "滨海市举办图书节"


def test_heading_inside_the_title_wins():
    got = choose(doc_title="Budget talks stall again - Example Times", headings=["Budget talks stall again"],
                 shown=["Budget talks stall again"], host="www.exampletimes.com")
    assert got == "Budget talks stall again"


def test_og_title_spelling_preferred_over_heading_quotes():
    got = choose(doc_title="Mexico's economy grew | AP News", meta_titles=["Mexico's economy grew"],
                 headings=["Mexico’s economy grew"], shown=["AP News", "Mexico’s economy grew"], site_name="AP NEWS")
    assert got == "Mexico's economy grew"


def test_site_name_line_is_never_the_title():
    got = choose(doc_title="Zeitphilosophie – Dr. Alexander Klier", meta_titles=["Zeitphilosophie"],
                 headings=["Zeitphilosophie"], shown=["Dr. Alexander Klier", "Zeitphilosophie"],
                 site_name="Dr. Alexander Klier")
    assert got == "Zeitphilosophie"


def test_title_shown_whole_loses_to_the_shorter_headline_line():
    got = choose(doc_title="工商部门初定广告属于虚假宣传-搜狐财经",
                 shown=["工商部门初定广告属于虚假宣传-搜狐财经", "搜狐首页", "工商部门初定广告属于虚假宣传"])
    assert got == "工商部门初定广告属于虚假宣传"


def test_two_line_headline_is_joined_as_the_title_has_it():
    got = choose(doc_title="为建设凝聚强大智慧和力量——热烈祝贺会议开幕_政府网",
                 shown=["为建设凝聚强大智慧和力量", "——热烈祝贺会议开幕", "正文"])
    assert got == "为建设凝聚强大智慧和力量——热烈祝贺会议开幕"


def test_clean_title_without_page_evidence():
    assert title.clean_title("Headline here | Site", site_name="Site", host=None) == "Headline here"
    assert title.clean_title("标题内容在这里_新闻频道_某某网", site_name=None, host=None) == "标题内容在这里"


def test_title_naming_only_the_site_gives_way_to_the_displayed_headline():
    got = choose(doc_title="四板动态", shown=["四板动态", "5月LPR按兵不动"],
                 displayed=lambda: ("5月LPR按兵不动", 6))
    assert got == "5月LPR按兵不动"
