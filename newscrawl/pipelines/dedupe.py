"""De-duplicate against this run and every earlier one (the SQLite state of the archive).

- same canonical URL, same body fingerprint → dropped as ``unchanged``;
- same canonical URL, another fingerprint → passes as a new version (``version`` + 1,
  ``previous_hash`` = the fingerprint it replaces);
- another URL, a fingerprint already stored (a repost) → passes marked ``duplicate_of`` the
  first article; the store files it with the duplicates and adds its URL to that article's
  ``also_at``.
Counted as ``archive/duplicates/url`` (unchanged), ``archive/duplicates/body`` (reposts) and
``archive/versions`` (changed content).
"""

from __future__ import annotations

from typing import Any

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem

from newscrawl.archive.extension import archive_of, require_archive_enabled
from newscrawl.archive.store import Archive, Kind, Outcome
from newscrawl.pipelines._items import drop_reason_key
from newscrawl.record import Article


class DedupePipeline:
    def __init__(self, crawler: Crawler, archive: Archive) -> None:
        self.stats = crawler.stats
        self.archive = archive

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> DedupePipeline:
        require_archive_enabled(crawler)
        return cls(crawler, archive_of(crawler))

    def process_item(self, item: Any, spider: Any = None) -> Any:
        assert self.stats is not None
        if not isinstance(item, Article):
            raise DropItem("not_an_article: NormalisePipeline did not turn it into an Article")
        outcome = self.archive.classify(item)
        if outcome.kind is Kind.UNCHANGED:
            self.archive.store(outcome)  # remembers new aliases of the article
            reason = "unchanged"
            self.stats.inc_value("archive/duplicates/url")
            self.stats.inc_value(drop_reason_key(reason))
            raise DropItem(f"{reason}: {outcome.canonical_url} is stored with this content",
                           log_level="DEBUG")
        if outcome.kind is Kind.DUPLICATE:
            self.stats.inc_value("archive/duplicates/body")
        elif outcome.kind is Kind.NEW_VERSION:
            self.stats.inc_value("archive/versions")
        self.archive.reserve(outcome)
        return DedupedArticle(outcome)


class DedupedArticle(dict[str, Any]):
    """What Dedupe hands Store: the decided record (a dict item, so other pipelines can read
    it) carrying the decision with it."""

    def __init__(self, outcome: Outcome) -> None:
        super().__init__(outcome.record)
        self.outcome = outcome
