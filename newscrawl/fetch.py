"""Fetch one page for ``newscrawl extract URL``: once, politely, obeying the site's
robots.txt (read with the standard library's ``urllib.robotparser``), with the same
User-Agent the crawler sends. A crawl goes through Scrapy; this is for a single page."""

from __future__ import annotations

import urllib.error
import urllib.request
import urllib.robotparser
from dataclasses import dataclass
from datetime import datetime, timezone
from http.client import HTTPException
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from w3lib.encoding import http_content_type_encoding

from newscrawl.spiders.base import build_user_agent

MAX_REDIRECTS = 5


class FetchError(Exception):
    """The page could not be fetched, or robots.txt forbids it; the message says which."""


@dataclass
class Fetched:
    url: str  # after redirects
    body: bytes
    encoding: str | None  # charset of the Content-Type header
    fetched_at: datetime


class _Robots:
    """robots.txt of each origin met, read once."""

    def __init__(self, agent: str, timeout: float) -> None:
        self.agent, self.timeout = agent, timeout
        self.parsers: dict[str, urllib.robotparser.RobotFileParser] = {}

    def check(self, url: str) -> None:
        parts = urlsplit(url)
        origin = urlunsplit((parts.scheme, parts.netloc, "", "", ""))
        parser = self.parsers.get(origin)
        if parser is None:
            parser = self.parsers[origin] = self._read(origin + "/robots.txt")
        if not parser.can_fetch(self.agent, url):
            raise FetchError(f"robots.txt of {origin} does not allow fetching {url}")

    def _read(self, robots_url: str) -> urllib.robotparser.RobotFileParser:
        parser = urllib.robotparser.RobotFileParser(robots_url)
        request = urllib.request.Request(robots_url, headers={"User-Agent": self.agent})
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                lines = response.read(512 * 1024).decode("utf-8", "replace").splitlines()
            parser.parse(lines)
        except urllib.error.HTTPError as exc:
            # As robotparser reads it: 401/403 forbid everything, any other 4xx (no file)
            # allows everything, a server error leaves us not knowing: do not fetch.
            if exc.code in (401, 403):
                parser.disallow_all = True  # type: ignore[attr-defined]
            elif 400 <= exc.code < 500:
                parser.allow_all = True  # type: ignore[attr-defined]
            else:
                raise FetchError(f"robots.txt unavailable ({robots_url}: HTTP {exc.code})") from None
        except (urllib.error.URLError, OSError, HTTPException) as exc:
            raise FetchError(f"cannot fetch {robots_url}: {_reason(exc)}") from None
        return parser


class _CheckedRedirects(urllib.request.HTTPRedirectHandler):
    """Follow a redirect only to an http(s) URL that robots.txt allows."""

    max_redirections = MAX_REDIRECTS

    def __init__(self, robots: _Robots) -> None:
        self.robots = robots

    def redirect_request(self, req: Any, fp: Any, code: int, msg: str, headers: Any,
                         newurl: str) -> Any:
        if urlsplit(newurl).scheme not in ("http", "https"):
            raise FetchError(f"redirected to a non-http URL: {newurl}")
        self.robots.check(newurl)
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def _reason(exc: BaseException) -> str:
    reason = getattr(exc, "reason", None) or getattr(exc, "strerror", None) or exc
    return str(reason) or type(exc).__name__


def fetch_once(url: str, *, max_bytes: int, timeout: float = 30.0,
               contact: str | None = None) -> Fetched:
    """GET ``url`` once (redirects followed, each checked against robots.txt); FetchError
    when robots.txt forbids it, the server answers an error, or the page is too large."""
    if urlsplit(url).scheme not in ("http", "https") or not urlsplit(url).hostname:
        raise FetchError(f"not an http(s) URL: {url}")
    agent = build_user_agent(contact)
    robots = _Robots(agent, timeout)
    robots.check(url)
    opener = urllib.request.build_opener(_CheckedRedirects(robots))
    request = urllib.request.Request(url, headers={"User-Agent": agent,
                                                   "Accept": "text/html,*/*;q=0.5"})
    try:
        with opener.open(request, timeout=timeout) as response:
            body = response.read(max_bytes + 1)
            final_url = response.geturl()
            ctype = response.headers.get("Content-Type", "")
    except urllib.error.HTTPError as exc:
        raise FetchError(f"HTTP {exc.code} {exc.reason} from {url}") from None
    except (urllib.error.URLError, OSError, HTTPException) as exc:
        raise FetchError(f"cannot fetch {url}: {_reason(exc)}") from None
    if len(body) > max_bytes:
        raise FetchError(f"{url} is larger than {max_bytes // (1024 * 1024)} MiB")
    return Fetched(final_url, body, http_content_type_encoding(ctype),
                   datetime.now(timezone.utc).replace(microsecond=0))
