"""``urls``: crawl a given list of article URLs — ``-a urls_file=PATH`` (``-`` for stdin,
one URL a line, ``#`` comments) or ``-a urls="URL URL ..."``. The hosts of the URLs are
the allowed hosts unless a profile (``-a site=``) says otherwise."""

from __future__ import annotations

import sys
from collections.abc import AsyncIterator
from typing import Any
from urllib.parse import urlsplit

from newscrawl.profiles import SiteProfile
from newscrawl.spiders.base import NewsSpider


def read_urls(urls: str | None = None, urls_file: str | None = None) -> list[str]:
    lines: list[str] = []
    if urls_file:
        if urls_file == "-":
            lines += sys.stdin.read().splitlines()
        else:
            with open(urls_file, encoding="utf-8") as fh:
                lines += fh.read().splitlines()
    if urls:
        lines += urls.split()
    found = []
    for line in lines:
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if urlsplit(line).scheme not in ("http", "https") or not urlsplit(line).hostname:
            raise ValueError(f"not an http(s) URL: {line!r}")
        found.append(line)
    return list(dict.fromkeys(found))


class UrlsSpider(NewsSpider):
    name = "urls"
    follow_links = False

    def __init__(self, urls: str | None = None, urls_file: str | None = None, **kwargs: Any) -> None:
        self.article_urls = read_urls(urls, urls_file)
        if not self.article_urls:
            raise ValueError("the urls spider needs URLs: -a urls_file=PATH (or -) or -a urls='...'")
        super().__init__(**kwargs)
        if not kwargs.get("site") and not kwargs.get("profile"):
            self.allowed_domains = list(dict.fromkeys(urlsplit(u).hostname or "" for u in self.article_urls))

    def default_profile(self, kwargs: dict[str, Any]) -> SiteProfile:
        hosts = tuple(dict.fromkeys(urlsplit(u).hostname or "" for u in self.article_urls))
        # The list's URLs are the origins (host and port) the crawl may ask.
        return SiteProfile(name="urls", start_urls=tuple(self.article_urls), allowed_hosts=hosts,
                           source="<url list>")

    async def start(self) -> AsyncIterator[Any]:
        for url in self.article_urls:
            if not self.allowed(url):
                self.refuse_offsite(url)
                continue
            # The list is the analyst's word that these are articles; the extractor
            # still returns nothing for a page without one.
            yield self.page_request(url, follow=False, pinned=True)
