"""The scale-out dependencies are the ``[redis]`` extra: without them the core crawls, and
``--redis`` is one clear line naming the install command (exit 2), never a traceback."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

NEWSCRAWL = str(Path(sys.executable).parent / "newscrawl")  # the real console script


@pytest.fixture
def without_redis_extra(tmp_path) -> dict[str, str]:
    """An environment in which ``import redis`` and ``import scrapy_redis`` fail, as on an
    install without the extra: a PYTHONPATH entry, ahead of site-packages, whose packages
    of those names raise ImportError."""
    blocker = tmp_path / "blocker"
    for name in ("redis", "scrapy_redis"):
        (blocker / name).mkdir(parents=True)
        (blocker / name / "__init__.py").write_text(
            f"raise ImportError('{name} hidden: installed without the [redis] extra')\n")
    path = os.pathsep.join(filter(None, [str(blocker), os.environ.get("PYTHONPATH")]))
    return dict(os.environ, PYTHONPATH=path)


def run(args: list[str], env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([NEWSCRAWL, *args], env=env, cwd=cwd, capture_output=True,
                          text=True, timeout=300)


def test_the_blocker_hides_the_extra(without_redis_extra, tmp_path):
    probe = subprocess.run([sys.executable, "-c", "import scrapy_redis"], env=without_redis_extra,
                           cwd=tmp_path, capture_output=True, text=True)
    assert probe.returncode != 0 and "without the [redis] extra" in probe.stderr


@pytest.mark.parametrize("command", [
    ["crawl", "demo", "--base-url", "http://127.0.0.1:9/"],
    ["seed", "demo", "--base-url", "http://127.0.0.1:9/"],
    ["worker"],
], ids=["crawl", "seed", "worker"])
def test_redis_without_the_extra_is_one_line_naming_the_install(
        command, without_redis_extra, tmp_path):
    proc = run([*command, "--redis", "redis://127.0.0.1:9/0"], without_redis_extra, tmp_path)
    assert proc.returncode == 2, proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith(f"newscrawl {command[0]}: --redis needs the scale-out extra")
    assert "pip install 'newscrawl[redis]'" in lines[0]
    assert not (tmp_path / "data").exists()


def test_the_core_crawls_without_the_extra(without_redis_extra, tmp_path):
    proc = run(["demo", "--port", "0", "--data-dir", str(tmp_path / "data"), "--quiet"],
               without_redis_extra, tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    records = [json.loads(line) for path in (tmp_path / "data").rglob("articles/*.jsonl")
               for line in path.read_text(encoding="utf-8").splitlines()]
    assert len(records) >= 10
    assert all(r["title"] and r["url"].startswith("http://127.0.0.1:") for r in records)
