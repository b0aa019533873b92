"""One whole page through newscrawl.bounded as the hostile tests drive it: pre-checks, then
``extract_article`` (or a stand-in from hostile_functions) in a bounded worker, ending as an
:class:`Outcome` — an article, or the drop reason.

The crawl itself runs ``newscrawl.spiders.analysis`` through the same pool
(``BoundedExtractor.call_async``); this wrapper is test-only, so it lives here.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from newscrawl.bounded import (
    DEFAULT_MAX_BYTES,
    NOT_ARTICLE,
    BoundedExtractor,
    Dropped,
    precheck,
)
from newscrawl.extract import extract_article
from newscrawl.record import Article


@dataclass(frozen=True, slots=True)
class Outcome:
    """What became of one page: an article, or the reason there is none."""

    article: Article | None
    reason: str | None = None  # one of newscrawl.bounded.DROP_REASONS when article is None
    detail: str = ""

    @property
    def ok(self) -> bool:
        return self.article is not None


def extract_in_worker(function: Callable[..., Article | None], body: bytes | str,
                      url: str | None, kwargs: dict[str, Any]) -> Article | None:
    """Runs in the worker (module level: it is pickled by name)."""
    return function(body, url, **kwargs)


class PageExtractor:
    """A BoundedExtractor pool that takes whole pages; a context manager."""

    def __init__(self, *, function: Callable[..., Article | None] = extract_article,
                 max_bytes: int = DEFAULT_MAX_BYTES, **pool: Any) -> None:
        self.pool = BoundedExtractor(**pool)
        self.function = function
        self.max_bytes = max_bytes

    def submit(self, body: bytes | str, url: str | None = None, *, profile: Any = None,
               fetched_at: datetime | None = None,
               http_encoding: str | None = None) -> Future[Outcome]:
        """Pre-check now, extract in a worker; the Future never holds an exception."""
        done: Future[Outcome] = Future()
        try:
            page = precheck(body, max_bytes=self.max_bytes)
        except Dropped as exc:
            done.set_result(Outcome(None, exc.reason, exc.detail))
            return done
        kwargs = {"profile": profile, "fetched_at": fetched_at, "http_encoding": http_encoding}
        call = self.pool.submit_call(extract_in_worker, self.function, page.body, url, kwargs)

        def settle(call: Future[Any]) -> None:
            exc = call.exception()
            if isinstance(exc, Dropped):
                done.set_result(Outcome(None, exc.reason, exc.detail))
            elif exc is not None:
                done.set_exception(exc)
            else:
                article = call.result()
                done.set_result(Outcome(article, None if article else NOT_ARTICLE))

        call.add_done_callback(settle)
        return done

    def extract(self, body: bytes | str, url: str | None = None, **kwargs: Any) -> Outcome:
        return self.submit(body, url, **kwargs).result()

    async def extract_async(self, body: bytes | str, url: str | None = None,
                            **kwargs: Any) -> Outcome:
        return await asyncio.wrap_future(self.submit(body, url, **kwargs))

    def worker_pids(self) -> list[int]:
        with self.pool._lock:
            return [w.process.pid for w in self.pool._all if w.process.pid is not None]

    @property
    def replaced(self) -> int:
        return self.pool.replaced

    def close(self) -> None:
        self.pool.close()

    def __enter__(self) -> PageExtractor:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
