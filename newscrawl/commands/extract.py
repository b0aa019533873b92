"""Extract article records from saved pages and print them as JSONL.

Each FILE is read as bytes (any encoding); one JSON line per article goes to stdout.
Pages that are not articles print a note on stderr. Exit status: 0 when every file was
read, 2 when a file could not be read, 1 when no file held an article or a page could not
be extracted (the other files are still extracted).
"""

from __future__ import annotations

import argparse
import sys
from importlib import resources

from newscrawl.extract import extract_article

SAMPLE = "sample:article"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "files", nargs="+", metavar="FILE",
        help=f"saved HTML page, '-' for stdin, or '{SAMPLE}' for the page shipped with newscrawl",
    )
    parser.add_argument("--url", help="the URL the page came from (for relative links and dates)")


def _read(name: str) -> bytes:
    if name == "-":
        return sys.stdin.buffer.read()
    if name == SAMPLE:
        return resources.files("newscrawl").joinpath("samples/article_gbk.html").read_bytes()
    with open(name, "rb") as fh:
        return fh.read()


def run(args: argparse.Namespace) -> int:
    unreadable = found = failed = 0
    for name in args.files:
        try:
            raw = _read(name)
        except OSError as exc:
            print(f"newscrawl extract: cannot read {name}: {exc.strerror or exc}", file=sys.stderr)
            unreadable += 1
            continue
        url = args.url or ("http://demo.newscrawl.invalid/news/guonei/2026-11/20/content_10.htm" if name == SAMPLE else None)
        try:
            article = extract_article(raw, url=url)
        except Exception as exc:  # one bad page must not stop the others
            print(f"newscrawl extract: {name}: extraction failed: {type(exc).__name__}: {exc}", file=sys.stderr)
            failed += 1
            continue
        if article is None:
            print(f"newscrawl extract: {name}: not an article page", file=sys.stderr)
            continue
        found += 1
        sys.stdout.write(article.to_json() + "\n")
    if unreadable:
        return 2
    return 0 if found and not failed else 1
