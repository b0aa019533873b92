"""Store each decided record in the site's JSONL files (see newscrawl.store.archive for why a
write is whole or absent). Counts ``archive/stored`` and ``archive/stored/<kind>``."""

from __future__ import annotations

from typing import Any

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem

from newscrawl.pipelines.dedupe import DedupedArticle
from newscrawl.store.archive import Archive
from newscrawl.store.extension import archive_of, require_archive_enabled


class StorePipeline:
    def __init__(self, crawler: Crawler, archive: Archive) -> None:
        self.stats = crawler.stats
        self.archive = archive

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StorePipeline:
        require_archive_enabled(crawler)
        return cls(crawler, archive_of(crawler))

    def process_item(self, item: Any, spider: Any = None) -> Any:
        assert self.stats is not None
        if not isinstance(item, DedupedArticle):
            raise DropItem("not_deduplicated: DedupePipeline must run before StorePipeline")
        outcome = self.archive.store(item.outcome)
        self.stats.inc_value("archive/stored")
        self.stats.inc_value(f"archive/stored/{outcome.kind.value}")
        return item
