"""Reading an archive for analysts: the stored records as rows (``records``), exports to
SQLite/Parquet/CSV (``export``), the HTML crawl report (``report``).

The libraries these need (sqlite-utils, pyarrow, matplotlib) come with the ``analysis``
extra; :func:`require` turns a missing one into :class:`MissingExtra`, which the commands
print as one line naming the install command.
"""

from __future__ import annotations

import importlib
from types import ModuleType

INSTALL = "pip install 'newscrawl[analysis]'"


class MissingExtra(Exception):
    """A library of the ``analysis`` extra is not installed."""


def require(module: str, package: str | None = None) -> ModuleType:
    try:
        return importlib.import_module(module)
    except ImportError:
        raise MissingExtra(f"{package or module} is not installed: {INSTALL}") from None
