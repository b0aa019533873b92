"""Scrapy settings of the newscrawl project (``scrapy.cfg`` points here).

Command-line runs (``newscrawl crawl``) start from these and override per run.
"""

BOT_NAME = "newscrawl"
SPIDER_MODULES = ["newscrawl.spiders"]
NEWSPIDER_MODULE = "newscrawl.spiders"

ROBOTSTXT_OBEY = True
TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"
REQUEST_FINGERPRINTER_IMPLEMENTATION = "2.7"
FEED_EXPORT_ENCODING = "utf-8"

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
    # Beside DownloaderStats (850): sees every failed attempt before the retry takes it.
    "newscrawl.middlewares.faults.FaultStatsMiddleware": 860,
}
DOWNLOAD_TIMEOUT = 30  # a server that stalls costs half a minute per attempt, not three
DOWNLOAD_MAXSIZE = 32 * 1024 * 1024
DOWNLOAD_WARNSIZE = 8 * 1024 * 1024
RETRY_AFTER_MAX = 120.0  # seconds; a longer Retry-After gives the page up (counted)
RETRY_BACKOFF_BASE = 1.0  # seconds before the first retry without Retry-After, doubling
# Bounded extraction (newscrawl.bounded.BoundedExtractor): per page.
EXTRACT_TIMEOUT = 5.0
EXTRACT_MEMORY_LIMIT_MB = 1024
EXTRACT_MAX_BYTES = 16 * 1024 * 1024
EXTRACT_WORKERS = 2
