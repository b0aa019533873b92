"""No request leaves the site's hosts: not a link, not a redirect, not a retry.

Scrapy's OffsiteMiddleware lets through any request with ``dont_filter=True`` or
``meta["allow_offsite"]``, and a redirect inherits ``dont_filter`` from the request it
answers: a start URL that redirects to another host is followed there. This subclass has
no such exceptions: every request whose host is not in the spider's ``allowed_domains``
(or a subdomain of one) is refused before it reaches the network, whatever produced it.

Stats: Scrapy's ``offsite/filtered`` and ``offsite/domains``, plus
``offsite/redirect`` and ``fault/offsite_redirect`` for redirects that tried to leave.
A spider without ``allowed_domains`` keeps Scrapy's meaning (every host allowed), with a
warning at start: the project's spiders always set it.
"""

from __future__ import annotations

import logging

from scrapy import Request, Spider
from scrapy.downloadermiddlewares.offsite import OffsiteMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.utils.httpobj import urlparse_cached

logger = logging.getLogger(__name__)


class HostGuardMiddleware(OffsiteMiddleware):
    _warned_open = False

    def spider_opened(self, spider: Spider) -> None:
        super().spider_opened(spider)
        if not getattr(spider, "allowed_domains", None):
            logger.warning("spider %r has no allowed_domains: every host is allowed",
                           spider.name)

    def process_request(self, request: Request, spider: Spider | None = None) -> None:
        assert self.crawler.spider
        if self.should_follow(request, self.crawler.spider):
            return
        host = urlparse_cached(request).hostname
        if host and host not in self.domains_seen:
            self.domains_seen.add(host)
            self.stats.inc_value("offsite/domains")
            logger.info("refused off-site request to %r: %s", host, request)
        self.stats.inc_value("offsite/filtered")
        if request.meta.get("redirect_urls"):
            self.stats.inc_value("offsite/redirect")
            self.stats.inc_value("fault/count")
            self.stats.inc_value("fault/offsite_redirect")
            logger.info("refused redirect off the site: %s -> %s",
                           request.meta["redirect_urls"][-1], request.url)
        raise IgnoreRequest(f"off-site request to {host!r}")

    def should_follow(self, request: Request, spider: Spider) -> bool:
        if not getattr(spider, "allowed_domains", None):
            return True
        profile = getattr(spider, "profile", None)
        if profile is not None and hasattr(profile, "allows"):
            return bool(profile.allows(request.url))  # scheme, host and port
        return super().should_follow(request, spider)
