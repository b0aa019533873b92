"""The ``newscrawl`` command: one sub-command per module in :mod:`newscrawl.commands`."""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

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


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="newscrawl", description="Crawl news portals into clean article records."
    )
    from newscrawl import __version__

    parser.add_argument("--version", action="version", version=f"newscrawl {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name, module_name in COMMANDS.items():
        module = importlib.import_module(module_name)
        doc = (module.__doc__ or "").strip().splitlines()
        p = sub.add_parser(name, help=doc[0] if doc else None, description=module.__doc__)
        module.add_arguments(p)
        p.set_defaults(_run=module.run)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args._run(args))
    except KeyboardInterrupt:
        print("newscrawl: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
