"""Command-line pieces shared by ``crawl --redis``, ``seed`` and ``worker``: the options,
their checks and the ``[redis]`` extra's install hint."""

from __future__ import annotations

import argparse
import importlib
import os
import sys

from newscrawl.distributed.keys import DEFAULT_PREFIX
from newscrawl.distributed.settings import check_redis_url, default_worker_id, safe_name

REDIS_ENV = "NEWSCRAWL_REDIS"
REDIS_EXTRA_INSTALL = "pip install 'newscrawl[redis]'"


def missing_redis_extra() -> str | None:
    """The first module of the ``[redis]`` extra that cannot be imported, else None. The
    core crawls without them; only ``--redis`` (newscrawl.distributed) needs them."""
    for module in ("redis", "scrapy_redis"):
        try:
            importlib.import_module(module)
        except ImportError:
            return module
    return None


def add_redis_arguments(parser: argparse.ArgumentParser, *, required: bool,
                        worker_id: bool = True) -> None:
    parser.add_argument(
        "--redis", metavar="redis://HOST:PORT/DB", default=os.environ.get(REDIS_ENV),
        required=required and not os.environ.get(REDIS_ENV),
        help="share the crawl through this Redis: its request queue, request filter and "
             f"article state live there (default: ${REDIS_ENV})")
    parser.add_argument("--redis-prefix", default=DEFAULT_PREFIX, metavar="NAME",
                        help=f"prefix of every Redis key (default: {DEFAULT_PREFIX})")
    if worker_id:
        parser.add_argument("--worker-id", metavar="ID",
                            help="this worker's name, in shard file names and Redis "
                                 "(default: HOST-PID; reuse it after a crash to settle "
                                 "that worker's leftovers at once)")


def resolve_worker_id(value: str | None) -> str:
    return safe_name(value) if value else default_worker_id()


def checked_url(value: str | None, command: str) -> str | None:
    try:
        return check_redis_url(value) if value else None
    except ValueError as exc:
        print(f"newscrawl {command}: {exc}", file=sys.stderr)
        return None
