"""A trap portal: 30 real articles laced with the crawler traps of real portals.

    with TrapPortal() as portal:
        portal.base_url, portal.article_urls, portal.request_count

Traps, each one endless unless a crawler defends itself:

- **session IDs on every link**, new on every page view: ``;jsessionid=`` path parameters
  (Java servlet containers) and ``?sid=`` query parameters (PHP portals);
- an **endless calendar** (``/calendar/?year=2026&month=11``) whose "next month" link just adds
  one (``month=13``, … ``month=956``), and a path calendar (``/archive/2026/11/`` →
  ``/archive/2026/13/`` → ``/archive/2031/13/``);
- **endless pagination**: ``/news/?page=N`` answers for every N, repeating the last articles;
- a **relative-path loop**: every list page links ``more/``, and any path ending in ``more/``
  is a list page again (``/news/more/more/more/``);
- **parameter permutations**: the same list with its parameters in another order;
- **faceted search**: ``/search?cat=&color=&sort=&size=`` where every result page links every
  other facet value (thousands of combinations, the same few articles).

Half the articles live under dated paths (``/news/2026/11/20/article_7.html``), half behind a
query (``/show.php?catid=3&id=22``), so a defence that drops dates or queries blindly loses
articles. ``python tests/support/trap_portal.py [--port N]`` serves it in the foreground.
"""

from __future__ import annotations

import html
import random
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from newscrawl.demo.text import make_story

ARTICLES = 30
PER_PAGE = 10
REAL_LIST_PAGES = ARTICLES // PER_PAGE
FACETS = {"cat": 6, "color": 6, "sort": 4, "size": 5}


class TrapPortal:
    def __init__(self, host: str = "127.0.0.1", port: int = 0) -> None:
        rng = random.Random(1212)
        self.stories = [make_story(rng, n + 1) for n in range(ARTICLES)]
        self.paths = [self._article_path(i) for i in range(ARTICLES)]
        self._httpd = _Server((host, port), _Handler)
        self._httpd.daemon_threads = True
        self._httpd.portal = self  # type: ignore[attr-defined]
        self.port = self._httpd.server_address[1]
        self.base_url = f"http://{host}:{self.port}"
        self._lock = threading.Lock()
        self._sessions = random.Random(7)
        self.requests: list[str] = []
        self._thread: threading.Thread | None = None

    @staticmethod
    def _article_path(i: int) -> str:
        if i % 2 == 0:
            return f"/news/2026/11/{10 + i % 15:02d}/article_{i + 1}.html"
        return f"/show.php?catid={3 + i % 3}&id={i + 1}"

    @property
    def article_urls(self) -> list[str]:
        return [self.base_url + p for p in self.paths]

    @property
    def request_count(self) -> int:
        with self._lock:
            return len(self.requests)

    # ------------------------------------------------------------------ lifecycle
    def start(self) -> str:
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)
        self._thread.start()
        return self.base_url

    def stop(self) -> None:
        if self._thread is not None:
            self._httpd.shutdown()
            self._thread.join(timeout=5)
        self._httpd.server_close()

    def __enter__(self) -> TrapPortal:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # ------------------------------------------------------------------ links
    def _session(self) -> str:
        with self._lock:
            return f"{self._sessions.getrandbits(64):016X}"

    def link(self, path: str, text: str) -> str:
        """A link as a session-tracking portal writes it: a fresh session ID on each."""
        sid = self._session()
        base, _, query = path.partition("?")
        if query or base.endswith(".php"):
            href = f"{base}?{query + '&' if query else ''}sid={sid}"
        else:
            href = f"{base};jsessionid={sid}"
        return f'<a href="{html.escape(href)}">{html.escape(text)}</a>'

    def _page(self, title: str, main: str) -> bytes:
        nav = " | ".join([
            self.link("/", "首页"), self.link("/news/", "新闻"),
            self.link("/calendar/?year=2026&month=11", "日历"),
            self.link("/archive/2026/11/", "归档"),
            self.link("/search?cat=1", "搜索"),
            # Relative: from /news/ it is /news/more/, from there /news/more/more/ …
            '<a href="more/">更多</a>',
        ])
        return (
            f'<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">'
            f"<title>{html.escape(title)}</title></head><body>"
            f'<div class="nav">{nav}</div><div class="main">{main}</div>'
            "<div class=\"footer\">Copyright 2026 陷阱门户网</div></body></html>"
        ).encode()

    def _list(self, title: str, indexes: list[int], extra: str = "") -> bytes:
        items = "".join(f"<li>{self.link(self.paths[i], self.stories[i].title)}</li>" for i in indexes)
        return self._page(title, f"<h2>{html.escape(title)}</h2><ul class=\"list\">{items}</ul>{extra}")

    # ------------------------------------------------------------------ pages
    def respond(self, target: str) -> tuple[int, bytes]:
        parts = urlsplit(target)
        path = parts.path.split(";", 1)[0]  # the servlet container ignores ;jsessionid=
        query = {k: v[0] for k, v in parse_qs(parts.query).items()}
        query.pop("sid", None)
        if path == "/robots.txt":
            return 200, b"User-agent: *\nDisallow:\n"
        if path == "/":
            return 200, self._list("陷阱门户网", list(range(0, ARTICLES, 6)))
        if path.endswith("/more/"):
            return 200, self._list("更多新闻", list(range(ARTICLES))[:PER_PAGE])
        if path == "/news/":
            return 200, self._news(query)
        if path == "/calendar/":
            return 200, self._calendar(query)
        if path.startswith("/archive/"):
            return 200, self._archive(path)
        if path == "/search":
            return 200, self._search(query)
        if path == "/show.php" and query.get("id", "").isdigit():
            return self._article(f"/show.php?catid={query.get('catid')}&id={query['id']}")
        return self._article(path)

    def _news(self, query: dict[str, str]) -> bytes:
        page = int(query.get("page", "1")) if query.get("page", "1").isdigit() else 1
        real = min(page, REAL_LIST_PAGES)
        indexes = list(range((real - 1) * PER_PAGE, real * PER_PAGE))
        order = query.get("order", "desc")
        # Parameter permutations: the same list linked with its parameters in either order.
        pager = " ".join([
            self.link(f"/news/?page={page + 1}", "下一页"),
            self.link(f"/news/?page={page + 1}&order={order}&view=list", "下一页(列表)"),
            self.link(f"/news/?view=list&order={order}&page={page + 1}", "下一页(列表)"),
            self.link(f"/news/?order={'asc' if order == 'desc' else 'desc'}&page={page}", "排序"),
        ])
        return self._list(f"新闻 第{page}页", indexes, f'<div class="pager">{pager}</div>')

    def _calendar(self, query: dict[str, str]) -> bytes:
        year = int(query["year"]) if query.get("year", "").lstrip("-").isdigit() else 2026
        month = int(query["month"]) if query.get("month", "").lstrip("-").isdigit() else 11
        # Articles of November 2026 only; every other month is empty, and the links never stop.
        indexes = list(range(ARTICLES))[::3] if (year, month) == (2026, 11) else []
        pager = " ".join([
            self.link(f"/calendar/?year={year}&month={month - 1}", "上个月"),
            self.link(f"/calendar/?year={year}&month={month + 1}", "下个月"),
            self.link(f"/calendar/?year={year + 1}&month={month}", "明年"),
        ])
        return self._list(f"日历 {year}年{month}月", indexes, f'<div class="cal">{pager}</div>')

    def _archive(self, path: str) -> bytes:
        bits = [b for b in path.split("/") if b]
        try:
            year, month = int(bits[1]), int(bits[2])
        except (IndexError, ValueError):
            year, month = 2026, 11
        indexes = list(range(ARTICLES))[1::3] if (year, month) == (2026, 11) else []
        pager = " ".join([
            self.link(f"/archive/{year}/{month + 1}/", "下个月"),
            self.link(f"/archive/{year + 1}/{month}/", "明年"),
        ])
        return self._list(f"归档 {year}/{month}", indexes, f'<div class="cal">{pager}</div>')

    def _search(self, query: dict[str, str]) -> bytes:
        chosen = {k: query.get(k, "") for k in FACETS}
        seed = sum(int(v) for v in chosen.values() if v.isdigit())
        indexes = [(seed * 7 + k) % ARTICLES for k in range(3)]
        links = []
        for name, count in FACETS.items():
            for value in range(1, count + 1):
                picked = {**{k: v for k, v in chosen.items() if v}, name: str(value)}
                qs = "&".join(f"{k}={v}" for k, v in picked.items())
                links.append(self.link(f"/search?{qs}", f"{name}={value}"))
        return self._list("搜索结果", indexes, f'<div class="facets">{" ".join(links)}</div>')

    def _article(self, path: str) -> tuple[int, bytes]:
        if path not in self.paths:
            return 404, self._page("404", "<h1>页面不存在</h1>")
        i = self.paths.index(path)
        story = self.stories[i]
        body = "".join(f"<p>{html.escape(p)}</p>" for p in story.paragraphs)
        related = "".join(
            f"<li>{self.link(self.paths[(i + k) % ARTICLES], self.stories[(i + k) % ARTICLES].title)}</li>"
            for k in (1, 2, 3))
        main = (
            f'<div class="article"><h1>{html.escape(story.title)}</h1>'
            f'<div class="info">时间：2026-11-{10 + i % 15:02d} 09:{i:02d}&nbsp;&nbsp;'
            f"来源：{html.escape(story.source)}</div>"
            f'<div class="content">{body}</div>'
            f'<div class="related"><h3>相关新闻</h3><ul>{related}</ul></div></div>'
        )
        return 200, self._page(story.title, main)


class _Server(ThreadingHTTPServer):
    request_queue_size = 128  # a crawler's 16 connections at once, none refused


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib name
        pass

    def do_GET(self) -> None:
        portal: TrapPortal = self.server.portal  # type: ignore[attr-defined]
        with portal._lock:
            portal.requests.append(self.path)
        status, body = portal.respond(self.path)
        try:
            self.send_response(status)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(prog="trap_portal.py")
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args(argv)
    portal = TrapPortal(port=args.port)
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
