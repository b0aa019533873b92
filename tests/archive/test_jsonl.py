"""JSONL files: whole lines or nothing, for readers and after a kill."""

import json
import os
import subprocess
import sys
import time

from newscrawl.archive.jsonl import FsyncPolicy, JsonlAppender, read_jsonl, repair_tail


def test_reader_ignores_unterminated_last_line(tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_bytes(b'{"a":1}\n{"a":2}\n{"a":3, "b": "hal')
    assert [r["a"] for r in read_jsonl(path)] == [1, 2]
    assert repair_tail(path) == len(b'{"a":3, "b": "hal')
    assert path.read_bytes() == b'{"a":1}\n{"a":2}\n'
    assert repair_tail(path) == 0


def test_repair_tail_of_a_file_with_only_a_torn_line(tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_bytes(b'{"a":1')
    assert repair_tail(path) == 6
    assert path.read_bytes() == b""


def test_appender_writes_utf8_lines_and_refuses_raw_newlines(tmp_path):
    app = JsonlAppender(FsyncPolicy.ALWAYS, max_open=2)
    for i in range(5):  # more files than descriptors kept open
        size = app.append(tmp_path / f"{i % 3}.jsonl", json.dumps({"t": "中文", "i": i}, ensure_ascii=False))
        assert size > 0
    try:
        app.append(tmp_path / "x.jsonl", '{"a":"\n"}')
    except ValueError:
        pass
    else:
        raise AssertionError("a raw newline must be refused")
    app.close()
    assert [r["i"] for r in read_jsonl(tmp_path / "0.jsonl")] == [0, 3]
    assert "中文" in (tmp_path / "1.jsonl").read_text("utf-8")


WRITER = """
import json, sys, time
from pathlib import Path
from newscrawl.archive.jsonl import FsyncPolicy, JsonlAppender
app = JsonlAppender(FsyncPolicy.NEVER)
path = Path(sys.argv[1])
body = "正文" * 1000   # 6 kB lines: each spans page boundaries
i = 0
while True:
    app.append(path, json.dumps({"i": i, "body": body}, ensure_ascii=False))
    i += 1
    time.sleep(0.001)
"""


def test_concurrent_reader_never_sees_half_a_record_and_kill_leaves_parsable_file(tmp_path):
    path = tmp_path / "live.jsonl"
    proc = subprocess.Popen([sys.executable, "-c", WRITER, str(path)])
    try:
        seen = 0
        deadline = time.monotonic() + 1.5
        while time.monotonic() < deadline:
            if path.exists():
                records = list(read_jsonl(path))  # would log+skip a bad line: count instead
                assert all(len(r["body"]) == 2000 for r in records)
                assert [r["i"] for r in records] == list(range(len(records)))
                seen = max(seen, len(records))
    finally:
        proc.kill()
        proc.wait()
    assert seen > 0
    repair_tail(path)
    lines = path.read_bytes().split(b"\n")
    assert lines[-1] == b""
    for line in lines[:-1]:
        json.loads(line)
    assert os.path.getsize(path) > 0


def test_a_failed_write_leaves_no_partial_line(tmp_path, monkeypatch):
    path = tmp_path / "a.jsonl"
    app = JsonlAppender(FsyncPolicy.NEVER)
    app.append(path, '{"i":1}')
    real_write = os.write
    calls = {"n": 0}

    def flaky_write(fd, data):
        calls["n"] += 1
        if calls["n"] == 1:
            return real_write(fd, bytes(data[:5]))  # a short write …
        raise OSError(28, "No space left on device")  # … then the disk is full

    monkeypatch.setattr(os, "write", flaky_write)
    try:
        app.append(path, '{"i":2,"body":"' + "x" * 100 + '"}')
    except OSError:
        pass
    else:
        raise AssertionError("the error must reach the caller")
    monkeypatch.setattr(os, "write", real_write)
    app.append(path, '{"i":3}')
    app.close()
    assert path.read_bytes() == b'{"i":1}\n{"i":3}\n'
