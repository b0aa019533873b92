"""Field choice among candidates, one rule class per test, on invented markup."""

from newscrawl import extract_article

PARAS = ("<p>The harbour board met on Tuesday evening to discuss the plan for the new ferry pier "
         "and the cost of dredging the channel.</p><p>Members asked for a second survey before any "
         "money is committed, and the vote was put off until next month.</p>")


def page(head: str = "", body: str = "", lang: str = "en") -> str:
    return (f'<html lang="{lang}"><head><title>Harbour board delays pier vote</title>{head}</head>'
            f"<body><article><h1>Harbour board delays pier vote</h1>{body}{PARAS}</article></body></html>")


def test_time_shown_with_its_offset_beats_a_utc_meta_of_the_same_instant():
    # Static-site generators write article:published_time in UTC and <time> in the author's zone.
    art = extract_article(page(
        head='<meta property="article:published_time" content="2024-03-01T02:30:00.000Z">',
        body='<span>发表于 <time title="创建时间：2024-03-01 10:30:00" itemprop="dateCreated datePublished" '
             'datetime="2024-03-01T10:30:00+08:00">2024-03-01</time></span>'), url="https://blog.example.org/p/1/")
    assert art is not None and art.published_at == "2024-03-01T10:30:00+08:00"
    assert art.published_precision == "second"


def test_published_beats_updated_whatever_comes_first():
    art = extract_article(page(body='<p class="meta">更新于 <time datetime="2024-06-09T08:00:00+08:00">6月9日'
                                    '</time> · 发表于 <time datetime="2024-06-01T09:15:00+08:00">6月1日</time></p>'),
                          url="https://blog.example.org/p/2/")
    assert art is not None and art.published_at == "2024-06-01T09:15:00+08:00"


def test_date_modified_microdata_is_not_the_publish_time():
    art = extract_article(page(body='<div itemscope itemtype="https://schema.org/BlogPosting">'
                                    '<meta itemprop="dateModified" content="2024-06-09T08:00:00+02:00">'
                                    '<meta itemprop="datePublished" content="2024-06-01T09:15:00+02:00"></div>'),
                          url="https://blog.example.org/p/3/")
    assert art is not None and art.published_at == "2024-06-01T09:15:00+02:00"


def test_hatom_abbr_published_title_gives_the_full_time_and_its_offset():
    # Pelican's default theme: the visible date has no time; the abbr's title has it.
    art = extract_article(page(body='<footer class="post-info"><abbr class="published" '
                                    'title="2023-07-08T14:05:00+02:00">sam. 08 juillet 2023</abbr></footer>',
                               lang="fr"), url="https://carnet.example.org/billet.html")
    assert art is not None and art.published_at == "2023-07-08T14:05:00+02:00"


def test_language_is_no_offset_source():
    art = extract_article(page(body="<p class=\"date\">2023-07-08 14:05</p>", lang="tr"),
                          url="https://blog.example.org/yazi.html")
    assert art is not None and art.published_at == "2023-07-08T14:05:00"


def test_profile_zone_gives_the_offset_a_page_lacks():
    from newscrawl.extract.profile import ExtractProfile

    art = extract_article(page(body="<p class=\"date\">2023-07-08 14:05</p>"),
                          url="https://blog.example.org/yazi.html",
                          profile=ExtractProfile(timezone="Europe/Istanbul"))
    assert art is not None and art.published_at == "2023-07-08T14:05:00+03:00"


def test_date_only_meta_takes_the_time_the_page_shows_that_day():
    art = extract_article(page(head='<meta name="pubdate" content="2024-05-18">',
                               body='<p class="date">2024-05-18 07:45</p>'), url="https://news.example.cn/a.html")
    assert art is not None and art.published_at == "2024-05-18T07:45:00"


def test_date_only_page_gives_midnight_with_day_precision():
    art = extract_article(page(body='<p class="date">2024-05-18</p>'), url="https://news.example.cn/a.html")
    assert art is not None
    assert (art.published_at, art.published_date, art.published_precision) == (
        "2024-05-18T00:00:00", "2024-05-18", "day")


def test_local_clock_under_the_headline_says_the_offset_of_a_utc_meta():
    art = extract_article(page(head='<meta property="article:published_time" content="2024-02-28T14:54:09Z">',
                               body='<p class="date">February 28 2024, 9:54 a.m.</p>'),
                          url="https://news.example.org/story")
    assert art is not None and art.published_at == "2024-02-28T09:54:09-05:00"


def test_a_meta_date_far_from_the_urls_date_loses():
    # A template's stale or site-wide date: the URL dates the article.
    art = extract_article(page(head='<meta name="pubdate" content="2019-01-01T00:00:00+08:00">'),
                          url="https://news.example.org/2024/05/18/pier-vote.html")
    assert art is not None and art.published_at is not None
    assert art.published_at.startswith("2024-05-18")


# ---- authors ----------------------------------------------------------------------------

SIDEBAR = ('<aside class="sidebar"><div class="site-author" itemprop="author" itemscope '
           'itemtype="http://schema.org/Person"><p class="site-author-name" itemprop="name">Harbour Notes</p>'
           '<div class="site-description" itemprop="description">Notes from the harbour town</div></div></aside>')


def test_sidebar_author_card_is_never_the_author_and_the_posts_byline_is():
    markup = page(head='<meta name="author" content="Harbour Notes">',
                  body='<p class="byline">作者：林小雨</p>').replace("</article>", "</article>" + SIDEBAR)
    art = extract_article(markup, url="https://blog.example.org/p/4/")
    assert art is not None and art.authors == ["林小雨"]


def test_sidebar_author_card_alone_gives_no_author():
    markup = page().replace("</article>", "</article>" + SIDEBAR)
    art = extract_article(markup, url="https://blog.example.org/p/5/")
    assert art is not None and art.authors == []


def test_publisher_and_site_description_are_no_authors():
    head = ('<meta name="description" content="Harbour town news"><meta name="author" content="Harbour town news">'
            '<script type="application/ld+json">{"@type":"NewsArticle","publisher":{"@type":"Organization",'
            '"name":"Harbour Daily"},"author":{"@type":"Organization","name":"Harbour Daily"}}</script>')
    art = extract_article(page(head=head), url="https://news.example.org/a")
    assert art is not None and art.authors == []


def test_labelled_account_name_is_the_author_an_unlabelled_word_is_not():
    art = extract_article(page(body="<p class=\"info\">日期：2024-05-18 作者：lee_w</p>"),
                          url="https://bbs.example.org/t/1.html")
    assert art is not None and art.authors == ["lee_w"]
    art = extract_article(page(head='<meta name="author" content="admin">'), url="https://bbs.example.org/t/2.html")
    assert art is not None and art.authors == []


def test_several_names_in_a_latin_byline():
    art = extract_article(page(body="<p class=\"byline\">By Ana Ruiz, Tom Lee and Jo Ng</p>"),
                          url="https://news.example.org/b")
    assert art is not None and art.authors == ["Ana Ruiz", "Tom Lee", "Jo Ng"]


def test_bracketed_latin_byline():
    art = extract_article(page(body="<p class=\"byline\">By [Ana Ruiz]</p>"), url="https://news.example.org/c")
    assert art is not None and art.authors == ["Ana Ruiz"]


def test_json_ld_person_whose_name_lists_several():
    head = ('<script type="application/ld+json">{"@type":"NewsArticle","author":{"@type":"Person",'
            '"name":"Ana Ruiz, Tom Lee and Jo Ng"}}</script>')
    art = extract_article(page(head=head), url="https://news.example.org/d")
    assert art is not None and art.authors == ["Ana Ruiz", "Tom Lee", "Jo Ng"]


def test_article_microdata_author_inside_its_itemscope():
    body = ('<div itemscope itemtype="https://schema.org/NewsArticle"><span itemprop="author" itemscope '
            'itemtype="https://schema.org/Person"><span itemprop="name">Ana Ruiz</span></span></div>')
    art = extract_article(page(body=body), url="https://news.example.org/e")
    assert art is not None and art.authors == ["Ana Ruiz"]


# ---- source -----------------------------------------------------------------------------


def test_category_label_after_the_date_is_no_source():
    body = ('<div class="post-meta">发表于 2024-03-01 10:30 分类于 <a href="/categories/hot/">热点</a></div>'
            '<p class="info">Posted in <a href="/c/news">Politics</a></p>')
    art = extract_article(page(body=body), url="https://blog.example.cn/p/6/")
    assert art is not None and art.source is None


def test_labelled_source_variants_still_read():
    for line in ("来源：示例晚报", "稿源：示例晚报", "文章来源: 示例晚报"):
        art = extract_article(page(body=f'<p class="info">2024-03-01 10:30 {line}</p>'),
                              url="https://news.example.cn/a.html")
        assert art is not None and art.source == "示例晚报", line


# ---- tags -------------------------------------------------------------------------------


def test_rel_tag_links_kept_whole_and_common_ones_kept():
    body = ('<div class="post-tags"><a href="/tags/a" rel="tag"># 热点</a><a href="/tags/b" rel="tag">要闻</a>'
            '<a href="/tags/c" rel="tag">AI/机器学习</a><a href="/tags/d" rel="tag">C#</a>'
            '<a href="/tags/e" rel="tag">harbour policy</a></div>')
    art = extract_article(page(body=body), url="https://blog.example.cn/p/7/")
    assert art is not None and art.tags == ["热点", "要闻", "AI/机器学习", "C#", "harbour policy"]


def test_article_tag_meta_kept_whole():
    head = '<meta property="article:tag" content="TCP/IP"><meta property="article:tag" content="News">'
    art = extract_article(page(head=head), url="https://blog.example.org/p/8/")
    assert art is not None and art.tags == ["TCP/IP", "News"]
