"""The archive with its state in Redis (a real redis-server): the same decisions as the
SQLite archive, shards per worker, compare-and-set between workers, and settling a dead
worker's records."""

from __future__ import annotations

import pytest
import redis

from newscrawl.archive.jsonl import read_jsonl
from newscrawl.archive.layout import DataLayout
from newscrawl.archive.redis import RedisState
from newscrawl.archive.store import Archive, Kind
from newscrawl.distributed.keys import Keys
from newscrawl.record import Article


def art(url, body, **kw):
    kw.setdefault("title", "标题")
    kw.setdefault("published_at", "2026-11-20T10:00:00+08:00")
    return Article(url=url, body=body, **kw)


def records(data, duplicates=False):
    out = []
    for path in DataLayout(data).record_files("demo", duplicates=duplicates):
        out.extend((path.name, r) for r in read_jsonl(path))
    return out


def sharded(redis_url, data, worker) -> Archive:
    state = RedisState(redis.Redis.from_url(redis_url), Keys(), "demo", worker)
    return Archive(data, "demo", state=state)


SCENARIO = [
    ("http://x.cn/a.html?b=2&a=1#top", "正文一", Kind.NEW),
    ("http://x.cn/b.html", "正文二", Kind.NEW),
    ("http://x.cn/a.html?a=1&b=2", "正文一", Kind.UNCHANGED),
    ("http://x.cn/a.html?a=1&b=2", "正文一（更新）", Kind.NEW_VERSION),
    ("http://y.cn/copy.html", "正文二", Kind.DUPLICATE),
    ("http://y.cn/copy.html", "正文二", Kind.UNCHANGED),
    ("http://x.cn/b.html", "正文二 新版", Kind.NEW_VERSION),
]


def test_same_decisions_as_the_sqlite_archive(redis_url, tmp_path):
    local = Archive(tmp_path / "local", "demo")
    workers = [sharded(redis_url, tmp_path / "dist", w) for w in ("w1", "w2")]
    for i, (url, body, kind) in enumerate(SCENARIO):
        expected = local.add(art(url, body))
        got = workers[i % 2].add(art(url, body))  # alternate workers: state is shared
        assert expected.kind is got.kind is kind
        assert {k: v for k, v in got.record.items() if k != "fetched_at"} == \
            {k: v for k, v in expected.record.items() if k != "fetched_at"}
    local.close()
    for w in workers:
        w.close()
    assert workers[0].is_stored_url("http://y.cn/copy.html")
    dist = records(tmp_path / "dist")
    assert sorted({name for name, _ in dist}) == ["2026-11-20.w1.jsonl", "2026-11-20.w2.jsonl"]
    assert sorted(r["content_hash"] for _, r in dist) == \
        sorted(r["content_hash"] for _, r in records(tmp_path / "local"))
    assert [r["duplicate_of"] for _, r in records(tmp_path / "dist", duplicates=True)] == \
        ["http://x.cn/b.html"]


def test_a_dead_workers_claims_are_kept_if_written_and_undone_if_not(redis_url, tmp_path, monkeypatch):
    server = redis.Redis.from_url(redis_url)
    keys = Keys()
    dead = sharded(redis_url, tmp_path, "dead")
    # Record 1: line written, killed before the pending entry was deleted.
    monkeypatch.setattr(dead.state, "filed", lambda outcome: None)
    dead.add(art("http://x.cn/written.html", "写完了"))
    # Record 2: claimed, killed before the line was written.

    def killed(path, line):
        raise KeyboardInterrupt("SIGKILL")

    monkeypatch.setattr(dead.appender, "append", killed)
    with pytest.raises(KeyboardInterrupt):
        dead.add(art("http://x.cn/lost.html", "没写完"))
    assert server.hlen(keys.pending("demo", "dead")) == 2
    survivor = sharded(redis_url, tmp_path, "alive")
    assert survivor.is_stored_url("http://x.cn/lost.html")  # claimed: looks stored
    assert survivor.settle("dead") == {
        "pending_stored": 1, "pending_undone": 1, "torn_bytes_removed": 0}
    assert server.hlen(keys.pending("demo", "dead")) == 0
    assert survivor.is_stored_url("http://x.cn/written.html")
    assert not survivor.is_stored_url("http://x.cn/lost.html")
    # The requeued request is crawled again: stored once, by the survivor.
    assert survivor.add(art("http://x.cn/lost.html", "没写完")).kind is Kind.NEW
    assert survivor.add(art("http://x.cn/written.html", "写完了")).kind is Kind.UNCHANGED
    survivor.close()
    urls = sorted(r["url"] for _, r in records(tmp_path))
    assert urls == ["http://x.cn/lost.html", "http://x.cn/written.html"]


def test_a_torn_line_counts_as_not_written(redis_url, tmp_path, monkeypatch):
    server = redis.Redis.from_url(redis_url)
    dead = sharded(redis_url, tmp_path, "dead")
    real_append = dead.appender.append

    def torn(path, line):
        real_append(path, line)
        with open(path, "rb+") as fh:  # the kill came inside the write
            fh.truncate(fh.seek(0, 2) - 5)
        raise KeyboardInterrupt("SIGKILL")

    monkeypatch.setattr(dead.appender, "append", torn)
    with pytest.raises(KeyboardInterrupt):
        dead.add(art("http://x.cn/torn.html", "写了一半的记录"))
    # The same worker id restarts: it settles its own leftovers and repairs its shard.
    again = sharded(redis_url, tmp_path, "dead")
    done = again.settle("dead")
    assert (done["pending_stored"], done["pending_undone"]) == (0, 1)
    assert done["torn_bytes_removed"] > 0
    assert server.hlen(Keys().pending("demo", "dead")) == 0
    assert not again.is_stored_url("http://x.cn/torn.html")
    assert again.add(art("http://x.cn/torn.html", "写了一半的记录")).kind is Kind.NEW
    again.close()
    assert [r["url"] for _, r in records(tmp_path)] == ["http://x.cn/torn.html"]
