"""Append-only JSONL files whose lines are whole or absent.

Writer: each record is one ``os.write`` of one complete line on an ``O_APPEND`` descriptor,
and only the process holding the site lock writes a site's files. Readers (``read_jsonl``)
take a line only once its ``\\n`` is there, so a reader never sees half a record even while
a file is being written. A process killed inside a write can leave an unterminated tail;
``repair_tail`` (run under the site lock before a run writes) cuts it off, and ``read_jsonl``
ignores it until then. Durability is a policy (``FsyncPolicy``): fsync every line, at every
state commit (default), or leave it to the OS.
"""

from __future__ import annotations

import enum
import json
import logging
import os
from collections import OrderedDict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

logger = logging.getLogger(__name__)

_READ_CHUNK = 1 << 20


class FsyncPolicy(str, enum.Enum):
    ALWAYS = "always"  # fsync after every line: slowest, survives power loss line by line
    BATCH = "batch"  # fsync before each state commit: the state never claims an unsynced line
    NEVER = "never"  # leave it to the OS: survives a killed process, not a power cut

    @classmethod
    def parse(cls, value: str) -> FsyncPolicy:
        try:
            return cls(value.strip().lower())
        except ValueError:
            choices = ", ".join(p.value for p in cls)
            raise ValueError(f"fsync policy must be one of {choices}, not {value!r}") from None


class JsonlAppender:
    """Appends lines to many files, keeping a bounded number of descriptors open."""

    def __init__(self, fsync: FsyncPolicy = FsyncPolicy.BATCH, max_open: int = 32) -> None:
        self.fsync = fsync
        self.max_open = max_open
        self._fds: OrderedDict[Path, int] = OrderedDict()
        self._dirty: set[Path] = set()
        self._new_dirs: set[Path] = set()

    def append(self, path: Path, line: str) -> int:
        """Write ``line`` plus ``\\n`` at the end of ``path``; returns the file's new size."""
        if "\n" in line or "\r" in line:
            raise ValueError("a JSONL line must not contain a raw line break")
        data = (line + "\n").encode("utf-8")
        fd = self._fd(path)
        view = memoryview(data)
        try:
            while view:  # a short write is rare (signal, disk nearly full): finish the line
                written = os.write(fd, view)
                view = view[written:]
        except OSError:
            # Disk full or I/O error after part of the line: take the part back, so the
            # file never holds half a record followed by whole ones.
            if len(view) < len(data):
                os.ftruncate(fd, os.fstat(fd).st_size - (len(data) - len(view)))
            raise
        if self.fsync is FsyncPolicy.ALWAYS:
            os.fsync(fd)
        else:
            self._dirty.add(path)
        return os.fstat(fd).st_size

    def sync(self) -> None:
        """Make every line written so far durable (no-op under ``FsyncPolicy.NEVER``)."""
        if self.fsync is FsyncPolicy.NEVER:
            self._dirty.clear()
            return
        for path in list(self._dirty):
            fd = self._fds.get(path)
            if fd is not None:
                os.fsync(fd)
        self._dirty.clear()
        for folder in self._new_dirs:
            _fsync_dir(folder)
        self._new_dirs.clear()

    def close(self) -> None:
        self.sync()
        while self._fds:
            _, fd = self._fds.popitem(last=False)
            os.close(fd)

    def _fd(self, path: Path) -> int:
        fd = self._fds.get(path)
        if fd is not None:
            self._fds.move_to_end(path)
            return fd
        if not path.parent.is_dir():
            path.parent.mkdir(parents=True, exist_ok=True)
            self._new_dirs.add(path.parent.parent)
        if not path.exists():
            self._new_dirs.add(path.parent)
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o666)
        self._fds[path] = fd
        while len(self._fds) > self.max_open:
            old, old_fd = self._fds.popitem(last=False)
            if old in self._dirty and self.fsync is not FsyncPolicy.NEVER:
                os.fsync(old_fd)
                self._dirty.discard(old)
            os.close(old_fd)
        return fd


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def iter_lines(path: Path, start: int = 0) -> Iterator[tuple[int, bytes]]:
    """Complete lines of ``path`` from byte ``start``: (offset just past the line, line bytes).

    An unterminated last line is not yielded: it is a write in progress or a torn one.
    """
    with open(path, "rb") as fh:
        fh.seek(start)
        offset = start
        pending = b""
        while True:
            chunk = fh.read(_READ_CHUNK)
            if not chunk:
                return
            pending += chunk
            lines = pending.split(b"\n")
            pending = lines.pop()
            for line in lines:
                offset += len(line) + 1
                yield offset, line


def read_jsonl(path: str | Path, start: int = 0) -> Iterator[dict[str, Any]]:
    """The records of a JSONL file, skipping an unterminated last line and logging (not
    raising on) a line that is not JSON."""
    path = Path(path)
    for end, line in iter_lines(path, start):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except ValueError:
            logger.warning("%s: line ending at byte %d is not JSON; skipped", path, end)
            continue
        if isinstance(record, dict):
            yield record


def repair_tail(path: Path) -> int:
    """Cut an unterminated last line off ``path``; returns the number of bytes removed.

    Only call this while holding the site's lock: it must not race a writer."""
    with open(path, "rb+") as fh:
        size = fh.seek(0, os.SEEK_END)
        if size == 0:
            return 0
        pos = size
        block = 1 << 16
        while pos > 0:
            step = min(block, pos)
            pos -= step
            fh.seek(pos)
            data = fh.read(step)
            if pos + step == size and data.endswith(b"\n"):
                return 0
            idx = data.rfind(b"\n")
            if idx >= 0:
                keep = pos + idx + 1
                fh.truncate(keep)
                return size - keep
        fh.truncate(0)
        return size
