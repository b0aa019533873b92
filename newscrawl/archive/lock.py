"""One run per site at a time: an exclusive ``flock`` on ``DATA/<site>/.lock``.

flock is released by the kernel when the process dies, however it dies, so a killed run
never leaves a stale lock behind; the file's content (pid, start time) is only for the
message the second run prints.
"""

from __future__ import annotations

import fcntl
import os
import time
from datetime import datetime, timezone
from pathlib import Path


class LockHeld(Exception):
    """Another process holds the site's lock."""

    def __init__(self, path: Path, holder: str) -> None:
        self.path = path
        self.holder = holder
        super().__init__(
            f"another newscrawl run holds {path} ({holder or 'holder unknown'}); "
            "not starting a second one"
        )


class SiteLock:
    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._fd: int | None = None

    def acquire(self) -> SiteLock:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o666)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = ""
            # The holder writes its pid just after taking the lock: give it a moment.
            for _ in range(25):
                holder = os.pread(fd, 200, 0).decode("utf-8", "replace").strip()
                if holder:
                    break
                time.sleep(0.02)
            os.close(fd)
            raise LockHeld(self.path, holder) from None
        os.ftruncate(fd, 0)
        stamp = datetime.now(timezone.utc).isoformat(timespec="seconds")
        os.pwrite(fd, f"pid {os.getpid()} since {stamp}\n".encode(), 0)
        self._fd = fd
        return self

    def release(self) -> None:
        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None

    def __enter__(self) -> SiteLock:
        return self.acquire()

    def __exit__(self, *exc: object) -> None:
        self.release()
