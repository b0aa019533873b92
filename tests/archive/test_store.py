"""The archive's decisions (new, unchanged, new version, repost) and its recovery.

The contract tests run once per state backend: SQLite (one machine) and Redis (the
workers of a distributed crawl, on a real redis-server): the same decisions, the same
records, whichever state the archive keeps.
"""

import json

import pytest
import redis

from newscrawl.archive.jsonl import read_jsonl
from newscrawl.archive.layout import DataLayout
from newscrawl.archive.redis import RedisState
from newscrawl.archive.store import Archive, Kind, Rejected
from newscrawl.distributed.keys import Keys
from newscrawl.record import Article


def art(url, body, **kw):
    kw.setdefault("title", "标题")
    kw.setdefault("published_at", "2026-11-20T10:00:00+08:00")
    return Article(url=url, body=body, **kw)


def all_records(data, site="demo", duplicates=False):
    out = []
    for path in DataLayout(data).record_files(site, duplicates=duplicates):
        out.extend(read_jsonl(path))
    return out


@pytest.fixture(params=["sqlite", "redis"])
def open_archive(request):
    """``open_archive(data, writer=...)``: an archive of site ``demo`` on the backend under
    test. Writers of one backend share its state: for SQLite the one ``state.sqlite3`` of
    the data folder (a second writer is a crawl of another site, as the site lock allows),
    for Redis the server (a second writer is another worker of the same site)."""
    opened = []

    def open_(data, writer="w1", **kwargs):
        if request.param == "sqlite":
            site = "demo" if writer == "w1" else f"demo-{writer}"
            archive = Archive(data, site, **kwargs)
        else:
            server = redis.Redis.from_url(request.getfixturevalue("redis_url"))
            archive = Archive(data, "demo", state=RedisState(server, Keys(), "demo", writer),
                              **kwargs)
        archive.reconcile()
        opened.append(archive)
        return archive

    yield open_
    for archive in opened:
        archive.appender.close()


def test_new_unchanged_version_and_repost(tmp_path, open_archive):
    a = open_archive(tmp_path)
    assert a.add(art("http://x.cn/a.html?b=2&a=1#top", "正文一")).kind is Kind.NEW
    assert a.add(art("http://x.cn/b.html", "正文二")).kind is Kind.NEW
    # same page, query in another order: same canonical URL, same body
    assert a.add(art("http://x.cn/a.html?a=1&b=2", "正文一")).kind is Kind.UNCHANGED
    changed = a.add(art("http://x.cn/a.html?a=1&b=2", "正文一（更新）"))
    assert changed.kind is Kind.NEW_VERSION
    assert changed.record["version"] == 2
    assert changed.record["previous_hash"] == Article(url=None, title="t", body="正文一").content_hash
    repost = a.add(art("http://y.cn/copy.html", "正文二"))
    assert repost.kind is Kind.DUPLICATE
    assert repost.record["duplicate_of"] == "http://x.cn/b.html"
    # the repost URL is now known: seen again it is unchanged, and not fetched again
    assert a.add(art("http://y.cn/copy.html", "正文二")).kind is Kind.UNCHANGED
    assert a.is_stored_url("http://y.cn/copy.html")
    # a later version of the first article lists the repost's URL in also_at
    again = a.add(art("http://x.cn/b.html", "正文二 新版"))
    assert again.record["also_at"] == ["http://y.cn/copy.html"]
    a.close()

    records = all_records(tmp_path)
    assert [(r["canonical_url"], r["version"]) for r in records] == [
        ("http://x.cn/a.html?a=1&b=2", 1), ("http://x.cn/b.html", 1),
        ("http://x.cn/a.html?a=1&b=2", 2), ("http://x.cn/b.html", 2),
    ]
    dups = all_records(tmp_path, duplicates=True)
    assert [d["url"] for d in dups] == ["http://y.cn/copy.html"]
    assert list(records[0]) == list(Article.__dataclass_fields__)  # stable key order


def test_state_survives_between_runs(tmp_path, open_archive):
    a = open_archive(tmp_path)
    a.add(art("http://x.cn/a.html", "正文一"))
    a.close()
    b = open_archive(tmp_path)
    assert b.add(art("http://x.cn/a.html", "正文一")).kind is Kind.UNCHANGED
    assert b.add(art("http://x.cn/a.html", "正文二")).record["version"] == 2
    assert b.stored_under("http://x.cn/a.html#comments") == "http://x.cn/a.html"
    b.close()


def test_two_records_in_flight_cannot_both_be_the_first_copy(tmp_path, open_archive):
    a = open_archive(tmp_path)
    first = a.classify(art("http://x.cn/a.html", "同一正文"))
    a.reserve(first)  # decided, not yet stored (another pipeline step in between)
    second = a.classify(art("http://y.cn/b.html", "同一正文"))
    assert (first.kind, second.kind) == (Kind.NEW, Kind.DUPLICATE)
    assert second.record["duplicate_of"] == "http://x.cn/a.html"
    a.reserve(second)
    assert a.store(second).path is not None
    assert a.store(first).path is not None
    a.close()
    assert [r["url"] for r in all_records(tmp_path, a.site)] == ["http://x.cn/a.html"]
    assert [r["url"] for r in all_records(tmp_path, a.site, duplicates=True)] == [
        "http://y.cn/b.html"]


def test_a_body_stored_by_another_writer_since_the_decision_is_filed_as_its_repost(
        tmp_path, open_archive):
    one, two = open_archive(tmp_path, "w1"), open_archive(tmp_path, "w2")
    # Both decide before either stores: two URLs with one body.
    first = one.classify(art("http://x.cn/b.html", "乙"))
    late = two.classify(art("http://y.cn/b.html", "乙"))
    assert first.kind is late.kind is Kind.NEW
    assert one.store(first).kind is Kind.NEW
    one.commit()
    stored = two.store(late)
    assert stored.kind is Kind.DUPLICATE
    assert stored.record["duplicate_of"] == "http://x.cn/b.html"
    assert stored.path is not None and stored.path.parent.name == "duplicates"
    assert two.stored_under("http://y.cn/b.html") == "http://x.cn/b.html"
    one.close()
    two.close()


def test_a_record_that_became_unchanged_meanwhile_is_rejected(tmp_path, redis_url):
    """Only a shared state sees the same site's URL stored by another writer."""
    server = redis.Redis.from_url(redis_url)
    one, two = (Archive(tmp_path, "demo", state=RedisState(server, Keys(), "demo", w))
                for w in ("w1", "w2"))
    same1, same2 = (w.classify(art("http://x.cn/a.html", "甲")) for w in (one, two))
    assert one.store(same1).kind is Kind.NEW
    with pytest.raises(Rejected, match="^unchanged: ") as raised:
        two.store(same2)
    assert raised.value.log_level == "DEBUG"
    one.close()
    two.close()
    assert [r["url"] for r in all_records(tmp_path)] == ["http://x.cn/a.html"]


def test_lines_written_after_the_last_commit_are_indexed_on_reopen(tmp_path):
    """A run killed after writing lines but before committing the state: nothing is lost
    and nothing is stored twice on the next run."""
    a = Archive(tmp_path, "demo", commit_every=1000, commit_seconds=1e9)
    a.reconcile()
    for i in range(5):
        a.add(art(f"http://x.cn/{i}.html", f"正文{i}"))
    a.appender.close()  # the lines are in the files; the SQLite transaction never commits
    a.state.db.close()
    path = DataLayout(tmp_path).record_files("demo")[0]
    with open(path, "ab") as fh:
        fh.write(b'{"url": "http://x.cn/torn.html", "tit')  # killed inside a write
    b = Archive(tmp_path, "demo")
    done = b.reconcile()
    assert done["lines_indexed"] == 5
    assert done["torn_bytes_removed"] > 0
    for i in range(5):
        assert b.add(art(f"http://x.cn/{i}.html", f"正文{i}")).kind is Kind.UNCHANGED
    assert b.add(art("http://x.cn/torn.html", "新")).kind is Kind.NEW
    b.close()
    lines = path.read_bytes().splitlines()
    urls = [json.loads(line)["url"] for line in lines]
    assert urls == [f"http://x.cn/{i}.html" for i in range(5)] + ["http://x.cn/torn.html"]


def test_deleted_state_is_rebuilt_from_the_records(tmp_path):
    a = Archive(tmp_path, "demo")
    a.reconcile()
    a.add(art("http://x.cn/a.html", "正文一"))
    a.add(art("http://y.cn/a.html", "正文一"))  # repost
    a.close()
    for p in tmp_path.glob("state.sqlite3*"):
        p.unlink()
    b = Archive(tmp_path, "demo")
    assert b.reconcile()["lines_indexed"] == 2
    assert b.is_stored_url("http://y.cn/a.html")
    assert b.add(art("http://x.cn/a.html", "正文一")).kind is Kind.UNCHANGED
    b.close()

