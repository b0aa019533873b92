"""URL helpers that never raise: pages carry malformed links ("http://[bad") every day."""

from __future__ import annotations

from urllib.parse import urljoin, urlsplit


def join_url(base: str | None, href: str) -> str | None:
    """``href`` made absolute against ``base``; None when either is not a parseable URL."""
    try:
        joined = urljoin(base or "", href.strip())
        urlsplit(joined).hostname  # noqa: B018 - raises ValueError on a bad netloc ([, port)
        urlsplit(joined).port  # noqa: B018
    except ValueError:
        return None
    return joined


def host_of(url: str | None) -> str | None:
    """The URL's host name, lower-case; None when there is none or the URL is malformed."""
    if not url:
        return None
    try:
        return urlsplit(url).hostname
    except ValueError:
        return None


def path_of(url: str | None) -> str:
    """The URL's path; empty when the URL is malformed."""
    if not url:
        return ""
    try:
        return urlsplit(url).path
    except ValueError:
        return ""
