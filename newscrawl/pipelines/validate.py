"""Validate each record against the published JSON Schema (newscrawl/schema), by
:func:`newscrawl.archive.validate.drop_reason`. Each drop reason is counted under
``archive/dropped/<reason>``; how many records passed under ``archive/validated``.
"""

from __future__ import annotations

from typing import Any

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem

from newscrawl.archive.extension import require_archive_enabled
from newscrawl.archive.validate import RecordValidator, drop_reason
from newscrawl.pipelines._items import drop_reason_key, item_to_dict


class ValidatePipeline:
    def __init__(self, crawler: Crawler) -> None:
        self.stats = crawler.stats
        self.validator = RecordValidator()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ValidatePipeline:
        require_archive_enabled(crawler)
        return cls(crawler)

    def process_item(self, item: Any, spider: Any = None) -> Any:
        data: dict[str, Any] = {}
        reason: str | None
        try:
            data = item_to_dict(item)
        except TypeError as exc:
            reason = f"not_an_item: {exc}"
        else:
            reason = drop_reason(data, self.validator)
        if reason is not None:
            assert self.stats is not None
            self.stats.inc_value(drop_reason_key(reason))
            self.stats.inc_value("archive/dropped")
            url = data.get("url")
            raise DropItem(f"{reason} ({url or 'no url'})", log_level="INFO")
        assert self.stats is not None
        self.stats.inc_value("archive/validated")
        return item
