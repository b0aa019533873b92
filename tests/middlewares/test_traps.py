"""Crawler-trap URL rules (newscrawl/middlewares/traps.py): traps are cut, articles never."""

from __future__ import annotations

from datetime import datetime

import pytest
from w3lib.url import canonicalize_url

from newscrawl.middlewares.traps import TrapRules

NOW = datetime(2026, 11, 20)


def rules() -> TrapRules:
    return TrapRules(now=NOW)


@pytest.mark.parametrize(("url", "rule"), [
    ("http://h/news/more/more/more/", "segment_repeat"),
    ("http://h/a/b/a/b/a/b/", "segment_repeat"),
    ("http://h/" + "/".join(f"d{i}" for i in range(17)) + "/", "path_depth"),
    ("http://h/archive/2031/13/", "date"),
    ("http://h/archive/2028/01/", "date"),
    ("http://h/archive/1901/05/", "date"),
    ("http://h/calendar/?year=2026&month=956", "date"),
    ("http://h/calendar/?year=2026&month=0", "date"),
    ("http://h/calendar/?year=9999&month=1", "date"),
    ("http://h/cal.php?date=2026-14-01", "date"),
    ("http://h/news/2026-11-32/", "date"),
])
def test_trap_shapes_are_named(url, rule):
    assert rules().shape_verdict(url) == rule


@pytest.mark.parametrize("url", [
    "http://h/news/more/more/",  # twice is a real "more" section page
    "http://h/news/guonei/2026-11/20/content_1000.htm",
    "http://h/shehui/202611/t20261120_2000.html",
    "http://h/2026/11/11/11/a.html",  # a repeated number is a date, not a loop
    "http://h/2027/01/05/a.html",  # next year: scheduled articles
    "http://h/1998/05/20/archive-story.html",
    "http://h/cal.php?year=2026&month=11&m=content",
    "http://h/news/1234/5678.html",
])
def test_real_pages_pass_the_shape_rules(url):
    assert rules().shape_verdict(url) is None


def test_query_rules_cap_facet_combinations_but_never_a_new_id():
    r = rules()
    # A dynamic CMS: every article is one path with a new id — all pass, however many.
    for n in range(1, 2001):
        url = canonicalize_url(f"http://h/index.php?m=content&c=index&a=show&catid={n % 20}&id={n}")
        assert r.query_verdict(url) is None
    # Faceted search: four facets recombined; the known values soon stop producing URLs.
    verdicts = [r.query_verdict(canonicalize_url(f"http://h/search?cat={c}&color={k}&sort={s}"))
                for c in range(1, 7) for k in range(1, 7) for s in range(1, 5)]
    passed = verdicts.count(None)
    assert 20 <= passed < 40 and verdicts.count("query_combinations") == len(verdicts) - passed
    # A parameter permutation is the same canonical URL: judged once, passes again.
    assert r.query_verdict(canonicalize_url("http://h/search?sort=1&color=1&cat=1")) is None


def test_query_keysets_per_path_are_capped():
    r = TrapRules(now=NOW, max_query_keysets=3)
    names = ["a", "b", "c", "d", "e"]
    verdicts = [r.query_verdict(f"http://h/s?{n}=1") for n in names]
    assert verdicts == [None, None, None, "query_keysets", "query_keysets"]
    assert r.query_verdict("http://h/other?d=1") is None  # per path
