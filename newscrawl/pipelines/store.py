"""Store each decided record in the site's JSONL files (see newscrawl.archive.store for why a
write is whole or absent). Counts ``archive/stored`` and ``archive/stored/<kind>``."""

from __future__ import annotations

from typing import Any

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem

from newscrawl.archive.extension import archive_of, require_archive_enabled, stop_on_write_error
from newscrawl.archive.store import Archive, Rejected
from newscrawl.pipelines.dedupe import DedupedArticle


class StorePipeline:
    """Also the ``--max-articles`` cap (``NEWSCRAWL_MAX_ARTICLES``): counted here, where a
    record is really stored, so no concurrency overshoots it (CLOSESPIDER_ITEMCOUNT counts
    items already on their way and stops late)."""

    def __init__(self, crawler: Crawler, archive: Archive) -> None:
        self.crawler = crawler
        self.stats = crawler.stats
        self.archive = archive
        self.max_articles = crawler.settings.getint("NEWSCRAWL_MAX_ARTICLES", 0)
        self.stored = 0

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StorePipeline:
        require_archive_enabled(crawler)
        return cls(crawler, archive_of(crawler))

    def process_item(self, item: Any, spider: Any = None) -> Any:
        assert self.stats is not None
        if not isinstance(item, DedupedArticle):
            raise DropItem("not_deduplicated: DedupePipeline must run before StorePipeline")
        if self.max_articles and self.stored >= self.max_articles:
            self.archive.release(item.outcome)
            raise DropItem("max_articles: --max-articles reached", log_level="INFO")
        try:
            outcome = self.archive.store(item.outcome)
        except Rejected as exc:
            raise DropItem(str(exc), log_level=exc.log_level) from None
        except OSError as exc:
            if stop_on_write_error(self.crawler, exc):
                raise DropItem(f"cant_write: {exc.strerror}", log_level="INFO") from None
            raise
        if outcome.path is not None:
            self.stored += 1
            if self.max_articles and self.stored >= self.max_articles:
                assert self.crawler.engine is not None
                from scrapy.utils.defer import deferred_from_coro

                deferred_from_coro(self.crawler.engine.close_spider_async(
                    reason="closespider_itemcount"))
        self.stats.inc_value("archive/stored")
        self.stats.inc_value(f"archive/stored/{outcome.kind.value}")
        return item
