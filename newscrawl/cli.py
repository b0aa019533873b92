"""The ``newscrawl`` command: one sub-command per module in :mod:`newscrawl.commands`."""

from __future__ import annotations

import argparse
import importlib
import signal
import sys
from collections.abc import Sequence
from typing import NoReturn

from newscrawl.archive.runstats import EXIT_INTERNAL, EXIT_INTERRUPTED

# Each module has ``add_arguments(parser)``, ``run(args) -> int`` and a docstring whose first
# line is the sub-command's help.
COMMANDS = {
    "extract": "newscrawl.commands.extract",
    "crawl": "newscrawl.commands.crawl",
    "demo": "newscrawl.commands.demo",
    "sites": "newscrawl.commands.sites",
    "seed": "newscrawl.commands.seed",
    "worker": "newscrawl.commands.worker",
    "ls": "newscrawl.commands.ls",
    "stats": "newscrawl.commands.stats",
    "rebuild": "newscrawl.commands.rebuild",
    "export": "newscrawl.commands.export",
    "report": "newscrawl.commands.report",
    "show": "newscrawl.commands.show",
    "upgrade": "newscrawl.commands.upgrade",
}


EXIT_CODES = """\
exit codes (crawl, demo; the run's stats file says the same in "exit_code"):
  0    finished (or stopped at a limit you set); errors at or below --max-error-rate
  1    finished, but more than --max-error-rate of the requests failed
  2    usage or configuration error: bad option or value, unknown site, invalid profile
  3    the crawl did not finish (closed early for another reason)
  73   the data folder cannot be written (disk full, read-only): the path is named
  75   another run of the same site holds its lock: try again later
  130  interrupted (Ctrl-C or SIGTERM): run again to resume
  70   internal error (a bug): run again with --debug for the traceback
"""


class OneLineParser(argparse.ArgumentParser):
    """A usage error is one line (and exit 2), not the usage block: cron mails stay short."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: {message} (see {self.prog} --help)\n")


def build_parser() -> argparse.ArgumentParser:
    parser = OneLineParser(
        prog="newscrawl", description="Crawl news portals into clean article records.",
        epilog=EXIT_CODES, formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    from newscrawl import __version__

    parser.add_argument("--version", action="version", version=f"newscrawl {__version__}")
    parser.add_argument("--debug", action="store_true",
                        help="show tracebacks (of errors, and of failed pages in the log)")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name, module_name in COMMANDS.items():
        module = importlib.import_module(module_name)
        doc = (module.__doc__ or "").strip().splitlines()
        p = sub.add_parser(name, help=doc[0] if doc else None, description=module.__doc__,
                           formatter_class=argparse.RawDescriptionHelpFormatter)
        # After the command too (`newscrawl crawl ... --debug`).
        p.add_argument("--debug", action="store_true", default=argparse.SUPPRESS,
                       help="show tracebacks")
        module.add_arguments(p)
        p.set_defaults(_run=module.run)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    # SIGTERM is Ctrl-C (exit 130, never 143) until a crawl installs Scrapy's graceful handlers.
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    args = build_parser().parse_args(argv)
    if getattr(args, "redis", None):
        from newscrawl.commands._redis import REDIS_EXTRA_INSTALL, missing_redis_extra

        missing = missing_redis_extra()
        if missing is not None:
            print(f"newscrawl {args.command}: --redis needs the scale-out extra "
                  f"({missing} is not installed): {REDIS_EXTRA_INSTALL}", file=sys.stderr)
            return 2
    try:
        return int(args._run(args))
    except KeyboardInterrupt:
        print("newscrawl: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except Exception as exc:  # a bug: one line, the traceback with --debug
        if args.debug:
            raise
        print(f"newscrawl {args.command}: internal error: {type(exc).__name__}: {exc} "
              "(run again with --debug for the traceback)", file=sys.stderr)
        return EXIT_INTERNAL


if __name__ == "__main__":
    sys.exit(main())
