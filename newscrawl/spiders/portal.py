"""``portal``: from a profile's start URLs (home, sections) through list pages and their
pagination to every article page; multi-page articles become one record."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

from newscrawl.spiders.base import NewsSpider


class PortalSpider(NewsSpider):
    name = "portal"
    follow_links = True

    async def start(self) -> AsyncIterator[Any]:
        if not self.profile.start_urls:
            raise ValueError(f"profile {self.profile.name!r} has no start_urls for the portal spider")
        for url in self.profile.start_urls:
            yield self.page_request(url, priority=-1)
