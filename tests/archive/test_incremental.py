"""Two runs in a row store nothing twice and fetch no stored article again; a changed page
becomes exactly one new version."""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from urllib.parse import urlsplit

from newscrawl.archive.warc import iter_responses

from .helpers import (
    ROOT,
    crawl_env,
    free_port,
    last_run_report,
    run_crawl,
    strict_records,
    truth_paths,
)


def test_second_run_stores_nothing_and_fetches_no_stored_article(portal, tmp_path):
    data = tmp_path / "data"
    run_crawl(portal, data)
    truth = truth_paths(portal)
    first = strict_records(data)
    assert sorted(urlsplit(r["canonical_url"]).path for r in first) == sorted(truth)
    assert Counter(r["canonical_url"] for r in first).most_common(1)[0][1] == 1
    sizes = {p: p.stat().st_size for p in data.glob("demo/articles/*.jsonl")}

    portal.clear_log()
    run_crawl(portal, data)
    requested = set(portal.requested_paths("127.0.0.1"))
    article_pages = {p for pages in truth.values() for p in pages}
    assert not requested & article_pages, sorted(requested & article_pages)
    assert requested, "the second run fetched nothing at all: list pages must be fetched"
    assert {p: p.stat().st_size for p in data.glob("demo/articles/*.jsonl")} == sizes
    report = last_run_report(data)
    assert report["articles_stored"] == 0
    assert report["exit_code"] == 0

    # An editor corrects one article; --refresh fetches stored articles again.
    changed_path = sorted(truth)[3]
    portal.revise(changed_path)
    run_crawl(portal, data, "--refresh")
    after = strict_records(data)
    # The new version is appended to the file of its publication day, not necessarily the last.
    before = {(r["canonical_url"], r["version"]) for r in first}
    new = [r for r in after if (r["canonical_url"], r["version"]) not in before]
    assert len(new) == 1, [(r["canonical_url"], r["version"]) for r in new]
    (record,) = new
    assert urlsplit(record["canonical_url"]).path == changed_path
    assert record["version"] == 2
    old = next(r for r in first if r["canonical_url"] == record["canonical_url"])
    assert record["previous_hash"] == old["content_hash"] != record["content_hash"]
    assert "第1次更正" in record["body"]
    report = last_run_report(data)
    assert report["stored_by_kind"] == {"new_version": 1}
    # the stats file says exactly where the run's new line is
    ((rel, span),) = report["written"].items()
    new_bytes = (data / rel).read_bytes()[span["from_byte"]:span["to_byte"]]
    assert span["records"] == 1 and json.loads(new_bytes) == record
    assert report["duplicates"]["unchanged"] == len(truth) - 1

    # And a plain run afterwards stores nothing again.
    run_crawl(portal, data)
    assert len(strict_records(data)) == len(after)


def test_demo_twice_in_one_folder(tmp_path):
    port = str(free_port())
    cmd = [sys.executable, "-m", "newscrawl", "demo", "--port", port]
    first = subprocess.run(cmd, cwd=tmp_path, capture_output=True, text=True, timeout=120,
                           env=crawl_env() | {"PYTHONPATH": str(ROOT)})
    assert first.returncode == 0, first.stdout + first.stderr
    records = strict_records(tmp_path / "data")
    assert len(records) >= 20
    second = subprocess.run(cmd, cwd=tmp_path, capture_output=True, text=True, timeout=120,
                            env=crawl_env() | {"PYTHONPATH": str(ROOT)})
    assert second.returncode == 0, second.stdout + second.stderr
    assert "0 articles stored" in second.stdout
    assert len(strict_records(tmp_path / "data")) == len(records)
    # What the second run fetched is in its WARC file: no stored article among it.
    report = last_run_report(tmp_path / "data")
    assert report["articles_stored"] == 0
    warcs = sorted((tmp_path / "data/demo/warc").glob(f"*{report['run_id']}*.warc.gz"))
    fetched = {r.url for w in warcs for r in iter_responses(w)}
    assert fetched, "the second run's WARC file is missing"
    stored = {r["url"] for r in records} | {r["canonical_url"] for r in records}
    assert not fetched & stored, sorted(fetched & stored)
