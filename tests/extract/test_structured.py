"""The structured-data reader: one candidate source per test, on invented markup."""

import lxml.html

from newscrawl.extract import structured


def read(markup: str) -> structured.Structured:
    return structured.read(lxml.html.fromstring(markup))


def values(data: structured.Structured, name: str, **kw) -> list[tuple[str, str]]:
    return [(c.value, c.origin) for c in data.values(name, **kw)]


def ld(obj: str) -> str:
    return f'<html><head><script type="application/ld+json">{obj}</script></head><body><p>x</p></body></html>'


def test_json_ld_graph_article_subtype_beats_webpage():
    data = read(ld('{"@graph": [{"@type": "WebPage", "headline": "Page"},'
                   '{"@type": "ReportageNewsArticle", "headline": "Story", "datePublished": "2024-03-02T10:00:00+08:00"}]}'))
    assert data.ld["headline"] == "Story"
    assert values(data, "published") == [("2024-03-02T10:00:00+08:00", "json-ld")]


def test_json_ld_array_and_namespaced_type_and_report():
    data = read(ld('[{"@type": "Organization", "name": "Org"}, {"@type": "schema:Report", "headline": "R"}]'))
    assert data.ld["headline"] == "R"


def test_json_ld_webpage_used_when_no_article():
    data = read(ld('{"@type": "WebPage", "headline": "Only page", "dateModified": "2024-01-01"}'))
    assert data.ld["headline"] == "Only page"
    assert values(data, "modified") == [("2024-01-01", "json-ld")]
    assert values(data, "published") == []


def test_json_ld_nested_author_person_is_not_the_article():
    data = read(ld('{"@type": "WebPage", "mainEntity": {"@type": "NewsArticle", "headline": "Inner",'
                   '"author": {"@type": "Person", "name": "A B"}}}'))
    assert data.ld["headline"] == "Inner"
    assert structured.ld_people(data.ld["author"]) == [("A B", "person")]


def test_json_ld_author_forms():
    people = structured.ld_people([{"@type": "Organization", "name": "Daily"}, "C D",
                                   {"name": "E F"}])
    assert people == [("Daily", "organization"), ("C D", "string"), ("E F", "person")]


def test_json_ld_bad_block_ignored_and_breadcrumbs_read():
    data = read('<html><head><script type="application/ld+json">{bad</script>'
                '<script type="application/ld+json">{"@type":"BreadcrumbList","itemListElement":'
                '[{"name":"Home"},{"item":{"name":"World"}}]}</script></head><body></body></html>')
    assert data.crumbs == ["Home", "World"]
    assert data.ld == {}


def test_microdata_sidebar_author_card_is_not_the_articles():
    data = read('''<html><body>
      <article itemscope itemtype="https://schema.org/BlogPosting">
        <h1 itemprop="headline">Post</h1>
        <time itemprop="dateCreated datePublished" datetime="2024-05-01T09:30:00+08:00">May 1</time>
        <span itemprop="author" itemscope itemtype="https://schema.org/Person">
          <span itemprop="name">Wang Ming</span></span>
      </article>
      <aside class="sidebar"><div class="site-author" itemprop="author" itemscope
        itemtype="https://schema.org/Person"><p itemprop="name">Site Owner</p>
        <div itemprop="description">A blog about things</div></div></aside></body></html>''')
    assert values(data, "author") == [("Wang Ming", "microdata")]
    assert ("Site Owner", "microdata") in values(data, "author", in_article_only=False)
    assert values(data, "published") == [("2024-05-01T09:30:00+08:00", "microdata")]
    assert values(data, "title") == [("Post", "microdata")]


def test_microdata_modified_apart_from_published():
    data = read('<html><body><div itemscope itemtype="http://schema.org/NewsArticle">'
                '<meta itemprop="dateModified" content="2024-02-02"><meta itemprop="datePublished" '
                'content="2024-02-01"><meta itemprop="keywords" content="a/b, c">'
                '<span itemprop="articleSection">Tech</span></div></body></html>')
    assert values(data, "published") == [("2024-02-01", "microdata")]
    assert values(data, "modified") == [("2024-02-02", "microdata")]
    assert values(data, "keywords") == [("a/b, c", "microdata")]
    assert values(data, "section") == [("Tech", "microdata")]


def test_hatom_abbr_published_title_and_updated():
    data = read('<html><body><div class="hentry"><abbr class="published" title="2023-07-08T14:05:00+02:00">'
                'Sat 08 July 2023</abbr><abbr class="modified updated" title="2023-07-09T10:00:00+02:00">x</abbr>'
                '<address class="vcard author">By <a class="url fn" href="/a">Ana Ruiz</a></address></div></body></html>')
    assert values(data, "published") == [("2023-07-08T14:05:00+02:00", "hatom")]
    assert values(data, "modified") == [("2023-07-09T10:00:00+02:00", "hatom")]
    assert values(data, "author") == [("Ana Ruiz", "h-entry")]


def test_h_entry_dt_published_and_p_author():
    data = read('<html><body><article class="h-entry"><time class="dt-published" datetime="2022-01-02 03:04">'
                'x</time><time class="dt-updated" datetime="2022-02-02">y</time>'
                '<a class="p-author h-card" href="/me">Lee Kim</a></article></body></html>')
    assert values(data, "published") == [("2022-01-02 03:04", "h-entry")]
    assert values(data, "modified") == [("2022-02-02", "h-entry")]
    assert values(data, "author") == [("Lee Kim", "h-entry")]


def test_time_element_labelled_as_update_is_modified():
    data = read('<html><body><p>发表于 <time datetime="2021-03-04T05:06:07+08:00">2021-03-04</time>'
                '</p><p>更新于 <time datetime="2021-05-06T07:08:09+08:00">2021-05-06</time></p>'
                '<time title="修改时间：2021-06-01" datetime="2021-06-01T00:00:00+08:00">x</time></body></html>')
    assert values(data, "published") == [("2021-03-04T05:06:07+08:00", "time")]
    assert [v for v, _ in values(data, "modified")] == ["2021-05-06T07:08:09+08:00", "2021-06-01T00:00:00+08:00"]


def test_rel_author_link_and_frame_rel_author():
    data = read('<html><body><article><a rel="author" href="/u/1">Jo Ng</a></article>'
                '<footer><a rel="author" href="/about">Site Team</a></footer></body></html>')
    assert values(data, "author") == [("Jo Ng", "rel-author")]


def test_meta_tags_by_every_key_attribute():
    data = read('<html><head><meta property="article:published_time" content=" 2024-01-01T00:00:00Z ">'
                '<meta name="DC.creator" content="X Y"><meta itemprop="keywords" content="k">'
                '<meta name="empty" content=""></head><body></body></html>')
    assert data.meta["article:published_time"] == ["2024-01-01T00:00:00Z"]
    assert data.meta["dc.creator"] == ["X Y"]
    assert data.meta["keywords"] == ["k"]
    assert "empty" not in data.meta
