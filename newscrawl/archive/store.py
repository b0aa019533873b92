"""The archive of one site: decides what a new record is (new, new version, repost,
unchanged) and files it. Scrapy-free, so the pipelines, ``rebuild`` and the benchmark share it.

Its state is a :class:`~newscrawl.archive.state.StateBackend`: SQLite in the data folder
(one machine, one writer per site under the site lock), or Redis
(:class:`~newscrawl.archive.redis.RedisState`: the workers of a distributed crawl, each
appending to its own shard ``<day>.<worker>.jsonl``).

Order of a write, which is what makes a killed run lose or repeat nothing:
  1. the state claims the record (SQLite: the body's fingerprint under the write lock;
     Redis: compare-and-set of what the decision read, plus a pending entry);
  2. the record's line is appended to its JSONL file (one ``os.write``);
  3. the state files it (SQLite: rows of the open transaction; Redis: the pending entry
     goes); every ``commit_every`` records (and at close) the files are fsynced (policy
     permitting), their indexed sizes recorded, and the state committed.
A SQLite run killed before its commit leaves lines the state does not know yet; the next
run's :meth:`Archive.reconcile` indexes every line past the recorded size before anything
is crawled, so those articles count as stored and are neither lost nor stored again. A
Redis worker killed between 1 and 3 leaves a pending entry that :meth:`Archive.settle`
resolves from the line at the recorded offset.
"""

from __future__ import annotations

import json
import logging
import time
from pathlib import Path
from typing import Any

from w3lib.url import canonicalize_url

from newscrawl.archive.jsonl import FsyncPolicy, JsonlAppender, iter_lines, repair_tail
from newscrawl.archive.layout import DataLayout, partition_date, site_dirname
from newscrawl.archive.state import Kind, Outcome, SqliteState, StateBackend, StoredArticle
from newscrawl.record import Article

__all__ = ["Archive", "Kind", "Outcome", "Rejected", "canonical"]

logger = logging.getLogger(__name__)

# How many times a record is decided again when other writers keep changing its state.
MAX_ATTEMPTS = 8


class Rejected(Exception):
    """The archive did not store a record. The message starts with the reason
    (``unchanged: ...``); ``log_level`` says how loud a drop it is."""

    def __init__(self, reason: str, *, log_level: str = "WARNING") -> None:
        super().__init__(reason)
        self.log_level = log_level


def canonical(url: str) -> str:
    """The form URLs are compared in: w3lib's canonical URL (sorted query, no fragment)."""
    return canonicalize_url(url.strip())


class Archive:
    """Records and state of one site in one data folder. With the SQLite state (the
    default) hold the site lock while open; with a shared state (``state.shard`` set) this
    writer appends only to its own shards."""

    def __init__(
        self,
        data_dir: str | Path,
        site: str,
        *,
        state: StateBackend | None = None,
        fsync: FsyncPolicy = FsyncPolicy.BATCH,
        commit_every: int = 1000,
        commit_seconds: float = 2.0,
    ) -> None:
        self.layout = DataLayout(data_dir)
        self.site = site_dirname(site)
        self.commit_every = max(1, commit_every)
        self.commit_seconds = commit_seconds
        self.appender = JsonlAppender(fsync)
        self.state: StateBackend = state if state is not None else SqliteState(
            self.layout.state_path)
        self.shard = self.state.shard
        self._uncommitted = 0
        self._last_commit = time.monotonic()
        self._sizes: dict[Path, int] = {}
        # Reservations between classify() and store(), so two items in flight at once
        # cannot both be taken for the first copy of an article.
        self._reserved_urls: dict[str, tuple[str, int]] = {}
        self._reserved_hashes: dict[str, str] = {}
        # What this process appended: path → [first byte, end byte, records]; a downstream
        # tool reads exactly this run's new lines from the run's stats file.
        self.written: dict[Path, list[int]] = {}

    # --- opening: index what the last run wrote but did not commit ---------------------
    def reconcile(self) -> dict[str, int]:
        """Bring the state up to date with the JSONL files; returns what was done.

        Nothing for a shard: until the worker id is known to be ours another live process
        may own those files; :meth:`settle` runs then."""
        if self.shard is not None:
            return {}
        done = {"lines_indexed": 0, "torn_bytes_removed": 0, "files_reindexed": 0}
        for duplicates in (False, True):
            for path in self.layout.record_files(self.site, duplicates=duplicates):
                key = self._key(path)
                indexed = self.state.indexed_size(key)
                size = path.stat().st_size
                if size == indexed:
                    continue
                if size < indexed:
                    logger.warning("%s is shorter than indexed (%d < %d): re-indexing it",
                                   path, size, indexed)
                    indexed = 0
                    done["files_reindexed"] += 1
                done["torn_bytes_removed"] += _repair(path)
                end = indexed
                for end, line in iter_lines(path, indexed):
                    try:
                        record = json.loads(line)
                    except ValueError:
                        logger.warning("%s: line ending at byte %d is not JSON; skipped", path, end)
                        continue
                    self._index(record, duplicate=duplicates)
                    done["lines_indexed"] += 1
                self.state.set_indexed_size(key, self.site, max(end, indexed))
        self.state.commit()
        if done["lines_indexed"]:
            logger.info("indexed %d record(s) written by an earlier run after its last commit",
                        done["lines_indexed"])
        return done

    def _index(self, record: dict[str, Any], *, duplicate: bool) -> None:
        url = record.get("url")
        canon = record.get("canonical_url") or (canonical(url) if url else None)
        if not canon:
            return
        if duplicate:
            target = record.get("duplicate_of") or canon
            self.state.put_url(canon, target)
        else:
            self.state.put_article(canon, self.site, record["content_hash"],
                                   int(record.get("version") or 1))
            self.state.put_url(canon, canon)
            target = canon
        if url:
            self.state.put_url(canonical(url), target)

    def settle(self, writer: str) -> dict[str, int]:
        """Settle what ``writer`` (a dead worker, or this one's earlier process) left half
        done: its claims are kept where the line is written, undone where it is not, and,
        when it is this shard's writer, torn last lines of the shards are cut."""
        kept, undone = self.state.settle(writer)
        removed = 0
        if writer == self.shard:
            removed = sum(_repair(path) for path in self.shard_files())
        return {"pending_stored": kept, "pending_undone": undone, "torn_bytes_removed": removed}

    def _key(self, path: Path) -> str:
        return path.relative_to(self.layout.root).as_posix()

    def path_of(self, outcome: Outcome) -> Path:
        """The file ``outcome``'s record goes to: ``DATA/<site>/articles/<day>.jsonl``
        (``duplicates/`` for reposts; ``<day>.<shard>.jsonl`` for a shard)."""
        duplicate = outcome.kind is Kind.DUPLICATE
        path = self.layout.partition(self.site, outcome.record, duplicate=duplicate)
        if self.shard is None:
            return path
        return path.parent / f"{partition_date(outcome.record)}.{self.shard}.jsonl"

    def shard_files(self) -> list[Path]:
        suffix = f".{self.shard}.jsonl"
        return [p for dup in (False, True)
                for p in self.layout.record_files(self.site, duplicates=dup)
                if p.name.endswith(suffix)]

    # --- the decision -------------------------------------------------------------------
    def is_stored_url(self, url: str) -> bool:
        """True when ``url`` is known to hold an article already in the archive."""
        return self.state.stored_under(canonical(url)) is not None

    def stored_under(self, url: str) -> str | None:
        """Canonical URL of the stored article ``url`` leads to, if any."""
        return self.state.stored_under(canonical(url))

    def add_alias(self, url: str, canonical_url: str) -> None:
        """Remember that ``url`` (a redirect, say) leads to the stored ``canonical_url``.
        Not in the JSONL files: losing it costs one extra request, never a record."""
        self.state.put_url(canonical(url), canonical_url)

    def classify(self, article: Article) -> Outcome:
        """What ``article`` is with respect to the archive; writes nothing. The outcome
        carries what the decision read, for the state to check when it is stored."""
        with self.state.reading() as reads:
            outcome = self._decide(article)
        outcome.reads = reads
        return outcome

    def _decide(self, article: Article) -> Outcome:
        record = article.to_dict()
        record["site"] = self.site  # the record names the folder it is filed in
        url = record.get("url")
        given = record.get("canonical_url")
        fetched = canonical(url) if url else None  # canonicalising costs: once per URL
        canon = fetched if (not given or given in (url, fetched)) else canonical(given)
        if not canon:
            raise ValueError("a record needs a url or canonical_url")
        record["canonical_url"] = canon
        digest = record["content_hash"]
        aliases = [fetched] if fetched and fetched != canon else []
        stored = self.state.article(canon)
        reserved = self._reserved_urls.get(canon)
        if reserved is not None:
            # Decided but not yet written (another item in flight): compare with that one.
            stored = StoredArticle(canon, self.site, reserved[0], reserved[1])
        if stored is not None:
            if stored.content_hash == digest:
                return Outcome(Kind.UNCHANGED, record, canon, aliases)
            record["version"] = stored.version + 1
            record["previous_hash"] = stored.content_hash
            record["duplicate_of"] = None
            record["also_at"] = sorted(set(self.state.aliases(canon)) | set(aliases))
            return Outcome(Kind.NEW_VERSION, record, canon, aliases)
        target = self.state.stored_under(canon)
        if target is not None and target != canon:
            # A known repost of another article: unchanged if it still carries that body.
            first = self.state.article(target)
            if first is not None and first.content_hash == digest:
                return Outcome(Kind.UNCHANGED, record, target, aliases)
        first_url = self._reserved_hashes.get(digest) or self.state.first_with_hash(digest)
        if first_url is not None and first_url != canon:
            record["version"] = 1
            record["previous_hash"] = None
            record["duplicate_of"] = first_url
            record["also_at"] = []
            return Outcome(Kind.DUPLICATE, record, first_url, [canon, *aliases])
        record["version"] = 1
        record["previous_hash"] = None
        record["duplicate_of"] = None
        record["also_at"] = sorted(set(aliases))
        return Outcome(Kind.NEW, record, canon, aliases)

    def reserve(self, outcome: Outcome) -> None:
        if outcome.kind in (Kind.NEW, Kind.NEW_VERSION):
            self._reserved_urls[outcome.canonical_url] = (
                outcome.record["content_hash"], int(outcome.record["version"]))
            self._reserved_hashes.setdefault(outcome.record["content_hash"], outcome.canonical_url)

    def release(self, outcome: Outcome) -> None:
        self._reserved_urls.pop(outcome.canonical_url, None)
        digest = outcome.record["content_hash"]
        if self._reserved_hashes.get(digest) == outcome.canonical_url:
            del self._reserved_hashes[digest]

    # --- the write ----------------------------------------------------------------------
    def store(self, outcome: Outcome) -> Outcome:
        """Write the record of ``outcome`` (nothing for UNCHANGED but new aliases). Decided
        again when another writer changed the state since; raises :class:`Rejected` when
        that makes it unchanged, or when it keeps changing."""
        first = outcome
        try:
            for _ in range(MAX_ATTEMPTS):
                if outcome.kind is Kind.UNCHANGED:
                    if outcome is not first:  # the normal end of a race, not a problem
                        raise Rejected(f"unchanged: {outcome.canonical_url} was stored by "
                                       "another writer meanwhile", log_level="DEBUG")
                    for alias in outcome.aliases:
                        self.state.put_url(alias, outcome.canonical_url)
                    return outcome
                if self.state.claim(outcome, self.path_of):
                    self._write(outcome)
                    return outcome
                self.release(outcome)
                outcome = self.classify(Article.from_dict(outcome.record))
                self.reserve(outcome)
            raise Rejected(f"contended: {first.canonical_url} kept changing under "
                           f"{MAX_ATTEMPTS} attempts to store it")
        finally:
            self.release(first)
            self.release(outcome)

    def _write(self, outcome: Outcome) -> None:
        path = self.path_of(outcome)
        line = Article.from_dict(outcome.record).to_json()  # field order, types, escaping
        end = self.appender.append(path, line)
        self._sizes[path] = end
        span = self.written.get(path)
        if span is None:
            start = end - len(line.encode("utf-8")) - 1
            self.written[path] = [start, end, 1]
        else:
            span[1] = end
            span[2] += 1
        outcome.path = path
        self.state.filed(outcome)
        self._uncommitted += 1
        if (self._uncommitted >= self.commit_every
                or time.monotonic() - self._last_commit >= self.commit_seconds):
            self.commit()

    def add(self, article: Article) -> Outcome:
        """classify + store, for callers without a pipeline in between."""
        outcome = self.classify(article)
        self.reserve(outcome)
        return self.store(outcome)

    def commit(self) -> None:
        """Make the lines durable (per policy), then let the state claim them."""
        self.appender.sync()
        for path, size in self._sizes.items():
            self.state.set_indexed_size(self._key(path), self.site, size)
        self._sizes.clear()
        self.state.commit()
        self._uncommitted = 0
        self._last_commit = time.monotonic()

    def close(self) -> None:
        self.commit()
        self.appender.close()
        self.state.close()


def _repair(path: Path) -> int:
    """Cut an unterminated last line off ``path``; returns how many bytes went."""
    removed = repair_tail(path)
    if removed:
        logger.warning("%s: removed an unterminated last line (%d bytes) left by an "
                       "interrupted write", path, removed)
    return removed
