"""Queue a site's start requests for the workers of a distributed crawl.

Resolves SITE|URL exactly as `newscrawl crawl` does (profile, --base-url, --spider,
--since, --urls-file), stores the profile in Redis and pushes the spider's start requests
through the shared request filter; nothing is downloaded here. `newscrawl worker`
processes on any host then crawl it. Seeding a site whose run is still going adds nothing
(its start URLs are in the run's filter); once the run is over, seeding starts the next.

  newscrawl seed demo --base-url http://127.0.0.1:8808 --redis redis://10.0.0.5:6379/0
"""

from __future__ import annotations

import argparse

from newscrawl.commands import crawl as crawl_cmd
from newscrawl.commands._redis import REDIS_ENV


def add_arguments(parser: argparse.ArgumentParser) -> None:
    crawl_cmd.add_arguments(parser)
    for action in parser._actions:  # --redis is what seed is about: required here
        if action.dest == "redis" and not action.default:
            action.required = True
            action.help = f"the crawl's Redis (default: ${REDIS_ENV})"


def run(args: argparse.Namespace) -> int:
    args.redis_role = "seed"
    return crawl_cmd.run(args)
