"""BoundedExtractor: every way an extraction can go wrong ends as a named drop, and the pool
keeps working afterwards."""

from __future__ import annotations

import asyncio
import os
import time

import hostile_functions as hf
import pytest
from hostile_pages import article_html

from newscrawl import bounded
from newscrawl.bounded import BoundedExtractor, Outcome, precheck, record_outcome, sniff_binary

GOOD = article_html().encode("utf-8")
URL = "http://news.portal.test/2022-04/26/content_1.htm"

pytestmark = pytest.mark.timeout(60)


def test_a_page_that_hangs_is_dropped_at_the_time_limit_and_the_worker_replaced():
    with BoundedExtractor(timeout=0.5, workers=1, function=hf.spin_on_marker) as pool:
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
    with BoundedExtractor(timeout=20, memory_limit_mb=512, workers=1,
                          function=hf.eat_memory) as pool:
        outcome = pool.extract(GOOD, URL)
    assert outcome.reason == bounded.MEMORY_LIMIT, outcome


@pytest.mark.parametrize(("function", "reason"), [
    (hf.die, bounded.WORKER_CRASHED),
    (hf.raise_error, bounded.EXTRACTOR_ERROR),
    (hf.recurse, bounded.EXTRACTOR_ERROR),
])
def test_a_crashing_extractor_is_a_named_drop(function, reason):
    with BoundedExtractor(timeout=5, workers=1, function=function) as pool:
        first = pool.extract(GOOD, URL)
        second = pool.extract(GOOD, URL)  # and the pool still answers
    assert first.reason == second.reason == reason
    assert first.article is None


def test_concurrent_pages_with_one_hanging_do_not_block_the_others():
    pages = [GOOD] * 6 + [GOOD + b"HANG"]
    with BoundedExtractor(timeout=1, workers=2, function=hf.spin_on_marker) as pool:
        futures = [pool.submit(p, URL) for p in pages]
        outcomes = [f.result(timeout=30) for f in futures]
    assert sum(o.ok for o in outcomes) == 6
    assert [o.reason for o in outcomes if not o.ok] == [bounded.TIMEOUT]


def test_extract_async_from_an_event_loop():
    async def run(pool):
        return await asyncio.gather(*(pool.extract_async(GOOD, URL) for _ in range(4)))

    with BoundedExtractor(timeout=5, workers=2) as pool:
        outcomes = asyncio.run(run(pool))
    assert all(o.ok for o in outcomes)


def test_in_process_mode_catches_errors_too():
    with BoundedExtractor(workers=0, function=hf.raise_error) as pool:
        assert pool.extract(GOOD, URL).reason == bounded.EXTRACTOR_ERROR
    with BoundedExtractor(workers=0) as pool:
        assert pool.extract(GOOD, URL).ok


def test_prechecks():
    assert precheck(b"x" * 101, max_bytes=100).reason == bounded.TOO_LARGE
    assert precheck(b"  \n", max_bytes=100).reason == bounded.EMPTY_PAGE
    assert precheck("", max_bytes=100).reason == bounded.EMPTY_PAGE
    assert precheck(b"%PDF-1.4 xx").detail == "pdf"
    prepared = precheck(b"<p>a\x00b</p>")
    assert not isinstance(prepared, Outcome) and prepared.body == b"<p>ab</p>"
    assert prepared.nul_bytes == 1
    utf16 = "<p>文</p>".encode("utf-16")
    assert not isinstance(precheck(utf16), Outcome)  # NULs of UTF-16 are text
    assert sniff_binary(bytes(range(256)) * 4) == "unknown"
    assert sniff_binary("<html>正文</html>".encode("gbk")) is None
    assert sniff_binary(b"RIFF\x00\x00\x00\x00WEBPVP8 ") == "webp"


def test_settings_and_stats():
    from scrapy.settings import Settings
    from scrapy.statscollectors import MemoryStatsCollector
    from scrapy.utils.test import get_crawler

    settings = Settings({"NEWSCRAWL_EXTRACT_TIMEOUT": "2.5", "NEWSCRAWL_EXTRACT_WORKERS": 0,
                         "NEWSCRAWL_EXTRACT_MAX_BYTES": 1000, "NEWSCRAWL_EXTRACT_MEMORY_MB": 256})
    pool = BoundedExtractor.from_settings(settings)
    assert (pool.timeout, pool.workers, pool.max_bytes, pool.memory_limit_mb) == (2.5, 0, 1000, 256)
    pool.close()
    with pytest.raises(ValueError):
        BoundedExtractor(timeout=0)
    crawler = get_crawler(settings_dict={"NEWSCRAWL_EXTRACT_WORKERS": 0})
    stats = MemoryStatsCollector(crawler)
    record_outcome(stats, Outcome(None, bounded.TOO_LARGE, "x"))
    record_outcome(stats, Outcome(None, bounded.TOO_LARGE, "x"))
    assert stats.get_value("extract/dropped/too_large") == 2
    assert stats.get_value("extract/dropped") == 2


def test_close_stops_every_worker():
    pool = BoundedExtractor(timeout=5, workers=2)
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
    with BoundedExtractor(timeout=0.5, workers=1) as pool:
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
        "import time\n"
        "if __name__ == '__main__':\n"
        "    p = BoundedExtractor(workers=2)\n"
        "    fs = [p.submit(b'<h1>t</h1><p>' + b'x' * 100 + b'</p>', 'http://a.test/') for _ in range(4)]\n"
        "    [f.result() for f in fs]\n"
        "    print(' '.join(map(str, p.worker_pids())), flush=True)\n"
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
