"""The archive's incremental state: what it stored, behind one protocol
(:class:`StateBackend`) with two implementations — :class:`SqliteState` here, for one
machine, and :class:`newscrawl.archive.redis.RedisState`, shared by the workers of a
distributed crawl.

The SQLite state (standard library) is on disk in WAL mode. It is an index of the JSONL files, not a second source of truth: every row can be rebuilt
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

import enum
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

# What a decision was based on: (table or key, field) -> the value read (None: absent).
Reads = dict[tuple[str, str], "str | None"]

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


class Kind(str, enum.Enum):
    NEW = "new"  # first time this article is seen
    NEW_VERSION = "new_version"  # stored before, its content changed
    DUPLICATE = "duplicate"  # same body as an article stored under another URL
    UNCHANGED = "unchanged"  # stored before with this content


@dataclass(slots=True)
class Outcome:
    """The archive's decision on one record (``Archive.classify``)."""

    kind: Kind
    record: dict[str, Any]
    canonical_url: str
    aliases: list[str] = field(default_factory=list)  # URLs to remember as leading here
    path: Path | None = None  # where the record was written (after store)
    reads: Reads = field(default_factory=dict)  # what the decision read (see StateBackend)


@dataclass(frozen=True, slots=True)
class StoredArticle:
    canonical_url: str
    site: str
    content_hash: str
    version: int


class StateBackend(Protocol):
    """What :class:`newscrawl.archive.store.Archive` needs of its state.

    The archive decides (``classify``) from the reads, then files a record in three steps:
    ``claim`` (before the line is written: may refuse when another writer changed what the
    decision read), the line, ``filed`` (after it). ``commit`` makes the state durable.
    """

    @property
    def shard(self) -> str | None:
        """Name of this writer's JSONL shard (``<day>.<shard>.jsonl``): None when the
        writer is alone (the site lock) and writes ``<day>.jsonl``."""

    def article(self, canonical_url: str) -> StoredArticle | None: ...
    def first_with_hash(self, content_hash: str) -> str | None: ...
    def stored_under(self, url: str) -> str | None: ...
    def aliases(self, canonical_url: str) -> list[str]: ...
    def indexed_size(self, path: str) -> int: ...
    def counts(self) -> dict[str, int]: ...

    def reading(self) -> Any:
        """Context manager yielding the :data:`Reads` the reads inside it are noted in."""

    def claim(self, outcome: Outcome, path_of: Callable[[Outcome], Path]) -> bool:
        """Take the state for ``outcome`` before its line is written to ``path_of(outcome)``;
        False when what the decision read has changed since (decide again)."""

    def filed(self, outcome: Outcome) -> None:
        """The line of ``outcome`` is written: record it."""

    def settle(self, writer: str) -> tuple[int, int]:
        """Settle the claims ``writer`` made and did not finish: (kept, undone)."""

    def put_article(self, canonical_url: str, site: str, content_hash: str,
                    version: int) -> None: ...
    def put_url(self, url: str, canonical_url: str) -> None: ...
    def set_indexed_size(self, path: str, site: str, size: int) -> None: ...
    def start_run(self, run_id: str, site: str, started_at: str) -> None: ...
    def finish_run(self, run_id: str, *, finished_at: str, reason: str, pages: int,
                   stored: int, errors: int, stats_file: str) -> None: ...
    def commit(self) -> None: ...
    def close(self) -> None: ...


def _while_locked(action: Callable[[], Any], deadline: float) -> None:
    """Run ``action``, again while SQLite says the database is locked, until ``deadline``.
    SQLite answers "locked" at once, without waiting out the busy timeout, where waiting
    could deadlock: two crawls sharing a data folder that set up a new state file at the
    same moment (journal mode, tables) meet that case."""
    delay = 0.005
    while True:
        try:
            action()
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() >= deadline:
                raise
        time.sleep(delay)
        delay = min(delay * 2, 0.1)


class SqliteState:
    """One connection to ``state.sqlite3``. Writes are grouped into transactions that the
    caller ends with :meth:`commit` (the archive commits every N records and at close)."""

    shard: str | None = None  # one writer per site (the site lock): ``<day>.jsonl``

    def __init__(self, path: str | Path, *, timeout: float = 30.0) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        # isolation_level=None: we issue BEGIN ourselves, so a batch is one transaction.
        self.db = sqlite3.connect(self.path, timeout=timeout, isolation_level=None)
        deadline = time.monotonic() + timeout
        _while_locked(lambda: self.db.execute("PRAGMA journal_mode=WAL"), deadline)
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.execute(f"PRAGMA busy_timeout={int(timeout * 1000)}")
        _while_locked(lambda: self.db.executescript(_SCHEMA), deadline)
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

    # --- filing a record (StateBackend) ---------------------------------------------------
    @contextmanager
    def reading(self) -> Iterator[Reads]:
        # Nothing to note: the site lock makes this process the only writer, and a second
        # crawl sharing the data folder is caught by claim() under the write lock.
        yield {}

    def claim(self, outcome: Outcome, path_of: Callable[[Outcome], Path]) -> bool:
        if outcome.kind is not Kind.NEW:
            return True
        # Another crawl (another site, same data folder) may have stored this body since
        # classify() looked: then this copy is its repost, decided again.
        return self.claim_fingerprint(outcome.record["content_hash"],
                                      outcome.canonical_url) == outcome.canonical_url

    def filed(self, outcome: Outcome) -> None:
        if outcome.kind is not Kind.DUPLICATE:
            self.put_article(outcome.canonical_url, str(outcome.record["site"]),
                             outcome.record["content_hash"], int(outcome.record["version"]))
            self.put_url(outcome.canonical_url, outcome.canonical_url)
        for alias in outcome.aliases:
            self.put_url(alias, outcome.canonical_url)

    def settle(self, writer: str) -> tuple[int, int]:
        return 0, 0  # claims are rows of the uncommitted transaction: nothing half done

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
