"""Two crawls of one site started at once: one runs, the other exits at once with the lock
message and its own exit code (75). Exit codes and the run's stats file."""

from __future__ import annotations

import subprocess
import threading
import time

from newscrawl.archive.runstats import EXIT_LOCKED

from .helpers import ROOT, crawl_cmd, crawl_env, last_run_report, run_crawl

SLOW = ["-s", "DOWNLOAD_DELAY=0.05", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=2"]


def test_two_crawls_at_once(portal, tmp_path):
    data = tmp_path / "data"
    started = time.monotonic()
    procs = [subprocess.Popen(crawl_cmd(portal, data, *SLOW), cwd=ROOT, env=crawl_env(),
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for _ in range(2)]
    results = []

    def wait(p):
        out, err = p.communicate(timeout=120)
        results.append((p.returncode, out, err, time.monotonic() - started))

    threads = [threading.Thread(target=wait, args=(p,)) for p in procs]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    codes = sorted(r[0] for r in results)
    assert codes == [0, EXIT_LOCKED], results
    loser = next(r for r in results if r[0] == EXIT_LOCKED)
    winner = next(r for r in results if r[0] == 0)
    assert "another newscrawl run holds" in loser[2]
    assert "demo/.lock" in loser[2] and "pid " in loser[2]
    assert loser[3] < winner[3], "the locked-out run must not wait for the other"
    report = last_run_report(data)
    assert report["articles_stored"] > 0  # the winner crawled


def test_quiet_run_prints_nothing_and_writes_stats(portal, tmp_path):
    data = tmp_path / "data"
    log = tmp_path / "crawl.log"
    proc = run_crawl(portal, data, "--quiet", "--log-file", str(log))
    assert proc.stdout == ""
    assert proc.stderr == ""
    assert "Spider closed (finished)" in log.read_text("utf-8")
    report = last_run_report(data)
    assert report["exit_code"] == 0
    assert report["pages_fetched"] > report["articles_stored"] > 0
    assert report["errors_by_type"].get("HTTP 500") == 1  # the portal's broken page
    for key in ("dropped_by_reason", "duplicates", "stored_by_kind", "pages_by_status"):
        assert key in report
    assert report["pages_not_stored_by_reason"].get("not_html", 0) >= 1  # the portal's JSON/XML


def test_error_threshold_and_config_error_exit_codes(portal, tmp_path):
    data = tmp_path / "data"
    # Every error counts against a threshold of 0: the portal's 500 page fails the run.
    run_crawl(portal, data, "--max-error-rate", "0", expect=1)
    bad = subprocess.run(crawl_cmd(portal, data)[:4] + ["no-such-site", "--data-dir", str(data)],
                         cwd=ROOT, env=crawl_env(), capture_output=True, text=True, timeout=60)
    assert bad.returncode == 2, bad.stderr


def test_progress_line(portal, tmp_path):
    # stderr is a pipe here; NEWSCRAWL_PROGRESS_FORCE draws the line as on a terminal.
    proc = run_crawl(portal, tmp_path / "data", "-s", "NEWSCRAWL_PROGRESS_FORCE=True",
                     "-s", "NEWSCRAWL_PROGRESS_INTERVAL=0.1", "--log-level", "ERROR")
    # (text mode turned each \r into \n)
    lines = [seg for seg in proc.stderr.split("\x1b[K") if "pages/s" in seg]
    assert lines, proc.stderr[-500:]
    assert "articles stored" in lines[-1] and "errors" in lines[-1]


def test_damaged_state_or_unwritable_folder_is_a_config_error(portal, tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    (data / "state.sqlite3").write_bytes(b"this is not a database" * 100)
    proc = run_crawl(portal, data, expect=2)
    assert "state.sqlite3" in proc.stderr and "move it away" in proc.stderr
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    proc = run_crawl(portal, blocked, expect=2)
    assert "cannot use the data folder" in proc.stderr
