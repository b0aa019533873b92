"""Running a crawl: the one settings merge (:mod:`newscrawl.crawl.settings`), the one spider
registry (:mod:`newscrawl.crawl.spiders`) and the one runner (:mod:`newscrawl.crawl.runner`),
shared by ``newscrawl crawl``, ``newscrawl demo``, the distributed roles and the tests, so
the tests exercise exactly what users run."""
