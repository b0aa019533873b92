"""The hostile pages served over HTTP and crawled for real (the project's ``urls`` spider,
the archive's pipelines and JSONL store): every page is stored or counted as a drop by
name, nothing else; every line of every JSONL file is one whole, valid record."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import jsonschema
import pytest
from hostile_pages import KNOWN_ISSUES, PAGES

from newscrawl.record import load_schema

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "faults"))
from fault_crawls import CrawlJob  # noqa: E402
from fault_server import FaultServer  # noqa: E402

pytestmark = pytest.mark.timeout(180)


def test_hostile_pages_crawled_into_the_archive(tmp_path):
    with FaultServer(articles=0) as server:
        urls = {}
        for page in PAGES:
            path = f"/h/{page.name}.html"
            body = page.build()
            server.extra_pages[path] = (body if isinstance(body, bytes)
                                        else body.encode("utf-8", "surrogateescape"))
            ctype = page.content_type + (f"; charset={page.http_encoding}"
                                         if page.http_encoding else "")
            server.extra_headers[path] = {"Content-Type": ctype}
            urls[server.url(path)] = page
        result = CrawlJob(tmp_path, list(urls), {"ROBOTSTXT_OBEY": False}).result(timeout=170)

    stats = result["stats"]
    assert stats.get("finish_reason") == "finished"
    assert not result["spider_errors"], result["spider_errors"]
    stored = {r["url"] for r in result["stored"]}
    want = {u for u, p in urls.items() if p.expect.reason is None}
    unwanted = {u for u, p in urls.items() if p.expect.reason and p.name not in KNOWN_ISSUES}
    assert want <= stored, sorted(urls[u].name for u in want - stored)
    assert not unwanted & stored, sorted(urls[u].name for u in unwanted & stored)
    assert len(result["stored"]) == len(stored), "a page stored twice"

    # Nothing lost: every page not stored is counted under a named reason.
    drops = {k: v for k, v in stats.items() if k.startswith("newscrawl/dropped/")}
    too_large = stats.get("fault/response_too_large", 0)
    assert too_large == 1  # the 50 MB page, stopped by DOWNLOAD_MAXSIZE while downloading
    assert len(urls) == len(stored) + sum(drops.values()) + too_large, drops

    # The files as a reader sees them: split on "\n" and on every line break Python knows.
    schema = load_schema()
    data = tmp_path / "data"
    lines = 0
    for path in data.rglob("*.jsonl"):
        text = path.read_text("utf-8")
        assert text.endswith("\n")
        assert text.splitlines() == text.split("\n")[:-1], f"{path}: a raw line break in a record"
        for line in text.split("\n")[:-1]:
            jsonschema.validate(json.loads(line), schema)
            lines += 1
    assert lines >= len(stored)


def test_the_memory_bound_holds_in_a_real_crawl(tmp_path):
    """Workers limited to 64 MB of address space (a worker uses ~40 MB): the 6 MB article
    page, which needs ~100 MB to extract, is dropped by name; the others are stored."""
    from hostile_pages import article_html

    with FaultServer(articles=4) as server:
        server.extra_pages["/big.html"] = article_html(paras=["很长的段落内容" * 200] * 1500).encode()
        result = CrawlJob(tmp_path, [*server.article_urls(), server.url("/big.html")],
                          {"NEWSCRAWL_EXTRACT_MEMORY_MB": 64, "ROBOTSTXT_OBEY": False}
                          ).result(timeout=170)
        healthy = set(server.article_urls())
    stats = result["stats"]
    assert stats.get("finish_reason") == "finished" and not result["spider_errors"]
    assert {r["url"] for r in result["stored"]} == healthy
    drops = {k.rsplit("/", 1)[1]: v for k, v in stats.items()
             if k.startswith("newscrawl/dropped/")}
    assert drops == {"extract_memory_limit": 1}, drops
