"""Records written in the 1.0 format are rewritten in today's schema by `newscrawl upgrade`,
and the archive's state stays in step (the next crawl neither re-reads nor re-stores them)."""

from __future__ import annotations

import json
import shutil
from urllib.parse import urlsplit

import jsonschema

from newscrawl.archive.store import Archive
from newscrawl.record import SCHEMA_VERSION, load_schema

from .conftest import newscrawl, records

V2_ONLY = ("host", "published_date", "published_precision")


def as_version_1(record: dict, date_only: bool) -> dict:
    """The record as newscrawl 1.0 wrote it: no host/published_date/published_precision,
    ``site`` the host, a date alone where the page gave only a date."""
    old = {k: v for k, v in record.items() if k not in V2_ONLY}
    old["site"] = urlsplit(record["url"]).hostname
    old["schema_version"] = "1.0"
    if date_only:
        old["published_at"] = record["published_at"][:10]
    elif old["published_at"]:
        old["published_at"] = old["published_at"][:16] + old["published_at"][19:]  # minutes
    return old


def test_upgrade_rewrites_old_records_and_keeps_the_state_in_step(demo_data, tmp_path):
    data = tmp_path / "data"
    shutil.copytree(demo_data, data)
    new = {r["url"]: r for r in records(data)}
    n = 0
    for path in sorted(data.glob("*/*/*.jsonl")):
        lines = []
        for line in path.read_text("utf-8").splitlines():
            n += 1
            lines.append(json.dumps(as_version_1(json.loads(line), date_only=n % 3 == 0),
                                    ensure_ascii=False, separators=(",", ":")))
        path.write_text("\n".join(lines) + "\n", "utf-8")
    site = next(p.name for p in data.iterdir() if p.is_dir())
    # As a 1.0 run left it: the state has indexed these very files.
    archive = Archive(data, site)
    archive.reconcile()
    archive.close()

    proc = newscrawl("upgrade", "--data-dir", str(data))
    assert proc.returncode == 0, proc.stderr
    assert f"{site}: {n} record(s) upgraded to schema {SCHEMA_VERSION}" in proc.stdout

    validator = jsonschema.Draft202012Validator(load_schema())
    upgraded = records(data)
    assert len(upgraded) == n
    for record in upgraded:
        assert not list(validator.iter_errors(record)), record["url"]
        before = new[record["url"]]
        assert record["site"] == site and record["host"] == before["host"]
        assert record["content_hash"] == before["content_hash"]
        assert record["body"] == before["body"] and record["version"] == before["version"]
        assert record["published_date"] == before["published_date"]
        if record["published_precision"] == "day":
            assert record["published_at"] == before["published_date"] + "T00:00:00"
        else:
            assert record["published_precision"] == "minute"
            assert record["published_at"][:16] == before["published_at"][:16]
    assert sum(r["published_precision"] == "day" for r in upgraded) == n // 3

    # The state knows every upgraded line: nothing to index again, nothing torn.
    archive = Archive(data, site)
    done = archive.reconcile()
    archive.close()
    assert done == {"lines_indexed": 0, "torn_bytes_removed": 0, "files_reindexed": 0}
    again = newscrawl("upgrade", "--data-dir", str(data))
    assert f"0 record(s) upgraded to schema {SCHEMA_VERSION} in 0 file(s), {n} already current" in again.stdout
    assert newscrawl("ls", "--data-dir", str(data)).returncode == 0


def test_upgrade_keeps_lines_that_are_not_records(tmp_path):
    folder = tmp_path / "data" / "mysite" / "articles"
    folder.mkdir(parents=True)
    good = {"url": "http://news.example.cn/a/1.html", "title": "标题", "body": "正文。",
            "published_at": "2026-11-20", "content_hash": "sha256:" + "0" * 64,
            "extractor_version": "1", "site": "news.example.cn", "schema_version": "1.0"}
    path = folder / "2026-11-20.jsonl"
    path.write_text(json.dumps(good, ensure_ascii=False) + "\nnot json\n[1, 2]\n", "utf-8")
    proc = newscrawl("upgrade", "--data-dir", str(tmp_path / "data"))
    assert proc.returncode == 0, proc.stderr
    assert "1 record(s) upgraded" in proc.stdout and "2 line(s) left as they were" in proc.stdout
    lines = path.read_text("utf-8").splitlines()
    assert lines[1:] == ["not json", "[1, 2]"]
    record = json.loads(lines[0])
    assert (record["site"], record["host"], record["published_at"], record["published_precision"]) == (
        "mysite", "news.example.cn", "2026-11-20T00:00:00", "day")
    missing = newscrawl("upgrade", "--data-dir", str(tmp_path / "nothing"))
    assert missing.returncode == 2 and missing.stderr.count("\n") == 1
