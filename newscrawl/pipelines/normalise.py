"""Normalise each item into an :class:`~newscrawl.record.Article` before it is validated
and compared: :func:`newscrawl.archive.normalise.normalise_record` (whitespace, full-width
noise, canonical URL, fingerprint, publish time in the site's zone), after session and
tracking parameters are removed from its URLs (``newscrawl.middlewares.urlclean``:
requests are cleaned before they are sent, this catches a page's own
``<link rel=canonical>`` that carries one).

Items that cannot be read as an Article pass unchanged: validation drops them with a reason.
"""

from __future__ import annotations

from datetime import tzinfo
from typing import Any
from zoneinfo import ZoneInfo

from scrapy.crawler import Crawler

from newscrawl.archive.extension import require_archive_enabled
from newscrawl.archive.normalise import normalise_record
from newscrawl.pipelines._items import item_to_dict
from newscrawl.record import Article
from newscrawl.urlclean import UrlCleaner


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
