"""Normalise a record before it is validated and compared.

- whitespace: runs folded to one space in one-line fields; in the body, each paragraph
  trimmed and folded, empty paragraphs dropped, paragraphs joined by one blank line;
- full-width noise: ideographic and no-break spaces, and full-width ASCII letters and digits
  (``ＡＢＣ１２３``) become their ASCII form; CJK punctuation (，。“”《》) is text and stays;
- URLs: session and tracking parameters are removed from ``url`` and ``canonical_url``
  (``newscrawl.middlewares.urlclean``: requests are cleaned before they are sent, this
  catches a page's own ``<link rel=canonical>`` that carries one); ``canonical_url`` is
  w3lib's canonical form of the page's canonical URL (else of the URL);
- lists (authors, tags, section, images): trimmed, empties and repeats dropped, order kept;
- the fingerprint is recomputed from the normalised body; keys come in the record's order.

Items that cannot be read as an Article pass unchanged: validation drops them with a reason.
"""

from __future__ import annotations

import re
from typing import Any

from scrapy.crawler import Crawler
from w3lib.url import canonicalize_url

from newscrawl.middlewares.urlclean import UrlCleaner
from newscrawl.pipelines._items import item_to_dict
from newscrawl.record import Article, content_hash
from newscrawl.store.extension import require_archive_enabled

# Spaces that are noise in text: ideographic space, no-break and other Unicode spaces,
# zero-width characters and BOMs left by CMS editors.
_NOISE_SPACE = re.compile(r"[\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000\t\f\v]")
_ZERO_WIDTH = re.compile(r"[\u200b-\u200d\u2060\ufeff]")
_SPACE_RUN = re.compile(r" {2,}")
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
# Full-width ASCII letters and digits (U+FF10–FF19, FF21–FF3A, FF41–FF5A).
_FULLWIDTH_ALNUM = re.compile(r"[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]")

_LINE_FIELDS = ("title", "source", "editor", "published_at_raw", "language", "site")
_LIST_FIELDS = ("authors", "tags", "section", "images")


def _halfwidth(match: re.Match[str]) -> str:
    return chr(ord(match.group()) - 0xFEE0)


def clean_line(text: str) -> str:
    text = _ZERO_WIDTH.sub("", text)
    text = _FULLWIDTH_ALNUM.sub(_halfwidth, text)
    text = _NOISE_SPACE.sub(" ", text).replace("\r", " ").replace("\n", " ")
    return _SPACE_RUN.sub(" ", text).strip()


def clean_body(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    paragraphs = []
    for block in _PARAGRAPH_BREAK.split(text):
        # A single newline inside a paragraph is a soft break: keep it, trim around it.
        lines = [clean_line(line) for line in block.split("\n")]
        paragraph = "\n".join(line for line in lines if line)
        if paragraph:
            paragraphs.append(paragraph)
    return "\n\n".join(paragraphs)


def _clean_list(values: Any) -> Any:
    if not isinstance(values, list):
        return values  # left for validation to reject
    seen: dict[str, None] = {}
    for value in values:
        if isinstance(value, str):
            value = clean_line(value)
            if value:
                seen.setdefault(value, None)
    return list(seen)


def normalise_record(data: dict[str, Any]) -> dict[str, Any]:
    data = dict(data)
    for key in _LINE_FIELDS:
        if isinstance(data.get(key), str):
            data[key] = clean_line(data[key]) or None
    if isinstance(data.get("title"), str) or data.get("title") is None:
        data["title"] = data.get("title") or ""
    if isinstance(data.get("body"), str):
        data["body"] = clean_body(data["body"])
        data["content_hash"] = content_hash(data["body"])
    for key in _LIST_FIELDS:
        if key in data:
            data[key] = _clean_list(data[key])
    for key in ("url", "canonical_url"):
        if isinstance(data.get(key), str):
            data[key] = data[key].strip() or None
    base = data.get("canonical_url") or data.get("url")
    if isinstance(base, str) and base:
        data["canonical_url"] = canonicalize_url(base)
    return data


class NormalisePipeline:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.stats = crawler.stats
        self._cleaner: UrlCleaner | None = None

    def clean_urls(self, data: dict[str, Any]) -> dict[str, Any]:
        if self._cleaner is None:  # built on first use: the spider's profile exists by then
            profile = getattr(self.crawler.spider, "profile", None)
            self._cleaner = UrlCleaner.from_crawler(self.crawler, getattr(profile, "strip_params", ()))
        for key in ("url", "canonical_url"):
            if isinstance(data.get(key), str):
                data[key] = self._cleaner.clean(data[key])
        return data

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> NormalisePipeline:
        require_archive_enabled(crawler)
        return cls(crawler)

    def process_item(self, item: Any, spider: Any = None) -> Any:
        try:
            data = normalise_record(self.clean_urls(item_to_dict(item)))
            article = Article.from_dict(data)
        except (TypeError, ValueError):
            return item  # not an Article: ValidatePipeline drops it with the reason
        return article
