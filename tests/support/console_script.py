"""Helpers of the CLI tests: the installed ``newscrawl`` console script run as a user runs it,
the fault server of tests/faults, and the sockets a process tree listens on (from /proc)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests" / "faults"))

from fault_server import FaultServer, dead_port, index_page  # noqa: E402

__all__ = ["FaultServer", "dead_port", "index_page", "FAST", "newscrawl_script", "run_cli",
           "start_cli", "listening_sockets", "last_stats", "stored_records"]

# Loopback server: no politeness delay; faults give up fast; no DNS query leaves the
# machine (tests/faults/loopback_resolver.py: only loopback names resolve).
FAST = ["-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False",
        "-s", "NEWSCRAWL_RETRY_BACKOFF=0.05", "-s", "NEWSCRAWL_EXTRACT_WORKERS=1",
        "-s", "TWISTED_DNS_RESOLVER=loopback_resolver.LoopbackOnlyResolver"]


def newscrawl_script() -> str:
    """The console script installed beside this interpreter (what `pip install` puts on PATH)."""
    beside = Path(sys.executable).with_name("newscrawl")
    if beside.exists():
        return str(beside)
    found = shutil.which("newscrawl")
    assert found, "the newscrawl console script is not installed: pip install -e ."
    return found


def cli_env() -> dict[str, str]:
    env = dict(os.environ)
    env.pop("SCRAPY_SETTINGS_MODULE", None)
    env["PYTHONUNBUFFERED"] = "1"
    env["PYTHONPATH"] = os.pathsep.join(
        [str(ROOT / "tests" / "faults"), *filter(None, [env.get("PYTHONPATH")])])
    return env


def run_cli(*args: str, cwd: Path, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run([newscrawl_script(), *args], cwd=cwd, capture_output=True, text=True,
                          timeout=timeout, env=cli_env(), stdin=subprocess.DEVNULL)


def start_cli(*args: str, cwd: Path) -> subprocess.Popen[str]:
    return subprocess.Popen([newscrawl_script(), *args], cwd=cwd, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=cli_env(),
                            stdin=subprocess.DEVNULL)



@contextmanager
def started_cli(*args: str, cwd: Path) -> Iterator[subprocess.Popen[str]]:
    """:func:`start_cli` for a ``with`` block: a crawl still running when the block is left
    (a failed assertion) is killed and reaped, never left behind."""
    proc = start_cli(*args, cwd=cwd)
    try:
        yield proc
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()


def _descendants(pid: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(ppid, []).append(int(entry.name))
    out, todo = [], [pid]
    while todo:
        current = todo.pop()
        out.append(current)
        todo.extend(children.get(current, []))
    return out


def listening_sockets(pid: int) -> list[str]:
    """``ip:port`` of every TCP socket in LISTEN state held by ``pid`` or its children:
    the socket inodes of their open files, looked up in /proc/net/tcp and tcp6."""
    inodes: set[str] = set()
    for proc in _descendants(pid):
        fd_dir = Path(f"/proc/{proc}/fd")
        try:
            fds = list(fd_dir.iterdir())
        except OSError:
            continue
        for fd in fds:
            try:
                target = os.readlink(fd)
            except OSError:
                continue
            if target.startswith("socket:["):
                inodes.add(target[8:-1])
    found = []
    for table in ("tcp", "tcp6"):
        try:
            rows = Path(f"/proc/{pid}/net/{table}").read_text().splitlines()[1:]
        except OSError:
            continue
        for row in rows:
            fields = row.split()
            local, state, inode = fields[1], fields[3], fields[9]
            if state == "0A" and inode in inodes:  # 0A: TCP_LISTEN
                address, port = local.rsplit(":", 1)
                found.append(f"{address}:{int(port, 16)}")
    return found


def last_stats(data_dir: Path, site: str) -> dict[str, Any]:
    runs = sorted((data_dir / site / "runs").glob("*.json"))
    assert runs, f"no stats file under {data_dir / site / 'runs'}"
    return json.loads(runs[-1].read_text("utf-8"))


def stored_records(data_dir: Path, kind: str = "articles") -> list[dict[str, Any]]:
    out = []
    for path in sorted(data_dir.glob(f"*/{kind}/*.jsonl")):
        data = path.read_bytes()
        # Empty is whole (a file opened when the disk refused its first line).
        assert not data or data.endswith(b"\n"), f"{path} ends inside a line"
        out += [json.loads(line) for line in data.split(b"\n")[:-1]]
    return out
