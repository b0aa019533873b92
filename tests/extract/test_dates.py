"""Each date form the extractor reads, and the ones it must refuse."""

from datetime import datetime, timedelta, timezone

import pytest

from newscrawl.extract import dates

SHANGHAI = dates.page_zone(profile_zone="Asia/Shanghai")
FETCHED = datetime(2024, 5, 20, 12, 0, tzinfo=timezone(timedelta(hours=8)))


def iso(text, zone=SHANGHAI):
    found = dates.find_absolute(text)
    assert found is not None, text
    return found[0].iso(zone)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("时间:2022-04-26 11:01:53    来源:中国质量新闻网", "2022-04-26T11:01:53+08:00"),
        ("2022年04月26日 11:01", "2022-04-26T11:01:00+08:00"),
        ("2022年4月26日11:01", "2022-04-26T11:01:00+08:00"),
        ("发布时间：2022/4/26", "2022-04-26"),
        ("日期：2024.05.20", "2024-05-20"),
        ("2024 05/09 22:27:02", "2024-05-09T22:27:02+08:00"),
        ("2021-01-20 04:29:4439健康网", "2021-01-20T04:29:44+08:00"),
    ],
)
def test_chinese_numeric_forms(text, expected):
    assert iso(text) == expected


def test_offset_in_the_string_wins_over_the_zone():
    assert iso("2023-04-28T17:40:08+00:00") == "2023-04-28T17:40:08+00:00"
    assert iso("2023-04-28T17:40:08Z") == "2023-04-28T17:40:08+00:00"
    assert iso("May 3, 2023 10:12 AM EDT", zone=None) == "2023-05-03T10:12:00-04:00"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("April 26, 2022 at 3:05 pm", "2022-04-26T15:05:00+08:00"),
        ("26 April 2022", "2022-04-26"),
        ("Sept. 5, 2021", "2021-09-05"),
        ("26.04.2022, 11:30", "2022-04-26T11:30:00+08:00"),
    ],
)
def test_english_and_european_forms(text, expected):
    assert iso(text) == expected


def test_no_zone_known_gives_the_wall_clock_time_without_a_guessed_offset():
    assert iso("2022-04-26 11:01:53", zone=None) == "2022-04-26T11:01:53"
    assert iso("2022-04-26 11:01", zone=None) == "2022-04-26T11:01:00"


@pytest.mark.parametrize(
    ("text", "precision"),
    [("2022-04-26", "day"), ("2022-04-26 11:01", "minute"), ("2022-04-26 11:01:53", "second")],
)
def test_precision_says_how_much_of_the_time_the_page_gave(text, precision):
    assert dates.find_absolute(text)[0].precision == precision


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("２０２４年５月９日 ２２：２７", "2024-05-09T22:27:00+08:00"),  # full-width
        ("٢٠٢٤-٠٥-٠٩ ٢٢:٢٧", "2024-05-09T22:27:00+08:00"),  # Arabic-Indic
        ("۲۰۲۴/۰۵/۰۹", "2024-05-09"),  # Extended Arabic-Indic (Persian)
    ],
)
def test_digits_of_any_script(text, expected):
    assert iso(text) == expected


@pytest.mark.parametrize("text", ["2022-13-40", "2022-02-30 10:00", "1985-01-01", "2099-01-01", "2022-2035"])
def test_impossible_dates_are_refused_not_raised(text):
    assert dates.find_absolute(text) is None


def test_fallback_parser_reads_other_languages():
    found = dates.parse("Donnerstag, 4. Mai 2023")
    assert found is not None and found[0].iso(None) == "2023-05-04"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("3小时前", "2024-05-20T09:00:00+08:00"),
        ("25分钟前", "2024-05-20T11:35:00+08:00"),
        ("昨天 10:20", "2024-05-19T10:20:00+08:00"),
        ("前天", "2024-05-18"),
        ("2 hours ago", "2024-05-20T10:00:00+08:00"),
        ("5天前", "2024-05-15"),
    ],
)
def test_relative_forms_count_back_from_the_fetch_time(text, expected):
    found = dates.find_relative(text, FETCHED)
    assert found is not None
    assert found[0].iso(SHANGHAI) == expected


def test_relative_forms_without_fetch_time_give_nothing():
    assert dates.find_relative("3小时前", None) is None
    assert dates.find_relative("yesterday 10:20", None) is None


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("http://news.example.cn/2022-04/26/content_1.htm", "2022-04-26"),
        ("http://news.example.cn/a/t20220426_123.html", "2022-04-26"),
        ("https://example.com/2021/09/05/story.html", "2021-09-05"),
    ],
)
def test_url_dates(url, expected):
    found = dates.from_url(url)
    assert found is not None and found[0].iso(None) == expected


def test_url_without_a_date():
    assert dates.from_url("http://example.cn/news/12345.html") is None
    assert dates.from_url("http://example.cn/2022/13/45/x.html") is None


def test_zone_only_from_the_profile():
    assert dates.page_zone(profile_zone="Europe/Berlin").key == "Europe/Berlin"
    # No profile: no zone, whatever the host's country code or the page's language.
    assert dates.page_zone(profile_zone=None) is None
    assert dates.page_zone(profile_zone="Mars/Olympus") is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Von Christian Thiele, 07 Dezember, 2022", "2022-12-07"),
        ("Hamburg, den 02. Dezember 2022", "2022-12-02"),
        ("6 de mayo de 2022", "2022-05-06"),
        ("le 3 mars 2021 à 10h", "2021-03-03"),
    ],
)
def test_european_month_names(text, expected):
    assert iso(text, zone=None) == expected


def test_utc_time_said_in_the_page_zone_only_on_request():
    stamp = dates.find_absolute("2024-05-20T06:33:26+00:00")[0]
    assert stamp.iso(SHANGHAI) == "2024-05-20T06:33:26+00:00"
    assert stamp.iso(SHANGHAI, in_zone=True) == "2024-05-20T14:33:26+08:00"
    assert stamp.local_wall(SHANGHAI)[1:] == (14, 33)
