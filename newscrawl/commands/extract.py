"""Extract article records from saved pages or one URL and print them (JSONL by default).

Examples:
  newscrawl extract page.html --url http://news.example.cn/a/1.htm
  newscrawl extract https://news.example.cn/a/1.htm --format markdown
  newscrawl extract page.html --profile mysite --format txt

Each FILE is read as bytes (any encoding); an http(s) URL is fetched once (its site's
robots.txt is read first and obeyed). One record per article goes to stdout as a JSON line
(``--format jsonl``), as plain text (``txt``) or as Markdown (``markdown``); pages that are
not articles print a note on stderr. ``--profile`` applies a site profile's extraction rules
and time zone, and names the record's site as a crawl of the profile would.
Exit status: 0 when every input was read, 2 when one could not be read or fetched (robots.txt
forbidding it included) or the profile is unusable, 1 when no input held an article or a
page could not be extracted (the other inputs are still extracted).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from importlib import resources
from typing import TYPE_CHECKING, Any

from newscrawl.archive.layout import site_dirname
from newscrawl.record import Article
from newscrawl.render import as_markdown, as_text

if TYPE_CHECKING:
    from newscrawl.profiles import SiteProfile

SAMPLE = "sample:article"
SAMPLE_URL = "http://demo.newscrawl.invalid/news/guonei/2026-11/20/content_10.htm"
FORMATS = ("jsonl", "txt", "markdown")
MAX_BYTES = 20 * 1024 * 1024  # a page larger than this is not an article page
TIMEOUT = 30.0


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "files", nargs="+", metavar="FILE|URL",
        help=f"saved HTML page, '-' for stdin, '{SAMPLE}' for the page shipped with newscrawl, "
             "or an http(s) URL to fetch",
    )
    parser.add_argument("--url", help="the URL a saved page came from (for relative links and dates)")
    parser.add_argument("--format", choices=FORMATS, default="jsonl",
                        help="jsonl (default: one JSON record a line), txt or markdown")
    parser.add_argument("--profile", metavar="NAME",
                        help="a site profile: its extraction rules, time zone and site name")
    parser.add_argument("--sites-dir", metavar="DIR", help="look for profiles here first")


class Unreadable(Exception):
    """An input that could not be read or fetched; the message says why, on one line."""


@dataclass
class Page:
    body: bytes
    url: str | None
    http_encoding: str | None = None
    fetched_at: datetime | None = None


def _read(name: str, url: str | None) -> Page:
    if name.startswith(("http://", "https://")):
        from newscrawl.fetch import FetchError, fetch_once

        try:
            fetched = fetch_once(name, max_bytes=MAX_BYTES, timeout=TIMEOUT)
        except FetchError as exc:
            raise Unreadable(str(exc)) from None
        return Page(fetched.body, fetched.url, fetched.encoding, fetched.fetched_at)
    try:
        if name == "-":
            return Page(sys.stdin.buffer.read(), url)
        if name == SAMPLE:
            raw = resources.files("newscrawl").joinpath("samples/article_gbk.html").read_bytes()
            return Page(raw, url or SAMPLE_URL)
        with open(name, "rb") as fh:
            return Page(fh.read(), url)
    except OSError as exc:
        raise Unreadable(f"cannot read {name}: {exc.strerror or exc}") from None


def site_name(profile: SiteProfile | None, url: str | None) -> str | None:
    """The site a crawl would file the record under: the profile's folder name, else that
    of the profile a crawl of the bare URL makes."""
    if profile is None:
        if not url:
            return None
        from newscrawl.profiles import ProfileError, SiteProfile

        try:
            profile = SiteProfile.for_url(url)
        except ProfileError:
            return None
    try:
        return site_dirname(profile.name)
    except ValueError:
        return None


def finish(article: Article, profile: SiteProfile | None) -> Article:
    """The record named as a crawl names it: its site, its time in the profile's zone."""
    from zoneinfo import ZoneInfo

    from newscrawl.archive.normalise import publish_time_in_zone

    zone = ZoneInfo(profile.timezone) if profile is not None and profile.timezone else None
    data = publish_time_in_zone(article.to_dict(), zone)
    data["site"] = site_name(profile, article.url)
    return Article.from_dict(data)


_WRITERS: dict[str, Callable[[dict[str, Any]], str]] = {
    "txt": as_text, "markdown": as_markdown,
}


def extract_article(raw: bytes, url: str | None = None, **options: Any) -> Article | None:
    """:func:`newscrawl.extract.extract_article`, loaded on first use: the parser of every
    command is built without the extractor."""
    from newscrawl.extract import extract_article as extract

    return extract(raw, url=url, **options)


def run(args: argparse.Namespace) -> int:
    from newscrawl.profiles import ProfileError, load_profile

    prog = "newscrawl extract"
    profile = None
    fmt = getattr(args, "format", "jsonl")
    if getattr(args, "profile", None):
        try:
            profile = load_profile(args.profile, getattr(args, "sites_dir", None))
        except ProfileError as exc:
            print(f"{prog}: {exc}", file=sys.stderr)
            return 2
    unreadable = found = failed = 0
    for name in args.files:
        try:
            page = _read(name, args.url)
        except Unreadable as exc:
            print(f"{prog}: {name}: {exc}", file=sys.stderr)
            unreadable += 1
            continue
        try:
            article = extract_article(page.body, url=page.url, profile=profile,
                                      fetched_at=page.fetched_at, http_encoding=page.http_encoding)
            if article is not None:
                article = finish(article, profile)
        except Exception as exc:  # one bad page must not stop the others
            print(f"{prog}: {name}: extraction failed: {type(exc).__name__}: {exc}", file=sys.stderr)
            failed += 1
            continue
        if article is None:
            print(f"{prog}: {name}: not an article page", file=sys.stderr)
            continue
        if found and fmt != "jsonl":
            sys.stdout.write("\n---\n\n")
        found += 1
        writer = _WRITERS.get(fmt)
        sys.stdout.write(writer(article.to_dict()) if writer else article.to_json() + "\n")
    if unreadable:
        return 2
    return 0 if found and not failed else 1
