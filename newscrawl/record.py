"""The one record newscrawl produces: :class:`Article`, and its JSON form.

The JSON form is what every JSONL line holds and what ``schema/article.schema.json``
describes. Keys always come in the order of the dataclass fields, so two records with
the same content serialise to the same bytes.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import re
import unicodedata
from dataclasses import dataclass, field
from importlib import resources
from typing import Any
from urllib.parse import urlsplit

# Three parts, so that readers which guess column types from the values (pandas.read_json)
# keep it a string: "2.0" would be read as the float 2.0. History and migration: docs/archive.md.
SCHEMA_VERSION = "2.0.0"
PRECISIONS = ("second", "minute", "day")

_LINE_BREAKS_JSON_LEAVES_RAW = {0x85: "\\u0085", 0x2028: "\\u2028", 0x2029: "\\u2029"}


def normalise_for_hash(text: str) -> str:
    """Body text as it is fingerprinted: NFKC, whitespace runs folded, case folded."""
    # str.split() splits where \s matches: the same folding, without a regex pass.
    return " ".join(unicodedata.normalize("NFKC", text).split()).casefold()


def content_hash(body: str) -> str:
    """sha256 of the normalised body: equal for the same text however it was spaced."""
    return "sha256:" + hashlib.sha256(normalise_for_hash(body).encode("utf-8")).hexdigest()


@dataclass(slots=True)
class Article:
    """One news article, as extracted from one page (or the pages of a multi-page article)."""

    url: str | None
    title: str
    body: str
    canonical_url: str | None = None
    site: str | None = None  # the site's name: the data folder the archive files it under
    host: str | None = None  # the URL's host name, lower-case
    published_at: str | None = None  # ISO 8601 date and time, see normalise_published()
    published_at_raw: str | None = None  # the text the time was read from
    published_date: str | None = None
    published_precision: str | None = None
    source: str | None = None  # the outlet credited (来源)
    authors: list[str] = field(default_factory=list)
    editor: str | None = None
    tags: list[str] = field(default_factory=list)
    section: list[str] = field(default_factory=list)  # breadcrumb, outermost first
    language: str | None = None
    images: list[str] = field(default_factory=list)
    fetched_at: str | None = None
    content_hash: str = ""
    extractor_version: str = ""
    # Set by the archive pipelines, not by the extractor.
    version: int = 1
    previous_hash: str | None = None
    duplicate_of: str | None = None
    also_at: list[str] = field(default_factory=list)
    schema_version: str = SCHEMA_VERSION

    def __post_init__(self) -> None:
        if not self.content_hash:
            self.content_hash = content_hash(self.body)
        if self.host is None:
            self.host = host_of(self.url or self.canonical_url)
        self.published_at, self.published_date, self.published_precision = normalise_published(
            self.published_at, self.published_date, self.published_precision)

    def to_dict(self) -> dict[str, Any]:
        return {name: _copy(getattr(self, name)) for name in _ARTICLE_FIELDS}

    def to_json(self) -> str:
        """One line of JSONL: UTF-8 text, no raw line breaks (U+2028/9 and U+0085 NEL,
        which str.splitlines() also breaks on and json.dumps leaves raw, are escaped too)."""
        text = json.dumps(self.to_dict(), ensure_ascii=False, separators=(",", ":"))
        return text.translate(_LINE_BREAKS_JSON_LEAVES_RAW)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Article:
        names = {f.name for f in dataclasses.fields(cls)}
        unknown = set(data) - names
        if unknown:
            raise ValueError(f"unknown Article keys: {sorted(unknown)}")
        return cls(**data)

    @property
    def author(self) -> str | None:
        """All authors as one string, for readers that expect a single field."""
        return ", ".join(self.authors) or None


# What pages and older records give: a date, maybe a time of day (with or without seconds,
# "T" or a space between), maybe an offset.
_PUBLISHED = re.compile(
    r"(?P<date>\d{4}-\d{2}-\d{2})"
    r"(?:[T ](?P<hm>\d{2}:\d{2})(?::(?P<s>\d{2}(?:\.\d+)?))?)?"
    r"(?P<offset>Z|[+-]\d{2}:\d{2})?"
)


def normalise_published(published_at: str | None, published_date: str | None = None,
                        precision: str | None = None) -> tuple[str | None, str | None, str | None]:
    """(published_at, published_date, published_precision) in the record's one form.

    ``published_at`` becomes a full date and time, ``YYYY-MM-DDTHH:MM:SS`` with the UTC
    offset when one is known (else the portal's wall-clock time, without an offset); a date
    alone becomes midnight of that date with precision ``day``. ``published_date`` is its
    date; ``published_precision`` how much of the time the page gave (``second``,
    ``minute``, ``day``). Values given are kept; anything unreadable is left for
    validation to reject."""
    if not published_at:
        return None, published_date, precision if published_date else None
    m = _PUBLISHED.fullmatch(published_at.strip())
    if m is None:
        return published_at, published_date, precision
    offset = m["offset"] or ""
    if m["hm"] is None:
        derived = "day"
        clock = "00:00:00"
    elif m["s"] is None:
        derived = "minute"
        clock = m["hm"] + ":00"
    else:
        derived = "second"
        clock = f"{m['hm']}:{m['s']}"
    if precision not in PRECISIONS:
        precision = derived
    return f"{m['date']}T{clock}{offset}", published_date or m["date"], precision


def host_of(url: str | None) -> str | None:
    """The URL's host name, lower-case; None without one."""
    if not url:
        return None
    try:
        return urlsplit(url).hostname or None
    except ValueError:
        return None


# The field names in order, read once: dataclasses.fields() builds them anew on each call,
# and every stage of the item pipeline turns the record into a dict.
_ARTICLE_FIELDS = tuple(f.name for f in dataclasses.fields(Article))


def _copy(value: Any) -> Any:
    return list(value) if isinstance(value, list) else value


def load_schema() -> dict[str, Any]:
    """The published JSON Schema of the record's JSON form."""
    text = resources.files("newscrawl").joinpath("schema/article.schema.json").read_text("utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema
