"""No listening socket during a crawl: Scrapy's remote-control server (which runs any Python
code sent to it) and its telnet console stay off unless asked for."""

from __future__ import annotations

import time

import pytest
from support.console_script import FAST, FaultServer, listening_sockets, started_cli

pytestmark = pytest.mark.timeout(120)


def _sockets_while_crawling(tmp_path, server: FaultServer, *extra: str) -> tuple[list[str], str]:
    """Start a real `newscrawl crawl` on a list of URLs, one of which stalls; while the crawl
    waits on it, read which sockets the crawl's processes listen on."""
    urls = tmp_path / "urls.txt"
    urls.write_text("\n".join([*server.article_urls(), server.url("/fault/stall.html")]) + "\n")
    seen: list[str] = []
    with started_cli("crawl", "--spider", "urls", "--urls-file", str(urls), "--data-dir",
                     str(tmp_path / "data"), "--log-level", "INFO", *FAST,
                     "-s", "DOWNLOAD_TIMEOUT=6", "-s", "RETRY_TIMES=0", *extra, cwd=tmp_path) as proc:
        deadline = time.monotonic() + 60
        while "/fault/stall.html" not in server.paths_hit():
            assert proc.poll() is None, proc.communicate()
            assert time.monotonic() < deadline, "the crawl never reached the stalled page"
            time.sleep(0.1)
        for _ in range(10):  # the whole time the stalled page is awaited
            seen += listening_sockets(proc.pid)
            time.sleep(0.2)
        out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err[-3000:]
    return sorted(set(seen)), err


def test_a_crawl_listens_on_no_port(tmp_path):
    with FaultServer(articles=3) as server:
        sockets, log = _sockets_while_crawling(tmp_path, server)
    assert sockets == []
    assert "Remote control HTTP server listening" not in log
    assert "Telnet console listening" not in log


def test_remote_control_only_when_asked(tmp_path):
    """The detector sees the socket Scrapy's remote control opens when a user asks for it,
    so the test above would fail if a listener came back."""
    with FaultServer(articles=3) as server:
        sockets, log = _sockets_while_crawling(tmp_path, server,
                                               "-s", "REMOTE_CONTROL_ENABLED=True")
    assert len(sockets) == 1 and sockets[0].startswith("0100007F:"), sockets
    assert "Remote control HTTP server listening" in log
