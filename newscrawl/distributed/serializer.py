"""A compact request serializer for scrapy-redis (its ``SCHEDULER_SERIALIZER`` hook).

scrapy-redis pickles the whole ``Request.to_dict()``: thirteen keys, most of them empty
defaults (no headers, no cookies, empty body, GET, priority 0 ...). Every queued URL pays
for them, so this module drops the keys that hold their default value before pickling and
puts them back when loading: same dict in, same dict out, about half the bytes per queued
request (see ``benchmarks/redis_memory.py``).

Like scrapy-redis's own serializer it is pickle: whoever can write to the Redis database
can run code in the workers, so Redis must only be reachable by the crawl's hosts
(docs/scale-out.md).
"""

from __future__ import annotations

import pickle
from typing import Any

_DEFAULTS: dict[str, Any] = {
    "errback": None,
    "headers": {},
    "body": b"",
    "cookies": {},
    "meta": {},
    "encoding": "utf-8",
    "flags": [],
    "cb_kwargs": {},
    "dont_filter": False,
    "method": "GET",
    "priority": 0,
}
_MARK = "_nc"  # present in every compact dict: tells it from a plain scrapy-redis one


def dumps(obj: dict[str, Any]) -> bytes:
    compact = {k: v for k, v in obj.items() if k not in _DEFAULTS or v != _DEFAULTS[k]}
    compact[_MARK] = 1
    return pickle.dumps(compact, protocol=pickle.HIGHEST_PROTOCOL)


def loads(data: bytes) -> dict[str, Any]:
    obj: dict[str, Any] = pickle.loads(data)
    if obj.pop(_MARK, None) is None:  # written by stock scrapy-redis: already complete
        return obj
    full = {k: _copy(v) for k, v in _DEFAULTS.items()}
    full.update(obj)
    return full


def _copy(value: Any) -> Any:
    # Fresh containers per request: defaults must never be shared and mutated.
    if isinstance(value, dict):
        return dict(value)
    if isinstance(value, list):
        return list(value)
    return value
