"""A local demo portal: a real HTTP server on 127.0.0.1 serving pages newscrawl writes itself."""

from newscrawl.demo.server import DemoPortal, LoggedRequest
from newscrawl.demo.site import DemoSite

__all__ = ["DemoPortal", "DemoSite", "LoggedRequest"]
