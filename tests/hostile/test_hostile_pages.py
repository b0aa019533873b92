"""Every hostile page gets its expected outcome: a record, or a drop with a named reason.

Each page goes the way a crawled page goes: pre-checks and extraction in a bounded worker
(newscrawl.bounded), then its JSON line. Never an exception, never a hang.
"""

from __future__ import annotations

import json

import jsonschema
import pytest
from bounded_pages import PageExtractor
from hostile_pages import KNOWN_ISSUES, PAGES, HostilePage

from newscrawl.bounded import DROP_REASONS
from newscrawl.record import load_schema

SCHEMA = load_schema()


@pytest.fixture(scope="module")
def pool():
    with PageExtractor(timeout=5.0, workers=2) as extractor:
        yield extractor


def check_record_line(article) -> str:
    """The record's JSONL line: one line, strict UTF-8, parses back, validates."""
    line = article.to_json()
    assert "\n" not in line and "\r" not in line
    assert len(line.splitlines()) == 1, "a reader splitting on str.splitlines() sees one line"
    line.encode("utf-8")  # strict: lone surrogates would raise
    data = json.loads(line)
    jsonschema.validate(data, SCHEMA)
    return line


def _params():
    for page in PAGES:
        marks = [pytest.mark.timeout(60)]
        issue = page.known_issue or KNOWN_ISSUES.get(page.name)
        if issue:
            marks.append(pytest.mark.xfail(strict=True, reason=issue))
        yield pytest.param(page, id=page.name, marks=marks)


@pytest.mark.parametrize("page", list(_params()))
def test_hostile_page(pool: PageExtractor, page: HostilePage):
    body = page.build()
    outcome = pool.extract(body, page.url, fetched_at=page.fetched_at,
                           http_encoding=page.http_encoding)
    expect = page.expect
    assert outcome.reason is None or outcome.reason in DROP_REASONS
    if expect.reason is not None:
        assert outcome.article is None and outcome.reason == expect.reason, (
            f"expected drop {expect.reason!r}, got {outcome.reason!r} {outcome.detail[:300]}"
            + (f" title={outcome.article.title!r}" if outcome.article else ""))
        return
    assert outcome.article is not None, f"dropped: {outcome.reason} {outcome.detail[:500]}"
    article = outcome.article
    check_record_line(article)
    if expect.title:
        assert expect.title in article.title
    for fragment in expect.body:
        assert fragment in article.body
    if expect.published_at is not Ellipsis:
        assert article.published_at == expect.published_at, article.published_at_raw
    if expect.check:
        expect.check(article)


def test_the_suite_covers_each_kind_of_page():
    names = {p.name for p in PAGES}
    assert len(PAGES) == len(names) >= 30
    reasons = {p.expect.reason for p in PAGES if p.expect.reason}
    assert {"too_large", "binary_content", "empty_page", "not_article"} <= reasons
