"""extract_article: one page in, one Article (or None) out.

The page is decoded and parsed once; metadata is read from the untouched tree first
(JSON-LD, meta tags, then the DOM), then the body is found and cleaned, then the byline
paragraphs at the edges of the body are turned into fields.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from newscrawl.extract import body as body_mod
from newscrawl.extract import bylines, dom, encoding, metadata, section, tags
from newscrawl.extract.pagetext import page_lines
from newscrawl.extract.profile import ExtractProfile
from newscrawl.record import Article

EXTRACTOR_VERSION = "0.1.0"


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
    rules: ExtractProfile = getattr(profile, "extract", profile) or ExtractProfile()
    if isinstance(html, bytes):
        text, _charset = encoding.decode_html(html, http_encoding)
    else:
        text = html
    tree = dom.parse_html(text)
    if tree is None:
        return None
    lines = page_lines(tree)
    meta = metadata.extract_metadata(tree, url=url, rules=rules, fetched_at=fetched_at, lines=lines)
    headline = meta.title
    if not headline:
        return None
    body = body_mod.extract_body(tree, url=url, title=meta.title, rules=rules)
    page_texts = [line.text for line in lines]
    paragraphs, credits = bylines.split_credits(body.paragraphs, page_texts)
    if credits.authors:
        credits.authors = bylines.respace_names(credits.authors, page_texts)
    meta = meta.merged_with(credits)
    host = urlsplit(url).hostname if url else None
    meta.authors = [a for a in meta.authors if metadata.person_like(a, meta.site_name, host)]
    if not _is_article(paragraphs):
        return None
    text = "\n\n".join(paragraphs)
    if not meta.tags and meta.keywords:
        meta.tags = tags.article_keywords(meta.keywords, title=headline, text=text,
                                          site_name=meta.site_name, host=urlsplit(url).hostname if url else None)
    if not meta.language:
        meta.language = section.detect_script_language(text)
    return Article(
        url=url,
        canonical_url=meta.canonical_url or url,
        site=urlsplit(url).hostname if url else None,
        title=headline,
        body=text,
        published_at=meta.published_at,
        published_at_raw=meta.published_at_raw,
        source=meta.source,
        authors=meta.authors,
        editor=meta.editor,
        tags=meta.tags,
        section=meta.section,
        language=meta.language,
        images=body.images,
        fetched_at=fetched_at.isoformat() if fetched_at else None,
        extractor_version=EXTRACTOR_VERSION,
    )


MIN_BODY_CHARS = 20  # less than a sentence: an index page, a gallery, an error page


def _is_article(paragraphs: list[str]) -> bool:
    return sum(len(p) for p in paragraphs) >= MIN_BODY_CHARS
