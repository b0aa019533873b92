"""extract_article: one page in, one Article (or None) out.

Placeholder implementation: headline from <h1>, body from <p>. Replaced by the real
extractor (issue 2).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

import lxml.html

from newscrawl.extract.profile import ExtractProfile
from newscrawl.record import Article

EXTRACTOR_VERSION = "0.0.1"


def extract_article(
    html: bytes | str,
    url: str | None = None,
    *,
    profile: Any = None,
    fetched_at: datetime | None = None,
    http_encoding: str | None = None,
) -> Article | None:
    """Extract one article from one page; None when the page is not an article.

    ``profile`` is an :class:`ExtractProfile` (or any object with an ``extract`` attribute
    holding one, such as a site profile). ``fetched_at`` anchors relative dates
    ("3小时前"); ``http_encoding`` is the charset from the HTTP headers, if any.
    """
    rules: ExtractProfile | None = getattr(profile, "extract", profile)
    del rules, fetched_at, http_encoding
    if isinstance(html, bytes):
        from bs4.dammit import UnicodeDammit

        text = UnicodeDammit(html, is_html=True).unicode_markup or ""
    else:
        text = html
    if not text.strip():
        return None
    tree = lxml.html.fromstring(text)
    h1 = tree.xpath("//h1")
    title = h1[0].text_content().strip() if h1 else ""
    paragraphs = [p.text_content().strip() for p in tree.xpath("//p")]
    body = "\n\n".join(p for p in paragraphs if p)
    if not title or not body:
        return None
    return Article(
        url=url,
        canonical_url=url,
        site=urlsplit(url).hostname if url else None,
        title=title,
        body=body,
        extractor_version=EXTRACTOR_VERSION,
    )
