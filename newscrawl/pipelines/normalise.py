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
- the fingerprint is recomputed from the normalised body; keys come in the record's order;
- the publish time, when the site's profile names a time zone, is said in that zone (the
  same instant): a time resolved from "3小时前" against a UTC fetch time, or a UTC time in
  the page's metadata, then reads as the portal's clock and date, and all of a site's
  records share one offset (readers such as pandas type a column of one offset as a
  datetime); a time without an offset gets the zone's. A date alone stays that date.

Items that cannot be read as an Article pass unchanged: validation drops them with a reason.
"""

from __future__ import annotations

import re
from datetime import datetime, tzinfo
from typing import Any
from zoneinfo import ZoneInfo

from scrapy.crawler import Crawler
from w3lib.url import canonicalize_url

from newscrawl.pipelines._items import item_to_dict
from newscrawl.record import Article, content_hash, normalise_published
from newscrawl.store.extension import require_archive_enabled
from newscrawl.urlclean import UrlCleaner

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


def in_zone(published_at: str, zone: tzinfo) -> str:
    """``published_at`` (a full date and time) said in ``zone``: the same instant when it
    has an offset, the zone's offset added when it has none."""
    try:
        moment = datetime.fromisoformat(published_at.replace("Z", "+00:00"))
    except ValueError:
        return published_at  # validation rejects it
    moment = moment.astimezone(zone) if moment.tzinfo else moment.replace(tzinfo=zone)
    return moment.isoformat()


def publish_time_in_zone(data: dict[str, Any], zone: tzinfo | None) -> dict[str, Any]:
    """``data`` with its publish time (and so its date) said in ``zone``; a date alone, or
    no zone, leaves it as it is."""
    published = data.get("published_at")
    if isinstance(published, str) and zone is not None:
        at, _, precision = normalise_published(published, None, data.get("published_precision"))
        if at is not None and precision != "day":
            data = dict(data)
            data["published_at"] = in_zone(at, zone)
            data["published_date"] = data["published_at"][:10]
            data["published_precision"] = precision
    return data


def normalise_record(data: dict[str, Any], zone: tzinfo | None = None) -> dict[str, Any]:
    data = publish_time_in_zone(dict(data), zone)
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


def profile_zone(spider: Any) -> tzinfo | None:
    """The time zone the spider's site profile names, if any."""
    name = getattr(getattr(spider, "profile", None), "timezone", None)
    return ZoneInfo(name) if isinstance(name, str) and name else None


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
            data = normalise_record(self.clean_urls(item_to_dict(item)),
                                    profile_zone(self.crawler.spider))
            article = Article.from_dict(data)
        except (TypeError, ValueError):
            return item  # not an Article: ValidatePipeline drops it with the reason
        return article
