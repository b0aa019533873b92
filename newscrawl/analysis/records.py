"""The stored records of a data folder, site by site, as an analyst reads them: every
complete line of ``<site>/articles/*.jsonl`` (kind ``article``) and
``<site>/duplicates/*.jsonl`` (kind ``repost``), each with a stable id."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from newscrawl.archive.jsonl import read_jsonl
from newscrawl.archive.layout import DataLayout, site_dirname
from newscrawl.record import SCHEMA_VERSION, Article

_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


class DataError(Exception):
    """The data folder, a site or a filter given on the command line is not usable."""


@dataclass(slots=True)
class StoredRecord:
    site: str  # the folder the record is filed in
    kind: str  # "article" or "repost"
    path: Path
    record: dict[str, Any]

    @property
    def id(self) -> str:
        return record_id(self.record)


def record_id(record: dict[str, Any]) -> str:
    """16 hex digits naming one stored version of one article: the same in every export and
    every run (a hash of the canonical URL and the version)."""
    url = record.get("canonical_url") or record.get("url") or ""
    key = f"{url}\n{int(record.get('version') or 1)}"
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]


def check_day(value: str | None, option: str = "--since") -> str | None:
    """``value`` if it is a YYYY-MM-DD date, else DataError."""
    if value is None:
        return None
    from datetime import date

    try:
        if not _DAY.fullmatch(value):
            raise ValueError
        date.fromisoformat(value)
    except ValueError:
        raise DataError(f"{option} {value!r}: expected a date YYYY-MM-DD") from None
    return value


def open_data(data_dir: str | Path, site: str | None = None) -> tuple[DataLayout, list[str]]:
    """The data folder and its site folders (only ``site`` when given); DataError when
    either does not exist."""
    layout = DataLayout(data_dir)
    if not layout.root.is_dir():
        raise DataError(f"no data folder at {layout.root}")
    if site is None:
        return layout, layout.sites()
    name = site_dirname(site)
    if not layout.site_dir(name).is_dir():
        known = ", ".join(layout.sites()) or "none"
        raise DataError(f"no site {site!r} in {layout.root} (sites: {known})")
    return layout, [name]


def record_day(record: dict[str, Any]) -> str | None:
    """The record's publish date (a 1.x record's from published_at), else None."""
    day = record.get("published_date")
    if isinstance(day, str):
        return day
    at = record.get("published_at")
    return at[:10] if isinstance(at, str) and _DAY.match(at) else None


def iter_stored(layout: DataLayout, sites: list[str], *, since: str | None = None,
                reposts: bool = True) -> Iterator[StoredRecord]:
    """Every stored record of ``sites``, in file order; with ``since``, only those published
    on or after that date (records without a date are left out)."""
    for site in sites:
        kinds = (("article", False), ("repost", True)) if reposts else (("article", False),)
        for kind, duplicates in kinds:
            for path in layout.record_files(site, duplicates=duplicates):
                for record in read_jsonl(path):
                    if since is not None:
                        day = record_day(record)
                        if day is None or day < since:
                            continue
                    yield StoredRecord(site, kind, path, current_form(record, site))


def current_form(record: dict[str, Any], site: str) -> dict[str, Any]:
    """A stored record in today's schema (what ``newscrawl upgrade`` writes back): an older
    record gains host, published_date and published_precision, a full published_at, and
    the site name of the folder it is filed in. Records that do not fit are kept as read."""
    try:
        article = Article.from_dict({**record, "site": site, "schema_version": SCHEMA_VERSION})
    except (TypeError, ValueError):
        return record
    return article.to_dict()
