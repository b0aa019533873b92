"""DNS for tests: loopback names resolve, every other name fails at once, no packet sent.

Tests may use no network but loopback, so the "DNS failure for one host" fault is a name
under .invalid that this resolver answers the way a real resolver answers a name that does
not exist: DNSLookupError.
"""

from __future__ import annotations

import ipaddress

from scrapy.resolver import CachingThreadedResolver
from twisted.internet import defer
from twisted.internet.error import DNSLookupError

LOOPBACK_NAMES = {"localhost", "localhost.localdomain"}


class LoopbackOnlyResolver(CachingThreadedResolver):
    def getHostByName(self, name, timeout=()):
        try:
            ipaddress.ip_address(name)
        except ValueError:
            if name not in LOOPBACK_NAMES:
                return defer.fail(DNSLookupError(f"{name}: no such host (loopback-only test DNS)"))
        return super().getHostByName(name, timeout)
