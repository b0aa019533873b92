"""The archive of a distributed crawl: state in Redis, one JSONL shard per worker.

The single-machine archive (:mod:`newscrawl.store.archive`) keeps its state in SQLite and
takes a site lock, so one process writes a site's files. Here many workers store records
of one site at once, so:

- **State in Redis** (:class:`RedisState`, the read/write methods of ``StateStore``):
  stored articles (canonical URL -> content hash, version), first URL of each body
  fingerprint, URL aliases, runs. Every worker classifies against the same state.
- **Shards**: a worker appends only to files with its worker id in the name
  (``articles/2026-11-20.<worker>.jsonl``), so no two processes write one file; the worker
  id is unique among live processes (the scheduler's heartbeat claim), which replaces the
  site lock. Readers (``read_jsonl``, ``newscrawl ls``) take every ``*.jsonl``.
- **Exactly once across workers**: the decision is compare-and-set. ``classify`` records
  what it read; ``store`` applies the record's state changes in one Lua script only if
  those reads still hold (else it classifies again: a repost stored meanwhile by another
  worker becomes a duplicate, the same article becomes unchanged).
- **Nothing lost, nothing doubled when a worker is killed**: the same script files a
  *pending* entry (shard path, byte offset, how to undo the claim); the line is appended;
  the entry is deleted. A worker found dead (or restarted under its id) has its pending
  entries resolved before its requests go back to the queue: the line at the recorded
  offset is read — there: the record is stored; absent or torn: the claim is undone, and
  the requeued request stores the article again.
"""

from __future__ import annotations

import json
import logging
import socket
import time
from pathlib import Path
from typing import Any

from redis import Redis
from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem
from scrapy_redis.connection import get_redis_from_settings

from newscrawl.distributed.keys import Keys
from newscrawl.distributed.signals import worker_died
from newscrawl.record import Article
from newscrawl.store.archive import Archive, Kind, Outcome
from newscrawl.store.extension import ArchiveExtension
from newscrawl.store.jsonl import FsyncPolicy, JsonlAppender, repair_tail
from newscrawl.store.layout import DataLayout, partition_date, site_dirname
from newscrawl.store.state import StoredArticle

logger = logging.getLogger(__name__)

NIL = "\x00nil"  # "the field was absent" in the scripts' arguments
MAX_ATTEMPTS = 8

# ARGV: n_checks, (key, field, expected)*, n_ops, (op, key, field, value)*.
# Checks compare HGET results (NIL = absent); ops are HSET, HSETNX, HDEL, ALIAS (add value
# to the tab-separated list in field) and VERSION (HSET only if the stored version is not
# newer; value = "hash\tversion").
_COMPARE_AND_APPLY = """
local i = 2
for _ = 1, tonumber(ARGV[1]) do
  local current = redis.call('HGET', ARGV[i], ARGV[i + 1])
  if current == false then current = ARGV[#ARGV] end
  if current ~= ARGV[i + 2] then return 0 end
  i = i + 3
end
local n_ops = tonumber(ARGV[i])
i = i + 1
for _ = 1, n_ops do
  local op, key, field, value = ARGV[i], ARGV[i + 1], ARGV[i + 2], ARGV[i + 3]
  if op == 'HSET' then
    redis.call('HSET', key, field, value)
  elseif op == 'HSETNX' then
    redis.call('HSETNX', key, field, value)
  elseif op == 'HDEL' then
    redis.call('HDEL', key, field)
  elseif op == 'ALIAS' then
    local list = redis.call('HGET', key, field)
    if list == false or list == '' then
      redis.call('HSET', key, field, value)
    else
      local present = false
      for alias in string.gmatch(list, '[^\\t]+') do
        if alias == value then present = true end
      end
      if not present then redis.call('HSET', key, field, list .. '\\t' .. value) end
    end
  elseif op == 'VERSION' then
    local cur = redis.call('HGET', key, field)
    local newv = tonumber(string.match(value, '\\t(%d+)$'))
    if cur == false or tonumber(string.match(cur, '\\t(%d+)$')) <= newv then
      redis.call('HSET', key, field, value)
    end
  end
  i = i + 4
end
return 1
"""

# Undo a dead worker's claim if its pending entry is still there. ARGV: pending key,
# field, the entry's exact value, then (key, field, written, previous)* — each field is
# restored to ``previous`` (NIL = delete) only if it still holds what the claim wrote.
_UNDO = """
if redis.call('HGET', ARGV[1], ARGV[2]) ~= ARGV[3] then return 0 end
local i = 4
while i + 3 <= #ARGV do
  local key, field, written, previous = ARGV[i], ARGV[i + 1], ARGV[i + 2], ARGV[i + 3]
  if redis.call('HGET', key, field) == written then
    if previous == ARGV[#ARGV] then
      redis.call('HDEL', key, field)
    else
      redis.call('HSET', key, field, previous)
    end
  end
  i = i + 4
end
redis.call('HDEL', ARGV[1], ARGV[2])
return 1
"""


def _text(value: Any) -> str | None:
    if value is None:
        return None
    return value.decode("utf-8") if isinstance(value, bytes) else str(value)


class RedisState:
    """The archive's incremental state for one site, in Redis hashes (see keys.py):

    ``seen``     canonical URL -> "content_hash<TAB>version"   stored articles
    ``bodies``   content hash -> canonical URL                  first article with a body
    ``urls``     URL -> canonical URL                           aliases and reposts only
    ``aliases``  canonical URL -> URLs leading to it (tab-separated)
    ``runs``     run id -> JSON of the run's start, end and counts

    While ``recording`` is a dict, every value read is noted in it, so that a decision
    taken on those reads can be applied only if they still hold.
    """

    def __init__(self, server: Redis, keys: Keys, site: str) -> None:
        self.server = server
        self.site = site
        self.articles_key = keys.seen(site)
        self.bodies_key = keys.fingerprints(site)
        self.urls_key = keys.urls(site)
        self.aliases_key = keys.aliases(site)
        self.runs_key = keys.runs(site)
        self.recording: dict[tuple[str, str], str | None] | None = None
        self._apply = server.register_script(_COMPARE_AND_APPLY)

    def _hget(self, key: str, field: str) -> str | None:
        value = _text(self.server.hget(key, field))
        if self.recording is not None:
            self.recording.setdefault((key, field), value)
        return value

    # --- reads (StateStore's) ---------------------------------------------------------
    def article(self, canonical_url: str) -> StoredArticle | None:
        raw = self._hget(self.articles_key, canonical_url)
        if raw is None:
            return None
        content_hash, _, version = raw.rpartition("\t")
        return StoredArticle(canonical_url, self.site, content_hash, int(version))

    def first_with_hash(self, content_hash: str) -> str | None:
        return self._hget(self.bodies_key, content_hash)

    def stored_under(self, url: str) -> str | None:
        if self._hget(self.articles_key, url) is not None:
            return url
        return self._hget(self.urls_key, url)

    def aliases(self, canonical_url: str) -> list[str]:
        raw = _text(self.server.hget(self.aliases_key, canonical_url))
        return sorted(a for a in (raw or "").split("\t") if a)

    def indexed_size(self, path: str) -> int:
        return 0  # shards are not indexed: Redis is written in step with every line

    def counts(self) -> dict[str, int]:
        pipe = self.server.pipeline(transaction=False)
        for key in (self.articles_key, self.bodies_key, self.urls_key, self.runs_key):
            pipe.hlen(key)
        articles, bodies, urls, runs = pipe.execute()
        return {"articles": articles, "fingerprints": bodies, "urls": urls, "runs": runs}

    # --- writes -----------------------------------------------------------------------
    def apply(self, checks: list[tuple[str, str, str | None]],
              ops: list[tuple[str, str, str, str]]) -> bool:
        """Apply ``ops`` atomically if every (key, field) still holds its expected value."""
        args: list[Any] = [len(checks)]
        for key, field, expected in checks:
            args += [key, field, NIL if expected is None else expected]
        args.append(len(ops))
        for op in ops:
            args += list(op)
        args.append(NIL)
        return bool(self._apply(args=args))

    def put_article(self, canonical_url: str, site: str, content_hash: str, version: int) -> None:
        self.apply([], [("VERSION", self.articles_key, canonical_url, f"{content_hash}\t{version}"),
                        ("HSETNX", self.bodies_key, content_hash, canonical_url)])

    def put_url(self, url: str, canonical_url: str) -> None:
        if url == canonical_url:
            return
        # Only a URL no one claimed yet becomes an alias (SQLite: INSERT OR IGNORE).
        self.apply([(self.urls_key, url, None)],
                   [("HSET", self.urls_key, url, canonical_url),
                    ("ALIAS", self.aliases_key, canonical_url, url)])

    def set_indexed_size(self, path: str, site: str, size: int) -> None:
        pass

    def start_run(self, run_id: str, site: str, started_at: str) -> None:
        self.server.hset(self.runs_key, run_id, json.dumps(
            {"run_id": run_id, "site": site, "started_at": started_at}))

    def finish_run(self, run_id: str, **fields: Any) -> None:
        raw = _text(self.server.hget(self.runs_key, run_id))
        run = json.loads(raw) if raw else {"run_id": run_id, "site": self.site}
        run.update(fields)
        self.server.hset(self.runs_key, run_id, json.dumps(run, default=str))

    def commit(self) -> None:
        pass

    def close(self) -> None:
        pass


class ShardedArchive(Archive):
    """An :class:`Archive` whose state is :class:`RedisState` and whose files are this
    worker's shards. Same decisions (``classify`` is inherited), another way to commit."""

    def __init__(self, server: Redis, keys: Keys, data_dir: str | Path, site: str,
                 worker_id: str, *, fsync: FsyncPolicy = FsyncPolicy.BATCH,
                 commit_every: int = 1000, commit_seconds: float = 2.0) -> None:
        # Not Archive.__init__: that opens the SQLite state.
        self.layout = DataLayout(data_dir)
        self.site = site_dirname(site)
        self.worker_id = worker_id
        self.commit_every = max(1, commit_every)
        self.commit_seconds = commit_seconds
        self.appender = JsonlAppender(fsync)
        self.server = server
        self.keys = keys
        self.state = RedisState(server, keys, self.site)  # type: ignore[assignment]
        self.pending_key = keys.pending(self.site, worker_id)
        self.host = socket.gethostname()
        self._undo = server.register_script(_UNDO)
        self._uncommitted = 0
        self._last_commit = time.monotonic()
        self._sizes: dict[Path, int] = {}
        self.written: dict[Path, list[int]] = {}  # path -> [first byte, end byte, records]
        self._reserved_urls: dict[str, tuple[str, int]] = {}
        self._reserved_hashes: dict[str, str] = {}
        self._reads: dict[int, dict[tuple[str, str], str | None]] = {}

    @property
    def redis_state(self) -> RedisState:
        assert isinstance(self.state, RedisState)
        return self.state

    def shard_path(self, record: dict[str, Any], *, duplicate: bool) -> Path:
        """``DATA/<site>/articles/<date>.<worker>.jsonl`` (``duplicates/`` for reposts)."""
        folder = self.layout.partition(self.site, record, duplicate=duplicate).parent
        return folder / f"{partition_date(record)}.{self.worker_id}.jsonl"

    def shard_files(self) -> list[Path]:
        suffix = f".{self.worker_id}.jsonl"
        return [p for dup in (False, True)
                for p in self.layout.record_files(self.site, duplicates=dup)
                if p.name.endswith(suffix)]

    # --- opening ----------------------------------------------------------------------
    def reconcile(self) -> dict[str, int]:
        """Nothing yet: until the scheduler has claimed the worker id, another live process
        may own these shards. :meth:`settle_own` runs once the id is ours."""
        return {}

    def settle_own(self) -> dict[str, int]:
        """Settle what an earlier process with this worker id left half done."""
        kept, undone = resolve_pending(self.server, self.keys, self.site, self.worker_id)
        removed = 0
        for path in self.shard_files():
            cut = repair_tail(path)
            if cut:
                logger.warning("%s: removed an unterminated last line (%d bytes) left by an "
                               "interrupted write", path, cut)
                removed += cut
        return {"pending_stored": kept, "pending_undone": undone, "torn_bytes_removed": removed}

    # --- the decision: remember what it was based on ----------------------------------
    def classify(self, article: Article) -> Outcome:
        state = self.redis_state
        state.recording = {}
        try:
            outcome = super().classify(article)
            self._reads[id(outcome)] = state.recording
        finally:
            state.recording = None
        return outcome

    def release(self, outcome: Outcome) -> None:
        super().release(outcome)
        self._reads.pop(id(outcome), None)

    # --- the write --------------------------------------------------------------------
    def store(self, outcome: Outcome) -> Outcome:
        first = outcome
        try:
            for _ in range(MAX_ATTEMPTS):
                if outcome.kind is Kind.UNCHANGED:
                    if outcome is not first:  # the normal end of a race, not a problem
                        raise DropItem(f"unchanged: {outcome.canonical_url} was stored by "
                                       "another worker meanwhile", log_level="DEBUG")
                    for alias in outcome.aliases:
                        self.state.put_url(alias, outcome.canonical_url)
                    return outcome
                if self._claim_and_write(outcome):
                    return outcome
                # Another worker changed what the decision was based on: decide again.
                self.release(outcome)
                outcome = self.classify(Article.from_dict(outcome.record))
                self.reserve(outcome)
            raise DropItem(f"contended: {first.canonical_url} kept changing under "
                           f"{MAX_ATTEMPTS} attempts to store it")
        finally:
            self.release(first)
            self.release(outcome)

    def _claim_and_write(self, outcome: Outcome) -> bool:
        state = self.redis_state
        duplicate = outcome.kind is Kind.DUPLICATE
        record = Article.from_dict(outcome.record).to_dict()  # field order, types
        path = self.shard_path(record, duplicate=duplicate)
        canon, digest = outcome.canonical_url, record["content_hash"]
        reads = self._reads.get(id(outcome), {})

        def current(key: str, field: str) -> str | None:
            """The value the decision rests on; read now if classify did not read it."""
            if (key, field) not in reads:
                reads[(key, field)] = _text(self.server.hget(key, field))
            return reads[(key, field)]

        writes: list[tuple[str, str, str]] = []  # (key, field, value) set by this claim
        if not duplicate:
            current(state.articles_key, canon)
            writes.append((state.articles_key, canon, f"{digest}\t{record['version']}"))
            if current(state.bodies_key, digest) is None:
                writes.append((state.bodies_key, digest, canon))
        # The URLs leading here (for a repost: its own URL, leading to the first copy).
        for alias in outcome.aliases:
            if alias != canon and current(state.urls_key, alias) is None:
                writes.append((state.urls_key, alias, canon))
        checks = [(key, field, value) for (key, field), value in reads.items()]
        offset = path.stat().st_size if path.exists() else 0
        entry = json.dumps({
            "host": self.host, "path": str(path.resolve()), "offset": offset,
            "canonical_url": record.get("canonical_url"), "content_hash": digest,
            "undo": [[k, f, v, reads[(k, f)]] for k, f, v in writes],
        }, ensure_ascii=False)
        ops = [("HSET", k, f, v) for k, f, v in writes]
        ops += [("ALIAS", state.aliases_key, canon, f) for k, f, _ in writes
                if k == state.urls_key]
        ops.append(("HSET", self.pending_key, self._pending_field(record), entry))
        if not state.apply(checks, ops):
            return False
        # Claimed: now the line, then the pending entry goes.
        line = Article.from_dict(record).to_json()
        end = self.appender.append(path, line)
        self._sizes[path] = end
        span = self.written.setdefault(path, [end - len(line.encode("utf-8")) - 1, end, 0])
        span[1] = end
        span[2] += 1
        outcome.path = path
        self._written(record)
        self._uncommitted += 1
        if (self._uncommitted >= self.commit_every
                or time.monotonic() - self._last_commit >= self.commit_seconds):
            self.commit()
        return True

    def _written(self, record: dict[str, Any]) -> None:
        """The line is in the shard: the claim needs no settling any more."""
        self.server.hdel(self.pending_key, self._pending_field(record))

    @staticmethod
    def _pending_field(record: dict[str, Any]) -> str:
        return f"{record.get('canonical_url')}\t{record['content_hash']}"

    def commit(self) -> None:
        self.appender.sync()
        self._sizes.clear()
        self._uncommitted = 0
        self._last_commit = time.monotonic()

    def close(self) -> None:
        self.commit()
        self.appender.close()


def resolve_pending(server: Redis, keys: Keys, site: str, worker_id: str) -> tuple[int, int]:
    """Settle the claims ``worker_id`` made and did not finish (it died, or is us restarted).

    A claim whose line is in the shard at the recorded offset is kept (the record is
    stored); one whose line is absent or torn is undone, so the article is stored again
    when its request is crawled again. Returns (kept, undone). Must run before the dead
    worker's requests go back to the queue.
    """
    pending_key = keys.pending(site, worker_id)
    undo_script = server.register_script(_UNDO)
    kept = undone = 0
    here = socket.gethostname()
    for field, raw in server.hgetall(pending_key).items():
        entry = json.loads(raw)
        path = Path(entry["path"])
        written = _line_at(path, int(entry["offset"]), entry)
        if written is None:
            # The shard is on another host and not shared: cannot tell. Undo: at worst the
            # article is stored twice; keeping the claim could lose it.
            logger.warning("Pending record %s of worker %s is in %s on %s, not readable "
                           "here: undoing its claim", entry["canonical_url"], worker_id,
                           path, entry.get("host"))
            written = False
        if written:
            server.hdel(pending_key, field)
            kept += 1
            continue
        args: list[Any] = [pending_key, field, raw]
        for key, fld, value, previous in entry["undo"]:
            args += [key, fld, value, NIL if previous is None else previous]
        args.append(NIL)
        if undo_script(args=args):
            undone += 1
    if kept or undone:
        logger.info("Worker %s's unfinished records on %r: %d were written, %d undone (%s)",
                    worker_id, site, kept, undone, "on " + here)
    return kept, undone


def _line_at(path: Path, offset: int, entry: dict[str, Any]) -> bool | None:
    """Whether the record of ``entry`` is the complete line at ``offset`` of ``path``
    (None when the file cannot be read here)."""
    try:
        with open(path, "rb") as fh:
            fh.seek(offset)
            line = fh.readline()
    except FileNotFoundError:
        return None if entry.get("host") != socket.gethostname() else False
    except OSError:
        return None
    if not line.endswith(b"\n"):
        return False
    try:
        record = json.loads(line)
    except ValueError:
        return False
    return bool(record.get("canonical_url") == entry["canonical_url"]
                and record.get("content_hash") == entry["content_hash"])


class ShardedArchiveExtension(ArchiveExtension):
    """The archive extension of a distributed crawl (replaces ``ArchiveExtension`` in
    ``EXTENSIONS``; ``archive_of()`` finds it all the same)."""

    def open_archive(self) -> Archive:
        settings = self.crawler.settings
        server = get_redis_from_settings(settings)
        keys = Keys(settings.get("NEWSCRAWL_REDIS_PREFIX") or Keys().prefix)
        self.keys = keys
        self.server = server
        self.crawler.signals.connect(self._worker_died, signal=worker_died)
        return ShardedArchive(
            server, keys, self.data_dir, self.site, settings["NEWSCRAWL_WORKER_ID"],
            fsync=FsyncPolicy.parse(settings.get("NEWSCRAWL_FSYNC") or "batch"),
            commit_every=settings.getint("NEWSCRAWL_COMMIT_EVERY", 1000),
        )

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ShardedArchiveExtension:
        ext = super().from_crawler(crawler)
        assert isinstance(ext, ShardedArchiveExtension)
        return ext

    def _worker_died(self, site: str, worker: str) -> None:
        # Before the scheduler puts the dead worker's requests back: settle its records.
        archive = self.archive
        assert isinstance(archive, ShardedArchive)
        if worker == archive.worker_id:
            done = archive.settle_own()
            assert self.crawler.stats is not None
            for key, value in done.items():
                if value:
                    self.crawler.stats.set_value(f"archive/reconcile/{key}", value)
        else:
            resolve_pending(self.server, self.keys, archive.site, worker)
