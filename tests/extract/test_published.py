"""The publish time chosen among the page's candidates (extract/published.py): one markup
class or one rule per test, on small invented pages."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from newscrawl import extract_article
from newscrawl.extract.profile import ExtractProfile

PARAS = ("<p>港区管理委员会周二晚间开会，讨论新渡轮码头的建设方案和航道疏浚的费用，"
         "与会成员对工程预算提出了多项问题。</p><p>委员们要求在投入资金之前进行第二次勘测，"
         "表决推迟到下个月进行，届时将公布勘测结果并听取居民意见。</p>")
FETCHED = datetime(2026, 11, 25, 10, 0, tzinfo=timezone(timedelta(hours=8)))


LATIN_PARAS = ("<p>The harbour board met on Tuesday evening to discuss the plan for the new ferry pier "
               "and the cost of dredging the channel.</p><p>Members asked for a second survey before any "
               "money is committed, and the vote was put off until next month.</p>")


def page(head: str = "", meta_line: str = "", *, lang: str = "zh-CN", paras: str = PARAS) -> str:
    return (f'<html lang="{lang}"><head><meta charset="utf-8"><title>港区码头表决推迟</title>{head}</head>'
            f'<body><article class="post"><h1 class="post-title">港区码头表决推迟</h1>{meta_line}'
            f'<div class="post-body">{paras}</div></article></body></html>')


def published(markup: str, url: str = "http://127.0.0.1:8000/posts/pier/", **kw) -> tuple[str | None, str | None]:
    art = extract_article(markup, url=url, fetched_at=kw.pop("fetched_at", FETCHED), **kw)
    assert art is not None
    return art.published_at, art.published_precision


# ---- the page's own offset beats a UTC meta of the same instant ------------------------

UTC_META = '<meta property="article:published_time" content="2024-03-01T02:30:00.000Z">'


def test_hexo_next_time_with_offset_beats_the_utc_open_graph_time():
    # Hexo + NexT: article:published_time in UTC, the post meta's <time> in the site's zone.
    meta_line = ('<div class="post-meta"><span class="post-meta-item"><span class="post-meta-item-text">发表于</span>'
                 '<time title="创建时间：2024-03-01 10:30:00" itemprop="dateCreated datePublished" '
                 'datetime="2024-03-01T10:30:00+08:00">2024-03-01</time></span>'
                 '<span class="post-meta-item"><span class="post-meta-item-text">更新于</span>'
                 '<time title="修改时间：2024-03-04 13:30:00" itemprop="dateModified" '
                 'datetime="2024-03-04T13:30:00+08:00">2024-03-04</time></span></div>')
    markup = page(UTC_META + '<meta property="article:modified_time" content="2024-03-04T05:30:00.000Z">',
                  meta_line).replace('<article class="post"', '<article class="post" itemscope '
                                     'itemtype="http://schema.org/Article"')
    assert published(markup) == ("2024-03-01T10:30:00+08:00", "second")


def test_h_entry_dt_published_with_offset_beats_a_utc_meta():
    meta_line = '<p><time class="dt-published" datetime="2024-03-01T10:30:00+08:00">2024年3月1日</time></p>'
    markup = page(UTC_META, meta_line).replace('class="post"', 'class="post h-entry"')
    assert published(markup)[0] == "2024-03-01T10:30:00+08:00"


def test_hatom_abbr_published_title_as_pelicans_default_theme_writes_it():
    meta_line = ('<footer class="post-info"><abbr class="published" title="2023-07-08T14:05:00+02:00">'
                 'sam. 08 juillet 2023</abbr></footer>')
    assert published(page(meta_line=meta_line, lang="fr")) == ("2023-07-08T14:05:00+02:00", "second")


def test_hatom_updated_abbr_before_the_published_one_is_not_taken():
    meta_line = ('<footer class="post-info"><abbr class="updated" title="2023-07-10T09:00:00+02:00">'
                 'lun. 10 juillet 2023</abbr> <abbr class="published" title="2023-07-08T14:05:00+02:00">'
                 'sam. 08 juillet 2023</abbr></footer>')
    assert published(page(meta_line=meta_line, lang="fr"))[0] == "2023-07-08T14:05:00+02:00"


def test_a_utc_meta_whose_instant_the_page_does_not_show_stays_utc():
    assert published(page(UTC_META)) == ("2024-03-01T02:30:00+00:00", "second")


def test_utc_meta_takes_the_offset_of_the_local_clock_the_page_shows():
    meta_line = '<div class="meta">2024-03-01 10:30　来源：港区日报</div>'
    assert published(page(UTC_META, meta_line))[0] == "2024-03-01T10:30:00+08:00"


# ---- a shown time beats a date alone -----------------------------------------------------

def test_date_only_json_ld_takes_the_time_the_dateline_shows_that_day():
    ld = ('<script type="application/ld+json">{"@type":"NewsArticle","headline":"港区码头表决推迟",'
          '"datePublished":"2024-05-18"}</script>')
    assert published(page(ld, '<div class="info">发布时间：2024-05-18 07:45</div>')) == ("2024-05-18T07:45:00", "minute")


def test_date_only_everywhere_is_midnight_with_day_precision():
    assert published(page(meta_line='<div class="info">发布日期：2024-05-18</div>')) == ("2024-05-18T00:00:00", "day")


# ---- published beats updated -------------------------------------------------------------

def test_wordpress_updated_time_before_the_published_one_is_not_taken():
    # A WordPress theme's entry-meta: <time class="updated"> may come first in the markup.
    meta_line = ('<div class="entry-meta"><span class="posted-on">'
                 '<time class="updated" datetime="2024-06-09T08:00:00+08:00">2024年6月9日</time>'
                 '<time class="entry-date published" datetime="2024-06-01T09:15:00+08:00">2024年6月1日</time>'
                 '</span></div>')
    assert published(page(meta_line=meta_line))[0] == "2024-06-01T09:15:00+08:00"


@pytest.mark.parametrize("line", [
    "更新于 2024-06-09 08:00 发布于 2024-06-01 09:15",
    "Updated: 2024-06-09 08:00 | Published: 2024-06-01 09:15",
    "最后修改：2024-06-09 08:00　发表时间：2024-06-01 09:15",
])
def test_an_update_date_first_on_the_dateline_loses_to_the_published_one(line):
    assert published(page(meta_line=f'<div class="meta">{line}</div>'))[0] == "2024-06-01T09:15:00"


def test_date_modified_json_ld_alone_is_not_read_before_the_dateline():
    ld = ('<script type="application/ld+json">{"@type":"Article","headline":"港区码头表决推迟",'
          '"dateModified":"2024-06-09T08:00:00+08:00"}</script>')
    assert published(page(ld, '<div class="meta">2024-06-01 09:15</div>'))[0] == "2024-06-01T09:15:00"


def test_an_open_graph_update_time_loses_to_a_published_time_element():
    head = '<meta property="og:updated_time" content="2024-06-09T08:00:00+08:00">'
    meta_line = '<p>发布于 <time datetime="2024-06-01T09:15:00+08:00">6月1日</time></p>'
    assert published(page(head, meta_line))[0] == "2024-06-01T09:15:00+08:00"


def test_a_modification_time_is_taken_only_when_nothing_else_dates_the_page():
    head = '<meta property="article:modified_time" content="2024-06-09T08:00:00+08:00">'
    assert published(page(head))[0] == "2024-06-09T08:00:00+08:00"


# ---- no offset on the page: the profile's zone, else none ---------------------------------

@pytest.mark.parametrize("url", ["http://news.example.cn/a/1.html", "http://news.example.de/a/1.html",
                                 "http://127.0.0.1:8000/a/1.html"])
def test_no_offset_and_no_profile_zone_gives_a_naive_wall_clock_whatever_the_host(url):
    assert published(page(meta_line='<div class="meta">2024-05-18 07:45:12</div>'), url=url)[0] == "2024-05-18T07:45:12"


@pytest.mark.parametrize("lang", ["fr", "tr", "zh-CN", "ja"])
def test_the_page_language_gives_no_offset(lang):
    meta_line = '<footer class="post-info"><abbr class="published" title="2023-07-08T14:05:00">8.7.2023</abbr></footer>'
    assert published(page(meta_line=meta_line, lang=lang))[0] == "2023-07-08T14:05:00"


def test_the_profile_zone_gives_the_offset_a_page_lacks_and_not_one_it_has():
    profile = ExtractProfile(timezone="Asia/Shanghai")
    assert published(page(meta_line='<div class="meta">2024-05-18 07:45</div>'),
                     profile=profile)[0] == "2024-05-18T07:45:00+08:00"
    assert published(page(meta_line='<p><time datetime="2024-05-18T07:45:00+02:00">18.5.2024</time></p>'),
                     profile=profile)[0] == "2024-05-18T07:45:00+02:00"


# ---- a candidate that disagrees with the shown date or the URL's loses -------------------

def test_a_meta_date_far_from_the_shown_date_loses():
    # A template's site-wide or stale date in the meta: the dateline under the headline dates it.
    head = '<meta name="pubdate" content="2019-01-01T00:00:00+08:00">'
    assert published(page(head, '<div class="meta">发布时间：2024-05-18 07:45</div>'))[0] == "2024-05-18T07:45:00"


def test_a_meta_date_far_from_the_urls_date_loses():
    head = '<meta name="pubdate" content="2019-01-01T00:00:00+08:00">'
    got = published(page(head), url="http://127.0.0.1:8000/2024/05/18/pier.html")
    assert got == ("2024-05-18T00:00:00", "day")


def test_a_meta_date_a_day_from_the_shown_date_is_kept():
    # Within a day: the meta is the same instant said in another zone, or the day it was filed.
    head = '<meta property="article:published_time" content="2024-05-17T23:45:00Z">'
    assert published(page(head, '<div class="meta">2024-05-18 07:45</div>'))[0] == "2024-05-18T07:45:00+08:00"


# ---- digits of any script ----------------------------------------------------------------

@pytest.mark.parametrize(("line", "expected"), [
    ("２０２４年５月１８日　０７：４５", "2024-05-18T07:45:00"),  # full-width
    ("٢٠٢٤-٠٥-١٨ ٠٧:٤٥", "2024-05-18T07:45:00"),  # Arabic-Indic
    ("۱۸/۰۵/۲۰۲۴", "2024-05-18T00:00:00"),  # Extended Arabic-Indic (Persian, Urdu)
])
def test_digits_of_any_script_are_read(line, expected):
    assert published(page(meta_line=f'<div class="meta">{line}</div>'))[0] == expected


def test_full_width_year_less_dateline_is_read_against_the_fetch_year():
    assert published(page(meta_line='<div class="meta">１１月５日　０９：３０</div>'))[0] == "2026-11-05T09:30:00"


# ---- the record's contract ------------------------------------------------------------------

def test_record_has_full_datetime_date_and_precision():
    art = extract_article(page(meta_line='<div class="meta">2024-05-18 07:45</div>'),
                          url="http://127.0.0.1:8000/p/1.html", fetched_at=FETCHED)
    assert art is not None
    assert (art.published_at, art.published_date, art.published_precision) == (
        "2024-05-18T07:45:00", "2024-05-18", "minute")


# ---- date text in any language (dateparser, told the page's language) ----------------------

@pytest.mark.parametrize(("lang", "line", "expected"), [
    ("el", "Δημοσίευση: 5 Νοεμβρίου 2026, 09:30", "2026-11-05T09:30:00"),
    ("vi", "Thứ năm, ngày 5 tháng 11 năm 2026 09:30", "2026-11-05T09:30:00"),
    ("hi", "प्रकाशित: 5 नवंबर 2026", "2026-11-05T00:00:00"),
    ("ar", "نشر في ٥ نوفمبر ٢٠٢٦", "2026-11-05T00:00:00"),
    ("uk", "5 листопада 2026, 09:30", "2026-11-05T09:30:00"),
])
def test_a_dateline_in_the_words_of_the_pages_language(lang, line, expected):
    # Paragraphs whose script names no language (Latin): the declared one stands.
    markup = page(meta_line=f'<div class="meta">{line}</div>', lang=lang, paras=LATIN_PARAS)
    assert published(markup)[0] == expected


def test_a_date_in_words_far_from_the_urls_date_loses_to_it():
    got = published(page(meta_line='<div class="meta">5 Νοεμβρίου 2019</div>', lang="el", paras=LATIN_PARAS),
                    url="http://127.0.0.1:8000/2026/11/05/pier.html")
    assert got == ("2026-11-05T00:00:00", "day")


@pytest.mark.parametrize("label", ["Aggiornato", "Atualizado", "Bijgewerkt", "Обновлено", "Last modified"])
def test_update_labels_of_other_languages_yield_to_the_published_date(label):
    line = f"{label}: 09.06.2024 08:00 | 01.06.2024 09:15"
    assert published(page(meta_line=f'<div class="meta">{line}</div>', paras=LATIN_PARAS))[0] == "2024-06-01T09:15:00"


def test_a_relative_update_time_is_not_the_publish_time():
    meta_line = '<div class="meta">Updated 2 hours ago</div>'
    got = published(page(meta_line=meta_line, paras=LATIN_PARAS), url="http://127.0.0.1:8000/2026/11/20/pier.html")
    assert got == ("2026-11-20T00:00:00", "day")


def test_a_time_element_without_datetime_marked_updated_is_skipped():
    meta_line = ('<p><time class="updated">2024-06-09 08:00</time></p>'
                 '<p>Posted on <time class="entry-date">2024-06-01 09:15</time></p>')
    assert published(page(meta_line=meta_line, paras=LATIN_PARAS))[0] == "2024-06-01T09:15:00"
