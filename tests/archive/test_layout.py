"""Where records are filed: the day a record is partitioned under."""

from newscrawl.archive.layout import DataLayout, partition_date


def test_partition_date():
    assert partition_date({"published_at": "2026-11-20T23:30:00+08:00"}) == "2026-11-20"
    assert partition_date({"published_at": None, "fetched_at": "2026-11-21T01:00:00+00:00"}) == "2026-11-21"


def test_reposts_are_filed_apart_from_articles(tmp_path):
    layout = DataLayout(tmp_path)
    record = {"published_at": "2026-11-20T10:00:00+08:00"}
    article = layout.partition("demo", record, duplicate=False)
    repost = layout.partition("demo", record, duplicate=True)
    assert article.name == repost.name == "2026-11-20.jsonl"
    assert article.parent != repost.parent
    assert repost.parent.name == "duplicates"
