"""Article extraction: a pure function of (page, url). No Scrapy here, no I/O, no globals.

    >>> from newscrawl import extract_article
    >>> article = extract_article(html_bytes, url="https://news.example.cn/a/1.html")
"""

from newscrawl.extract.core import (
    EXTRACTOR_VERSION,
    ParsedPage,
    extract_article,
    extract_parsed,
    parse_page,
)
from newscrawl.extract.profile import ExtractProfile

__all__ = [
    "EXTRACTOR_VERSION",
    "ExtractProfile",
    "ParsedPage",
    "extract_article",
    "extract_parsed",
    "parse_page",
]
