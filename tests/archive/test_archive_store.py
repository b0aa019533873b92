"""The archive's decisions (new, unchanged, new version, repost) and its recovery."""

import json

from newscrawl.record import Article
from newscrawl.store.archive import Archive, Kind
from newscrawl.store.jsonl import read_jsonl
from newscrawl.store.layout import DataLayout, partition_date


def art(url, body, **kw):
    kw.setdefault("title", "标题")
    kw.setdefault("published_at", "2026-11-20T10:00:00+08:00")
    return Article(url=url, body=body, **kw)


def all_records(data, site="demo", duplicates=False):
    out = []
    for path in DataLayout(data).record_files(site, duplicates=duplicates):
        out.extend(read_jsonl(path))
    return out


def test_new_unchanged_version_and_repost(tmp_path):
    a = Archive(tmp_path, "demo")
    a.reconcile()
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


def test_state_survives_between_runs(tmp_path):
    a = Archive(tmp_path, "demo")
    a.reconcile()
    a.add(art("http://x.cn/a.html", "正文一"))
    a.close()
    b = Archive(tmp_path, "demo")
    b.reconcile()
    assert b.add(art("http://x.cn/a.html", "正文一")).kind is Kind.UNCHANGED
    assert b.add(art("http://x.cn/a.html", "正文二")).record["version"] == 2
    b.close()


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


def test_partition_date():
    assert partition_date({"published_at": "2026-11-20T23:30:00+08:00"}) == "2026-11-20"
    assert partition_date({"published_at": None, "fetched_at": "2026-11-21T01:00:00+00:00"}) == "2026-11-21"
