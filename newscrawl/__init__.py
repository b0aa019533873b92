"""newscrawl: crawl news portals, extract clean article records, archive them.

``import newscrawl`` is cheap: the extractor and the record are loaded on first use of
``newscrawl.extract_article``, ``newscrawl.Article`` or ``newscrawl.ExtractProfile``, so the
CLI's ``--version``/``--help`` and tools that only want ``__version__`` load nothing else.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

__all__ = ["Article", "ExtractProfile", "__version__", "extract_article"]

if TYPE_CHECKING:
    from newscrawl.extract import ExtractProfile, extract_article
    from newscrawl.record import Article

_LAZY = {"extract_article": "newscrawl.extract", "ExtractProfile": "newscrawl.extract",
         "Article": "newscrawl.record"}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'newscrawl' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value
