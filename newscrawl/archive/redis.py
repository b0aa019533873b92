"""The archive's state in Redis, shared by the workers of a distributed crawl.

:class:`RedisState` is the :class:`~newscrawl.archive.state.StateBackend` that
:class:`~newscrawl.archive.store.Archive` uses instead of SQLite when many workers store
records of one site at once:

- **State in Redis**: stored articles (canonical URL -> content hash, version), first URL
  of each body fingerprint, URL aliases, runs. Every worker classifies against the same
  state.
- **Shards**: a worker appends only to files with its worker id in the name
  (``articles/2026-11-20.<worker>.jsonl``), so no two processes write one file; the worker
  id is unique among live processes (the scheduler's heartbeat claim), which replaces the
  site lock. Readers (``read_jsonl``, ``newscrawl ls``) take every ``*.jsonl``.
- **Exactly once across workers**: the decision is compare-and-set. ``classify`` notes
  what it read; ``claim`` applies the record's state changes in one Lua script only if
  those reads still hold (else the archive decides again: a repost stored meanwhile by
  another worker becomes a duplicate, the same article becomes unchanged).
- **Nothing lost, nothing doubled when a worker is killed**: the same script files a
  *pending* entry (shard path, byte offset, how to undo the claim); the line is appended;
  the entry is deleted (``filed``). A worker found dead (or restarted under its id) has its
  pending entries settled before its requests go back to the queue: the line at the
  recorded offset is read — there: the record is stored; absent or torn: the claim is
  undone, and the requeued request stores the article again.
"""

from __future__ import annotations

import json
import logging
import socket
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from newscrawl.archive.state import Kind, Outcome, Reads, StoredArticle

if TYPE_CHECKING:
    from redis import Redis

logger = logging.getLogger(__name__)

NIL = "\x00nil"  # "the field was absent" in the scripts' arguments

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


class RedisKeys(Protocol):
    """Names of the archive's Redis keys (``newscrawl.distributed.keys.Keys`` has them)."""

    def seen(self, site: str) -> str: ...
    def fingerprints(self, site: str) -> str: ...
    def urls(self, site: str) -> str: ...
    def aliases(self, site: str) -> str: ...
    def runs(self, site: str) -> str: ...
    def pending(self, site: str, worker: str) -> str: ...


class RedisState:
    """The archive's incremental state for one site, in Redis hashes (see RedisKeys):

    ``seen``     canonical URL -> "content_hash<TAB>version"   stored articles
    ``bodies``   content hash -> canonical URL                  first article with a body
    ``urls``     URL -> canonical URL                           aliases and reposts only
    ``aliases``  canonical URL -> URLs leading to it (tab-separated)
    ``runs``     run id -> JSON of the run's start, end and counts

    ``pending:<worker>``  records the worker is writing (claimed, line not yet written)

    Inside :meth:`reading`, every value read is noted, so that a decision taken on those
    reads can be applied only if they still hold. ``worker`` names this writer's shard.
    """

    def __init__(self, server: Redis, keys: RedisKeys, site: str, worker: str) -> None:
        self.server = server
        self.keys = keys
        self.site = site
        self.shard = worker
        self.pending_key = keys.pending(site, worker)
        self.host = socket.gethostname()
        self.articles_key = keys.seen(site)
        self.bodies_key = keys.fingerprints(site)
        self.urls_key = keys.urls(site)
        self.aliases_key = keys.aliases(site)
        self.runs_key = keys.runs(site)
        self.recording: dict[tuple[str, str], str | None] | None = None
        self._apply = server.register_script(_COMPARE_AND_APPLY)
        self._undo = server.register_script(_UNDO)

    def _hget(self, key: str, field: str) -> str | None:
        value = _text(self.server.hget(key, field))
        if self.recording is not None:
            self.recording.setdefault((key, field), value)
        return value

    # --- reads ----------------------------------------------------------------------
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
        pass  # every write is applied at once

    def close(self) -> None:
        pass

    # --- filing a record (StateBackend) -------------------------------------------------
    @contextmanager
    def reading(self) -> Iterator[Reads]:
        self.recording = {}
        try:
            yield self.recording
        finally:
            self.recording = None

    def claim(self, outcome: Outcome, path_of: Callable[[Outcome], Path]) -> bool:
        """Apply the state changes of ``outcome`` and file a pending entry, in one script,
        only if what its decision read still holds."""
        record = outcome.record
        canon, digest = outcome.canonical_url, record["content_hash"]
        reads = outcome.reads

        def current(key: str, field: str) -> str | None:
            """The value the decision rests on; read now if classify did not read it."""
            if (key, field) not in reads:
                reads[(key, field)] = _text(self.server.hget(key, field))
            return reads[(key, field)]

        writes: list[tuple[str, str, str]] = []  # (key, field, value) set by this claim
        if outcome.kind is not Kind.DUPLICATE:
            current(self.articles_key, canon)
            writes.append((self.articles_key, canon, f"{digest}\t{record['version']}"))
            if current(self.bodies_key, digest) is None:
                writes.append((self.bodies_key, digest, canon))
        # The URLs leading here (for a repost: its own URL, leading to the first copy).
        for alias in outcome.aliases:
            if alias != canon and current(self.urls_key, alias) is None:
                writes.append((self.urls_key, alias, canon))
        checks = [(key, field, value) for (key, field), value in reads.items()]
        path = path_of(outcome)
        offset = path.stat().st_size if path.exists() else 0
        entry = json.dumps({
            "host": self.host, "path": str(path.resolve()), "offset": offset,
            "canonical_url": record.get("canonical_url"), "content_hash": digest,
            "undo": [[k, f, v, reads[(k, f)]] for k, f, v in writes],
        }, ensure_ascii=False)
        ops = [("HSET", k, f, v) for k, f, v in writes]
        ops += [("ALIAS", self.aliases_key, canon, f) for k, f, _ in writes
                if k == self.urls_key]
        ops.append(("HSET", self.pending_key, _pending_field(record), entry))
        return self.apply(checks, ops)

    def filed(self, outcome: Outcome) -> None:
        """The line is in the shard: the claim needs no settling any more."""
        self.server.hdel(self.pending_key, _pending_field(outcome.record))

    def settle(self, writer: str) -> tuple[int, int]:
        """Settle the claims ``writer`` made and did not finish (it died, or is us restarted).

        A claim whose line is in the shard at the recorded offset is kept (the record is
        stored); one whose line is absent or torn is undone, so the article is stored again
        when its request is crawled again. Returns (kept, undone). Must run before the dead
        worker's requests go back to the queue.
        """
        pending_key = self.keys.pending(self.site, writer)
        kept = undone = 0
        for field, raw in self.server.hgetall(pending_key).items():
            entry = json.loads(raw)
            path = Path(entry["path"])
            written = _line_at(path, int(entry["offset"]), entry)
            if written is None:
                # The shard is on another host and not shared: cannot tell. Undo: at worst
                # the article is stored twice; keeping the claim could lose it.
                logger.warning("Pending record %s of worker %s is in %s on %s, not readable "
                               "here: undoing its claim", entry["canonical_url"], writer,
                               path, entry.get("host"))
                written = False
            if written:
                self.server.hdel(pending_key, field)
                kept += 1
                continue
            args: list[Any] = [pending_key, field, raw]
            for key, fld, value, previous in entry["undo"]:
                args += [key, fld, value, NIL if previous is None else previous]
            args.append(NIL)
            if self._undo(args=args):
                undone += 1
        if kept or undone:
            logger.info("Worker %s's unfinished records on %r: %d were written, %d undone "
                        "(on %s)", writer, self.site, kept, undone, self.host)
        return kept, undone


def _pending_field(record: dict[str, Any]) -> str:
    return f"{record.get('canonical_url')}\t{record['content_hash']}"


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
