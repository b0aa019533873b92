"""Real Scrapy crawls of a loopback server that misbehaves: each fault is survived, counted
under its own name in the stats, and costs no healthy page.

Set FAULT_REPORT=path to get the per-fault numbers (stored / on the portal) as JSON lines.
"""

from __future__ import annotations

import json
import os

import pytest
from conftest import run_crawl
from fault_server import FaultServer, dead_port

ALLOWED = ["127.0.0.1", "portal.invalid"]

pytestmark = pytest.mark.timeout(120)


def _urls(server: FaultServer, other: FaultServer, fault: str) -> tuple[list[str], list[str]]:
    """(fault URLs, URLs among them that hold an article a retry should recover)."""
    u = server.url
    if fault == "connection_refused":
        return [f"http://127.0.0.1:{dead_port()}/a/1.html"], []
    if fault == "connection_reset":
        return [u("/fault/reset.html")], []
    if fault == "timeout_after_headers":
        return [u("/fault/stall.html")], []
    if fault == "timeout_slow_body":
        return [u("/fault/drip.html")], []
    if fault == "redirect_loop":
        return [u("/fault/loop-a.html")], []
    if fault == "offsite_redirect":
        server.extra_pages["@away"] = other.url("/a/1.html").replace("127.0.0.1", "localhost").encode()
        return [u("/fault/away.html")], []
    if fault == "http_429":
        ok = u("/fault/429/1/page.html")
        return [ok], [ok]
    if fault == "http_503":
        storm = [u(f"/fault/503/{n}.html") for n in range(1, 6)]
        ok = u("/fault/503-then-ok/1.html")
        return [*storm, ok], [ok]
    if fault == "bad_compression":
        return [u("/fault/bad-gzip.html")], []
    if fault == "content_length_mismatch":
        return [u("/fault/lying-length.html")], []
    if fault == "dns_failure":
        return [f"http://news.portal.invalid:{server.port}/a/1.html"], []
    raise AssertionError(fault)


FAULTS = [
    "connection_refused", "connection_reset", "timeout_after_headers", "timeout_slow_body",
    "redirect_loop", "offsite_redirect", "http_429", "http_503", "bad_compression",
    "content_length_mismatch", "dns_failure",
]


def _report(name: str, **numbers) -> None:
    path = os.environ.get("FAULT_REPORT")
    if path:
        with open(path, "a", encoding="utf-8") as fh:
            fh.write(json.dumps({"fault": name, **numbers}) + "\n")


def check_crawl(result: dict, healthy: list[str], recoverable: list[str]) -> tuple[int, int]:
    stats = result["stats"]
    assert stats.get("finish_reason") == "finished", stats
    assert not result["spider_errors"], result["spider_errors"]
    for bad in ("Spider error processing", "Unhandled error", "Error processing"):
        assert bad not in result["log"], result["log"][-4000:]
    stored = {item["url"] for item in result["items"]}
    on_portal = set(healthy) | set(recoverable)
    assert on_portal <= stored, sorted(on_portal - stored)
    urls = [item["url"] for item in result["items"]]
    assert len(urls) == len(set(urls)), "an article stored twice"
    return len(stored & on_portal), len(on_portal)


@pytest.mark.parametrize("fault", FAULTS)
def test_fault_is_survived_counted_and_costs_no_healthy_page(tmp_path, server, other_host, fault):
    fault_urls, recoverable = _urls(server, other_host, fault)
    healthy = server.article_urls()
    result = run_crawl(tmp_path, [*healthy, *fault_urls], ALLOWED)
    stats = result["stats"]
    assert stats.get(f"fault/{fault}", 0) >= 1, {k: v for k, v in stats.items() if "fault" in k}
    stored, on_portal = check_crawl(result, healthy, recoverable)
    _report(fault, stored=stored, on_portal=on_portal, fault_count=stats[f"fault/{fault}"],
            seconds=round(stats.get("elapsed_time_seconds", 0), 2))
    if fault == "offsite_redirect":
        assert other_host.hits == [], "a redirect took the crawl to another host"
        assert stats.get("offsite/redirect") == 1
    if fault == "redirect_loop":
        loops = [p for p in server.paths_hit() if p.startswith("/fault/loop-")]
        assert len(loops) <= 2, loops  # a-> b -> a is seen at b's answer
    if fault == "http_503":
        for n in range(1, 6):
            assert server.paths_hit().count(f"/fault/503/{n}.html") == 2  # 1 + RETRY_TIMES
        assert stats.get("retry/max_reached", 0) >= 5
    if fault in ("timeout_after_headers", "timeout_slow_body"):
        other_timeouts = {"timeout_after_headers", "timeout_slow_body", "timeout_no_response"} - {fault}
        assert not any(stats.get(f"fault/{n}") for n in other_timeouts), "misnamed timeout"


def test_retry_after_is_honoured_and_pauses_the_host(tmp_path, server):
    """429 with Retry-After: 2: the retry comes no sooner, and nothing else goes to the host
    meanwhile (one request at a time to the host, so the order is known)."""
    throttled = server.url("/fault/429/2/page.html")
    healthy = server.article_urls()
    result = run_crawl(tmp_path, [throttled, *healthy], ALLOWED,
                       {"CONCURRENT_REQUESTS_PER_DOMAIN": 1, "ROBOTSTXT_OBEY": False})
    stats = result["stats"]
    hits = [h for h in server.hits if h.path != "/robots.txt"]
    first_429 = next(h for h in hits if h.path == "/fault/429/2/page.html")
    retried = [h for h in hits if h.path == "/fault/429/2/page.html"][1]
    assert retried.at - first_429.at >= 1.95
    later = [h for h in hits if h.at > first_429.at]
    assert later and min(h.at for h in later) - first_429.at >= 1.95, "host not paused"
    assert stats["retry_after/honoured"] == 1 and stats["retry_after/host_paused"] >= 1
    stored, on_portal = check_crawl(result, healthy, [throttled])
    _report("retry_after_honoured", stored=stored, on_portal=on_portal,
            waited=round(retried.at - first_429.at, 2))


def test_a_retry_after_too_long_is_given_up_not_waited_for(tmp_path, server):
    throttled = server.url("/fault/429/3600/page.html")
    healthy = server.article_urls()
    result = run_crawl(tmp_path, [throttled, *healthy], ALLOWED)
    stats = result["stats"]
    assert stats["retry_after/too_long"] == 1
    assert stats["elapsed_time_seconds"] < 30
    assert server.paths_hit().count("/fault/429/3600/page.html") == 1
    check_crawl(result, healthy, [])


def test_every_fault_at_once(tmp_path, server, other_host):
    """The whole storm in one crawl: every fault counted, every healthy page stored."""
    healthy = server.article_urls()
    fault_urls: list[str] = []
    recoverable: list[str] = []
    for fault in FAULTS:
        f_urls, rec = _urls(server, other_host, fault)
        fault_urls += f_urls
        recoverable += rec
    result = run_crawl(tmp_path, [*healthy, *fault_urls], ALLOWED)
    stats = result["stats"]
    missing = [f for f in FAULTS if not stats.get(f"fault/{f}")]
    assert not missing, missing
    stored, on_portal = check_crawl(result, healthy, recoverable)
    assert other_host.hits == []
    _report("all_at_once", stored=stored, on_portal=on_portal,
            seconds=round(stats.get("elapsed_time_seconds", 0), 2))
