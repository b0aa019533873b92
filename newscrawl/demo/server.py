"""The demo portal's HTTP server: stdlib ThreadingHTTPServer on 127.0.0.1, in a thread.

    >>> with DemoPortal() as portal:          # port 0: the OS picks a free port
    ...     portal.base_url                    # 'http://127.0.0.1:PORT'
    ...     portal.truth()["articles"]         # what a perfect crawl finds
    ...     portal.requests                    # every request the server saw

Two host names reach the same server: ``127.0.0.1`` is the portal, ``localhost`` plays
"another site" the portal links to, so a test can prove a crawler never went there.
Control endpoints (``/_control/truth``, ``POST /_control/revise?path=...``) give the same
powers to a process that only has the URL.
"""

from __future__ import annotations

import hashlib
import json
import threading
import time
from dataclasses import dataclass
from email.utils import formatdate, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from newscrawl.demo.site import DemoSite

FOREIGN_HOST = "localhost"


@dataclass(frozen=True, slots=True)
class LoggedRequest:
    method: str
    host: str  # the Host header without the port
    path: str  # path and query
    user_agent: str
    status: int
    at: float


class _Handler(BaseHTTPRequestHandler):
    server: _PortalHTTPServer
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib name
        pass  # the portal keeps its own log (DemoPortal.requests)

    def do_HEAD(self) -> None:
        self._serve(send_body=False)

    def do_GET(self) -> None:
        self._serve(send_body=True)

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        self._serve(send_body=True)

    def _serve(self, *, send_body: bool) -> None:
        portal = self.server.portal
        host = (self.headers.get("Host") or "").rsplit(":", 1)[0]
        status, ctype, body, location, delay = portal.respond(self.command, host, self.path)
        validators: dict[str, str] = {}
        if status == 200 and self.command in ("GET", "HEAD"):
            validators = portal.validators(host, self.path, body)
            if _not_modified(self.headers, validators):
                status, body = 304, b""
        portal.log(LoggedRequest(self.command, host, self.path,
                                 self.headers.get("User-Agent", ""), status, time.time()))
        delay = (delay or 0) + portal.latency
        if delay:
            time.sleep(delay)
        try:
            self.send_response(status)
            if status != 304:
                self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            for name, value in validators.items():
                self.send_header(name, value)
            if location:
                self.send_header("Location", location)
            self.end_headers()
            if send_body:
                self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (a timeout test): nothing to do


def _not_modified(headers: Any, validators: dict[str, str]) -> bool:
    """RFC 9110 §13.1: If-None-Match decides when sent; else If-Modified-Since."""
    match = headers.get("If-None-Match")
    if match is not None:
        tags = {t.strip() for t in match.split(",")}
        return "*" in tags or validators["ETag"] in tags
    since = headers.get("If-Modified-Since")
    if since is None:
        return False
    try:
        return parsedate_to_datetime(validators["Last-Modified"]) <= parsedate_to_datetime(since)
    except (TypeError, ValueError):
        return False


class _PortalHTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    # A crawler opens up to 16 connections at once; the default listen backlog of 5 drops
    # some of them, which a client sees as a connect timeout on a page that is not slow.
    request_queue_size = 128
    portal: DemoPortal


class DemoPortal:
    """The demo portal, served on 127.0.0.1 from a background thread."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0, *, slow_seconds: float = 2.0,
                 scale: int = 1, opaque_urls: bool = False, latency: float = 0.0) -> None:
        # latency: seconds every response waits, as a real network and server would add
        # (benchmarks: a crawl against a zero-latency loopback server is CPU-bound).
        self.latency = latency
        self._httpd = _PortalHTTPServer((host, port), _Handler)
        self._httpd.portal = self
        self.port: int = self._httpd.server_address[1]
        self.base_url = f"http://{host}:{self.port}"
        self.foreign_base_url = f"http://{FOREIGN_HOST}:{self.port}"
        self.site = DemoSite(self.base_url, self.foreign_base_url, slow_seconds=slow_seconds,
                             scale=scale, opaque_urls=opaque_urls)
        self.requests: list[LoggedRequest] = []
        self._overrides: dict[str, tuple[int, str | None]] = {}  # path -> (status, Location)
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        # (host, path) → (ETag, Last-Modified): the time a body was first served, so a
        # revised page gets a new ETag and a later Last-Modified (conditional requests).
        self._validators: dict[tuple[str, str], tuple[str, str]] = {}

    # --------------------------------------------------------------- lifecycle
    def start(self) -> str:
        if self._thread is None:
            self._thread = threading.Thread(
                target=self._httpd.serve_forever, name="newscrawl-demo-portal", daemon=True
            )
            self._thread.start()
        return self.base_url

    def stop(self) -> None:
        if self._thread is not None:
            self._httpd.shutdown()
            self._thread.join(timeout=5)
            self._thread = None
        self._httpd.server_close()

    def __enter__(self) -> DemoPortal:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # --------------------------------------------------------------- state
    def truth(self) -> dict[str, Any]:
        with self._lock:
            return self.site.truth()

    def revise(self, path: str) -> dict[str, Any]:
        """Change one article's text, as an editor correcting it would; returns its new truth."""
        with self._lock:
            article = self.site.revise(urlsplit(path).path if "://" in path else path)
            return next(a for a in self.site.truth()["articles"] if a["url"].endswith(article.path))

    def break_page(self, path: str) -> None:
        """Serve 500 for ``path`` until :meth:`restore_page` (a page failing mid-crawl)."""
        with self._lock:
            self._overrides[path] = (500, None)

    def redirect_page(self, path: str, location: str, status: int = 302) -> None:
        """Redirect ``path`` to ``location`` until :meth:`restore_page`."""
        with self._lock:
            self._overrides[path] = (status, location)

    def restore_page(self, path: str) -> None:
        with self._lock:
            self._overrides.pop(path, None)

    def validators(self, host: str, target: str, body: bytes) -> dict[str, str]:
        """ETag and Last-Modified of the body served for ``target`` (HTTP validators)."""
        etag = '"' + hashlib.sha1(body).hexdigest()[:20] + '"'
        with self._lock:
            known = self._validators.get((host, target))
            if known is None or known[0] != etag:
                known = (etag, formatdate(time.time(), usegmt=True))
                self._validators[(host, target)] = known
        return {"ETag": known[0], "Last-Modified": known[1]}

    def log(self, entry: LoggedRequest) -> None:
        with self._lock:
            self.requests.append(entry)

    def requested_paths(self, host: str | None = None) -> list[str]:
        with self._lock:
            return [r.path for r in self.requests if host is None or r.host == host]

    def clear_log(self) -> None:
        with self._lock:
            self.requests.clear()

    # --------------------------------------------------------------- responses
    def respond(self, method: str, host: str, target: str) -> tuple[int, str, bytes, str | None, float]:
        """(status, content type, body, Location, delay) for one request."""
        parts = urlsplit(target)
        if parts.path.startswith("/_control/"):
            return self._control(method, parts.path, parse_qs(parts.query))
        if host == FOREIGN_HOST:
            body = b"<html><body><h1>Another site</h1><p>Not the portal.</p></body></html>"
            return 200, "text/html; charset=utf-8", body, None, 0.0
        key = parts.path + (f"?{parts.query}" if parts.query else "")
        with self._lock:
            page = self.site.pages.get(key)
            override = self._overrides.get(key) or self._overrides.get(parts.path)
        if override is not None:
            status, location = override
            return status, "text/html; charset=utf-8", f"<h1>{status}</h1>".encode(), location, 0.0
        if page is None:
            body = "<html><body><h1>404 页面不存在</h1></body></html>".encode()
            return 404, "text/html; charset=utf-8", body, None, 0.0
        location = self.base_url + page.location if page.location and page.location.startswith("/") else page.location
        return page.status, page.content_type, page.body, location, page.delay

    def _control(self, method: str, path: str, query: dict[str, list[str]]) -> tuple[int, str, bytes, str | None, float]:
        ctype = "application/json; charset=utf-8"
        if path == "/_control/truth":
            return 200, ctype, json.dumps(self.truth(), ensure_ascii=False).encode(), None, 0.0
        if path == "/_control/revise" and method == "POST" and query.get("path"):
            try:
                changed = self.revise(query["path"][0])
            except StopIteration:
                return 404, ctype, b'{"error": "no article at that path"}', None, 0.0
            return 200, ctype, json.dumps(changed, ensure_ascii=False).encode(), None, 0.0
        return 404, ctype, b'{"error": "unknown control request"}', None, 0.0


def main(argv: list[str] | None = None) -> int:
    """Serve the demo portal in the foreground: ``python -m newscrawl.demo.server [--port N]``."""
    import argparse

    parser = argparse.ArgumentParser(prog="python -m newscrawl.demo.server")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--slow-seconds", type=float, default=2.0)
    parser.add_argument("--scale", type=int, default=1, help="multiply the number of articles")
    parser.add_argument("--quiet-log", action="store_true", help="keep no request log (benchmarks)")
    parser.add_argument("--latency", type=float, default=0.0,
                        help="seconds every response waits (a network's round trip)")
    args = parser.parse_args(argv)
    portal = DemoPortal(port=args.port, slow_seconds=args.slow_seconds, scale=args.scale,
                        latency=args.latency)
    if args.quiet_log:
        portal.log = lambda entry: None  # type: ignore[method-assign]
    portal.start()
    print(portal.base_url, flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        portal.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
