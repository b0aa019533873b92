"""Bounded extraction: one page through ``extract_article`` in bounded time and memory.

A portal can serve anything: a 50 MB page, a PDF labelled ``text/html``, markup nested
100,000 deep. One such page must cost the crawl one dropped page (with a named reason in
the stats), never a hang, an exhausted machine or an exception that escapes.

:class:`BoundedExtractor` does three things:

* cheap pre-checks in the calling process (:func:`precheck`): a size cap, binary
  sniffing (PDF, images, archives served as HTML), empty pages; stray NUL bytes are
  removed rather than fatal;
* the extraction itself in a worker process with an address-space limit
  (``resource.setrlimit(RLIMIT_AS)``); a worker that runs past the time limit is killed
  and replaced, one that dies is replaced;
* every way it can go wrong becomes an :class:`Outcome` with a ``reason`` from
  :data:`DROP_REASONS` — exceptions of the extractor included.

How it plugs into a crawl (built once per crawl from the Scrapy settings)::

    class PortalSpider(scrapy.Spider):
        @classmethod
        def from_crawler(cls, crawler, *args, **kwargs):
            spider = super().from_crawler(crawler, *args, **kwargs)
            spider.extractor = BoundedExtractor.from_crawler(crawler)  # closed with the crawl
            return spider

        async def parse_article(self, response):
            outcome = await self.extractor.extract_async(
                response.body, response.url, http_encoding=response.encoding, ...)
            record_outcome(self.crawler.stats, outcome)
            if outcome.article is not None:
                yield outcome.article

``extract_async`` needs the asyncio reactor (the project's ``TWISTED_REACTOR``);
``submit`` returns a ``concurrent.futures.Future`` for any other caller, ``extract``
blocks. Any other picklable function runs bounded the same way with ``call_async(func,
*args)`` / ``submit_call``: its result, or :class:`Dropped` with the reason — the project's
spiders run their whole page analysis (triage, links, extraction) like that.
Settings (all optional): ``NEWSCRAWL_EXTRACT_TIMEOUT`` (seconds, 5.0),
``NEWSCRAWL_EXTRACT_MEMORY_MB`` (1024; 0 = unlimited), ``NEWSCRAWL_EXTRACT_MAX_BYTES``
(16 MiB), ``NEWSCRAWL_EXTRACT_WORKERS`` (2; 0 runs in the calling process: pre-checks and
exception catching only, no time or memory bound).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import multiprocessing
import multiprocessing.connection
import queue
import signal
import threading
import time
import traceback
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from newscrawl.record import Article

logger = logging.getLogger(__name__)

# Every reason a page can be dropped for, by this module. Stats keys: extract/dropped/<reason>.
EMPTY_PAGE = "empty_page"
TOO_LARGE = "too_large"
BINARY_CONTENT = "binary_content"
NOT_ARTICLE = "not_article"
TIMEOUT = "extract_timeout"
MEMORY_LIMIT = "extract_memory_limit"
EXTRACTOR_ERROR = "extractor_error"
WORKER_CRASHED = "worker_crashed"
DROP_REASONS = (
    EMPTY_PAGE, TOO_LARGE, BINARY_CONTENT, NOT_ARTICLE,
    TIMEOUT, MEMORY_LIMIT, EXTRACTOR_ERROR, WORKER_CRASHED,
)

DEFAULT_TIMEOUT = 5.0
DEFAULT_MEMORY_LIMIT_MB = 1024
DEFAULT_MAX_BYTES = 16 * 1024 * 1024
DEFAULT_WORKERS = 2


def default_workers() -> int:
    """The pool size when NEWSCRAWL_EXTRACT_WORKERS is not set."""
    return DEFAULT_WORKERS

# Leading bytes of formats that portals serve as text/html by mistake (attachments, images).
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "pdf"),
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"\xff\xd8\xff", "jpeg"),
    (b"GIF87a", "gif"),
    (b"GIF89a", "gif"),
    (b"PK\x03\x04", "zip"),
    (b"\x1f\x8b", "gzip"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "ole"),  # .doc/.xls
    (b"BM", "bmp"),
    (b"\x00\x00\x01\x00", "ico"),
    (b"ID3", "mp3"),
    (b"OggS", "ogg"),
    (b"\x1aE\xdf\xa3", "webm"),
    (b"7z\xbc\xaf\x27\x1c", "7z"),
    (b"Rar!\x1a\x07", "rar"),
)
_UTF16_32_BOMS = (b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff")
_SNIFF = 4096


@dataclass(frozen=True, slots=True)
class Outcome:
    """What became of one page: an article, or the reason there is none."""

    article: Article | None
    reason: str | None = None  # one of DROP_REASONS when article is None
    detail: str = ""  # for the log: the exception, the sniffed format, the size...
    elapsed: float = 0.0

    @property
    def ok(self) -> bool:
        return self.article is not None


@dataclass(frozen=True, slots=True)
class PreparedPage:
    body: bytes | str
    nul_bytes: int = 0


def sniff_binary(body: bytes) -> str | None:
    """The binary format ``body`` is in (``"pdf"``, ``"png"``...), or None if it may be text."""
    head = body[:_SNIFF].lstrip(b"\t\n\r ")
    for magic, kind in _MAGIC:
        if head.startswith(magic):
            return kind
    if head[:4] == b"RIFF" and head[8:12] in (b"WEBP", b"WAVE", b"AVI "):
        return head[8:12].decode("ascii").strip().lower()
    if body.startswith(_UTF16_32_BOMS):
        return None  # UTF-16/32 text is full of NULs and still text
    sample = body[:_SNIFF]
    # Text pages have at most a stray NUL or two; binary data has many control bytes.
    controls = sum(1 for b in sample if b < 9 or 13 < b < 32)
    if sample and controls / len(sample) > 0.10:
        return "unknown"
    return None


def precheck(body: bytes | str, *, max_bytes: int = DEFAULT_MAX_BYTES) -> Outcome | PreparedPage:
    """Cheap checks before any parsing: a drop :class:`Outcome`, or the page to extract."""
    size = len(body)
    if max_bytes and size > max_bytes:
        return Outcome(None, TOO_LARGE, f"{size} bytes > {max_bytes}")
    if isinstance(body, str):
        if not body.strip():
            return Outcome(None, EMPTY_PAGE, f"{size} characters of whitespace")
        nuls = body.count("\x00")
        return PreparedPage(body.replace("\x00", "") if nuls else body, nuls)
    if not body.strip():
        return Outcome(None, EMPTY_PAGE, f"{size} bytes of whitespace")
    kind = sniff_binary(body)
    if kind is not None:
        return Outcome(None, BINARY_CONTENT, kind)
    if body.startswith(_UTF16_32_BOMS):
        return PreparedPage(body)
    # A NUL byte is never part of a multi-byte character in UTF-8, GBK, Big5 or Shift_JIS,
    # so removing it cannot damage the text around it; lxml would stop reading at it.
    nuls = body.count(b"\x00")
    return PreparedPage(body.replace(b"\x00", b"") if nuls else body, nuls)


class Dropped(Exception):
    """A bounded call gave up: ``reason`` is one of DROP_REASONS, ``detail`` says more."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.detail = detail


@dataclass(frozen=True, slots=True)
class _CallResult:
    value: Any = None
    reason: str | None = None
    detail: str = ""


# Set in a worker process: its address-space limit, in bytes (0: none).
_memory_limit_bytes = 0


def _hit_memory_limit() -> bool:
    """Did this process reach its address-space limit? C libraries (lxml) that fail to
    allocate often report something else than MemoryError — a half-built tree, an
    IndexError further on — so an exception raised at the limit is counted as the limit."""
    if not _memory_limit_bytes:
        return False
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmPeak:"):
                    return int(line.split()[1]) * 1024 >= 0.9 * _memory_limit_bytes
    except (OSError, ValueError):
        pass
    return False


def _error_result(exc: Exception) -> tuple[str, str]:
    if _hit_memory_limit():
        return MEMORY_LIMIT, f"at the memory limit: {type(exc).__name__}: {exc}"[:500]
    tb = traceback.format_exc(limit=-3)
    return EXTRACTOR_ERROR, f"{type(exc).__name__}: {exc}\n{tb}"[:2000]


def call_guarded(function: Callable[..., Any], args: tuple[Any, ...]) -> _CallResult:
    """``function(*args)`` with every exception turned into a named result."""
    try:
        return _CallResult(function(*args))
    except MemoryError:
        return _CallResult(None, MEMORY_LIMIT, "MemoryError")
    except Exception as exc:
        return _CallResult(None, *_error_result(exc))


def _default_function() -> Callable[..., Article | None]:
    from newscrawl.extract import extract_article

    return extract_article


def run_guarded(function: Callable[..., Article | None], body: bytes | str, url: str | None,
                kwargs: dict[str, Any]) -> Outcome:
    """Call ``function`` in this process, turning every exception into an Outcome."""
    start = time.perf_counter()
    try:
        article = function(body, url, **kwargs)
    except MemoryError:
        return Outcome(None, MEMORY_LIMIT, "MemoryError", time.perf_counter() - start)
    except Exception as exc:  # the extractor's bug must not become the crawl's crash
        reason, detail = _error_result(exc)
        return Outcome(None, reason, detail, time.perf_counter() - start)
    elapsed = time.perf_counter() - start
    if article is None:
        return Outcome(None, NOT_ARTICLE, "", elapsed)
    return Outcome(article, None, "", elapsed)


def _worker_main(conn: multiprocessing.connection.Connection,
                 function: Callable[..., Article | None] | None, memory_limit_mb: int) -> None:
    """Worker process: limit its own address space, then serve jobs until told to stop."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    global _memory_limit_bytes
    if memory_limit_mb > 0:
        try:
            import resource

            limit = memory_limit_mb * 1024 * 1024
            resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
            _memory_limit_bytes = limit
        except (ImportError, ValueError, OSError) as exc:  # pragma: no cover - not Linux
            logger.warning("cannot limit extraction memory: %s", exc)
    func = function or _default_function()
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        if job is None:
            return
        result: Outcome | _CallResult
        if job[0] == "call":
            _, call_func, args = job
            result = call_guarded(call_func, args)
        else:
            _, body, url, kwargs = job
            result = run_guarded(func, body, url, kwargs)
        try:
            conn.send(result)
        except MemoryError:
            conn.send(Outcome(None, MEMORY_LIMIT, "MemoryError while sending the result"))
            return
        except Exception as exc:  # a result that does not pickle
            conn.send(_CallResult(None, EXTRACTOR_ERROR, f"unpicklable result: {exc}"))
        if result.reason == MEMORY_LIMIT:
            return  # a process that ran out of memory is not trusted with another page


class _Worker:
    """One worker process and the parent's end of its pipe."""

    def __init__(self, ctx: Any, function: Callable[..., Article | None] | None,
                 memory_limit_mb: int) -> None:
        self.conn, child = ctx.Pipe()
        self.process = ctx.Process(
            target=_worker_main, args=(child, function, memory_limit_mb),
            name="newscrawl-extract", daemon=True,
        )
        self.process.start()
        child.close()

    def run(self, job: tuple[Any, ...], timeout: float) -> Any:
        """The outcome, or TIMEOUT / WORKER_CRASHED (the caller then kills the worker)."""
        try:
            self.conn.send(job)
            if not self.conn.poll(timeout):
                return TIMEOUT
            return self.conn.recv()
        except (EOFError, OSError):
            return WORKER_CRASHED

    def alive(self) -> bool:
        return self.process.is_alive()

    def kill(self) -> None:
        with contextlib.suppress(Exception):
            self.process.kill()
        self.process.join(5)
        with contextlib.suppress(Exception):
            self.conn.close()

    def stop(self) -> None:
        with contextlib.suppress(Exception):
            self.conn.send(None)
        self.process.join(2)
        if self.process.is_alive():
            self.kill()
        with contextlib.suppress(Exception):
            self.conn.close()


class BoundedExtractor:
    """A small pool of extraction workers, each page bounded in time and memory.

    Thread-safe: ``submit`` may be called from any thread; at most ``workers`` pages are
    extracted at once, the rest wait their turn (the time limit starts when a worker takes
    the page, not while it waits).
    """

    def __init__(
        self,
        *,
        timeout: float = DEFAULT_TIMEOUT,
        memory_limit_mb: int = DEFAULT_MEMORY_LIMIT_MB,
        max_bytes: int = DEFAULT_MAX_BYTES,
        workers: int = DEFAULT_WORKERS,
        function: Callable[..., Article | None] | None = None,
        start_method: str = "forkserver",
    ) -> None:
        if timeout <= 0:
            raise ValueError("NEWSCRAWL_EXTRACT_TIMEOUT must be > 0 seconds")
        if workers < 0 or memory_limit_mb < 0 or max_bytes < 0:
            raise ValueError("NEWSCRAWL_EXTRACT_WORKERS, _MEMORY_MB, _MAX_BYTES must be >= 0")
        self.timeout = timeout
        self.memory_limit_mb = memory_limit_mb
        self.max_bytes = max_bytes
        self.workers = workers
        self.function = function
        self._ctx = multiprocessing.get_context(start_method) if workers else None
        if start_method == "forkserver" and self._ctx is not None:
            # Workers fork from a server that already imported the extractor: a worker that
            # was killed is replaced in milliseconds, not the seconds a fresh import takes.
            self._ctx.set_forkserver_preload(["newscrawl.extract", "newscrawl.bounded"])
        self._idle: queue.Queue[_Worker | None] = queue.Queue()
        self._all: set[_Worker] = set()
        self._lock = threading.Lock()
        self._executor = ThreadPoolExecutor(max_workers=workers or 1,
                                            thread_name_prefix="newscrawl-extract")
        self._closed = False
        self.replaced = 0  # workers killed or lost and started again
        for _ in range(workers):
            self._idle.put(None)  # a slot; its worker starts on first use

    # -- construction from Scrapy ---------------------------------------------------------
    @classmethod
    def from_settings(cls, settings: Any, **overrides: Any) -> BoundedExtractor:
        kwargs: dict[str, Any] = {
            "timeout": settings.getfloat("NEWSCRAWL_EXTRACT_TIMEOUT", DEFAULT_TIMEOUT),
            "memory_limit_mb": settings.getint("NEWSCRAWL_EXTRACT_MEMORY_MB",
                                               DEFAULT_MEMORY_LIMIT_MB),
            "max_bytes": settings.getint("NEWSCRAWL_EXTRACT_MAX_BYTES", DEFAULT_MAX_BYTES),
            "workers": settings.getint("NEWSCRAWL_EXTRACT_WORKERS", DEFAULT_WORKERS),
        }
        kwargs.update(overrides)
        return cls(**kwargs)

    @classmethod
    def from_crawler(cls, crawler: Any, **overrides: Any) -> BoundedExtractor:
        """Built from the crawl's settings; its workers stop when the engine stops."""
        from scrapy import signals

        pool = cls.from_settings(crawler.settings, **overrides)
        crawler.signals.connect(pool.close, signal=signals.engine_stopped, weak=False)
        return pool

    # -- use ------------------------------------------------------------------------------
    def extract(self, body: bytes | str, url: str | None = None, *, profile: Any = None,
                fetched_at: datetime | None = None, http_encoding: str | None = None) -> Outcome:
        """Blocking: the Outcome of extracting one page."""
        return self.submit(body, url, profile=profile, fetched_at=fetched_at,
                           http_encoding=http_encoding).result()

    async def extract_async(self, body: bytes | str, url: str | None = None, *,
                            profile: Any = None, fetched_at: datetime | None = None,
                            http_encoding: str | None = None) -> Outcome:
        """Awaitable form for Scrapy's ``async def`` callbacks (asyncio reactor)."""
        future = self.submit(body, url, profile=profile, fetched_at=fetched_at,
                             http_encoding=http_encoding)
        return await asyncio.wrap_future(future)

    def submit(self, body: bytes | str, url: str | None = None, *, profile: Any = None,
               fetched_at: datetime | None = None,
               http_encoding: str | None = None) -> Future[Outcome]:
        """Pre-check now, extract in a worker; the Future never holds an exception."""
        checked = precheck(body, max_bytes=self.max_bytes)
        if isinstance(checked, Outcome):
            done: Future[Outcome] = Future()
            done.set_result(checked)
            return done
        if checked.nul_bytes:
            logger.debug("removed %d NUL bytes from %s", checked.nul_bytes, url)
        # A site profile object may hold code-free data only, but not every one pickles:
        # the worker needs just its extraction rules.
        rules = getattr(profile, "extract", profile)
        kwargs = {"profile": rules, "fetched_at": fetched_at, "http_encoding": http_encoding}
        if self._closed:
            raise RuntimeError("BoundedExtractor is closed")
        return self._executor.submit(self._run, checked.body, url, kwargs)

    def submit_call(self, function: Callable[..., Any], *args: Any) -> Future[Any]:
        """``function(*args)`` in a bounded worker: a Future of its result, or of
        :class:`Dropped` (time-out, memory limit, crash, exception). ``function`` and its
        arguments must pickle (a module-level function of plain data)."""
        if self._closed:
            raise RuntimeError("BoundedExtractor is closed")
        return self._executor.submit(self._run_call, function, args)

    async def call_async(self, function: Callable[..., Any], *args: Any) -> Any:
        """Awaitable ``submit_call`` (asyncio reactor)."""
        return await asyncio.wrap_future(self.submit_call(function, *args))

    def _run_call(self, function: Callable[..., Any], args: tuple[Any, ...]) -> Any:
        if not self.workers:
            result = call_guarded(function, args)
        else:
            result = self._in_worker(("call", function, args))
        if result.reason is not None:
            raise Dropped(result.reason, result.detail)
        return result.value

    def _in_worker(self, job: tuple[Any, ...]) -> Any:
        """Run one job in an idle worker: its result, or a _CallResult naming the failure."""
        worker = self._idle.get()
        try:
            if worker is None or not worker.alive():
                worker = self._start_worker(worker)
            start = time.perf_counter()
            result = worker.run(job, self.timeout)
            if isinstance(result, str):
                self._discard(worker)
                worker = None
                detail = (f"over {self.timeout:g}s" if result == TIMEOUT
                          else f"the worker process died after {time.perf_counter() - start:.1f}s")
                return _CallResult(None, result, detail)
            if result.reason == MEMORY_LIMIT:
                self._discard(worker)
                worker = None
            return result
        except Exception as exc:  # pipe trouble, a result that would not unpickle...
            if worker is not None:
                self._discard(worker)
                worker = None
            return _CallResult(None, WORKER_CRASHED, f"{type(exc).__name__}: {exc}")
        finally:
            self._idle.put(worker)

    def _run(self, body: bytes | str, url: str | None, kwargs: dict[str, Any]) -> Outcome:
        if not self.workers:
            return run_guarded(self.function or _default_function(), body, url, kwargs)
        start = time.perf_counter()
        result = self._in_worker(("extract", body, url, kwargs))
        if isinstance(result, _CallResult):
            return Outcome(None, result.reason, result.detail, time.perf_counter() - start)
        outcome: Outcome = result
        return outcome

    def _start_worker(self, old: _Worker | None) -> _Worker:
        if old is not None:
            self._discard(old)
        worker = _Worker(self._ctx, self.function, self.memory_limit_mb)
        with self._lock:
            self._all.add(worker)
        return worker

    def _discard(self, worker: _Worker) -> None:
        worker.kill()
        with self._lock:
            self._all.discard(worker)
            self.replaced += 1

    def close(self) -> None:
        """Stop the workers. Safe to call twice; pending pages finish first."""
        if self._closed:
            return
        self._closed = True
        self._executor.shutdown(wait=True)
        with self._lock:
            workers = list(self._all)
            self._all.clear()
        for worker in workers:
            worker.stop()

    def __enter__(self) -> BoundedExtractor:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def worker_pids(self) -> list[int]:
        with self._lock:
            return [w.process.pid for w in self._all if w.process.pid is not None]


def record_outcome(stats: Any, outcome: Outcome, url: str | None = None) -> None:
    """Count an Outcome in Scrapy stats (``extract/ok``, ``extract/dropped/<reason>``)."""
    if outcome.ok:
        stats.inc_value("extract/ok")
        return
    stats.inc_value("extract/dropped")
    stats.inc_value(f"extract/dropped/{outcome.reason}")
    if outcome.reason not in (NOT_ARTICLE, EMPTY_PAGE):
        logger.info("dropped %s: %s %s", url, outcome.reason, outcome.detail.splitlines()[0]
                       if outcome.detail else "")


__all__ = [
    "BINARY_CONTENT", "DROP_REASONS", "Dropped", "EMPTY_PAGE", "EXTRACTOR_ERROR", "MEMORY_LIMIT",
    "NOT_ARTICLE", "TIMEOUT", "TOO_LARGE", "WORKER_CRASHED", "BoundedExtractor", "Outcome",
    "precheck", "record_outcome", "run_guarded", "sniff_binary",
]
