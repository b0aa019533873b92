"""Validate each record against the published JSON Schema (newscrawl/schema).

A record without a title or body is dropped as ``missing_title`` / ``missing_body``; any other
schema violation as ``invalid_<field>`` (``invalid_record`` when no field is to blame). Each
reason is counted under ``archive/dropped/<reason>``; how many records passed under
``archive/validated``.
"""

from __future__ import annotations

from typing import Any

from jsonschema import Draft202012Validator
from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem

from newscrawl.archive.extension import require_archive_enabled
from newscrawl.pipelines._items import drop_reason_key, item_to_dict
from newscrawl.record import load_schema


def drop_reason(data: dict[str, Any], validator: Draft202012Validator) -> str | None:
    """Why ``data`` is not a valid record, as ``reason: detail``; None when it is valid."""
    for key in ("title", "body"):
        value = data.get(key)
        if not isinstance(value, str) or not value.strip():
            return f"missing_{key}: the record has no {key}"
    errors = sorted(validator.iter_errors(data), key=lambda e: list(e.absolute_path))
    if not errors:
        return None
    error = errors[0]
    path = [str(p) for p in error.absolute_path]
    if path:
        name = path[0]
    elif error.validator == "additionalProperties":
        name = "extra_keys"
    elif error.validator == "required":
        name = "missing_fields"
    else:
        name = "record"
    return f"invalid_{name}: {error.message[:200]}"


class ValidatePipeline:
    def __init__(self, crawler: Crawler) -> None:
        self.stats = crawler.stats
        self.validator = Draft202012Validator(load_schema())

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
