"""Session and tracking parameters removed from URLs (newscrawl/middlewares/urlclean.py)."""

from __future__ import annotations

import pytest

from newscrawl.middlewares.urlclean import DEFAULT_STRIP_PARAMS, UrlCleaner

CLEANER = UrlCleaner(DEFAULT_STRIP_PARAMS)


@pytest.mark.parametrize(("dirty", "clean"), [
    ("http://h/news/a.html;jsessionid=0A1B2C", "http://h/news/a.html"),
    ("http://h/news;JSESSIONID=x/a.html?id=3", "http://h/news/a.html?id=3"),
    ("http://h/show.php?catid=3&id=22&sid=F00D", "http://h/show.php?catid=3&id=22"),
    ("http://h/a.php?PHPSESSID=9&id=1", "http://h/a.php?id=1"),
    ("http://h/a.html?utm_source=x&utm_medium=y&fbclid=z", "http://h/a.html"),
    ("http://h/a.html?spm=a1.b2&from=timeline&page=2", "http://h/a.html?page=2"),
    ("http://h/list.asp?ASPSESSIONIDQQ=ABC&p=3", "http://h/list.asp?p=3"),
])
def test_session_and_tracking_parameters_are_removed(dirty, clean):
    assert CLEANER.clean(dirty) == clean


@pytest.mark.parametrize("url", [
    "http://h/index.php?m=content&c=index&a=show&catid=10&id=123",
    "http://h/news/?page=2&order=desc",
    "http://h/a.html;type=a",  # a path parameter that is not a session
    "http://h/s?side=1&sidebar=0",  # names that merely start like one
])
def test_other_parameters_are_kept_as_they_are(url):
    assert CLEANER.clean(url) is url or CLEANER.clean(url) == url


def test_a_profile_adds_names_and_prefixes():
    cleaner = UrlCleaner([*DEFAULT_STRIP_PARAMS, "channelid", "track_*"])
    assert cleaner.clean("http://h/a.html?id=5&channelid=9&track_a=1&TRACK_b=2") == "http://h/a.html?id=5"
    assert CLEANER.clean("http://h/a.html?id=5&channelid=9") == "http://h/a.html?id=5&channelid=9"
