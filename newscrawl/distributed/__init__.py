"""Distributed crawling on Redis, built on scrapy-redis (see docs/scale-out.md).

A crawl given ``--redis redis://host:port/db`` keeps its request queue, request duplicate
filter and cross-run article state in Redis, so any number of worker processes on any
number of hosts share one crawl. scrapy-redis supplies the scheduler, queue and filter;
this package subclasses them through their settings (``SCHEDULER``,
``SCHEDULER_QUEUE_CLASS``, ``DUPEFILTER_CLASS``, ``SCHEDULER_SERIALIZER``) for what it
lacks: acknowledged in-flight requests, heartbeats, Scrapy's own request fingerprints.
"""

from newscrawl.distributed.settings import redis_settings

__all__ = ["redis_settings"]
