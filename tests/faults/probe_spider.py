"""A thin spider for the fault tests until the project's ``urls`` spider is merged in.

It does what a project spider does with a page: follows the links of index pages, and puts
every other page through BoundedExtractor, counting the outcome in the stats.
"""

from __future__ import annotations

import json

import scrapy
from scrapy.http import TextResponse
from w3lib.encoding import http_content_type_encoding

from newscrawl.bounded import BoundedExtractor, record_outcome


class ProbeSpider(scrapy.Spider):
    name = "probe"

    def __init__(self, urls: str = "[]", allowed: str = "", **kwargs):
        super().__init__(**kwargs)
        self.start_urls = json.loads(urls)
        self.allowed_domains = [d for d in allowed.split(",") if d]

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider.extractor = BoundedExtractor.from_crawler(crawler)
        return spider

    async def start(self):
        for url in self.start_urls:
            yield scrapy.Request(url, dont_filter=True, errback=self.failed)

    def failed(self, failure):
        # Counted already by FaultStatsMiddleware; one line here instead of a traceback.
        self.logger.info("gave up %s: %s", failure.request.url, failure.getErrorMessage())

    async def parse(self, response):
        if response.url.endswith("/index.html") and isinstance(response, TextResponse):
            for href in response.css("a::attr(href)").getall():
                yield response.follow(href, errback=self.failed)
            return
        charset = http_content_type_encoding(
            (response.headers.get(b"Content-Type") or b"").decode("latin-1"))
        outcome = await self.extractor.extract_async(response.body, response.url,
                                                     http_encoding=charset)
        record_outcome(self.crawler.stats, outcome, response.url)
        if outcome.article is not None:
            yield outcome.article
