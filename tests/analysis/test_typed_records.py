"""Every stored demo record reads with real types in DuckDB and pandas, and matches the
published schema (formats included)."""

from __future__ import annotations

import io
import json
from urllib.parse import urlsplit

import duckdb
import jsonschema
import pandas as pd

from newscrawl.record import SCHEMA_VERSION, load_schema

from .conftest import records


def test_duckdb_types_every_demo_record(demo_data):
    pattern = str(demo_data / "*" / "*" / "*.jsonl")
    con = duckdb.connect()
    described = con.execute(f"DESCRIBE SELECT * FROM read_json_auto('{pattern}')").fetchall()
    types = {row[0]: row[1] for row in described}
    assert types["published_at"] == "TIMESTAMP WITH TIME ZONE"
    assert types["published_date"] == "DATE"
    assert types["fetched_at"] == "TIMESTAMP WITH TIME ZONE"
    assert types["schema_version"] == "VARCHAR"
    assert types["authors"] == "VARCHAR[]" and types["tags"] == "VARCHAR[]"
    (count,) = con.execute(f"SELECT count(*) FROM read_json_auto('{pattern}')").fetchone()
    assert count == len(records(demo_data))
    # The instant is kept: the same as the text's offset says.
    first = records(demo_data)[0]
    (utc,) = con.execute(
        f"SELECT strftime(published_at AT TIME ZONE 'UTC', '%Y-%m-%dT%H:%M:%S') "
        f"FROM read_json_auto('{pattern}') WHERE url = ?", [first["url"]]).fetchone()
    from datetime import datetime, timezone

    want = datetime.fromisoformat(first["published_at"]).astimezone(timezone.utc)
    assert utc == want.strftime("%Y-%m-%dT%H:%M:%S")


def test_pandas_reads_datetimes_and_a_string_schema_version(demo_data):
    text = "".join(p.read_text("utf-8") for p in sorted(demo_data.glob("*/*/*.jsonl")))
    frame = pd.read_json(io.StringIO(text), lines=True)
    assert isinstance(frame["published_at"].dtype, pd.DatetimeTZDtype)
    assert isinstance(frame["fetched_at"].dtype, pd.DatetimeTZDtype)
    assert set(frame["schema_version"]) == {SCHEMA_VERSION}
    assert all(isinstance(v, str) for v in frame["schema_version"])
    # What a two-part version would have done: pandas takes "2.0" for the float 2.0.
    two_part = pd.read_json(io.StringIO('{"v":"2.0"}\n'), lines=True)
    assert two_part["v"].dtype.kind == "f"


def test_records_validate_with_formats_and_name_their_folder(demo_data):
    checker = jsonschema.Draft202012Validator.FORMAT_CHECKER
    assert {"date-time", "date", "uri"} <= set(checker.checkers)  # formats really checked
    validator = jsonschema.Draft202012Validator(load_schema(), format_checker=checker)
    for path in sorted(demo_data.glob("*/*/*.jsonl")):
        folder = path.parents[1].name
        for line in path.read_text("utf-8").splitlines():
            record = json.loads(line)
            errors = [e.message for e in validator.iter_errors(record)]
            assert not errors, (record["url"], errors)
            assert record["site"] == folder
            assert record["host"] == urlsplit(record["url"]).hostname
            assert record["published_precision"] in ("second", "minute", "day")
            assert record["published_at"].startswith(record["published_date"] + "T")
