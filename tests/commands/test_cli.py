"""User-facing errors of the real console script: one line and the documented exit code,
never a traceback (``--debug`` shows it); under ``--quiet`` a run prints nothing unless a
person must act; log lines never collide with the progress line."""

from __future__ import annotations

import re

import pytest
from support.console_script import FAST, FaultServer, dead_port, last_stats, run_cli, stored_records

pytestmark = pytest.mark.timeout(180)

USAGE_ERRORS = [
    ["crawl", "http://[::1"],
    ["crawl", "http://127.0.0.1:99999/"],
    ["crawl", "http://127.0.0.1:8080:80/"],
    ["crawl", "demo", "-s", "DOWNLOAD_DELAY=abc"],
    ["crawl", "demo", "-s", "CONCURRENT_REQUESTS=lots"],
    ["crawl", "demo", "-s", "FOO"],
    ["crawl", "demo", "--max-pages", "-3"],
    ["crawl", "demo", "--max-articles", "0"],
    ["crawl", "demo", "--depth", "x"],
    ["crawl", "demo", "--max-error-rate", "2"],
    ["crawl", "no-such-profile"],
    ["ls", "--since", "notadate"],
    ["ls", "--until", "2026-13-01"],
    ["demo", "--port", "70000"],
    ["crawl", "demo", "--no-such-option"],
]


# Each case as typed, and for crawl also with --quiet (what cron runs).
CASES = [*USAGE_ERRORS, *([*a, "--quiet"] for a in USAGE_ERRORS if a[0] == "crawl")]


@pytest.mark.parametrize("argv", CASES, ids=lambda a: " ".join(a))
def test_bad_usage_is_one_line_and_exit_2(tmp_path, argv):
    proc = run_cli(*argv, "--data-dir", str(tmp_path / "data"), cwd=tmp_path,
                   timeout=60)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert proc.stdout == ""
    lines = proc.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("newscrawl"), proc.stderr
    assert not (tmp_path / "data").exists() or not any((tmp_path / "data").rglob("*.jsonl"))


def _crawl(tmp_path, target: str, *extra: str):
    return run_cli("crawl", target, "--data-dir", str(tmp_path / "data"), *FAST,
                   "-s", "RETRY_TIMES=0", *extra, cwd=tmp_path)


@pytest.mark.parametrize("target", ["http://no-such-host.invalid/", "dead-port"])
def test_unreachable_site_no_traceback_one_line_under_quiet(tmp_path, target):
    if target == "dead-port":
        target = f"http://127.0.0.1:{dead_port()}/"
    for name in ("loud", "quiet", "debug"):
        (tmp_path / name).mkdir()
    loud = _crawl(tmp_path / "loud", target)
    quiet = _crawl(tmp_path / "quiet", target, "--quiet")
    debug = run_cli("--debug", "crawl", target, "--data-dir", str(tmp_path / "debug" / "data"),
                    *FAST, "-s", "RETRY_TIMES=0", cwd=tmp_path / "debug")
    for proc in (loud, quiet, debug):
        assert proc.returncode == 1, proc.stderr[-2000:]  # every request failed
    assert "Traceback" not in loud.stdout + loud.stderr
    assert "ERROR" not in loud.stderr  # a failed page is counted, logged as INFO
    expected = "CannotResolveHostError" if "invalid" in target else "ConnectionRefused"
    assert expected in loud.stdout
    assert quiet.stdout == ""
    (line,) = quiet.stderr.splitlines()
    assert line.startswith("newscrawl crawl: ") and "exit 1" in line and expected in line
    assert "Traceback" in debug.stderr  # --debug shows it


def test_a_500_under_quiet_is_counted_not_logged(tmp_path):
    with FaultServer(articles=4) as server:
        urls = tmp_path / "urls.txt"
        urls.write_text("\n".join([*server.article_urls(), server.url("/fault/503/x.html")]))
        quiet = run_cli("crawl", "--spider", "urls", "--urls-file", str(urls), "--quiet",
                        "--data-dir", str(tmp_path / "data"), *FAST, cwd=tmp_path)
        loud = run_cli("crawl", "--spider", "urls", "--urls-file", str(urls), "--refresh",
                       "--data-dir", str(tmp_path / "data"), *FAST, cwd=tmp_path)
    assert quiet.returncode == 0, quiet.stderr
    assert quiet.stdout == "" and quiet.stderr == ""
    report = last_stats(tmp_path / "data", "urls")
    assert report["errors_by_type"] == {"HTTP 503": 1}
    assert "HTTP 503 ×1" in loud.stdout and "ERROR" not in loud.stderr
    assert len(stored_records(tmp_path / "data")) == 4


def test_log_lines_never_collide_with_the_progress_line(tmp_path):
    with FaultServer(articles=6) as server:
        urls = tmp_path / "urls.txt"
        urls.write_text("\n".join([*server.article_urls(), server.url("/fault/503/y.html"),
                                   server.url("/fault/bad-gzip.html")]))
        proc = run_cli("crawl", "--spider", "urls", "--urls-file", str(urls), "--log-level",
                       "INFO", "--data-dir", str(tmp_path / "data"), *FAST,
                       "-s", "NEWSCRAWL_PROGRESS_FORCE=True",
                       "-s", "NEWSCRAWL_PROGRESS_INTERVAL=0.05", "-s", "DOWNLOAD_DELAY=0.2",
                       cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "pages/s" in proc.stderr  # the progress line was drawn among the log lines
    # A log line starts on a cleared line: never right after the progress text.
    assert not re.search(r"pages/s[^\r\n]*\d{4}-\d\d-\d\d \d\d:\d\d:\d\d \[", proc.stderr)


@pytest.mark.parametrize("content", [b"hello\n", b"\x1f\x8b\x08\x00garbage", b"WARC/1.1\r\nbroken"])
def test_rebuild_of_a_file_that_is_not_warc_is_one_line_exit_2(tmp_path, content):
    path = tmp_path / "pages.warc.gz"
    path.write_bytes(content)
    proc = run_cli("rebuild", str(path), "--data-dir", str(tmp_path / "out"), cwd=tmp_path)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    (line,) = proc.stderr.splitlines()
    assert line.startswith(f"newscrawl rebuild: {path} is not a WARC file")
    assert not (tmp_path / "out").exists()


def test_every_exit_code_is_in_the_help(tmp_path):
    from newscrawl.archive import runstats

    codes = {v for k, v in vars(runstats).items() if k.startswith("EXIT_")}
    assert {0, 1, 2, 3, 70, 73, 75, 130} <= codes
    proc = run_cli("--help", cwd=tmp_path)
    assert proc.returncode == 0
    listed = {int(m) for m in re.findall(r"^\s+(\d+)\s{2,}", proc.stdout, re.M)}
    assert codes <= listed, sorted(codes - listed)
