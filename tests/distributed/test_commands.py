"""The distributed commands' edges: a worker id held by a live process, Redis unreachable."""

from __future__ import annotations

import subprocess
import sys
import time

import redis

from newscrawl.distributed.keys import Keys


def newscrawl(*args: str, **kwargs) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "newscrawl", *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, **kwargs)


def test_a_worker_id_in_use_is_refused(redis_url, tmp_path):
    first = newscrawl("worker", "--redis", redis_url, "--worker-id", "same", "--idle-exit", "20",
                      "--data-dir", str(tmp_path), cwd=tmp_path)
    try:
        server = redis.Redis.from_url(redis_url)
        deadline = time.monotonic() + 20
        while not server.exists(Keys().heartbeat("same")):
            assert first.poll() is None, first.communicate()
            assert time.monotonic() < deadline
            time.sleep(0.05)
        second = newscrawl("worker", "--redis", redis_url, "--worker-id", "same",
                           "--data-dir", str(tmp_path), cwd=tmp_path)
        out, err = second.communicate(timeout=30)
        assert second.returncode == 2, err
        assert "worker id 'same' is in use by" in err
        assert first.poll() is None  # the first one is not disturbed
    finally:
        first.terminate()
        first.communicate(timeout=30)
    assert first.returncode == 0


def test_unreachable_redis_is_a_clear_error(tmp_path):
    from tests.distributed.conftest import free_port

    url = f"redis://127.0.0.1:{free_port()}/0"
    seed = newscrawl("seed", "https://news.example.invalid/", "--redis", url, cwd=tmp_path)
    _, err = seed.communicate(timeout=60)
    assert seed.returncode == 2
    assert f"cannot reach Redis at {url}" in err
    worker = newscrawl("worker", "--redis", url, cwd=tmp_path)
    _, err = worker.communicate(timeout=60)
    assert worker.returncode == 2
    assert "newscrawl worker:" in err and "Traceback" not in err
    bad = newscrawl("crawl", "demo", "--redis", "http://127.0.0.1:1/", cwd=tmp_path)
    _, err = bad.communicate(timeout=60)
    assert bad.returncode == 2 and "--redis wants redis://host:port/db" in err


def test_seed_ends_a_run_whose_last_worker_died_idle(redis_url, tmp_path):
    """Fingerprints left by a run nobody works on any more (nothing queued, nothing held)
    must not swallow the next run's start requests."""
    from newscrawl.demo import DemoPortal

    server = redis.Redis.from_url(redis_url)
    with DemoPortal() as portal:
        args = ("seed", "demo", "--base-url", portal.base_url, "--redis", redis_url)
        first = newscrawl(*args, cwd=tmp_path)
        out, err = first.communicate(timeout=60)
        assert "1 start request(s) of 'demo' queued" in out, err
        # A worker takes the start request and dies right after finishing it, idle:
        # the queue is empty, nobody holds anything, the run's fingerprints remain.
        server.delete(Keys().queue("demo"))
        assert server.scard(Keys().dupefilter("demo")) == 1
        again = newscrawl(*args, cwd=tmp_path)
        out, err = again.communicate(timeout=60)
        assert "1 start request(s) of 'demo' queued (0 already in the current run" in out, err
