"""The reliable scheduler in real worker processes: a SIGKILLed worker loses nothing.

A bare spider (no archive) keeps this about the queue alone; test_portal.py runs the real
portal spider and archive.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import redis

from newscrawl.distributed.keys import Keys

HERE = Path(__file__).resolve().parent
LISTS, PER_LIST = 6, 8


class Site(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        parts = self.path.strip("/").split("/")
        if parts[0] == "list":
            n = int(parts[1])
            links = "".join(f'<a class="article" href="/a/{n * PER_LIST + i}">a</a>'
                            for i in range(PER_LIST))
            if n + 1 < LISTS:
                links += f'<a class="next" href="/list/{n + 1}">next</a>'
            body = f"<html><body>{links}</body></html>"
        elif parts[0] == "a":
            time.sleep(0.25)  # slow articles: a worker always has some in flight
            body = f"<html><body><h1>article {parts[1]}</h1></body></html>"
        else:
            self.send_error(404)
            return
        data = body.encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def site() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Site)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def start_worker(redis_url: str, worker: str, out: Path, start_url: str, seed: bool,
                 logs: Path) -> subprocess.Popen:
    cmd = [sys.executable, str(HERE.parent / "support" / "bare_worker.py"), redis_url, worker, str(out), start_url]
    if seed:
        cmd.append("--seed")
    log = open(logs / f"{worker}.log", "wb")  # noqa: SIM115 - closed with the process
    env = {**os.environ, "PYTHONPATH": str(HERE.parents[1])}
    return subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, env=env)


def lines(path: Path) -> list[dict]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text().splitlines() if line.endswith("}")]


def test_killed_worker_loses_nothing(redis_url, site, tmp_path):
    server = redis.Redis.from_url(redis_url)
    keys = Keys()
    outs = {w: tmp_path / f"{w}.jsonl" for w in ("w1", "w2", "w3")}
    procs = {"w1": start_worker(redis_url, "w1", outs["w1"], f"{site}/list/0", True, tmp_path)}
    # w1 works alone until it holds requests in flight, then the others join.
    deadline = time.monotonic() + 30
    while server.hlen(keys.processing("bare", "w1")) < 2 or len(lines(outs["w1"])) < 3:
        assert time.monotonic() < deadline, (tmp_path / "w1.log").read_text()[-3000:]
        time.sleep(0.05)
    for w in ("w2", "w3"):
        procs[w] = start_worker(redis_url, w, outs[w], f"{site}/list/0", False, tmp_path)
    time.sleep(1.0)
    held = {server_entry for server_entry in server.hvals(keys.processing("bare", "w1"))}
    procs["w1"].send_signal(signal.SIGKILL)
    procs["w1"].wait()
    assert held, "w1 held nothing when killed: the test proves nothing"
    for w in ("w2", "w3"):
        assert procs[w].wait(60) == 0, (tmp_path / f"{w}.log").read_text()[-3000:]

    seen = {item["url"].rsplit("/", 1)[1] for out in outs.values() for item in lines(out)}
    assert seen == {str(i) for i in range(LISTS * PER_LIST)}
    survivors = [item["url"] for w in ("w2", "w3") for item in lines(outs[w])]
    logs = (tmp_path / "w2.log").read_text() + (tmp_path / "w3.log").read_text()
    assert "stopped beating" in logs  # the requests came back through the reaper
    assert len(survivors) > 0
    # The run ended cleanly: nothing queued, nothing held, fingerprints of the run dropped.
    assert server.zcard(keys.queue("bare")) == 0
    assert server.exists(keys.processing("bare", "w1")) == 0
    assert server.hlen(keys.processing("bare", "w2")) == 0
    assert server.exists(keys.dupefilter("bare")) == 0
