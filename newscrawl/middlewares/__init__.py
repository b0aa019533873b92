"""Downloader middlewares of newscrawl: network faults named and counted, retries that honour
Retry-After, redirects that cannot loop or leave the site, bodies that fail to decompress.

Enabled in :mod:`newscrawl.settings` (``DOWNLOADER_MIDDLEWARES``); each one replaces or
extends one of Scrapy's own, so turning one off restores Scrapy's behaviour.
"""
