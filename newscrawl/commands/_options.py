"""Option types of the sub-commands: a bad value is a one-line usage error (exit 2)."""

from __future__ import annotations

import argparse
from datetime import date
from typing import Any


def _whole_number(text: str, minimum: int) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < minimum:
        raise argparse.ArgumentTypeError(f"{text!r}: must be {minimum} or more")
    return value


def positive_int(text: str) -> int:
    return _whole_number(text, 1)


def non_negative_int(text: str) -> int:
    return _whole_number(text, 0)


def port_number(text: str) -> int:
    value = non_negative_int(text)
    if value > 65535:
        raise argparse.ArgumentTypeError(f"{text!r}: a port is 0 to 65535")
    return value


def rate(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not 0 <= value <= 1:
        raise argparse.ArgumentTypeError(f"{text!r}: must be between 0 and 1")
    return value


def seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds") from None
    if not value > 0:
        raise argparse.ArgumentTypeError(f"{text!r}: must be more than 0")
    return value


def iso_day(text: str) -> str:
    """A calendar day, YYYY-MM-DD (compared as text with the archive's day partitions)."""
    try:
        return date.fromisoformat(text.strip()).isoformat()
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date (YYYY-MM-DD)") from None


def add_archive_arguments(parser: Any) -> None:
    """The archive's options of ``newscrawl crawl`` (and ``demo``)."""
    group = parser.add_argument_group("archive and cron")
    group.add_argument("--refresh", action="store_true",
                       help="fetch stored articles again; a changed one is stored as a new version")
    group.add_argument("--no-resume", action="store_true",
                       help="do not keep a JOBDIR: a stopped run starts over next time "
                            "(stored articles are still skipped)")
    group.add_argument("--no-warc", action="store_true", help="do not archive raw pages in WARC")
    group.add_argument("--quiet", "-q", action="store_true",
                       help="for cron: no progress line, no summary; only warnings and errors "
                            "are logged (to --log-file if given)")
    group.add_argument("--log-file", metavar="FILE", help="write the log here instead of stderr")
    group.add_argument("--max-error-rate", type=rate, default=0.5, metavar="R",
                       help="exit 1 when more than R of the requests failed (default 0.5)")
    group.add_argument("--fsync", choices=("always", "batch", "never"), default="batch",
                       help="when records are forced to disk (default: batch, before each "
                            "state commit)")
