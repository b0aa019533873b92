"""`newscrawl show URL|ID`: one stored record, for a person."""

from __future__ import annotations

from newscrawl.analysis.records import record_id

from .conftest import newscrawl, records


def test_show_by_url_prints_the_fields_then_the_body(demo_data):
    record = next(r for r in records(demo_data, "articles") if r["authors"] and r["tags"])
    proc = newscrawl("show", record["url"], "--data-dir", str(demo_data))
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert lines[0] == record["title"]
    head = "\n".join(lines[:12])
    for value in (record["source"], ", ".join(record["authors"]), ", ".join(record["tags"]),
                  record["published_at"][:10]):
        assert value in head
    order = [proc.stdout.index(x) for x in ("Time:", "Source:", "Authors:", "Tags:")]
    assert order == sorted(order)
    first_paragraph = record["body"].split("\n\n")[0]
    assert proc.stdout.index(first_paragraph) > proc.stdout.index("Tags:")
    assert record["body"].split("\n\n")[-1] in proc.stdout


def test_show_by_id_prefix_and_not_found(demo_data):
    record = records(demo_data, "articles")[3]
    full = newscrawl("show", record_id(record), "--data-dir", str(demo_data))
    short = newscrawl("show", record_id(record)[:8], "--data-dir", str(demo_data))
    assert full.returncode == short.returncode == 0
    assert full.stdout == short.stdout and full.stdout.startswith(record["title"] + "\n")
    missing = newscrawl("show", "http://127.0.0.1:1/nope.html", "--data-dir", str(demo_data))
    assert missing.returncode == 1
    assert missing.stderr.strip() == "newscrawl show: no stored record for http://127.0.0.1:1/nope.html"
    bad = newscrawl("show", "abc", "--data-dir", str(demo_data))
    assert bad.returncode == 2 and bad.stderr.count("\n") == 1
