"""Scrapy settings of the newscrawl project (``scrapy.cfg`` points here).

Polite by default: robots.txt obeyed, AutoThrottle on, a few requests per host at a
time with a delay, an honest User-Agent naming newscrawl and the operator's contact
(``NEWSCRAWL_CONTACT``), retries on 5xx and timeouts. ``newscrawl crawl`` starts from these
and overrides per run (data dir, limits, cache).
"""

BOT_NAME = "newscrawl"
SPIDER_MODULES = ["newscrawl.spiders"]
NEWSPIDER_MODULE = "newscrawl.spiders"

TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"
REQUEST_FINGERPRINTER_IMPLEMENTATION = "2.7"
FEED_EXPORT_ENCODING = "utf-8"

# Who we are: the User-Agent is "newscrawl/<version> (+<NEWSCRAWL_CONTACT>)" unless
# USER_AGENT is set explicitly. Set the contact to a URL or mail address site owners can use.
NEWSCRAWL_CONTACT = ""

# Politeness.
ROBOTSTXT_OBEY = True
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 4
DOWNLOAD_DELAY = 0.5
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 2.0
COOKIES_ENABLED = False
# A page yields at most one record (and its links); Scrapy starts CONCURRENT_ITEMS worker
# tasks per response to process its output, so the default 100 is pure overhead here.
CONCURRENT_ITEMS = 8
# No listening socket during a crawl: Scrapy's telnet console and its remote-control HTTP
# server (on by default since Scrapy 2.19, it runs any Python code sent to it) would let
# any local user act as the crawl's user. Off unless asked for (-s REMOTE_CONTROL_ENABLED=True).
TELNETCONSOLE_ENABLED = False
REMOTE_CONTROL_ENABLED = False

# Robustness: retry server errors and timeouts a few times, backing off; follow redirects (the offsite
# filter drops those that leave the allowed hosts); give up on huge pages.
DOWNLOAD_TIMEOUT = 30
RETRY_ENABLED = True
RETRY_TIMES = 2
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]
# ...with exponential backoff before each retry (newscrawl/middlewares/backoff.py).
NEWSCRAWL_RETRY_BACKOFF = 1.0
NEWSCRAWL_RETRY_BACKOFF_MAX = 60.0
REDIRECT_ENABLED = True
REDIRECT_MAX_TIMES = 5
DOWNLOAD_MAXSIZE = 16 * 1024 * 1024
DOWNLOAD_WARNSIZE = 4 * 1024 * 1024

# Breadth-first: list pages are explored level by level, so a depth limit cuts old
# pagination rather than whole sections.
DEPTH_LIMIT = 0
DEPTH_PRIORITY = 1
SCHEDULER_DISK_QUEUE = "newscrawl.archive.diskqueue.SafePickleFifoDiskQueue"  # disk full: exit 73
SCHEDULER_MEMORY_QUEUE = "scrapy.squeues.FifoMemoryQueue"
DEPTH_STATS_VERBOSE = False

# Development cache (--cache turns it on; the directory goes under the data dir).
HTTPCACHE_ENABLED = False
HTTPCACHE_DIR = "httpcache"
HTTPCACHE_IGNORE_HTTP_CODES = [500, 502, 503, 504, 408, 429]

LOG_LEVEL = "INFO"
# A failed page is counted, and logged as one INFO line, not an ERROR with a traceback;
# NEWSCRAWL_TRACEBACKS (newscrawl --debug) keeps tracebacks (newscrawl/crawl/logs.py).
# (PageErrorLog is listed in EXTENSIONS below.)
NEWSCRAWL_TRACEBACKS = False

# --- Hostile input and network faults (docs/robustness.md) --------------------------------
# Each newscrawl middleware replaces the Scrapy one it extends, at the same place in the chain.
DOWNLOADER_MIDDLEWARES = {
    "scrapy.downloadermiddlewares.offsite.OffsiteMiddleware": None,
    "newscrawl.middlewares.hostguard.HostGuardMiddleware": 50,
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "newscrawl.middlewares.retry.RetryAfterMiddleware": 550,
    "scrapy.downloadermiddlewares.httpcompression.HttpCompressionMiddleware": None,
    "newscrawl.middlewares.compression.SafeHttpCompressionMiddleware": 590,
    "scrapy.downloadermiddlewares.redirect.RedirectMiddleware": None,
    "newscrawl.middlewares.redirect.LoopSafeRedirectMiddleware": 600,
    "newscrawl.middlewares.backoff.RetryBackoff": 560,
    # Beside DownloaderStats (850): sees every failed attempt before the retry takes it.
    "newscrawl.middlewares.faults.FaultStatsMiddleware": 860,
    # Before everything: a redirect target still carrying a session ID is cleaned first.
    "newscrawl.middlewares.urlclean.UrlCleanDownloaderMiddleware": 40,
    # Below HttpCompression (590), above DownloaderStats (850): the cached body it hands on
    # for a 304 is already decompressed, and the bytes counted are the bytes transferred.
    "newscrawl.middlewares.conditional.ConditionalRequestMiddleware": 580,
}
RETRY_AFTER_MAX = 120.0  # seconds; a longer Retry-After gives the page up (counted)
# Page analysis and extraction in bounded worker processes (newscrawl.bounded): a page
# that runs past the time or memory limit is dropped by name and its worker replaced.
# 0 workers: inline on the crawl's thread, no time or memory bound; -1: one worker per usable
# CPU, at most 8 (newscrawl.bounded.default_workers, measured in benchmarks/crawl_speed.py).
NEWSCRAWL_EXTRACT_WORKERS = -1
NEWSCRAWL_EXTRACT_TIMEOUT = 5.0  # seconds per page
NEWSCRAWL_EXTRACT_MEMORY_MB = 1024  # address space of a worker; 0 = unlimited
NEWSCRAWL_EXTRACT_MAX_BYTES = 16 * 1024 * 1024  # larger pages are dropped unparsed

# --- Crawler traps and budgets (docs/crawling.md) -----------------------------------------
# Spider middlewares see a page's links before they are scheduled (lower = nearer the
# engine): session parameters stripped (40), then trap rules (35), then the archive's
# skip-stored filter (25), so nothing a trap rule drops ever enters the scheduler or JOBDIR.
SPIDER_MIDDLEWARES = {
    "newscrawl.middlewares.urlclean.UrlCleanSpiderMiddleware": 40,
    "newscrawl.middlewares.traps.TrapFilterMiddleware": 35,
}
EXTENSIONS = {
    "newscrawl.crawl.logs.PageErrorLog": 0,
    "newscrawl.middlewares.budget.PageBudget": 50,
}
NEWSCRAWL_URLCLEAN_ENABLED = True
# Removed from every URL (case-insensitive; "utm_*" is a prefix). A profile's strip_params adds.
NEWSCRAWL_STRIP_PARAMS = [
    "jsessionid", "phpsessid", "aspsessionid*", "sid", "sessionid", "session_id", "sessid",
    "cfid", "cftoken", "utm_*", "fbclid", "gclid", "dclid", "msclkid", "yclid", "mc_cid",
    "mc_eid", "_hsenc", "_hsmi", "igshid", "spm", "from", "isappinstalled", "scene",
    "share_token",
]
NEWSCRAWL_TRAPS_ENABLED = True
NEWSCRAWL_TRAP_MAX_SEGMENT_REPEATS = 2  # /more/more/ passes, /more/more/more/ does not
NEWSCRAWL_TRAP_MAX_PATH_DEPTH = 16
NEWSCRAWL_TRAP_MIN_YEAR = 1970  # dates in URLs outside [MIN_YEAR, this year + YEARS_AHEAD]
NEWSCRAWL_TRAP_MAX_YEARS_AHEAD = 1
NEWSCRAWL_TRAP_MAX_QUERY_KEYSETS = 12  # parameter-name sets per path
NEWSCRAWL_TRAP_MAX_QUERY_COMBINATIONS = 20  # then only queries with a new value pass
NEWSCRAWL_TRAP_MAX_UNPRODUCTIVE = 3  # list pages in a row without a new article link: the next is not fetched
NEWSCRAWL_TRAP_MAX_FRONTIER = 100_000  # scheduled requests; more list pages wait
# New links followed from one page (Heritrix and Nutch cap outlinks too); the rest are
# counted in newscrawl/links/over_page_cap. Bounds the memory one huge archive page takes.
NEWSCRAWL_MAX_LINKS_PER_PAGE = 5_000
# Responses per run; reached: "stopped: budget", exit 3, the next run continues. 0 = off.
NEWSCRAWL_PAGE_BUDGET = 20_000
# Conditional requests for list pages, feeds and sitemaps (validators and the last body in
# the archive's state): an unchanged page costs a 304, not its bytes.
NEWSCRAWL_CONDITIONAL_ENABLED = True
NEWSCRAWL_CONDITIONAL_MAX_BYTES = 2 * 1024 * 1024  # larger pages are not kept
