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
import collections
import contextlib
import logging
import multiprocessing
import multiprocessing.connection
import os
import pickle
import signal
import struct
import threading
import time
import traceback
from collections.abc import Callable
from concurrent.futures import Future
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
        except OSError:
            return  # the pool closed the pipe (a crawl stopping): nobody waits for the answer
        except Exception as exc:  # a result that does not pickle
            conn.send((None, EXTRACTOR_ERROR, f"unpicklable result: {exc}"))
        if result[1] == MEMORY_LIMIT:
            return  # a process that ran out of memory is not trusted with another page


# Jobs a worker holds at once: the one it runs and the next, already in its pipe, so it
# starts that one the moment it answers instead of idling until the crawl's thread, busy
# with fetching, gets round to sending it.
PIPELINE_DEPTH = 2
_HEADER = struct.Struct("!i")  # multiprocessing.Connection's frame: a signed 4-byte size...
_LONG_HEADER = struct.Struct("!Q")  # ... or -1 and an 8-byte size for 2 GiB and more
_READ_SIZE = 1 << 18


def _frame(payload: bytes) -> bytes:
    """``payload`` as ``Connection.recv()`` in the worker reads it."""
    if len(payload) > 0x7FFFFFFF:
        return _HEADER.pack(-1) + _LONG_HEADER.pack(len(payload)) + payload
    return _HEADER.pack(len(payload)) + payload


def _take_frame(buffer: bytearray) -> bytes | None:
    """The first whole frame's payload, removed from ``buffer``; None while incomplete."""
    if len(buffer) < 4:
        return None
    (size,) = _HEADER.unpack_from(buffer)
    start = 4
    if size == -1:
        if len(buffer) < 12:
            return None
        (size,) = _LONG_HEADER.unpack_from(buffer, 4)
        start = 12
    if len(buffer) < start + size:
        return None
    payload = bytes(buffer[start:start + size])
    del buffer[:start + size]
    return payload


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

    def kill(self) -> None:
        with contextlib.suppress(Exception):
            self.process.kill()
        self.process.join(5)
        with contextlib.suppress(Exception):
            self.conn.close()

    def stop(self) -> None:
        # The worker reads end-of-file and exits (a "stop" message could land in the middle
        # of a job only half written to the pipe).
        with contextlib.suppress(Exception):
            self.conn.close()
        self.process.join(2)
        if self.process.is_alive():
            self.kill()


@dataclass(slots=True, eq=False)
class _Job:
    future: asyncio.Future[Any]
    payload: bytes  # the pickled (function, args)


class _Slot:
    """One place in the pool, driven by the event loop: its worker (once started), the
    jobs written to it in order, and the timer of the one it runs."""

    def __init__(self) -> None:
        self.worker: _Worker | None = None
        self.starting = False
        self.fd = -1
        self.jobs: collections.deque[_Job] = collections.deque()  # sent, unanswered
        self.incoming = bytearray()
        self.outgoing = bytearray()
        self.started_at = 0.0  # when the first of ``jobs`` started running
        self.timer: asyncio.TimerHandle | None = None


class BoundedExtractor:
    """A small pool of worker processes, each call bounded in time and memory.

    Driven by an asyncio event loop, with no threads between it and the workers: the
    loop writes a job to a worker's pipe without blocking and reads answers as they
    arrive (``loop.add_reader``). Threads would fight the crawl's thread for the GIL
    every time an answer came in, and a worker would idle until one got it. Each worker
    holds up to PIPELINE_DEPTH jobs; the time limit of a job starts when its worker takes
    it up. ``call_async`` runs on the caller's loop; ``submit_call`` (for threads outside
    any loop: tests, scripts) on a loop of the pool's own in a background thread.
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
        self._all: set[_Worker] = set()  # every live worker process
        self._lock = threading.Lock()
        self._closed = False
        self.replaced = 0  # workers killed or lost and started again
        self._loop: asyncio.AbstractEventLoop | None = None  # the loop driving the pool
        self._driver: threading.Thread | None = None  # runs the pool's own loop, if any
        self._slots = [_Slot() for _ in range(workers)]
        self._waiting: collections.deque[_Job] = collections.deque()  # not yet sent

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

    # ------------------------------------------------------------------ calling
    async def call_async(self, function: Callable[..., Any], *args: Any) -> Any:
        """``function(*args)`` in a bounded worker: its result, or :class:`Dropped`
        (time-out, memory limit, crash, exception). ``function`` and its arguments must
        pickle (a module-level function of plain data)."""
        if self._closed:
            raise RuntimeError("BoundedExtractor is closed")
        if not self.workers:
            return _settled(call_guarded(function, args))
        loop = asyncio.get_running_loop()
        if self._loop is not loop:
            if self._loop is not None and self._loop.is_running():
                # Another loop drives the pool (its own, for submit_call): hand the call over.
                return await asyncio.wrap_future(
                    asyncio.run_coroutine_threadsafe(self.call_async(function, *args), self._loop))
            self._attach(loop)
        try:
            payload = pickle.dumps((function, args), pickle.HIGHEST_PROTOCOL)
        except Exception as exc:  # noqa: BLE001 - a call that cannot be sent is a named drop
            raise Dropped(EXTRACTOR_ERROR, f"unpicklable call: {type(exc).__name__}: {exc}") from None
        job = _Job(loop.create_future(), payload)
        self._waiting.append(job)
        self._dispatch()
        return await job.future

    def submit_call(self, function: Callable[..., Any], *args: Any) -> Future[Any]:
        """:meth:`call_async` from a thread that runs no event loop: a Future of its
        result (or of :class:`Dropped`). Not from the thread of the loop driving the pool:
        waiting there for the Future would stop the loop that settles it."""
        if self._closed:
            raise RuntimeError("BoundedExtractor is closed")
        if not self.workers:
            done: Future[Any] = Future()
            try:
                done.set_result(_settled(call_guarded(function, args)))
            except Dropped as exc:
                done.set_exception(exc)
            return done
        with self._lock:
            if self._loop is None or not self._loop.is_running():
                self._start_driver()
            loop = self._loop
        assert loop is not None
        return asyncio.run_coroutine_threadsafe(self.call_async(function, *args), loop)

    def _start_driver(self) -> None:
        loop = asyncio.new_event_loop()
        started = threading.Event()
        loop.call_soon(started.set)
        self._driver = threading.Thread(target=loop.run_forever, name="newscrawl-extract",
                                        daemon=True)
        self._driver.start()
        started.wait()
        self._attach(loop)

    def _attach(self, loop: asyncio.AbstractEventLoop) -> None:
        """Let ``loop`` drive the pool. Workers a previous, finished loop drove are stopped:
        their answers would go to futures nobody awaits any more."""
        for slot in self._slots:
            if slot.worker is not None:
                self._retire(slot, requeue=False, count=False)
        self._waiting.clear()
        self._loop = loop

    # ------------------------------------------------------------------ the loop's side
    def _dispatch(self) -> None:
        """Hand waiting jobs to workers: idle workers first, then a second job to each."""
        waiting = self._waiting
        for depth in range(1, PIPELINE_DEPTH + 1):
            for slot in self._slots:
                while waiting and waiting[0].future.done():
                    waiting.popleft()  # cancelled while it waited
                if not waiting:
                    return
                if slot.worker is None:
                    if not slot.starting:
                        self._start(slot)
                    continue
                while waiting and len(slot.jobs) < depth:
                    job = waiting.popleft()
                    if not job.future.done():
                        self._send(slot, job)

    def _start(self, slot: _Slot) -> None:
        """Start a worker for ``slot`` off the loop's thread (the first start brings up the
        fork server, which imports the extractor)."""
        assert self._loop is not None
        slot.starting = True
        loop = self._loop
        started = loop.run_in_executor(None, _Worker, self._ctx, self.memory_limit_mb)

        def attach(done: asyncio.Future[_Worker]) -> None:
            slot.starting = False
            try:
                worker = done.result()
            except Exception as exc:  # noqa: BLE001 - cannot fork: the waiting calls learn why
                while self._waiting:
                    _fail(self._waiting.popleft(), WORKER_CRASHED,
                          f"could not start a worker: {type(exc).__name__}: {exc}")
                return
            if self._closed or self._loop is not loop:
                worker.stop()
                return
            with self._lock:
                self._all.add(worker)
            slot.worker = worker
            slot.fd = worker.conn.fileno()
            os.set_blocking(slot.fd, False)
            loop.add_reader(slot.fd, self._readable, slot)
            self._dispatch()

        started.add_done_callback(attach)

    def _send(self, slot: _Slot, job: _Job) -> None:
        assert self._loop is not None
        if not slot.jobs:
            self._started(slot)
        slot.jobs.append(job)
        data = _frame(job.payload)
        if slot.outgoing:
            slot.outgoing += data
            return
        try:
            written = os.write(slot.fd, data)
        except BlockingIOError:
            written = 0
        except OSError:
            self._lost(slot)
            return
        if written < len(data):
            slot.outgoing += data[written:]
            self._loop.add_writer(slot.fd, self._writable, slot)

    def _writable(self, slot: _Slot) -> None:
        try:
            written = os.write(slot.fd, slot.outgoing)
        except BlockingIOError:
            return
        except OSError:
            self._lost(slot)
            return
        del slot.outgoing[:written]
        if not slot.outgoing and self._loop is not None:
            self._loop.remove_writer(slot.fd)

    def _readable(self, slot: _Slot) -> None:
        try:
            data = os.read(slot.fd, _READ_SIZE)
        except BlockingIOError:
            return
        except OSError:
            data = b""
        if not data:
            self._lost(slot)
            return
        slot.incoming += data
        while slot.worker is not None and (payload := _take_frame(slot.incoming)) is not None:
            try:
                answer: CallResult = pickle.loads(payload)
            except Exception as exc:  # noqa: BLE001 - an answer that does not unpickle
                answer = (None, WORKER_CRASHED, f"unreadable answer: {type(exc).__name__}: {exc}")
            self._answered(slot, answer)
        self._dispatch()

    def _answered(self, slot: _Slot, answer: CallResult) -> None:
        job = slot.jobs.popleft()
        if answer[1] == MEMORY_LIMIT:
            # The worker exits after this answer: a process that ran out of memory is not
            # trusted with another page. Jobs queued behind go to another worker.
            self._retire(slot)
        elif slot.jobs:
            self._started(slot)
        else:
            self._stop_timer(slot)
        if answer[1] is not None:
            _fail(job, answer[1], answer[2])
        elif not job.future.done():
            job.future.set_result(answer[0])

    def _started(self, slot: _Slot) -> None:
        """The first of the slot's jobs starts now: its time limit runs from here."""
        assert self._loop is not None
        self._stop_timer(slot)
        slot.started_at = time.monotonic()
        slot.timer = self._loop.call_later(self.timeout, self._overdue, slot, slot.started_at)

    def _stop_timer(self, slot: _Slot) -> None:
        if slot.timer is not None:
            slot.timer.cancel()
            slot.timer = None

    def _overdue(self, slot: _Slot, started_at: float) -> None:
        if not slot.jobs or slot.started_at != started_at:
            return
        job = slot.jobs.popleft()
        self._retire(slot)
        _fail(job, TIMEOUT, f"over {self.timeout:g}s")
        self._dispatch()

    def _lost(self, slot: _Slot) -> None:
        """The worker's pipe closed or broke: it died (a crash, the kernel's OOM killer)."""
        seconds = time.monotonic() - slot.started_at
        job = slot.jobs.popleft() if slot.jobs else None
        self._retire(slot)
        if job is not None:
            _fail(job, WORKER_CRASHED, f"the worker process died after {seconds:.1f}s")
        self._dispatch()

    def _retire(self, slot: _Slot, *, requeue: bool = True, count: bool = True) -> None:
        """Kill the slot's worker; the jobs it had not started wait for another one."""
        if slot.worker is None:
            return
        worker, jobs = self._detach(slot)
        assert worker is not None
        worker.kill()
        if count:
            self.replaced += 1
        if requeue:
            self._waiting.extendleft(reversed(jobs))

    def _detach(self, slot: _Slot) -> tuple[_Worker | None, collections.deque[_Job]]:
        """The slot's worker and unanswered jobs, taken off the loop and out of the slot."""
        worker, jobs = slot.worker, slot.jobs
        self._stop_timer(slot)
        if worker is not None:
            loop = self._loop
            if loop is not None and not loop.is_closed():
                loop.remove_reader(slot.fd)
                loop.remove_writer(slot.fd)
            with self._lock:
                self._all.discard(worker)
        slot.worker, slot.fd = None, -1
        slot.jobs = collections.deque()
        slot.incoming, slot.outgoing = bytearray(), bytearray()
        return worker, jobs

    # ------------------------------------------------------------------ closing
    def close(self) -> None:
        """Stop the workers. Safe to call twice. From a thread other than the driving
        loop's, calls in progress finish first; on the loop's own thread (a crawl closing)
        the ones still waiting are cancelled."""
        if self._closed:
            return
        self._closed = True
        loop = self._loop
        try:
            current = asyncio.get_running_loop()
        except RuntimeError:
            current = None
        if loop is not None and loop.is_running() and current is not loop:
            asyncio.run_coroutine_threadsafe(self._finish(), loop).result()
        else:
            self._shut_down()
        if self._driver is not None and loop is not None:
            loop.call_soon_threadsafe(loop.stop)
            self._driver.join(5)
            loop.close()

    async def _finish(self) -> None:
        pending = [job.future for job in self._waiting]
        pending += [job.future for slot in self._slots for job in slot.jobs]
        if pending:
            await asyncio.gather(*pending, return_exceptions=True)
        self._shut_down()

    def _shut_down(self) -> None:
        for job in self._waiting:
            job.future.cancel()
        self._waiting.clear()
        for slot in self._slots:
            worker, jobs = self._detach(slot)
            for job in jobs:
                job.future.cancel()
            if worker is not None:
                worker.stop()


def _settled(result: CallResult) -> Any:
    value, reason, detail = result
    if reason is not None:
        raise Dropped(reason, detail)
    return value


def _fail(job: _Job, reason: str, detail: str) -> None:
    if not job.future.done():
        job.future.set_exception(Dropped(reason, detail))


__all__ = [
    "BINARY_CONTENT", "DROP_REASONS", "Dropped", "EMPTY_PAGE", "EXTRACTOR_ERROR", "MEMORY_LIMIT",
    "NOT_ARTICLE", "TIMEOUT", "TOO_LARGE", "WORKER_CRASHED", "BoundedExtractor", "PreparedPage",
    "call_guarded", "default_workers", "precheck", "sniff_binary",
]
