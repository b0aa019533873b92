"""Crawler-trap defence: requests that lead into an endless space of URLs are dropped before
they are scheduled, so they cost no request and never enter the JOBDIR the next run resumes.

The rules follow the URL filters of Heritrix (TooManyPathSegments, PathologicalPath) and
Nutch (regex-urlfilter's repeated-segment rule), plus two that look at what the crawl learns:

``segment_repeat``   a path segment that occurs more than NEWSCRAWL_TRAP_MAX_SEGMENT_REPEATS
                     times (``/more/more/more/``: a relative link resolved against itself)
``path_depth``       more than NEWSCRAWL_TRAP_MAX_PATH_DEPTH path segments
``date``             a calendar date outside the sane window — a year before
                     NEWSCRAWL_TRAP_MIN_YEAR or more than NEWSCRAWL_TRAP_MAX_YEARS_AHEAD after
                     this one, a month outside 1–12, a day outside 1–31 — in the path
                     (``/2031/13/``, ``/2026-13-01``; a first number outside 1900–2199 is an
                     id, not a year) or in a date-named query parameter
                     (``?month=956``, ``?year=9999``): the "next month" link of an endless calendar
``query_keysets``    more than NEWSCRAWL_TRAP_MAX_QUERY_KEYSETS different sets of parameter names
                     on one path (faceted search: every subset of the facets); URLs that are
                     articles by their shape or the profile's article_urls are exempt from
                     this rule and the next
``query_combinations`` on one path and set of parameter names, once
                     NEWSCRAWL_TRAP_MAX_QUERY_COMBINATIONS combinations are known, a query made
                     only of values already seen (facet values recombined). A query with a new
                     value — the next article id, the next page — always passes.
``no_new_articles``  a chain of list pages (pagination, calendars, tag clouds) that brought no
                     new article link for NEWSCRAWL_TRAP_MAX_UNPRODUCTIVE pages in a row: the
                     list links of the next page are not followed. A page is productive when it
                     links a URL that is neither known (this run, or stored by an earlier one)
                     nor a list by its shape, on another path than its own. Links that look
                     like articles are never dropped by this rule.
``frontier``         the scheduler already holds NEWSCRAWL_TRAP_MAX_FRONTIER requests: new list
                     pages wait for the next run (the queue a run leaves stays bounded)

Query rules compare canonical URLs (w3lib: sorted parameters), so parameter permutations
are one URL. Requests with ``dont_filter`` (the pages of one multi-page article) and start
requests are not judged. Each drop is counted as ``newscrawl/trap/dropped/<rule>`` and logged
once per rule. NEWSCRAWL_TRAPS_ENABLED=False turns the middleware off.
"""

from __future__ import annotations

import logging
import re
from collections import defaultdict
from collections.abc import AsyncIterator, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from w3lib.url import canonicalize_url

from newscrawl.extract.pagetype import PageType, UrlRules, classify_url

logger = logging.getLogger(__name__)

UNPRODUCTIVE_META = "newscrawl_unproductive"

# /2026/11/, /2026/11/20/, /2026-11-20, /2026_11: a year then a month (then a day).
_PATH_DATE = re.compile(r"(?<![\d])(\d{4})([-_/])(\d{1,2})(?:\2(\d{1,2}))?(?=$|[/._-])")
# Query parameters that calendars count with.
_YEAR_KEYS = frozenset({"year", "yr", "y", "yyyy", "nian"})
_MONTH_KEYS = frozenset({"month", "mon", "mm", "mo", "yue"})
_DAY_KEYS = frozenset({"day", "dd", "ri"})
_DATE_KEYS = frozenset({"date", "day_date", "pubdate", "riqi"})
_COMPACT_DATE = re.compile(r"^(\d{4})-?(\d{1,2})(?:-?(\d{1,2}))?$")


class TrapRules:
    """The URL rules, Scrapy-free; ``verdict(url)`` names the rule a URL breaks, or None."""

    def __init__(self, *, max_segment_repeats: int = 2, max_path_depth: int = 16,
                 min_year: int = 1970, max_years_ahead: int = 1, max_query_keysets: int = 12,
                 max_query_combinations: int = 20, now: datetime | None = None) -> None:
        self.max_segment_repeats = max_segment_repeats
        self.max_path_depth = max_path_depth
        self.min_year = min_year
        self.max_year = (now or datetime.now()).year + max_years_ahead
        self.max_query_keysets = max_query_keysets
        self.max_query_combinations = max_query_combinations
        # path → parameter-name sets seen; (path, names) → combinations and values seen
        self._keysets: dict[str, set[tuple[str, ...]]] = defaultdict(set)
        self._combinations: dict[tuple[str, tuple[str, ...]], set[tuple[str, ...]]] = defaultdict(set)
        self._values: dict[tuple[str, tuple[str, ...]], set[tuple[str, str]]] = defaultdict(set)

    # --- shape rules: the URL alone -------------------------------------------------------
    def shape_verdict(self, url: str) -> str | None:
        parts = urlsplit(url)
        segments = [s for s in parts.path.split("/") if s]
        if self.max_path_depth and len(segments) > self.max_path_depth:
            return "path_depth"
        if self.max_segment_repeats:
            counts: dict[str, int] = {}
            for segment in segments:
                counts[segment] = counts.get(segment, 0) + 1
                # A number repeated (/2026/11/11/) is a date, not a loop.
                if counts[segment] > self.max_segment_repeats and not segment.isdigit():
                    return "segment_repeat"
        if not self._sane_dates(parts.path, parts.query):
            return "date"
        return None

    def _year_ok(self, year: int) -> bool:
        return self.min_year <= year <= self.max_year

    def _sane_dates(self, path: str, query: str) -> bool:
        for match in _PATH_DATE.finditer(path):
            year, month, day = int(match.group(1)), int(match.group(3)), match.group(4)
            if not 1900 <= year <= 2199:
                continue  # a 4-digit id (/forum/1024/3/), not a year
            if not self._year_ok(year) or not 1 <= month <= 12:
                return False
            if day is not None and not 1 <= int(day) <= 31:
                return False
        for key, value in parse_qsl(query, keep_blank_values=True):
            key = key.lower()
            value = value.strip()
            if not value.lstrip("-").isdigit():
                if key in _DATE_KEYS and not self._date_value_ok(value):
                    return False
                continue
            number = int(value)
            if key in _YEAR_KEYS and not self._year_ok(number):
                return False
            if key in _MONTH_KEYS and not 1 <= number <= 12:
                return False
            if key in _DAY_KEYS and not 1 <= number <= 31:
                return False
            if key in _DATE_KEYS and not self._date_value_ok(value):
                return False
        return True

    def _date_value_ok(self, value: str) -> bool:
        compact = _COMPACT_DATE.match(value)
        return compact is None or self._date_ok(*compact.groups())

    def _date_ok(self, year: str, month: str, day: str | None) -> bool:
        return (self._year_ok(int(year)) and 1 <= int(month) <= 12
                and (day is None or 1 <= int(day) <= 31))

    # --- query rules: what this crawl has seen of the path --------------------------------
    def query_verdict(self, canonical_url: str) -> str | None:
        """Judge a canonical URL's query against the path's history; remembers it if it passes."""
        parts = urlsplit(canonical_url)
        if not parts.query:
            return None
        pairs = parse_qsl(parts.query, keep_blank_values=True)
        path = f"{parts.netloc}{parts.path}"
        names = tuple(sorted({k for k, _ in pairs}))
        keysets = self._keysets[path]
        if names not in keysets:
            if self.max_query_keysets and len(keysets) >= self.max_query_keysets:
                return "query_keysets"
            keysets.add(names)
        key = (path, names)
        combination = tuple(f"{k}={v}" for k, v in pairs)
        combinations = self._combinations[key]
        if combination in combinations:
            return None
        values = self._values[key]
        new_value = any((k, v) not in values for k, v in pairs)
        if (not new_value and self.max_query_combinations
                and len(combinations) >= self.max_query_combinations):
            return "query_combinations"
        combinations.add(combination)
        values.update(pairs)
        return None


class TrapFilterMiddleware:
    """Spider middleware applying :class:`TrapRules` and the list-chain rule to the requests
    a spider yields. Runs after :mod:`newscrawl.middlewares.urlclean` (session parameters are
    already gone) and before the archive's skip-stored filter."""

    def __init__(self, crawler: Crawler) -> None:
        settings = crawler.settings
        self.crawler = crawler
        self.stats = crawler.stats
        self.rules = TrapRules(
            max_segment_repeats=settings.getint("NEWSCRAWL_TRAP_MAX_SEGMENT_REPEATS", 2),
            max_path_depth=settings.getint("NEWSCRAWL_TRAP_MAX_PATH_DEPTH", 16),
            min_year=settings.getint("NEWSCRAWL_TRAP_MIN_YEAR", 1970),
            max_years_ahead=settings.getint("NEWSCRAWL_TRAP_MAX_YEARS_AHEAD", 1),
            max_query_keysets=settings.getint("NEWSCRAWL_TRAP_MAX_QUERY_KEYSETS", 12),
            max_query_combinations=settings.getint("NEWSCRAWL_TRAP_MAX_QUERY_COMBINATIONS", 20),
        )
        self.max_unproductive = settings.getint("NEWSCRAWL_TRAP_MAX_UNPRODUCTIVE", 3)
        self.max_frontier = settings.getint("NEWSCRAWL_TRAP_MAX_FRONTIER", 100_000)
        # hash() of each canonical URL judged: a set of ints is a third of one of URLs, and a
        # collision only sends a list link on to the dupefilter unjudged.
        self._seen: set[int] = set()
        self._logged: set[str] = set()
        self._archive: Any = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> TrapFilterMiddleware:
        if not crawler.settings.getbool("NEWSCRAWL_TRAPS_ENABLED", True):
            raise NotConfigured("NEWSCRAWL_TRAPS_ENABLED is off")
        return cls(crawler)

    # --- helpers ----------------------------------------------------------------------------
    def _drop(self, rule: str, url: str) -> None:
        assert self.stats is not None
        self.stats.inc_value(f"newscrawl/trap/dropped/{rule}")
        if rule not in self._logged:
            self._logged.add(rule)
            logger.info("Not following %s: crawler trap (%s); further drops by this rule are "
                        "only counted in newscrawl/trap/dropped/%s", url, rule, rule)

    def _stored(self, url: str) -> bool:
        if self._archive is None:
            from newscrawl.archive.extension import ArchiveExtension

            ext = self.crawler.get_extension(ArchiveExtension) if self.crawler.settings.getbool(
                "NEWSCRAWL_ARCHIVE_ENABLED") else None
            self._archive = ext.archive if ext is not None else False
        return bool(self._archive) and self._archive.is_stored_url(url)

    def _frontier(self) -> int:
        """Requests the scheduler holds (0 when it cannot tell)."""
        try:
            scheduler = self.crawler.engine.scheduler
            return len(scheduler) if scheduler is not None else 0  # type: ignore[arg-type]
        except (RuntimeError, TypeError, AttributeError):  # no engine yet; a queue without len
            return 0

    # --- the filter -------------------------------------------------------------------------
    def _judge(self, request: Request, page: _PageLinks) -> _Judged | None:
        """The shape and query rules for one request; None when a rule drops it. Notes on
        ``page`` whether the request makes the page productive."""
        if request.dont_filter:
            return request, "", None
        rule = self.rules.shape_verdict(request.url)
        if rule is not None:
            self._drop(rule, request.url)
            return None
        canon = canonicalize_url(request.url)
        if hash(canon) in self._seen:
            return request, canon, None  # the dupefilter's business
        kind = classify_url(request.url, page.url_rules)
        # An article by its URL (the profile's article_urls, or the generic shapes) is
        # never a facet: the query rules only judge lists and unknown pages.
        rule = None if kind is PageType.ARTICLE else self.rules.query_verdict(canon)
        if rule is not None:
            self._drop(rule, request.url)
            return None
        if (not page.productive and kind is not PageType.LIST
                and urlsplit(canon).path != page.own_path and not self._stored(canon)):
            page.productive = True
        return request, canon, kind

    def _release(self, judged: _Judged, child_depth: int, page: _PageLinks) -> Request | None:
        """The list-chain and frontier rules for one judged request, given the depth the
        page's links inherit; None when one drops it."""
        request, canon, kind = judged
        if canon and kind is PageType.LIST and hash(canon) not in self._seen:
            if self.max_unproductive and child_depth >= self.max_unproductive:
                self._drop("no_new_articles", request.url)
                return None
            if page.frontier_full is None:  # asked once a page, only when a list link is new
                page.frontier_full = bool(self.max_frontier) and self._frontier() >= self.max_frontier
            if page.frontier_full:
                self._drop("frontier", request.url)
                return None
        if canon:
            self._seen.add(hash(canon))
        request.meta[UNPRODUCTIVE_META] = child_depth
        return request

    def _feed(self, request: Request, page: _PageLinks) -> list[Request]:
        """Judge one request of the page. A page's links are judged together — whether the
        page brought anything new decides what its list links inherit — but once one link
        has shown it did, the links are let through as they come: a page listing thousands
        of links never has them all held at once."""
        judged = self._judge(request, page)
        if judged is not None:
            page.held.append(judged)
        return self._release_held(page) if page.productive else []

    def _release_held(self, page: _PageLinks) -> list[Request]:
        """The held requests that pass, with the depth the page's links inherit: 0 once the
        page brought something new, else one more than the page's own."""
        child_depth = 0 if page.productive else page.depth + 1
        out = [r for j in page.held if (r := self._release(j, child_depth, page)) is not None]
        page.held.clear()
        return out

    def _page(self, response: Any, spider: Any) -> _PageLinks:
        return _PageLinks(
            url_rules=getattr(spider or self.crawler.spider, "url_rules", None),
            own_path=urlsplit(response.url).path if response is not None else None,
            depth=int(response.meta.get(UNPRODUCTIVE_META, 0)) if response is not None else 0,
        )

    def process_spider_output(self, response: Any, result: Iterable[Any], spider: Any = None) -> Iterable[Any]:
        page = self._page(response, spider)
        for obj in result:
            if isinstance(obj, Request):
                yield from self._feed(obj, page)
            else:
                yield obj
        yield from self._release_held(page)

    async def process_spider_output_async(self, response: Any, result: AsyncIterator[Any],
                                          spider: Any = None) -> AsyncIterator[Any]:
        page = self._page(response, spider)
        async for obj in result:
            if isinstance(obj, Request):
                for request in self._feed(obj, page):
                    yield request
            else:
                yield obj
        for request in self._release_held(page):
            yield request


# (request, canonical URL or "" when not judged, its page type by URL or None when seen)
_Judged = tuple[Request, str, "PageType | None"]


@dataclass(slots=True)
class _PageLinks:
    """The judging of one page's links while the spider yields them."""

    url_rules: UrlRules | None
    own_path: str | None
    depth: int  # list pages in a row without a new article link, this one excluded
    productive: bool = False
    frontier_full: bool | None = None
    held: list[_Judged] = field(default_factory=list)
