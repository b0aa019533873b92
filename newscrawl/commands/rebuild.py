"""Rebuild records from WARC files with the current extractor, without the network.

Each crawl run's WARC files are replayed through the same spider, profile and archive
pipelines the run used (read from the files' warcinfo records), oldest run first, so the
records come out as the crawl made them — multi-page articles merged, versions and
reposts in the same order — but extracted by today's code. WARC files not written by
newscrawl (no replay information) are read page by page: each HTML response is one
candidate article (``--pages`` forces this).

Records go to a new data folder (default ``./rebuilt``), never over the crawl's own.
Exit status: 0 ok; 1 a replay did not finish; 2 no WARC file, a file that is not WARC, or the output
folder is a crawl's data folder; 75 the output site is locked by another run.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from datetime import datetime, timezone
from pathlib import Path

from newscrawl.archive.layout import DataLayout
from newscrawl.archive.lock import LockHeld, SiteLock
from newscrawl.archive.runstats import EXIT_CONFIG, EXIT_LOCKED, EXIT_OK, EXIT_UNFINISHED
from newscrawl.archive.warc import iter_responses, read_warcinfo


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("warcs", nargs="+", metavar="WARC",
                        help="WARC files (or folders holding *.warc.gz), e.g. data/mysite/warc")
    parser.add_argument("--data-dir", default="rebuilt",
                        help="where the rebuilt records go (default: ./rebuilt)")
    parser.add_argument("--pages", action="store_true",
                        help="extract each archived HTML page on its own instead of replaying "
                             "the crawl (no multi-page merging)")
    parser.add_argument("--site", help="site name for --pages output (default: the page's host)")
    parser.add_argument("--quiet", "-q", action="store_true", help="no summary lines")
    parser.add_argument("--log-level", default="WARNING")


def _warc_files(names: list[str]) -> list[Path]:
    files: list[Path] = []
    for name in names:
        path = Path(name)
        if path.is_dir():
            files += sorted(path.glob("*.warc.gz")) + sorted(path.glob("*.warc"))
        elif path.is_file():
            files.append(path)
    return list(dict.fromkeys(files))


def _groups(files: list[Path]) -> tuple[list[tuple[str, dict[str, str], list[Path]]], list[Path]]:
    """(run id, warcinfo, files) per newscrawl run, oldest first; and files without replay info."""
    runs: dict[str, list[Path]] = defaultdict(list)
    infos: dict[str, dict[str, str]] = {}
    plain: list[Path] = []
    for path in files:
        info = read_warcinfo(path)
        run_id = info.get("newscrawl-run-id")
        if run_id and info.get("newscrawl-replay"):
            runs[run_id].append(path)
            infos.setdefault(run_id, info)
        else:
            plain.append(path)
    return [(r, infos[r], sorted(runs[r])) for r in sorted(runs)], plain


def _not_warc(path: Path) -> str | None:
    """Why ``path`` is not a WARC file (its first record does not parse), or None."""
    from warcio.archiveiterator import ArchiveIterator

    try:
        with open(path, "rb") as fh:
            first = next(iter(ArchiveIterator(fh)), None)
        if first is None and path.stat().st_size:  # bytes, but not one record in them
            return "no WARC record in it"
        if first is not None and not first.rec_type:
            return "its first record has no WARC-Type"
    except Exception as exc:  # warcio raises ArchiveLoadFailed, gzip/zlib errors, OSError
        return f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"
    return None


def run(args: argparse.Namespace) -> int:
    files = _warc_files(args.warcs)
    if not files:
        print("newscrawl rebuild: no WARC files found in " + " ".join(args.warcs), file=sys.stderr)
        return EXIT_CONFIG
    for path in files:
        problem = _not_warc(path)
        if problem:
            print(f"newscrawl rebuild: {path} is not a WARC file ({problem})", file=sys.stderr)
            return EXIT_CONFIG
    out = Path(args.data_dir)
    for path in files:
        if out.resolve() in path.resolve().parents:
            print(f"newscrawl rebuild: {out} holds the WARC files; rebuild into another folder",
                  file=sys.stderr)
            return EXIT_CONFIG
    groups, plain = _groups(files)
    if args.pages:
        plain, groups = files, []
    code = EXIT_OK
    if groups:
        code = max(code, _replay(groups, args))
    if plain:
        code = max(code, _pages(plain, args))
    return code


# ---------------------------------------------------------------- replaying crawl runs
def _replay(groups: list[tuple[str, dict[str, str], list[Path]]], args: argparse.Namespace) -> int:
    from newscrawl.archive.setup import archive_settings
    from newscrawl.crawl.runner import PlannedCrawl, run_in_turn
    from newscrawl.crawl.settings import layered_settings, merge
    from newscrawl.crawl.spiders import registered_spider
    from newscrawl.profiles import ProfileError, SiteProfile, resolve_target

    base = layered_settings(command={
        "LOG_LEVEL": args.log_level, "DOWNLOAD_DELAY": 0, "AUTOTHROTTLE_ENABLED": False,
        "HTTPCACHE_ENABLED": False, "CONCURRENT_REQUESTS": 16,
        "CONCURRENT_REQUESTS_PER_DOMAIN": 16,
        "NEWSCRAWL_RETRY_BACKOFF": 0})  # archived answers: nothing to wait for
    plans: list[PlannedCrawl] = []
    for run_id, info, files in groups:
        replay = json.loads(info["newscrawl-replay"])
        site = info.get("newscrawl-site") or "site"
        try:
            target = replay.get("target")
            profile = (resolve_target(target, replay.get("sites_dir")) if target
                       else SiteProfile(name="urls", source="<url list>"))
            if replay.get("base_url"):
                profile = profile.with_base_url(replay["base_url"])
            spider = registered_spider(replay.get("spider") or "portal")
        except (ProfileError, ValueError) as exc:
            print(f"newscrawl rebuild: run {run_id}: {exc}", file=sys.stderr)
            return EXIT_CONFIG
        spider_args = dict(replay.get("spider_args") or {})
        if replay.get("spider") == "urls":
            # The URL list came from a file or stdin: the pages the run fetched stand in.
            spider_args.pop("urls_file", None)
            spider_args["urls"] = " ".join(
                r.url for f in files for r in iter_responses(f) if r.status == 200)
        settings = base.copy()
        merge(settings, archive_settings(
            args.data_dir, site, target=target, resume=False, warc=False, progress=False,
            refresh=bool(replay.get("refresh")),
            summary=False, run_id=f"rebuild-{run_id}", replay=replay,
        ) | {"NEWSCRAWL_REPLAY_WARCS": [str(f) for f in files]}, "cmdline")
        merge(settings, {"DOWNLOADER_MIDDLEWARES": {
            "newscrawl.middlewares.replay.WarcReplayMiddleware": 960}}, "cmdline")
        plans.append(PlannedCrawl(run_id, site, spider, settings,
                                  {"profile": profile, **spider_args}))

    # The archive's extension writes each replay's stats file under runs/.
    outcomes, failure = run_in_turn(base, plans, args.data_dir)
    if failure:
        print(f"newscrawl rebuild: {failure}", file=sys.stderr)
    code = EXIT_OK
    for outcome in outcomes:
        if outcome.locked is not None:
            print(f"newscrawl rebuild: {outcome.locked}", file=sys.stderr)
        stats = outcome.stats
        run_code = int(stats.get("archive/exit_code", EXIT_UNFINISHED))
        if run_code in (EXIT_LOCKED,):
            code = max(code, run_code)
        elif stats.get("finish_reason") not in ("finished",):
            code = max(code, 1)
        if not args.quiet:
            print(f"rebuilt run {outcome.name} ({outcome.site}): {stats.get('archive/stored', 0)}"
                  f" records from {stats.get('archive/replay/served', 0)} archived responses"
                  f" ({stats.get('archive/replay/missing', 0)} requests not in the archive)")
    if len(outcomes) < len(plans):
        code = max(code, 1)
    return code


# ---------------------------------------------------------------- page by page
def _pages(files: list[Path], args: argparse.Namespace) -> int:
    from urllib.parse import urlsplit

    from w3lib.encoding import http_content_type_encoding

    from newscrawl.archive.normalise import normalise_record
    from newscrawl.archive.store import Archive
    from newscrawl.archive.validate import RecordValidator, drop_reason
    from newscrawl.extract import extract_article
    from newscrawl.record import Article

    validator = RecordValidator()
    archives: dict[str, Archive] = {}
    locks: list[SiteLock] = []
    counts: dict[str, int] = defaultdict(int)
    try:
        for path in files:
            for archived in iter_responses(path):
                headers = {k.lower(): v for k, v in archived.headers}
                ctype = headers.get("content-type", "")
                if archived.status != 200 or "html" not in ctype.lower():
                    continue
                if headers.get("content-encoding"):
                    counts["skipped_encoded"] += 1  # compressed payloads: replay handles them
                    continue
                site = args.site or (urlsplit(archived.url).hostname or "site")
                fetched = _parse_warc_date(archived.date)
                article = extract_article(archived.body, archived.url, fetched_at=fetched,
                                          http_encoding=http_content_type_encoding(ctype))
                if article is None:
                    counts["not_article"] += 1
                    continue
                data = normalise_record(article.to_dict())
                if drop_reason(data, validator):
                    counts["invalid"] += 1
                    continue
                if site not in archives:
                    lock = SiteLock(DataLayout(args.data_dir).lock_path(site))
                    lock.acquire()
                    locks.append(lock)
                    archives[site] = Archive(args.data_dir, site)
                    archives[site].reconcile()
                outcome = archives[site].add(Article.from_dict(data))
                counts[outcome.kind.value] += 1
    except LockHeld as exc:
        print(f"newscrawl rebuild: {exc}", file=sys.stderr)
        return EXIT_LOCKED
    finally:
        for archive in archives.values():
            archive.close()
        for lock in locks:
            lock.release()
    if not args.quiet:
        print("rebuilt page by page: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))
    return EXIT_OK


def _parse_warc_date(value: str) -> datetime | None:
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00")).astimezone(timezone.utc)
    except ValueError:
        return None
