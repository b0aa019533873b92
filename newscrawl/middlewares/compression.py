"""A body that fails to decompress is a counted fault, not an error in the log.

Scrapy's HttpCompressionMiddleware raises whatever gzip/zlib raised (OSError, EOFError,
zlib.error) on a corrupt ``Content-Encoding: gzip`` body; that surfaces as an unhandled
download error. Here it becomes ``fault/bad_compression`` and the request is dropped
(IgnoreRequest) like any other refused response; a body that decompresses beyond
DOWNLOAD_MAXSIZE (a decompression bomb) is ``fault/decompression_too_large``.
"""

from __future__ import annotations

import logging
import struct
import zlib
from typing import Any

from scrapy import Request
from scrapy.downloadermiddlewares.httpcompression import HttpCompressionMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response

logger = logging.getLogger(__name__)

_CORRUPT = (OSError, EOFError, zlib.error, struct.error)


class SafeHttpCompressionMiddleware(HttpCompressionMiddleware):
    def process_response(self, request: Request, response: Response,
                         spider: Any = None) -> Request | Response:
        try:
            return super().process_response(request, response)
        except IgnoreRequest:
            self._count("decompression_too_large")
            raise
        except _CORRUPT as exc:
            self._count("bad_compression")
            logger.info("cannot decompress %s (%s): %s", response.url,
                           (response.headers.get(b"Content-Encoding") or b"").decode("latin-1"), exc)
            raise IgnoreRequest(f"corrupt compressed body: {exc}") from exc

    def _count(self, name: str) -> None:
        if self.stats:
            self.stats.inc_value("fault/count")
            self.stats.inc_value(f"fault/{name}")
