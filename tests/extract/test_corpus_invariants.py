"""Invariants on the shared corpora: what must not change a record.

Held-out pages arrive as bytes or as text, with or without a URL, and with <meta charset>
declarations that lie. On every corpus page: text input gives the record that bytes give;
a false <meta charset> put in front changes nothing; without the URL the page is still an
article with the same headline and body (only URL-derived fields may differ).
"""

from __future__ import annotations

import re

from corpus_metrics import corpus_dir, read_cases

from newscrawl import extract_article

# Fields a record gets from the page alone (url, canonical_url, site, images and the
# fetch time come from outside or are made absolute against the URL).
PAGE_FIELDS = ("title", "body", "published_at", "source", "authors", "editor", "tags", "section", "language")


def cases():
    found = [case for folder in ("corpus", "corpus-templated")
             for case in read_cases(corpus_dir(folder, "invariants"))]
    assert len(found) > 150
    return found


CASES = cases()


def fields(article):
    return None if article is None else {name: getattr(article, name) for name in PAGE_FIELDS}


def true_text(raw: bytes, truth: dict) -> str:
    codec = (truth.get("encoding") or "utf-8").lower()
    if codec.startswith("gb"):
        codec = "gb18030"
    return raw.decode(codec)


def with_lying_charset(raw: bytes) -> bytes:
    """The page with its charset declarations replaced by a false windows-1252 one."""
    stripped = re.sub(rb"<meta[^>]*charset[^>]*>", b"", raw, flags=re.I)
    lie = b'<meta http-equiv="Content-Type" content="text/html; charset=windows-1252">'
    head = re.search(rb"<head[^>]*>", stripped, flags=re.I)
    if head:
        return stripped[: head.end()] + lie + stripped[head.end():]
    return lie + stripped


def test_text_input_gives_the_record_bytes_give():
    differ = [name for name, raw, truth in CASES
              if fields(extract_article(raw, truth.get("url"))) != fields(extract_article(true_text(raw, truth), truth.get("url")))]
    assert not differ, differ


def test_a_lying_meta_charset_changes_nothing():
    differ = [name for name, raw, truth in CASES
              if fields(extract_article(raw, truth.get("url"))) != fields(extract_article(with_lying_charset(raw), truth.get("url")))]
    assert not differ, differ


def test_without_a_url_headline_and_body_stay():
    differ = []
    for name, raw, truth in CASES:
        with_url, without = extract_article(raw, truth.get("url")), extract_article(raw)
        if (with_url is None) != (without is None) or (
                with_url is not None and (with_url.title, with_url.body) != (without.title, without.body)):
            differ.append(name)
    assert not differ, differ
