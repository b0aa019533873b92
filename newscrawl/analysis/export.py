"""Stored records as a table: SQLite (for Datasette and sqlite3), Parquet, CSV.

Every format has the same columns: ``id`` (:func:`records.record_id`), ``site``, ``kind``
(``article`` or ``repost``), then the record's fields in schema order. Lists (authors,
tags, section, images, also_at) are JSON arrays in SQLite and CSV, lists of strings in
Parquet; times are ISO 8601 text in SQLite and CSV, timestamps in Parquet.
"""

from __future__ import annotations

import csv
import dataclasses
import json
from collections.abc import Iterable, Iterator
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any

from newscrawl.analysis import require
from newscrawl.analysis.records import StoredRecord
from newscrawl.record import Article

# The columns a reader looks at first, then the rest of the record's fields in schema order.
_FIRST = ["id", "site", "kind", "url", "host", "title", "published_at", "published_date",
          "published_precision", "source", "authors", "editor", "section", "tags", "body"]
COLUMNS = _FIRST + [f.name for f in dataclasses.fields(Article) if f.name not in _FIRST]
LIST_FIELDS = ("authors", "tags", "section", "images", "also_at")
TABLE = "articles"
FTS_COLUMNS = ("title", "body")
# FTS5's default tokenizer takes a run of Chinese characters for one word, so a word inside
# a sentence is never found; trigram indexes every 3 characters (any script), so a search
# finds any text of 3 characters or more. Shorter words: LIKE (see docs/analysts.md).
FTS_TOKENIZER = "trigram"


def row_of(stored: StoredRecord) -> dict[str, Any]:
    record = stored.record
    row: dict[str, Any] = {"id": stored.id, "site": stored.site, "kind": stored.kind}
    for name in COLUMNS[3:]:
        row[name] = record.get(name)
    return row


# ------------------------------------------------------------------------------ SQLite
def to_sqlite(stored: Iterable[StoredRecord], path: str | Path) -> tuple[int, int]:
    """Add the records not yet in ``path`` to its table ``articles`` (created with its
    indexes and full-text table the first time); returns (added, rows now)."""
    sqlite_utils = require("sqlite_utils", "sqlite-utils")
    db = sqlite_utils.Database(path)
    try:
        table = db[TABLE]
        before = table.count if table.exists() else 0
        rows = (_sqlite_row(row_of(s)) for s in stored)
        # Records are immutable (a change is a new version, a new id): what is there stays.
        table.insert_all(rows, pk="id", ignore=True, column_order=COLUMNS, alter=True,
                         batch_size=500)
        if not table.exists():  # nothing to export: an empty table, so readers find one
            table.create({c: str for c in COLUMNS} | {"version": int}, pk="id")
        for column in ("site", "published_at"):
            table.create_index([column], if_not_exists=True)
        if not table.detect_fts():
            table.enable_fts(list(FTS_COLUMNS), tokenize=FTS_TOKENIZER, create_triggers=True)
        after = table.count
    finally:
        db.close()
    return after - before, after


def _sqlite_row(row: dict[str, Any]) -> dict[str, Any]:
    for name in LIST_FIELDS:
        row[name] = json.dumps(row.get(name) or [], ensure_ascii=False)
    return row


# ------------------------------------------------------------------------------- CSV
def to_csv(stored: Iterable[StoredRecord], path: str | Path, *, excel: bool = False) -> int:
    """Write a CSV file with a header row; ``excel``: UTF-8 with a BOM, which Excel needs
    to read UTF-8. Returns the number of rows."""
    count = 0
    with open(path, "w", encoding="utf-8-sig" if excel else "utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=COLUMNS)
        writer.writeheader()
        for s in stored:
            row = row_of(s)
            for name in LIST_FIELDS:
                row[name] = json.dumps(row.get(name) or [], ensure_ascii=False)
            writer.writerow(row)
            count += 1
    return count


# ----------------------------------------------------------------------------- Parquet
def parquet_schema() -> Any:
    pa = require("pyarrow")
    types: dict[str, Any] = {name: pa.string() for name in COLUMNS}
    types |= {name: pa.list_(pa.string()) for name in LIST_FIELDS}
    types |= {
        # An instant in UTC (readers show it in any zone); null where the record's time has
        # no offset: published_local keeps the portal's wall-clock time for every record.
        "published_at": pa.timestamp("us", tz="UTC"),
        "fetched_at": pa.timestamp("us", tz="UTC"),
        "published_date": pa.date32(),
        "version": pa.int32(),
    }
    fields = []
    for name in COLUMNS:
        fields.append(pa.field(name, types[name]))
        if name == "published_at":
            fields.append(pa.field("published_local", pa.timestamp("us")))
    return pa.schema(fields)


def to_parquet(stored: Iterable[StoredRecord], path: str | Path, *, batch: int = 2000) -> int:
    pa = require("pyarrow")
    pq = require("pyarrow.parquet", "pyarrow")
    schema = parquet_schema()
    count = 0
    with pq.ParquetWriter(str(path), schema) as writer:
        for rows in _batches((_parquet_row(row_of(s)) for s in stored), batch):
            writer.write_table(pa.Table.from_pylist(rows, schema=schema))
            count += len(rows)
    return count


def _parquet_row(row: dict[str, Any]) -> dict[str, Any]:
    published = _datetime(row.get("published_at"))
    row["published_local"] = published.replace(tzinfo=None) if published else None
    row["published_at"] = _utc(published)
    row["fetched_at"] = _utc(_datetime(row.get("fetched_at")))
    day = row.get("published_date")
    row["published_date"] = date.fromisoformat(day) if isinstance(day, str) else None
    for name in LIST_FIELDS:
        row[name] = list(row.get(name) or [])
    return row


def _datetime(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment


def _utc(moment: datetime | None) -> datetime | None:
    """The instant in UTC; None for a time without an offset (not an instant)."""
    return moment.astimezone(timezone.utc) if moment and moment.tzinfo else None


def _batches(rows: Iterator[dict[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
    chunk: list[dict[str, Any]] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk
