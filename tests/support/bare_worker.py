"""A worker process for tests/distributed/test_scheduler.py: a bare spider on the reliable Redis scheduler.

Usage: python bare_worker.py REDIS_URL WORKER_ID OUT_FILE START_URL [--seed]
Each item (one per article page) is appended to OUT_FILE as one JSON line, flushed at once.
"""

from __future__ import annotations

import json
import sys

from scrapy import Request, Spider
from scrapy.crawler import CrawlerProcess

from newscrawl.distributed.settings import redis_settings


class BareSpider(Spider):
    name = "bare"

    def __init__(self, start_url: str = "", seed: str = "", out: str = "", **kwargs):
        super().__init__(**kwargs)
        self.start_url, self.seed, self.out = start_url, seed == "1", out

    async def start(self):
        if self.seed:
            yield Request(self.start_url, callback=self.parse)

    def parse(self, response):
        for href in response.css("a.article::attr(href)").getall():
            yield response.follow(href, callback=self.parse_article, cb_kwargs={"list": response.url})
        for href in response.css("a.next::attr(href)").getall():
            yield response.follow(href, callback=self.parse)

    def parse_article(self, response, list):
        with open(self.out, "a", encoding="utf-8") as fh:
            fh.write(json.dumps({"url": response.url, "list": list}) + "\n")
        yield {"url": response.url}


def main() -> None:
    redis_url, worker, out, start_url = sys.argv[1:5]
    seed = "1" if "--seed" in sys.argv else ""
    settings = {
        **redis_settings(redis_url, site="bare", worker_id=worker),
        "NEWSCRAWL_REDIS_HEARTBEAT_TTL": 2.0,
        "NEWSCRAWL_REDIS_TICK": 0.3,
        "ROBOTSTXT_OBEY": False,
        "CONCURRENT_REQUESTS": 4,
        "LOG_LEVEL": "INFO",
        "TELNETCONSOLE_ENABLED": False,
        "REMOTE_CONTROL_ENABLED": False,
        "TWISTED_REACTOR": "twisted.internet.asyncioreactor.AsyncioSelectorReactor",
    }
    process = CrawlerProcess(settings)
    process.crawl(BareSpider, start_url=start_url, seed=seed, out=out)
    process.start()


if __name__ == "__main__":
    main()
