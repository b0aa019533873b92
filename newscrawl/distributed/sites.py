"""Which sites a distributed crawl knows, and their profiles, kept in Redis.

Seeding a site (``newscrawl seed`` or ``newscrawl crawl --redis``) stores the profile the
seeding host resolved — including a ``--base-url`` rewrite or the generic profile of a bare
URL — as JSON, with the spider to run. A worker on any host rebuilds the same profile from
it (validated again by ``parse_profile``), so workers need no profile files and cannot
disagree about a site's rules.
"""

from __future__ import annotations

import dataclasses
import json
import time
from dataclasses import dataclass
from typing import Any

from redis import Redis

from newscrawl.distributed.keys import Keys
from newscrawl.extract.profile import ExtractProfile
from newscrawl.profiles import SiteProfile


def profile_to_data(profile: SiteProfile) -> dict[str, Any]:
    """The profile as the TOML-shaped data ``parse_profile`` reads."""
    data = dataclasses.asdict(profile)
    data.pop("source", None)
    extract = {k: list(v) if isinstance(v, tuple) else v
               for k, v in data.pop("extract").items() if v not in (None, "", (), [])}
    out = {k: list(v) if isinstance(v, tuple) else v
           for k, v in data.items() if v not in (None, "", (), [])}
    out["extract"] = extract
    return out


def profile_from_data(data: dict[str, Any], source: str) -> SiteProfile:
    """The profile :func:`profile_to_data` stored. Not run through ``parse_profile`` again:
    the seeding host validated it when it loaded it, and some profiles it builds itself
    (the ``urls`` spider's list of hosts) have no start URLs, which a file must have."""
    raw_extract: dict[str, Any] = dict(data.get("extract") or {})
    values: dict[str, Any] = {k: tuple(v) if isinstance(v, list) else v
                              for k, v in data.items() if k != "extract"}
    extract: dict[str, Any] = {k: tuple(v) if isinstance(v, list) else v
                               for k, v in raw_extract.items()}
    try:
        return SiteProfile(**values, extract=ExtractProfile(**extract), source=source)
    except TypeError as exc:  # a key this version does not know: another newscrawl seeded it
        raise ValueError(f"{source}: not a profile this newscrawl understands ({exc}); "
                         "run the same newscrawl version everywhere") from None


@dataclass(frozen=True, slots=True)
class SiteEntry:
    """One seeded site: its profile, the spider that crawls it, the spider's arguments."""

    profile: SiteProfile
    spider: str
    spider_args: dict[str, Any]
    seeded_at: float

    def to_json(self) -> str:
        return json.dumps({"profile": profile_to_data(self.profile), "spider": self.spider,
                           "spider_args": self.spider_args, "seeded_at": self.seeded_at},
                          ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_json(cls, text: str | bytes, source: str) -> SiteEntry:
        data = json.loads(text)
        spider = data.get("spider")
        # Only a name: the worker looks it up in the spider registry (newscrawl.crawl.spiders).
        if not isinstance(spider, str) or not spider.isidentifier():
            raise ValueError(f"{source}: unknown spider {spider!r}")
        profile = profile_from_data(data["profile"], source)
        return cls(profile, spider, dict(data.get("spider_args") or {}),
                   float(data.get("seeded_at") or 0))


def register_site(server: Redis, keys: Keys, profile: SiteProfile, spider: str,
                  spider_args: dict[str, Any] | None = None) -> SiteEntry:
    entry = SiteEntry(profile, spider, dict(spider_args or {}), time.time())
    pipe = server.pipeline()
    pipe.set(keys.profile(profile.name), entry.to_json())
    pipe.sadd(keys.sites(), profile.name)
    pipe.execute()
    return entry


def load_site(server: Redis, keys: Keys, site: str) -> SiteEntry | None:
    raw = server.get(keys.profile(site))
    if raw is None:
        return None
    return SiteEntry.from_json(raw, f"redis {keys.profile(site)}")


def seeded_sites(server: Redis, keys: Keys) -> list[str]:
    return sorted(s.decode() if isinstance(s, bytes) else str(s)
                  for s in server.smembers(keys.sites()))


def status(server: Redis, keys: Keys) -> list[dict[str, Any]]:
    """Per seeded site: requests queued, in flight per worker, articles stored, run state."""
    from newscrawl.distributed.queue import dead_workers

    out = []
    for site in seeded_sites(server, keys):
        workers = sorted(w.decode() if isinstance(w, bytes) else str(w)
                         for w in server.smembers(keys.site_workers(site)))
        dead = set(dead_workers(server, keys, site))
        inflight = {w: int(server.hlen(keys.processing(site, w))) for w in workers}
        out.append({
            "site": site,
            "queued": int(server.zcard(keys.queue(site))),
            "in_flight": inflight,
            "dead_workers": sorted(dead),
            "articles": int(server.hlen(keys.seen(site))),
            "run_active": bool(server.exists(keys.dupefilter(site))),
        })
    return out
