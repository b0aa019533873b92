"""Stopping a crawl with signals: once or twice, SIGTERM or SIGINT, the exit status is 130
and the run's stats file says 130 too."""

from __future__ import annotations

import signal
import time

import pytest
from support.console_script import FAST, FaultServer, last_stats, started_cli, stored_records

pytestmark = pytest.mark.timeout(120)


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT], ids=["TERM", "INT"])
@pytest.mark.parametrize("times", [1, 2])
def test_interrupted_run_exit_status_and_stats_agree(tmp_path, signum, times):
    with FaultServer(articles=3) as server:
        urls = tmp_path / "urls.txt"
        urls.write_text("\n".join([*server.article_urls(), server.url("/fault/stall.html")]))
        with started_cli("crawl", "--spider", "urls", "--urls-file", str(urls), "--data-dir",
                         str(tmp_path / "data"), *FAST, "-s", "DOWNLOAD_TIMEOUT=8",
                         "-s", "RETRY_TIMES=0", cwd=tmp_path) as proc:
            deadline = time.monotonic() + 60
            while "/fault/stall.html" not in server.paths_hit():
                assert proc.poll() is None and time.monotonic() < deadline, proc.communicate()
                time.sleep(0.1)
            time.sleep(0.5)
            for _ in range(times):
                proc.send_signal(signum)
                time.sleep(0.3)
            out, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err[-2000:]
    report = last_stats(tmp_path / "data", "urls")
    assert report["exit_code"] == 130 and report["finish_reason"] == "shutdown"
    assert "Traceback" not in err
    stored_records(tmp_path / "data")  # whole lines


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT], ids=["TERM", "INT"])
def test_a_signal_while_the_crawler_is_built_is_an_interrupt_too(tmp_path, signum):
    """Between taking the site's lock and the reactor's start (Scrapy installs its signal
    handlers then) the crawler is being built: a signal there stops the run the same way."""
    with FaultServer(articles=3) as server:
        urls = tmp_path / "urls.txt"
        urls.write_text("\n".join(server.article_urls()))
        lock = tmp_path / "data" / "urls" / ".lock"
        with started_cli("crawl", "--spider", "urls", "--urls-file", str(urls), "--data-dir",
                         str(tmp_path / "data"), *FAST, cwd=tmp_path) as proc:
            deadline = time.monotonic() + 60
            while not (lock.exists() and f"pid {proc.pid} " in lock.read_text()):
                assert proc.poll() is None and time.monotonic() < deadline, proc.communicate()
                time.sleep(0.005)
            proc.send_signal(signum)
            out, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err[-2000:]
    assert "Traceback" not in err and "internal error" not in err
