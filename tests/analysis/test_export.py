"""`newscrawl export`: SQLite for Datasette and sqlite3 (full-text search that finds Chinese
words), Parquet with real types, CSV for spreadsheets."""

from __future__ import annotations

import asyncio
import csv
import json
import re
import sqlite3
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from newscrawl.analysis.records import record_id

from .conftest import newscrawl, records

CJK = re.compile(r"[\u4e00-\u9fff]+")


def export(data: Path, out: Path, *extra: str) -> str:
    proc = newscrawl("export", "--data-dir", str(data), "-o", str(out), *extra)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""
    return proc.stdout


def inside_sentence_words(data: Path, size: int) -> list[str]:
    """Words of ``size`` Chinese characters that stand inside a longer run of Chinese text
    (no space or punctuation around them) in some record's body."""
    words = []
    for r in records(data, "articles"):
        for run in CJK.findall(r["body"]):
            if len(run) >= size + 4:
                words.append(run[2:2 + size])
    assert words
    return words[:5]


@pytest.fixture(scope="module")
def sqlite_export(demo_data, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("export") / "news.db"
    printed = export(demo_data, out)
    assert f"{len(records(demo_data))} new record(s) added to {out}" in printed
    return out


def test_sqlite_has_one_row_per_record_with_json_lists_and_indexes(sqlite_export, demo_data):
    stored = records(demo_data)
    db = sqlite3.connect(sqlite_export)
    db.row_factory = sqlite3.Row
    rows = {r["id"]: r for r in db.execute("SELECT * FROM articles")}
    assert set(rows) == {record_id(r) for r in stored}
    for record in stored:
        row = rows[record_id(record)]
        assert row["url"] == record["url"] and row["site"] == record["site"]
        assert json.loads(row["authors"]) == record["authors"]
        assert json.loads(row["tags"]) == record["tags"]
        assert row["published_at"] == record["published_at"]
    indexed = {r[2] for r in db.execute(
        "SELECT m.name, il.name, ii.name FROM sqlite_master m, pragma_index_list(m.name) il, "
        "pragma_index_info(il.name) ii WHERE m.name = 'articles'")}
    assert {"site", "published_at"} <= indexed
    (fts_sql,) = db.execute("SELECT sql FROM sqlite_master WHERE name = 'articles_fts'").fetchone()
    assert "trigram" in fts_sql


def test_full_text_search_finds_chinese_words_inside_sentences(sqlite_export, demo_data):
    db = sqlite3.connect(sqlite_export)
    stored = records(demo_data)
    for word in ["数字经济", *inside_sentence_words(demo_data, 4), *inside_sentence_words(demo_data, 3)]:
        want = {record_id(r) for r in stored if word in r["title"] or word in r["body"]}
        assert want, word
        got = {row[0] for row in db.execute(
            "SELECT a.id FROM articles_fts f JOIN articles a ON a.rowid = f.rowid "
            "WHERE articles_fts MATCH ?", [f'"{word}"'])}
        assert got == want, word


def test_two_character_words_need_like(sqlite_export, demo_data):
    """The trigram index holds 3-character pieces: a 2-character word is not in it (the
    documented limit); LIKE finds it."""
    db = sqlite3.connect(sqlite_export)
    word = "经济"
    want = {record_id(r) for r in records(demo_data) if word in r["body"] or word in r["title"]}
    assert want
    match = db.execute("SELECT count(*) FROM articles_fts WHERE articles_fts MATCH ?",
                       [f'"{word}"']).fetchone()[0]
    assert match == 0
    like = {row[0] for row in db.execute(
        "SELECT id FROM articles WHERE title LIKE ? OR body LIKE ?", [f"%{word}%"] * 2)}
    assert like == want


def test_datasette_browses_and_searches_the_export(sqlite_export, demo_data):
    from datasette.app import Datasette

    stored = records(demo_data)

    async def get(path: str):
        ds = Datasette([str(sqlite_export)])
        response = await ds.client.get(path)
        assert response.status_code == 200, (path, response.text[:300])
        return response

    name = sqlite_export.stem
    word = inside_sentence_words(demo_data, 4)[0]
    rows = asyncio.run(get(f"/{name}/articles.json?_search={word}&_shape=array&_size=max")).json()
    assert {r["id"] for r in rows} == {record_id(r) for r in stored if word in r["title"] or word in r["body"]}
    page = asyncio.run(get(f"/{name}/articles?_search={word}")).text
    assert f'value="{word}"' in page  # the table page shows its search box, filled in
    two = asyncio.run(get(f"/{name}/articles.json?body__contains=经济&_shape=array&_size=max")).json()
    assert {r["id"] for r in two} == {record_id(r) for r in stored if "经济" in r["body"]}
    site = stored[0]["site"]
    by_site = asyncio.run(get(f"/{name}/articles.json?site={site}&_shape=array&_size=max")).json()
    assert len(by_site) == sum(1 for r in stored if r["site"] == site)


def test_export_again_adds_only_what_is_new(demo_data, tmp_path):
    stored = records(demo_data)
    days = sorted(r["published_date"] for r in stored)
    since = days[len(days) // 2]
    out = tmp_path / "cron.db"
    first = export(demo_data, out, "--since", since)
    newer = sum(1 for r in stored if r["published_date"] >= since)
    assert 0 < newer < len(stored)
    assert f"{newer} new record(s)" in first
    second = export(demo_data, out)
    assert f"{len(stored) - newer} new record(s) added" in second
    assert f"({len(stored)} in table articles" in second
    assert "0 new record(s)" in export(demo_data, out)
    db = sqlite3.connect(out)
    assert db.execute("SELECT count(*) FROM articles").fetchone()[0] == len(stored)
    # Rows added later are searchable too (the full-text table follows the table).
    (fts,) = db.execute("SELECT count(*) FROM articles_fts").fetchone()
    assert fts == len(stored)


def test_parquet_has_real_types(demo_data, tmp_path):
    out = tmp_path / "news.parquet"
    export(demo_data, out, "--format", "parquet")
    table = pq.read_table(out)
    schema = table.schema
    assert schema.field("published_at").type == pa.timestamp("us", tz="UTC")
    assert schema.field("fetched_at").type == pa.timestamp("us", tz="UTC")
    assert schema.field("published_date").type == pa.date32()
    assert schema.field("authors").type == pa.list_(pa.string())
    assert schema.field("version").type == pa.int32()
    stored = {record_id(r): r for r in records(demo_data)}
    assert table.num_rows == len(stored)
    from datetime import datetime

    for row in table.to_pylist():
        record = stored[row["id"]]
        assert row["published_at"] == datetime.fromisoformat(record["published_at"])
        assert row["authors"] == record["authors"]
        assert row["published_date"].isoformat() == record["published_date"]


def test_csv_for_spreadsheets_and_excel(demo_data, tmp_path):
    plain, excel = tmp_path / "news.csv", tmp_path / "excel.csv"
    export(demo_data, plain)
    export(demo_data, excel, "--excel")
    assert not plain.read_bytes().startswith(b"\xef\xbb\xbf")
    assert excel.read_bytes().startswith(b"\xef\xbb\xbf")
    with open(excel, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    stored = {record_id(r): r for r in records(demo_data)}
    assert len(rows) == len(stored)
    for row in rows:
        assert row["title"] == stored[row["id"]]["title"]
        assert json.loads(row["tags"]) == stored[row["id"]]["tags"]
        assert row["body"] == stored[row["id"]]["body"]  # line breaks survive quoting


def test_site_and_since_filters_and_usage_errors(demo_data, tmp_path):
    site = records(demo_data)[0]["site"]
    out = tmp_path / "site.csv"
    assert f"{len(records(demo_data))} record(s)" in export(demo_data, out, "--site", site)
    for args, message in [
        (["--site", "nosuchsite"], "no site 'nosuchsite'"),
        (["--since", "yesterday"], "--since 'yesterday': expected a date YYYY-MM-DD"),
        (["--format", "parquet", "--excel"], "--excel is for --format csv"),
    ]:
        proc = newscrawl("export", "--data-dir", str(demo_data), "-o", str(tmp_path / "x.csv"), *args)
        assert proc.returncode == 2
        assert proc.stderr.strip().count("\n") == 0 and message in proc.stderr, proc.stderr
    proc = newscrawl("export", "--data-dir", str(tmp_path / "none"), "-o", str(out))
    assert proc.returncode == 2 and "no data folder" in proc.stderr


def test_missing_analysis_extra_is_one_line_naming_the_install(demo_data, tmp_path):
    blocker = tmp_path / "blocked"
    blocker.mkdir()
    for module in ("sqlite_utils", "matplotlib"):
        (blocker / f"{module}.py").write_text("raise ImportError('not installed here')\n")
    for args in (["export", "-o", str(tmp_path / "x.db")], ["report", "-o", str(tmp_path / "r.html")]):
        proc = newscrawl(*args, "--data-dir", str(demo_data), extra_env={"PYTHONPATH": str(blocker)})
        assert proc.returncode == 2, proc.stderr
        lines = proc.stderr.strip().splitlines()
        assert len(lines) == 1 and "pip install 'newscrawl[analysis]'" in lines[0], proc.stderr
        assert "Traceback" not in proc.stderr
