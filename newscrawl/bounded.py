"""Bounded page analysis: a function of one page, run in bounded time and memory.

A portal can serve anything: a 50 MB page, a PDF labelled ``text/html``, markup nested
100,000 deep. One such page must cost the crawl one dropped page (with a named reason in
the stats), never a hang, an exhausted machine or an exception that escapes.

* :func:`precheck`: cheap checks on the crawl's thread before any parsing — a size cap,
  binary sniffing (PDF, images, archives served as HTML), empty pages; stray NUL bytes are
  removed rather than fatal. A failed check raises :class:`Dropped`.
* :class:`BoundedExtractor`: a pool of worker processes, each with an address-space limit
  (``resource.setrlimit(RLIMIT_AS)``); ``await pool.call_async(func, *args)`` runs a
  picklable function of plain data in one of them. A worker that runs past the time limit
  is killed and replaced, one that dies is replaced, and every way the call can go wrong
  raises :class:`Dropped` with a ``reason`` from :data:`DROP_REASONS`.
* :func:`call_guarded`: the same call in this process (no pool): exceptions become a
  named result, with no time or memory bound.

The project's spiders run their whole page analysis (decode, triage, links, extraction:
``newscrawl.spiders.analysis``) through it, so the crawl's thread only fetches and
schedules. Settings (all optional): ``NEWSCRAWL_EXTRACT_TIMEOUT`` (seconds, 5.0),
``NEWSCRAWL_EXTRACT_MEMORY_MB`` (1024; 0 = unlimited), ``NEWSCRAWL_EXTRACT_MAX_BYTES``
(16 MiB), ``NEWSCRAWL_EXTRACT_WORKERS`` (-1 = :func:`default_workers`, one per usable
CPU; 0 runs in the calling process: pre-checks and exception catching only).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import multiprocessing
import multiprocessing.connection
import os
import queue
import signal
import threading
import time
import traceback
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

logger = logging.getLogger(__name__)

# Every reason a page can be dropped for, by this module. Stats keys: newscrawl/dropped/<reason>.
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
# More workers than this gain nothing on a larger machine: the crawl's one reactor thread
# feeds them (benchmarks/crawl_speed.py), and each may use NEWSCRAWL_EXTRACT_MEMORY_MB.
MAX_DEFAULT_WORKERS = 8


def default_workers() -> int:
    """The pool size when NEWSCRAWL_EXTRACT_WORKERS is -1 (the default): one worker per CPU
    this process may run on, 1 to MAX_DEFAULT_WORKERS. Measured on a 2-core machine at zero
    latency (benchmarks/crawl_speed.py): 1 worker 0.25× bare Scrapy, 2 workers 0.27×,
    3 workers 0.18× — a third process only fights the reactor and the others for the cores."""
    try:
        cpus = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # pragma: no cover - not Linux
        cpus = os.cpu_count() or 1
    return max(1, min(cpus, MAX_DEFAULT_WORKERS))


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
# Control bytes other than tab, newline, vertical tab, form feed and carriage return.
_CONTROL_BYTES = bytes(b for b in range(32) if not 9 <= b <= 13)


@dataclass(frozen=True, slots=True)
class PreparedPage:
    body: bytes | str
    nul_bytes: int = 0


class Dropped(Exception):
    """A page or a bounded call given up: ``reason`` is one of DROP_REASONS, ``detail``
    says more (the exception, the sniffed format, the size...)."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.detail = detail


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
    # (Counted in C: this runs for every page on the crawl's thread.)
    controls = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
    if sample and controls / len(sample) > 0.10:
        return "unknown"
    return None


def precheck(body: bytes | str, *, max_bytes: int = DEFAULT_MAX_BYTES) -> PreparedPage:
    """Cheap checks before any parsing: the page to analyse, or :class:`Dropped`."""
    size = len(body)
    if max_bytes and size > max_bytes:
        raise Dropped(TOO_LARGE, f"{size} bytes > {max_bytes}")
    if isinstance(body, str):
        if not body or body.isspace():
            raise Dropped(EMPTY_PAGE, f"{size} characters of whitespace")
        nuls = body.count("\x00")
        return PreparedPage(body.replace("\x00", "") if nuls else body, nuls)
    if not body or body.isspace():
        raise Dropped(EMPTY_PAGE, f"{size} bytes of whitespace")
    kind = sniff_binary(body)
    if kind is not None:
        raise Dropped(BINARY_CONTENT, kind)
    if body.startswith(_UTF16_32_BOMS):
        return PreparedPage(body)
    # A NUL byte is never part of a multi-byte character in UTF-8, GBK, Big5 or Shift_JIS,
    # so removing it cannot damage the text around it; lxml would stop reading at it.
    nuls = body.count(b"\x00")
    return PreparedPage(body.replace(b"\x00", b"") if nuls else body, nuls)


# What a worker sends back: (value, None, "") or (None, reason, detail) — a plain tuple,
# the cheapest thing to pickle.
CallResult = tuple[Any, "str | None", str]

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


def call_guarded(function: Callable[..., Any], args: tuple[Any, ...]) -> CallResult:
    """``function(*args)`` with every exception turned into a named result."""
    try:
        return function(*args), None, ""
    except MemoryError:
        return None, MEMORY_LIMIT, "MemoryError"
    except Exception as exc:  # the analysis' bug must not become the crawl's crash
        if _hit_memory_limit():
            return None, MEMORY_LIMIT, f"at the memory limit: {type(exc).__name__}: {exc}"[:500]
        tb = traceback.format_exc(limit=-3)
        return None, EXTRACTOR_ERROR, f"{type(exc).__name__}: {exc}\n{tb}"[:2000]


def _worker_main(conn: multiprocessing.connection.Connection, memory_limit_mb: int) -> None:
    """Worker process: limit its own address space, then serve calls until told to stop."""
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
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        if job is None:
            return
        function, args = job
        result = call_guarded(function, args)
        try:
            conn.send(result)
        except MemoryError:
            conn.send((None, MEMORY_LIMIT, "MemoryError while sending the result"))
            return
        except Exception as exc:  # a result that does not pickle
            conn.send((None, EXTRACTOR_ERROR, f"unpicklable result: {exc}"))
        if result[1] == MEMORY_LIMIT:
            return  # a process that ran out of memory is not trusted with another page


class _Worker:
    """One worker process and the parent's end of its pipe."""

    def __init__(self, ctx: Any, memory_limit_mb: int) -> None:
        self.conn, child = ctx.Pipe()
        self.process = ctx.Process(
            target=_worker_main, args=(child, memory_limit_mb),
            name="newscrawl-extract", daemon=True,
        )
        self.process.start()
        child.close()

    def run(self, job: tuple[Any, ...], timeout: float) -> CallResult | str:
        """The call's result, or TIMEOUT / WORKER_CRASHED (the caller then kills the worker)."""
        try:
            self.conn.send(job)
            if not self.conn.poll(timeout):
                return TIMEOUT
            result: CallResult = self.conn.recv()
            return result
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
    """A small pool of worker processes, each call bounded in time and memory.

    Thread-safe: ``submit_call`` may be called from any thread; at most ``workers`` calls
    run at once, the rest wait their turn (the time limit starts when a worker takes the
    call, not while it waits).
    """

    def __init__(
        self,
        *,
        timeout: float = DEFAULT_TIMEOUT,
        memory_limit_mb: int = DEFAULT_MEMORY_LIMIT_MB,
        workers: int = -1,
        start_method: str = "forkserver",
    ) -> None:
        if timeout <= 0:
            raise ValueError("NEWSCRAWL_EXTRACT_TIMEOUT must be > 0 seconds")
        if memory_limit_mb < 0:
            raise ValueError("NEWSCRAWL_EXTRACT_MEMORY_MB must be >= 0")
        if workers < 0:
            workers = default_workers()
        self.timeout = timeout
        self.memory_limit_mb = memory_limit_mb
        self.workers = workers
        self._ctx = multiprocessing.get_context(start_method) if workers else None
        if start_method == "forkserver" and self._ctx is not None:
            # Workers fork from a server that already imported the extractor: a worker that
            # was killed is replaced in milliseconds, not the seconds a fresh import takes.
            self._ctx.set_forkserver_preload(["newscrawl.spiders.analysis", "newscrawl.bounded"])
        self._idle: queue.Queue[_Worker | None] = queue.Queue()
        self._all: set[_Worker] = set()
        self._lock = threading.Lock()
        self._executor = ThreadPoolExecutor(max_workers=workers or 1,
                                            thread_name_prefix="newscrawl-extract")
        self._closed = False
        self.replaced = 0  # workers killed or lost and started again
        for _ in range(workers):
            self._idle.put(None)  # a slot; its worker starts on first use

    @classmethod
    def from_settings(cls, settings: Any, **overrides: Any) -> BoundedExtractor:
        kwargs: dict[str, Any] = {
            "timeout": settings.getfloat("NEWSCRAWL_EXTRACT_TIMEOUT", DEFAULT_TIMEOUT),
            "memory_limit_mb": settings.getint("NEWSCRAWL_EXTRACT_MEMORY_MB",
                                               DEFAULT_MEMORY_LIMIT_MB),
            "workers": settings.getint("NEWSCRAWL_EXTRACT_WORKERS", -1),
        }
        kwargs.update(overrides)
        return cls(**kwargs)

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
        value, reason, detail = (call_guarded(function, args) if not self.workers
                                 else self._in_worker((function, args)))
        if reason is not None:
            raise Dropped(reason, detail)
        return value

    def _in_worker(self, job: tuple[Any, ...]) -> CallResult:
        """Run one job in an idle worker: its result, or one naming the failure."""
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
                return None, result, detail
            if result[1] == MEMORY_LIMIT:
                self._discard(worker)
                worker = None
            return result
        except Exception as exc:  # pipe trouble, a result that would not unpickle...
            if worker is not None:
                self._discard(worker)
                worker = None
            return None, WORKER_CRASHED, f"{type(exc).__name__}: {exc}"
        finally:
            self._idle.put(worker)

    def _start_worker(self, old: _Worker | None) -> _Worker:
        if old is not None:
            self._discard(old)
        worker = _Worker(self._ctx, self.memory_limit_mb)
        with self._lock:
            self._all.add(worker)
        return worker

    def _discard(self, worker: _Worker) -> None:
        worker.kill()
        with self._lock:
            self._all.discard(worker)
            self.replaced += 1

    def close(self) -> None:
        """Stop the workers. Safe to call twice; pending calls finish first."""
        if self._closed:
            return
        self._closed = True
        self._executor.shutdown(wait=True)
        with self._lock:
            workers = list(self._all)
            self._all.clear()
        for worker in workers:
            worker.stop()


__all__ = [
    "BINARY_CONTENT", "DROP_REASONS", "Dropped", "EMPTY_PAGE", "EXTRACTOR_ERROR", "MEMORY_LIMIT",
    "NOT_ARTICLE", "TIMEOUT", "TOO_LARGE", "WORKER_CRASHED", "BoundedExtractor", "PreparedPage",
    "call_guarded", "default_workers", "precheck", "sniff_binary",
]
