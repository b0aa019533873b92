"""List the site profiles newscrawl can see (and check that they load).

Profiles are looked up in --sites-dir, then ./sites/, then those shipped with newscrawl;
the first file of a name wins. Exit status 1 when a profile does not load.
"""

from __future__ import annotations

import argparse
import sys


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--sites-dir", metavar="DIR", help="look for profiles here first")
    parser.add_argument("-v", "--verbose", action="store_true", help="show URLs and hosts")


def run(args: argparse.Namespace) -> int:
    from newscrawl.profiles import ProfileError, iter_profiles

    broken = 0
    rows = list(iter_profiles(args.sites_dir))
    if not rows:
        print("newscrawl sites: no profiles found", file=sys.stderr)
        return 0
    for name, profile in rows:
        if isinstance(profile, ProfileError):
            broken += 1
            print(f"{name:<20} ERROR  {profile}")
            continue
        print(f"{name:<20} {profile.discovery:<8} {', '.join(profile.allowed_hosts):<30} "
              f"{profile.source}")
        if args.verbose:
            for key in ("start_urls", "sitemaps", "feeds", "article_urls", "list_urls"):
                for value in getattr(profile, key):
                    print(f"    {key}: {value}")
            if profile.description:
                print(f"    {profile.description}")
    return 1 if broken else 0
