"""A loopback HTTP server that misbehaves on purpose, for real Scrapy crawls in tests.

http.server cannot reset a connection mid-body, stall after the headers or lie about the
Content-Length, so this is a small raw asyncio server running in a thread. Healthy article
pages live at /a/<n>.html; every fault has its own path (see ``FAULT_PATHS``). Every request
is recorded (time, path, host header) so tests can assert what was and was not asked for.
"""

from __future__ import annotations

import asyncio
import gzip
import socket
import struct
import threading
import time
from collections import Counter
from dataclasses import dataclass, field

TITLES = [
    "全省春季农业生产进展顺利", "市政府召开优化营商环境推进会", "新能源汽车下乡活动启动",
    "高校毕业生就业服务月开幕", "城市更新项目完成年度投资", "文化旅游消费季拉开帷幕",
    "智慧交通系统在主城区上线", "农村饮水安全工程全面完工",
]


def article_page(n: int, host: str = "127.0.0.1") -> bytes:
    title = f"{TITLES[n % len(TITLES)]}（第{n}期）"
    paras = "".join(
        f"<p>第{n}篇报道第{k}段：记者从有关部门获悉，{title}，各项工作按计划稳步推进，"
        f"相关负责人表示将进一步加强统筹协调，确保任务如期完成，群众满意度持续提升。</p>"
        for k in range(1, 5)
    )
    return (f"<!DOCTYPE html><html lang=zh-CN><head><meta charset=utf-8><title>{title}_示例网</title>"
            f"</head><body><div class=nav><a href=/>首页</a> &gt; <a href=/news/>新闻</a></div>"
            f"<div class=article><h1>{title}</h1><div class=info>时间:2022-04-{(n % 28) + 1:02d} "
            f"10:00:00 来源:示例日报</div><div class=content>{paras}</div></div>"
            f"</body></html>").encode()


def index_page(links: list[str]) -> bytes:
    items = "".join(f'<li><a href="{u}">{u}</a></li>' for u in links)
    return (f"<!DOCTYPE html><html><head><meta charset=utf-8><title>首页</title></head>"
            f"<body><ul>{items}</ul></body></html>").encode()


@dataclass
class Hit:
    at: float
    path: str
    host: str


@dataclass
class FaultServer:
    articles: int = 6
    host: str = "127.0.0.1"
    port: int = 0
    hits: list[Hit] = field(default_factory=list)
    extra_pages: dict[str, bytes] = field(default_factory=dict)
    extra_headers: dict[str, dict[str, str]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._server: asyncio.base_events.Server | None = None
        self._counts: Counter[str] = Counter()
        self._writers: set[asyncio.StreamWriter] = set()

    # -- lifecycle
    def start(self) -> FaultServer:
        self._thread.start()
        fut = asyncio.run_coroutine_threadsafe(
            asyncio.start_server(self._handle, self.host, self.port), self._loop)
        self._server = fut.result(5)
        self.port = self._server.sockets[0].getsockname()[1]
        return self

    def stop(self) -> None:
        async def _close() -> None:
            for w in list(self._writers):
                w.transport.abort()
            if self._server:
                self._server.close()
            tasks = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
            for t in tasks:
                t.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)

        asyncio.run_coroutine_threadsafe(_close(), self._loop).result(5)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(5)

    def __enter__(self) -> FaultServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- URLs
    @property
    def base(self) -> str:
        return f"http://{self.host}:{self.port}"

    def url(self, path: str) -> str:
        return self.base + path

    def article_urls(self) -> list[str]:
        return [self.url(f"/a/{n}.html") for n in range(1, self.articles + 1)]

    def paths_hit(self) -> list[str]:
        return [h.path for h in self.hits]

    # -- serving
    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self._writers.add(writer)
        try:
            while True:
                try:
                    head = await reader.readuntil(b"\r\n\r\n")
                except (asyncio.IncompleteReadError, ConnectionError, asyncio.LimitOverrunError):
                    return
                lines = head.decode("latin-1").split("\r\n")
                parts = lines[0].split(" ")
                path = parts[1] if len(parts) > 1 else "/"
                headers = {k.strip().lower(): v.strip() for k, _, v in
                           (ln.partition(":") for ln in lines[1:] if ":" in ln)}
                self.hits.append(Hit(time.monotonic(), path, headers.get("host", "")))
                self._counts[path] += 1
                keep_open = await self._route(path, writer)
                if not keep_open:
                    return
        except (ConnectionError, asyncio.CancelledError):
            return
        finally:
            self._writers.discard(writer)
            if not writer.transport.is_closing():
                writer.close()

    @staticmethod
    def _response(status: str, body: bytes, headers: dict[str, str] | None = None,
                  content_length: int | None = None) -> bytes:
        hdrs = {"Content-Type": "text/html; charset=utf-8",
                "Content-Length": str(len(body) if content_length is None else content_length)}
        hdrs.update(headers or {})
        head = f"HTTP/1.1 {status}\r\n" + "".join(f"{k}: {v}\r\n" for k, v in hdrs.items())
        return head.encode("latin-1") + b"\r\n" + body

    async def _send(self, writer: asyncio.StreamWriter, data: bytes) -> None:
        writer.write(data)
        await writer.drain()

    async def _route(self, path: str, writer: asyncio.StreamWriter) -> bool:
        """Serve one request; False closes the connection afterwards."""
        ok = self._response
        if path in self.extra_pages:
            await self._send(writer, ok("200 OK", self.extra_pages[path],
                                        self.extra_headers.get(path)))
            return True
        if path == "/robots.txt":
            await self._send(writer, ok("200 OK", b"User-agent: *\nDisallow: /private/\n",
                                        {"Content-Type": "text/plain"}))
            return True
        if path.startswith("/a/"):
            n = int(path.split("/")[-1].split(".")[0])
            await self._send(writer, ok("200 OK", article_page(n)))
            return True
        if path == "/index.html":
            await self._send(writer, ok("200 OK", index_page(self.article_urls())))
            return True
        if path == "/fault/reset.html":
            body = article_page(901)
            await self._send(writer, ok("200 OK", body[: len(body) // 3], content_length=len(body)))
            await asyncio.sleep(0.05)
            sock = writer.get_extra_info("socket")
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            writer.transport.abort()  # RST, not FIN
            return False
        if path == "/fault/stall.html":
            await self._send(writer, ok("200 OK", b"", content_length=5000))
            await asyncio.sleep(3600)
            return False
        if path == "/fault/drip.html":
            body = article_page(902)
            await self._send(writer, ok("200 OK", b"", content_length=len(body)))
            for byte in body:
                await self._send(writer, bytes([byte]))
                await asyncio.sleep(1.0)
            return False
        if path.startswith("/fault/loop-"):
            target = "/fault/loop-b.html" if path == "/fault/loop-a.html" else "/fault/loop-a.html"
            await self._send(writer, ok("302 Found", b"", {"Location": target}))
            return True
        if path.startswith("/fault/away"):
            target = self.extra_pages.get("@away", b"http://localhost:9/").decode()
            await self._send(writer, ok("302 Found", b"", {"Location": target}))
            return True
        if path.startswith("/fault/429/"):
            # 429 with Retry-After on the first request of each URL, the page afterwards.
            seconds = path.split("/")[3]
            if self._counts[path] == 1:
                await self._send(writer, ok("429 Too Many Requests", b"slow down",
                                            {"Retry-After": seconds}))
                return True
            await self._send(writer, ok("200 OK", article_page(800 + int(seconds) % 100)))
            return True
        if path.startswith("/fault/503/"):
            await self._send(writer, ok("503 Service Unavailable", b"busy"))
            return True
        if path.startswith("/fault/503-then-ok/"):
            n = int(path.split("/")[-1].split(".")[0])
            if self._counts[path] <= 1:
                await self._send(writer, ok("503 Service Unavailable", b"busy"))
            else:
                await self._send(writer, ok("200 OK", article_page(700 + n)))
            return True
        if path == "/fault/bad-gzip.html":
            good = gzip.compress(article_page(903))
            corrupt = good[:10] + bytes(b ^ 0x5A for b in good[10:40]) + good[40:]
            await self._send(writer, ok("200 OK", corrupt, {"Content-Encoding": "gzip"}))
            return True
        if path == "/fault/lying-length.html":
            body = article_page(904)
            await self._send(writer, ok("200 OK", body, content_length=len(body) * 3))
            writer.close()  # a clean FIN, long before the announced length
            return False
        await self._send(writer, ok("404 Not Found", b"<h1>404</h1>"))
        return True


def dead_port() -> int:
    """A loopback port with nothing listening (bound, then released)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])
