"""Incremental state in SQLite (standard library), on disk in WAL mode.

It is an index of the JSONL files, not a second source of truth: every row can be rebuilt
from the records (``Archive.reconcile``), and the ``files`` table says how far each file has
been indexed, so lines written by a run that was killed before its last commit are picked up
by the next run. Memory stays flat however many records there are: lookups are indexed
queries, not Python sets.

Tables:
    articles(canonical_url → site, content_hash, version)   latest version of each article
    fingerprints(content_hash → canonical_url)              first article with that body
    urls(url → canonical_url)                               every URL known to hold a stored
                                                            article (aliases and reposts too)
    files(path → indexed_size)                              how far each JSONL file is indexed
    runs(run_id → site, times, reason, counts)              the last crawls of each site
    validators(url → etag, last_modified, body)             the last 200 of each list page,
                                                            feed and sitemap, for conditional
                                                            requests (losing it costs one
                                                            full fetch, never a record)
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

_SCHEMA = """
CREATE TABLE IF NOT EXISTS articles(
    canonical_url TEXT PRIMARY KEY,
    site TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    version INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS fingerprints(
    content_hash TEXT PRIMARY KEY,
    canonical_url TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS urls(
    url TEXT PRIMARY KEY,
    canonical_url TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS urls_by_canonical ON urls(canonical_url);
CREATE TABLE IF NOT EXISTS files(
    path TEXT PRIMARY KEY,
    site TEXT NOT NULL,
    indexed_size INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS runs(
    run_id TEXT PRIMARY KEY,
    site TEXT NOT NULL,
    started_at TEXT NOT NULL,
    finished_at TEXT,
    finish_reason TEXT,
    pages INTEGER,
    stored INTEGER,
    errors INTEGER,
    stats_file TEXT
);
CREATE INDEX IF NOT EXISTS runs_by_site ON runs(site, started_at);
CREATE TABLE IF NOT EXISTS validators(
    url TEXT PRIMARY KEY,
    etag TEXT,
    last_modified TEXT,
    content_type TEXT,
    body BLOB NOT NULL
) WITHOUT ROWID;
"""


@dataclass(frozen=True, slots=True)
class Validators:
    """What a conditional request needs, and what stands in for the body of a 304."""

    etag: str | None
    last_modified: str | None
    content_type: str | None
    body: bytes  # zlib-compressed


@dataclass(frozen=True, slots=True)
class StoredArticle:
    canonical_url: str
    site: str
    content_hash: str
    version: int


class StateStore:
    """One connection to ``state.sqlite3``. Writes are grouped into transactions that the
    caller ends with :meth:`commit` (the archive commits every N records and at close)."""

    def __init__(self, path: str | Path, *, timeout: float = 30.0) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        # isolation_level=None: we issue BEGIN ourselves, so a batch is one transaction.
        self.db = sqlite3.connect(self.path, timeout=timeout, isolation_level=None)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.execute(f"PRAGMA busy_timeout={int(timeout * 1000)}")
        self.db.executescript(_SCHEMA)
        self._in_tx = False

    # --- transactions -------------------------------------------------------------------
    def _write(self) -> None:
        if not self._in_tx:
            self.db.execute("BEGIN IMMEDIATE")
            self._in_tx = True

    def commit(self) -> None:
        if self._in_tx:
            self.db.execute("COMMIT")
            self._in_tx = False

    def close(self) -> None:
        self.commit()
        self.db.close()

    # --- reads --------------------------------------------------------------------------
    def article(self, canonical_url: str) -> StoredArticle | None:
        row = self.db.execute(
            "SELECT canonical_url, site, content_hash, version FROM articles WHERE canonical_url=?",
            (canonical_url,),
        ).fetchone()
        return StoredArticle(*row) if row else None

    def first_with_hash(self, content_hash: str) -> str | None:
        row = self.db.execute(
            "SELECT canonical_url FROM fingerprints WHERE content_hash=?", (content_hash,)
        ).fetchone()
        return row[0] if row else None

    def stored_under(self, url: str) -> str | None:
        """Canonical URL of the stored article ``url`` leads to, if any."""
        row = self.db.execute("SELECT canonical_url FROM urls WHERE url=?", (url,)).fetchone()
        return row[0] if row else None

    def aliases(self, canonical_url: str) -> list[str]:
        rows = self.db.execute(
            "SELECT url FROM urls WHERE canonical_url=? AND url<>? ORDER BY url",
            (canonical_url, canonical_url),
        )
        return [r[0] for r in rows]

    def validators(self, url: str) -> Validators | None:
        row = self.db.execute(
            "SELECT etag, last_modified, content_type, body FROM validators WHERE url=?", (url,)
        ).fetchone()
        return Validators(*row) if row else None

    def indexed_size(self, path: str) -> int:
        row = self.db.execute("SELECT indexed_size FROM files WHERE path=?", (path,)).fetchone()
        return int(row[0]) if row else 0

    def counts(self) -> dict[str, int]:
        out = {}
        for table in ("articles", "fingerprints", "urls", "files", "runs"):
            out[table] = int(self.db.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
        return out

    def last_runs(self, site: str | None = None, limit: int = 1) -> list[sqlite3.Row]:
        self.db.row_factory = sqlite3.Row
        try:
            if site is None:
                sql = "SELECT * FROM runs ORDER BY started_at DESC LIMIT ?"
                return list(self.db.execute(sql, (limit,)))
            sql = "SELECT * FROM runs WHERE site=? ORDER BY started_at DESC LIMIT ?"
            return list(self.db.execute(sql, (site, limit)))
        finally:
            self.db.row_factory = None

    # --- writes -------------------------------------------------------------------------
    def put_article(self, canonical_url: str, site: str, content_hash: str, version: int) -> None:
        """Record a stored version; an older version read late never replaces a newer one."""
        self._write()
        self.db.execute(
            "INSERT INTO articles VALUES(?,?,?,?) ON CONFLICT(canonical_url) DO UPDATE SET"
            " content_hash=excluded.content_hash, version=excluded.version, site=excluded.site"
            " WHERE excluded.version >= articles.version",
            (canonical_url, site, content_hash, version),
        )
        self.db.execute(
            "INSERT OR IGNORE INTO fingerprints VALUES(?,?)", (content_hash, canonical_url)
        )

    def claim_fingerprint(self, content_hash: str, canonical_url: str) -> str:
        """Claim ``content_hash`` for ``canonical_url``; returns the URL that holds it. Under
        the write lock (BEGIN IMMEDIATE), so of two crawls of two sites (one data folder)
        storing the same article at once, exactly one is the original."""
        self._write()
        self.db.execute(
            "INSERT OR IGNORE INTO fingerprints VALUES(?,?)", (content_hash, canonical_url)
        )
        row = self.db.execute(
            "SELECT canonical_url FROM fingerprints WHERE content_hash=?", (content_hash,)
        ).fetchone()
        return str(row[0]) if row else canonical_url

    def put_url(self, url: str, canonical_url: str) -> None:
        self._write()
        self.db.execute("INSERT OR IGNORE INTO urls VALUES(?,?)", (url, canonical_url))

    def put_validators(self, url: str, validators: Validators) -> None:
        self._write()
        self.db.execute(
            "INSERT OR REPLACE INTO validators VALUES(?,?,?,?,?)",
            (url, validators.etag, validators.last_modified, validators.content_type,
             validators.body),
        )

    def forget_validators(self, url: str) -> None:
        self._write()
        self.db.execute("DELETE FROM validators WHERE url=?", (url,))

    def set_indexed_size(self, path: str, site: str, size: int) -> None:
        self._write()
        self.db.execute(
            "INSERT INTO files VALUES(?,?,?) ON CONFLICT(path) DO UPDATE SET"
            " indexed_size=excluded.indexed_size",
            (path, site, size),
        )

    def start_run(self, run_id: str, site: str, started_at: str) -> None:
        self._write()
        self.db.execute(
            "INSERT OR REPLACE INTO runs(run_id, site, started_at) VALUES(?,?,?)",
            (run_id, site, started_at),
        )
        self.commit()

    def finish_run(
        self, run_id: str, *, finished_at: str, reason: str, pages: int, stored: int,
        errors: int, stats_file: str,
    ) -> None:
        self._write()
        self.db.execute(
            "UPDATE runs SET finished_at=?, finish_reason=?, pages=?, stored=?, errors=?,"
            " stats_file=? WHERE run_id=?",
            (finished_at, reason, pages, stored, errors, stats_file, run_id),
        )
        self.commit()
