"""A crawl-wide page budget, on by default: whatever a site does, a run ends.

The trap rules (:mod:`newscrawl.middlewares.traps`) stop the traps they know; the budget
stops the ones they do not. After NEWSCRAWL_PAGE_BUDGET responses the crawl is closed with
the finish reason ``budget``: the summary says "stopped: budget", the exit code is 3 (the
crawl did not finish) and the JOBDIR is kept, so the next run continues the queue. That
queue holds no trap frontier (trap requests are never scheduled) and is capped by
NEWSCRAWL_TRAP_MAX_FRONTIER.

Unlike ``--max-pages`` (CLOSESPIDER_PAGECOUNT, a limit the user asked for: exit 0), the
budget is a safeguard: reaching it means the site is larger than a run is meant to be, or
holds a trap. 0 turns it off; ``-s NEWSCRAWL_PAGE_BUDGET=N`` sets it for one run.
"""

from __future__ import annotations

import logging
from typing import Any

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.utils.defer import deferred_from_coro

logger = logging.getLogger(__name__)

BUDGET_REASON = "budget"


class PageBudget:
    def __init__(self, crawler: Crawler, budget: int) -> None:
        self.crawler = crawler
        self.budget = budget
        self.pages = 0
        self.closing = False
        crawler.signals.connect(self.response_received, signal=signals.response_received)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> PageBudget:
        budget = crawler.settings.getint("NEWSCRAWL_PAGE_BUDGET", 0)
        if budget <= 0:
            raise NotConfigured("NEWSCRAWL_PAGE_BUDGET is 0")
        assert crawler.stats is not None
        crawler.stats.set_value("newscrawl/budget/pages", budget)
        return cls(crawler, budget)

    def response_received(self, response: Any = None, request: Any = None, spider: Any = None) -> None:
        self.pages += 1
        if self.pages < self.budget or self.closing:
            return
        self.closing = True
        assert self.crawler.stats is not None and self.crawler.engine is not None
        self.crawler.stats.set_value("newscrawl/budget/reached", 1)
        logger.warning("Page budget of %d pages reached (NEWSCRAWL_PAGE_BUDGET): stopping; the "
                       "next run continues the queue", self.budget)
        deferred_from_coro(self.crawler.engine.close_spider_async(reason=BUDGET_REASON))
