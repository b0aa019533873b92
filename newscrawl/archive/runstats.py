"""What a run did, from Scrapy's stats: the JSON stats file, the summary line, the exit code.

Exit codes of ``newscrawl crawl`` (and ``demo``), for cron:
    0   the crawl finished (or stopped at a limit you set); errors at or below the threshold
    1   the crawl finished, but errors were above the threshold (``--max-error-rate``)
    2   usage or configuration error (bad option, unknown site, invalid profile): nothing ran
    3   the crawl did not finish (closed early for a reason other than Ctrl-C), among them
        the page budget (NEWSCRAWL_PAGE_BUDGET): "stopped: budget", the next run continues
    70  internal error, a bug (EX_SOFTWARE): ``--debug`` shows the traceback
    73  the data folder cannot be written: disk full or read-only (EX_CANTCREAT)
    75  another run of the same site holds its lock (EX_TEMPFAIL: try again later)
    130 interrupted (Ctrl-C, SIGTERM); ``newscrawl crawl`` again resumes where it stopped
"""

from __future__ import annotations

import json
import os
from datetime import datetime
from pathlib import Path
from typing import Any

EXIT_OK = 0
EXIT_ERRORS = 1
EXIT_CONFIG = 2
EXIT_UNFINISHED = 3
EXIT_INTERNAL = 70
EXIT_CANT_WRITE = 73
EXIT_LOCKED = 75
EXIT_INTERRUPTED = 130

# A run that stopped at a limit the user asked for (--max-pages, --max-articles) finished.
FINISHED_REASONS = ("finished", "closespider_pagecount", "closespider_itemcount",
                    "closespider_timeout")

# What the requests in flight turn into when a run is stopped at a limit.
_ABORTED = {"DownloadTimeoutError", "TimeoutError", "CancelledError", "ConnectionLost",
            "ResponseNeverReceived", "ConnectionDone"}

_ERROR_PREFIXES = (
    "downloader/exception_type_count/",  # timeouts, refused connections, DNS, TLS …
    "spider_exceptions/",  # a callback raised
)


def errors_by_type(stats: dict[str, Any]) -> dict[str, int]:
    out: dict[str, int] = {}
    for key, value in stats.items():
        if not isinstance(value, int):
            continue
        for prefix in _ERROR_PREFIXES:
            if key.startswith(prefix) and key != "spider_exceptions/count":
                name = key[len(prefix):].rsplit(".", 1)[-1]
                if name == "IgnoreRequest":  # a request refused on purpose (robots.txt, …)
                    continue
                out[name] = out.get(name, 0) + value
        if key.startswith("httperror/response_ignored_status_count/"):
            status = key.rsplit("/", 1)[-1]
            if status.startswith("5"):  # a server error after retries; a 404 is not our error
                out[f"HTTP {status}"] = out.get(f"HTTP {status}", 0) + value
    return dict(sorted(out.items()))


def _prefixed(stats: dict[str, Any], prefix: str) -> dict[str, int]:
    return {
        k[len(prefix):]: v for k, v in sorted(stats.items())
        if k.startswith(prefix) and isinstance(v, int) and "/" not in k[len(prefix):]
    }


def _nested(stats: dict[str, Any], prefix: str) -> dict[str, int]:
    """Counters under ``prefix``, sub-reasons included (``not_article/list``)."""
    return {k[len(prefix):]: v for k, v in sorted(stats.items())
            if k.startswith(prefix) and isinstance(v, int)}


def _json_safe(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, (int, float, str, bool)) or value is None:
        return value
    return str(value)


def run_report(stats: dict[str, Any], *, run_id: str, site: str, data_dir: str) -> dict[str, Any]:
    errors = errors_by_type(stats)
    pages = int(stats.get("downloader/response_count", 0))
    return {
        "run_id": run_id,
        "site": site,
        "data_dir": data_dir,
        "started_at": _json_safe(stats.get("start_time")),
        "finished_at": _json_safe(stats.get("finish_time")),
        "elapsed_seconds": round(float(stats.get("elapsed_time_seconds") or 0.0), 3),
        "finish_reason": stats.get("finish_reason"),
        "pages_fetched": pages,
        "pages_by_status": _prefixed(stats, "downloader/response_status_count/"),
        "articles_stored": int(stats.get("archive/stored", 0)),
        "stored_by_kind": _prefixed(stats, "archive/stored/"),
        "dropped_by_reason": _prefixed(stats, "archive/dropped/"),
        # Pages the spider fetched but did not turn into a record (not HTML, not an article …)
        "pages_not_stored_by_reason": _nested(stats, "newscrawl/dropped/"),
        "duplicates": {
            "unchanged": int(stats.get("archive/duplicates/url", 0)),
            "reposts": int(stats.get("archive/duplicates/body", 0)),
        },
        "links_to_stored_articles_skipped": int(stats.get("archive/skipped_stored", 0)),
        # Links not followed because a crawler-trap rule named them (newscrawl.middlewares.traps)
        "trap_links_dropped_by_rule": _nested(stats, "newscrawl/trap/dropped/"),
        "unchanged_pages_not_modified": int(stats.get("newscrawl/conditional/not_modified", 0)),
        "warc_records": int(stats.get("archive/warc/records", 0)),
        "errors": sum(errors.values()),
        "errors_by_type": errors,
        "scrapy_stats": {k: _json_safe(v) for k, v in sorted(stats.items())},
    }


# Finish reasons of a run closed by a safeguard rather than by the site running out of pages.
STOPPED_REASONS = {"budget": "stopped: budget"}


def summary_line(report: dict[str, Any]) -> str:
    reason = report["finish_reason"]
    reason = STOPPED_REASONS.get(str(reason), reason)
    kinds = report["stored_by_kind"]
    parts = [f"{kinds.get(k, 0)} {label}" for k, label in
             (("new", "new"), ("new_version", "new versions"), ("duplicate", "reposts"))
             if kinds.get(k)]
    stored = f"{report['articles_stored']} articles stored" + (f" ({', '.join(parts)})" if parts else "")
    dropped = sum(report["dropped_by_reason"].values()) - report["duplicates"]["unchanged"]
    return (
        f"newscrawl: {report['site']}: {reason} in {report['elapsed_seconds']:.1f}s"
        f" — {report['pages_fetched']} pages, {stored}, {report['duplicates']['unchanged']} unchanged,"
        f" {report['links_to_stored_articles_skipped']} links to stored articles skipped,"
        f" {max(dropped, 0)} dropped, {report['errors']} errors"
    )


def exit_code(report: dict[str, Any], max_error_rate: float) -> int:
    reason = report.get("finish_reason")
    if reason == "shutdown":
        return EXIT_INTERRUPTED
    if reason == "cant_write":
        return EXIT_CANT_WRITE
    if reason not in FINISHED_REASONS:
        return EXIT_UNFINISHED
    requests = max(int(report["scrapy_stats"].get("downloader/request_count", 0) or 0), 1)
    errors = report["errors"]
    if str(reason).startswith("closespider"):
        # Stopping at a limit aborts the requests in flight, which Scrapy reports as timeouts
        # or lost connections: those do not count against the site (they stay in the report).
        errors -= sum(n for name, n in report["errors_by_type"].items() if name in _ABORTED)
    if errors / requests > max_error_rate:
        return EXIT_ERRORS
    return EXIT_OK


def write_json_atomic(path: Path, data: dict[str, Any]) -> None:
    """Whole or absent: write a temporary file beside it, fsync, rename over."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with open(tmp, "w", encoding="utf-8") as fh:
        json.dump(data, fh, ensure_ascii=False, indent=2)
        fh.write("\n")
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)
