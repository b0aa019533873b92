"""BoundedExtractor: every way an extraction can go wrong ends as a named drop, and the pool
keeps working afterwards."""

from __future__ import annotations

import asyncio
import os
import time

import hostile_functions as hf
import pytest
from bounded_pages import PageExtractor
from hostile_pages import article_html

from newscrawl import bounded
from newscrawl.bounded import BoundedExtractor, Dropped, default_workers, precheck, sniff_binary

GOOD = article_html().encode("utf-8")
URL = "http://news.portal.test/2022-04/26/content_1.htm"

pytestmark = pytest.mark.timeout(60)


def test_a_page_that_hangs_is_dropped_at_the_time_limit_and_the_worker_replaced():
    with PageExtractor(timeout=0.5, workers=1, function=hf.spin_on_marker) as pool:
        assert pool.extract(GOOD, URL).ok
        pid_before = pool.worker_pids()
        start = time.monotonic()
        outcome = pool.extract(GOOD + b"<!-- HANG -->", URL)
        took = time.monotonic() - start
        assert outcome.reason == bounded.TIMEOUT and outcome.article is None
        assert 0.5 <= took < 5
        assert pool.extract(GOOD, URL).ok  # a fresh worker took over
        assert pool.worker_pids() != pid_before and pool.replaced == 1


def test_a_page_that_eats_memory_hits_the_limit_not_the_machine():
    with PageExtractor(timeout=20, memory_limit_mb=512, workers=1,
                          function=hf.eat_memory) as pool:
        outcome = pool.extract(GOOD, URL)
    assert outcome.reason == bounded.MEMORY_LIMIT, outcome


@pytest.mark.parametrize(("function", "reason"), [
    (hf.die, bounded.WORKER_CRASHED),
    (hf.raise_error, bounded.EXTRACTOR_ERROR),
    (hf.recurse, bounded.EXTRACTOR_ERROR),
])
def test_a_crashing_extractor_is_a_named_drop(function, reason):
    with PageExtractor(timeout=5, workers=1, function=function) as pool:
        first = pool.extract(GOOD, URL)
        second = pool.extract(GOOD, URL)  # and the pool still answers
    assert first.reason == second.reason == reason
    assert first.article is None


def test_concurrent_pages_with_one_hanging_do_not_block_the_others():
    pages = [GOOD] * 6 + [GOOD + b"HANG"]
    with PageExtractor(timeout=1, workers=2, function=hf.spin_on_marker) as pool:
        futures = [pool.submit(p, URL) for p in pages]
        outcomes = [f.result(timeout=30) for f in futures]
    assert sum(o.ok for o in outcomes) == 6
    assert [o.reason for o in outcomes if not o.ok] == [bounded.TIMEOUT]


def test_extract_async_from_an_event_loop():
    async def run(pool):
        return await asyncio.gather(*(pool.extract_async(GOOD, URL) for _ in range(4)))

    with PageExtractor(timeout=5, workers=2) as pool:
        outcomes = asyncio.run(run(pool))
    assert all(o.ok for o in outcomes)


def test_in_process_mode_catches_errors_too():
    with PageExtractor(workers=0, function=hf.raise_error) as pool:
        assert pool.extract(GOOD, URL).reason == bounded.EXTRACTOR_ERROR
    with PageExtractor(workers=0) as pool:
        assert pool.extract(GOOD, URL).ok


def _dropped(body, **kwargs):
    with pytest.raises(Dropped) as info:
        precheck(body, **kwargs)
    return info.value


def test_prechecks():
    assert _dropped(b"x" * 101, max_bytes=100).reason == bounded.TOO_LARGE
    assert _dropped(b"  \n", max_bytes=100).reason == bounded.EMPTY_PAGE
    assert _dropped(b"", max_bytes=100).reason == bounded.EMPTY_PAGE
    assert _dropped("", max_bytes=100).reason == bounded.EMPTY_PAGE
    assert _dropped(" \t", max_bytes=100).reason == bounded.EMPTY_PAGE
    assert _dropped(b"%PDF-1.4 xx").detail == "pdf"
    prepared = precheck(b"<p>a\x00b</p>")
    assert prepared.body == b"<p>ab</p>" and prepared.nul_bytes == 1
    utf16 = "<p>文</p>".encode("utf-16")
    assert precheck(utf16).body == utf16  # NULs of UTF-16 are text
    assert sniff_binary(bytes(range(256)) * 4) == "unknown"
    assert sniff_binary("<html>正文</html>".encode("gbk")) is None
    assert sniff_binary(b"RIFF\x00\x00\x00\x00WEBPVP8 ") == "webp"
    # The control-byte share decides: tab, newline and carriage return are text.
    assert sniff_binary(b"<p>" + b"\t\n\r" * 400 + b"</p>") is None
    assert sniff_binary(b"<p>" + b"\x01" * 20 + b"x" * 160 + b"</p>") == "unknown"
    assert sniff_binary(b"<p>" + b"\x01" * 10 + b"x" * 160 + b"</p>") is None


def test_settings_and_the_default_pool_size():
    from scrapy.settings import Settings

    settings = Settings({"NEWSCRAWL_EXTRACT_TIMEOUT": "2.5", "NEWSCRAWL_EXTRACT_WORKERS": 0,
                         "NEWSCRAWL_EXTRACT_MEMORY_MB": 256})
    pool = BoundedExtractor.from_settings(settings)
    assert (pool.timeout, pool.workers, pool.memory_limit_mb) == (2.5, 0, 256)
    pool.close()
    with pytest.raises(ValueError):
        BoundedExtractor(timeout=0)
    # -1 (the project's default): one worker per CPU this process may use, 1 to 8.
    cpus = len(os.sched_getaffinity(0))
    assert default_workers() == max(1, min(cpus, bounded.MAX_DEFAULT_WORKERS))
    pool = BoundedExtractor.from_settings(Settings({"NEWSCRAWL_EXTRACT_WORKERS": -1}))
    assert pool.workers == default_workers()
    pool.close()


def test_close_stops_every_worker():
    pool = PageExtractor(timeout=5, workers=2)
    futures = [pool.submit(GOOD, URL) for _ in range(4)]
    assert all(f.result().ok for f in futures)
    pids = pool.worker_pids()
    assert len(pids) == 2
    pool.close()
    pool.close()
    time.sleep(0.1)
    for pid in pids:
        with pytest.raises(OSError):
            os.kill(pid, 0)


def test_any_function_runs_bounded_with_its_result_or_a_named_drop():
    pool = BoundedExtractor(timeout=0.5, workers=1)
    try:
        assert pool.submit_call(divmod, 17, 5).result() == (3, 2)
        with pytest.raises(bounded.Dropped) as info:
            pool.submit_call(hf.spin_forever, b"x").result()
        assert info.value.reason == bounded.TIMEOUT
        with pytest.raises(bounded.Dropped) as info:
            pool.submit_call(hf.raise_error, b"x").result()
        assert info.value.reason == bounded.EXTRACTOR_ERROR and "KeyError" in info.value.detail
        with pytest.raises(bounded.Dropped) as info:
            pool.submit_call(hf.die, b"x").result()
        assert info.value.reason == bounded.WORKER_CRASHED
        assert asyncio.run(pool.call_async(divmod, 9, 2)) == (4, 1)
    finally:
        pool.close()


def _running(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/status") as fh:
            return "\nState:\tZ" not in fh.read()
    except OSError:
        return False


@pytest.mark.skipif(not os.path.exists("/proc/self/status"), reason="needs /proc (Linux)")
def test_a_killed_crawl_leaves_no_workers_behind():
    """SIGKILL on the crawl process (cron timeouts, the archive's kill tests): its workers
    see the pipe close and exit."""
    import signal
    import subprocess
    import sys

    code = (
        "from newscrawl.bounded import BoundedExtractor\n"
        "import os, time\n"
        "if __name__ == '__main__':\n"
        "    p = BoundedExtractor(workers=2)\n"
        "    fs = [p.submit_call(time.sleep, 0.2) for _ in range(4)]\n"
        "    [f.result() for f in fs]\n"
        "    print(' '.join(str(w.process.pid) for w in p._all), flush=True)\n"
        "    time.sleep(60)\n"
    )
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    pids = [int(x) for x in proc.stdout.readline().split()]
    assert len(pids) == 2 and all(_running(p) for p in pids)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    deadline = time.monotonic() + 20
    while any(_running(p) for p in pids) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(_running(p) for p in pids)


def test_call_async_on_the_event_loop_names_every_failure_and_keeps_going():
    """call_async (what the spiders await): the same results and named drops as
    submit_call, more calls than workers wait their turn, and a call cancelled mid-job
    never hands its late answer to the next call."""
    pool = BoundedExtractor(timeout=0.5, workers=2, memory_limit_mb=200)

    async def scenario():
        assert await pool.call_async(divmod, 17, 5) == (3, 2)
        reasons = {}
        for name, function in (("spin", hf.spin_forever), ("raise", hf.raise_error),
                               ("die", hf.die), ("memory", hf.eat_memory)):
            try:
                await pool.call_async(function, b"x")
            except bounded.Dropped as exc:
                reasons[name] = exc.reason
        # Ten calls on two workers: every one answered, each with its own result.
        answers = await asyncio.gather(*(pool.call_async(divmod, n, 3) for n in range(10)))
        assert answers == [divmod(n, 3) for n in range(10)]
        # A call cancelled while its worker sleeps: the next calls get their own answers.
        task = asyncio.ensure_future(pool.call_async(time.sleep, 0.3))
        await asyncio.sleep(0.1)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        assert [await pool.call_async(divmod, 7, 2) for _ in range(3)] == [(3, 1)] * 3
        return reasons

    try:
        reasons = asyncio.run(scenario())
    finally:
        pool.close()
    assert reasons["spin"] == bounded.TIMEOUT
    assert reasons["raise"] == bounded.EXTRACTOR_ERROR
    assert reasons["die"] == bounded.WORKER_CRASHED
    assert reasons["memory"] in (bounded.MEMORY_LIMIT, bounded.WORKER_CRASHED)
    assert pool.replaced >= 3


def test_jobs_queued_behind_a_worker_keep_their_own_time_and_survive_its_loss():
    """A worker holds a second job in its pipe (so it never waits for the crawl's thread
    between pages): that job's time limit starts when the worker takes it up, and when the
    worker is killed (time-out) or dies, the job behind goes to a fresh worker, answered."""
    pool = BoundedExtractor(timeout=0.5, workers=1)

    async def scenario():
        # Three calls of 0.3 s on one worker: 0.9 s in all, each within its 0.5 s.
        slow = await asyncio.gather(*(pool.call_async(time.sleep, 0.3) for _ in range(3)))
        # A call that hangs, and two queued behind it on the same worker.
        outcomes = await asyncio.gather(pool.call_async(hf.spin_forever, b"x"),
                                        pool.call_async(divmod, 7, 2),
                                        pool.call_async(hf.die, b"x"),
                                        pool.call_async(divmod, 9, 4),
                                        return_exceptions=True)
        return slow, outcomes

    try:
        slow, outcomes = asyncio.run(scenario())
    finally:
        pool.close()
    assert slow == [None, None, None]
    assert isinstance(outcomes[0], bounded.Dropped) and outcomes[0].reason == bounded.TIMEOUT
    assert outcomes[1] == (3, 1)
    assert isinstance(outcomes[2], bounded.Dropped) and outcomes[2].reason == bounded.WORKER_CRASHED
    assert outcomes[3] == (2, 1)
    assert pool.replaced == 2


def test_large_jobs_and_answers_cross_the_pipes_whole():
    """A page larger than a pipe holds is written as the worker reads it (the loop is
    never blocked on it), and an answer larger than one read arrives whole, in order."""
    pool = BoundedExtractor(timeout=5, workers=1)
    big = bytes(range(256)) * 20_000  # 5 MB, far past a pipe's buffer

    async def scenario():
        return await asyncio.gather(pool.call_async(len, big), pool.call_async(bytes, 3_000_000),
                                    pool.call_async(len, big[:100]), pool.call_async(bytes, big))

    try:
        sizes = asyncio.run(scenario())
    finally:
        pool.close()
    assert sizes[0] == len(big)
    assert sizes[1] == bytes(3_000_000)
    assert sizes[2] == 100
    assert sizes[3] == big
    assert pool.replaced == 0


def test_closing_the_pool_with_a_job_in_flight_is_quiet():
    """A crawl stopped while a page is in a worker (Ctrl-C, a time budget) closes the pool
    on the loop's own thread: the call is cancelled, the worker finishes the page, finds
    the pipe closed and exits without a word — no traceback on the terminal."""
    import subprocess
    import sys

    code = (
        "import asyncio, time\n"
        "from newscrawl.bounded import BoundedExtractor\n"
        "async def main():\n"
        "    pool = BoundedExtractor(workers=1, timeout=5)\n"
        "    await pool.call_async(divmod, 1, 1)\n"
        "    job = asyncio.ensure_future(pool.call_async(time.sleep, 0.5))\n"
        "    await asyncio.sleep(0.1)\n"
        "    pool.close()\n"
        "    try:\n"
        "        await job\n"
        "    except asyncio.CancelledError:\n"
        "        print('cancelled', len(pool._all))\n"
        "if __name__ == '__main__':\n"
        "    asyncio.run(main())\n"
        "    time.sleep(1)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["cancelled", "0"]
    assert "Traceback" not in done.stderr, done.stderr
