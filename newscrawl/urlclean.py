"""The rule that takes session and tracking parameters out of a URL (a pure function of the
URL and the list of names), shared by the crawl's URL-cleaning middlewares
(:mod:`newscrawl.middlewares.urlclean`, which say why) and the records' normalisation
(:mod:`newscrawl.pipelines.normalise`): the URL scheduled and the URL stored are cleaned alike.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING
from urllib.parse import parse_qsl, urlsplit

from w3lib.url import url_query_cleaner

from newscrawl import settings as _settings

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

# Session IDs of servlet containers, PHP, ASP and ColdFusion portals; campaign and click
# tracking; share-button and app tracking of Chinese portals (spm, from, scene).
DEFAULT_STRIP_PARAMS = tuple(_settings.NEWSCRAWL_STRIP_PARAMS)


class UrlCleaner:
    """Removes the named parameters from URLs (query and ``;name=value`` path parameters)."""

    def __init__(self, names: Iterable[str]) -> None:
        exact: set[str] = set()
        prefixes: list[str] = []
        for name in names:
            name = name.strip().lower()
            if not name:
                continue
            if name.endswith("*"):
                prefixes.append(name[:-1])
            else:
                exact.add(name)
        self.exact = frozenset(exact)
        self.prefixes = tuple(prefixes)
        alternatives = sorted(re.escape(n) for n in exact) + [re.escape(p) + r"[^=;/?#]*" for p in prefixes]
        self._path_param = re.compile(rf";(?:{'|'.join(alternatives) or '(?!)'})=[^;/?#]*", re.IGNORECASE)

    def strips(self, name: str) -> bool:
        name = name.lower()
        return name in self.exact or name.startswith(self.prefixes)

    def clean(self, url: str) -> str:
        """``url`` without the parameters; the very same string when there are none."""
        changed = url
        if ";" in url:
            changed = self._path_param.sub("", url)
        query = urlsplit(changed).query
        if query:
            drop = [k for k, _ in parse_qsl(query, keep_blank_values=True) if self.strips(k)]
            if drop:
                changed = url_query_cleaner(changed, drop, remove=True, unique=False,
                                            keep_fragments=True)
        return changed

    @classmethod
    def from_crawler(cls, crawler: Crawler, profile_params: Sequence[str] = ()) -> UrlCleaner:
        names = crawler.settings.getlist("NEWSCRAWL_STRIP_PARAMS", list(DEFAULT_STRIP_PARAMS))
        return cls([*names, *profile_params])
