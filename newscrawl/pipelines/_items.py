"""Turning whatever a spider yields (an Article, a dict, any itemadapter item) into a dict."""

from __future__ import annotations

from typing import Any

from itemadapter import ItemAdapter

from newscrawl.record import Article


def item_to_dict(item: Any) -> dict[str, Any]:
    if isinstance(item, Article):
        return item.to_dict()
    if ItemAdapter.is_item(item):
        return ItemAdapter(item).asdict()
    raise TypeError(f"not an item: {type(item).__name__}")


def drop_reason_key(reason: str) -> str:
    """Stats key of a drop reason: ``archive/dropped/missing_title``."""
    return "archive/dropped/" + reason.split(":", 1)[0].strip().replace(" ", "_")
