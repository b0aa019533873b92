"""A local demo portal: a real HTTP server on 127.0.0.1 serving pages newscrawl writes itself."""

from __future__ import annotations

from typing import Any

__all__ = ["DemoPortal", "DemoSite", "LoggedRequest"]


def __getattr__(name: str) -> Any:
    # Imported on first use, so ``python -m newscrawl.demo.server`` does not find its own
    # module already loaded by the package (runpy warns about that).
    if name in ("DemoPortal", "LoggedRequest"):
        from newscrawl.demo import server

        return getattr(server, name)
    if name == "DemoSite":
        from newscrawl.demo.site import DemoSite

        return DemoSite
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
