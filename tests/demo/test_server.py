"""The demo portal itself: a real server with the cases the crawl tests rely on."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from newscrawl.demo import DemoPortal

SEED = Path(__file__).resolve().parents[2] / ".." / "shared" / "seed"


def fetch(url, method="GET"):
    request = urllib.request.Request(url, method=method)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers, exc.read()


def test_gbk_pages_with_honest_lying_and_missing_charsets(truth):
    seen = set()
    for article in truth["articles"]:
        if article["encoding"] != "gbk":
            continue
        status, headers, body = fetch(article["url"])
        assert status == 200
        assert article["title"] in body.decode("gbk")
        with pytest.raises(UnicodeDecodeError):
            body.decode("utf-8")
        seen.add(headers.get_content_charset())
    assert seen == {"gbk", "utf-8", None}


def test_seed_style_structure_without_seed_text(truth):
    status, _, body = fetch(truth["articles"][11]["url"])
    page = body.decode("utf-8")
    for marker in ("您现在的位置", "时间：", "来源：", "标签：", "上一篇", "下一篇", "相关新闻", "凡本网注明", "热文推荐"):
        assert marker in page
    if SEED.exists():  # the portal's text is invented, never the seed's
        seed = "".join(p.read_text("utf-8") for p in SEED.glob("*.txt"))
        sentences = [s for s in re.split(r"[。！？\n]", seed) if len(s) >= 15]
        assert not [s for s in sentences if s in page]


def test_error_cases_and_machine_files(portal, truth):
    assert fetch(truth["errors"]["404"])[0] == 404
    assert fetch(truth["errors"]["500"])[0] == 500
    assert fetch(truth["errors"]["empty"])[2] == b""
    robots = fetch(portal.base_url + "/robots.txt")[2].decode()
    assert "Disallow: /private/" in robots and f"Sitemap: {portal.base_url}/sitemap.xml" in robots
    home = fetch(portal.base_url + "/")[2].decode()
    assert "/private/" in home and portal.foreign_base_url in home
    for path in ("/sitemap.xml", "/sitemap-news.xml", "/rss.xml", "/atom.xml"):
        assert fetch(portal.base_url + path)[0] == 200
    assert b"news:publication_date" in fetch(portal.base_url + "/sitemap-news.xml")[2]


def test_redirect_and_the_other_host(portal, truth):
    request = urllib.request.Request(truth["redirect"]["from"])
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.url == truth["redirect"]["to"]
    portal_hosts_before = len(portal.requested_paths("localhost"))
    fetch(truth["foreign"][0])
    assert len(portal.requested_paths("localhost")) == portal_hosts_before + 1


def test_revising_an_article_changes_its_page_and_truth():
    with DemoPortal(slow_seconds=0) as portal:  # its own portal: the session's stays as is
        article = portal.truth()["articles"][20]
        before = fetch(article["url"])[2]
        status, _, answer = fetch(f"{portal.base_url}/_control/revise?path={article['url']}", "POST")
        assert status == 200
        revised = json.loads(answer)
        after = fetch(article["url"])[2]
        assert after != before
        assert revised["revision"] == article["revision"] + 1
        assert revised["paragraphs"] != article["paragraphs"]
        assert revised["paragraphs"][-1] in after.decode("utf-8")
        truth = json.loads(fetch(portal.base_url + "/_control/truth")[2])
        assert truth["articles"][20]["revision"] == 1
        assert fetch(f"{portal.base_url}/_control/revise?path=/nope.html", "POST")[0] == 404


def test_newscrawl_demo_command_crawls_into_data(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "newscrawl", "demo"], cwd=tmp_path,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-3000:]
    # The archive's layout (docs/archive.md): data/<site>/articles/<day>.jsonl
    files = list((tmp_path / "data").glob("demo/articles/*.jsonl"))
    assert files
    lines = [line for f in files for line in f.read_text("utf-8").splitlines()]
    match = re.search(r"the portal has (\d+) articles", proc.stdout)
    assert match and len(lines) == int(match.group(1))
    assert str(Path("data") / "demo") in proc.stdout


def test_validators_and_304_for_conditional_requests():
    with DemoPortal(slow_seconds=0.3) as portal:
        article = portal.truth()["articles"][2]["url"]
        status, headers, body = fetch(article)
        etag, modified = headers["ETag"], headers["Last-Modified"]
        assert status == 200 and etag.startswith('"') and modified.endswith("GMT")

        def conditional(**conditions):
            request = urllib.request.Request(article, headers=conditions)
            try:
                with urllib.request.urlopen(request, timeout=10) as response:
                    return response.status, response.headers, response.read()
            except urllib.error.HTTPError as exc:
                return exc.code, exc.headers, exc.read()

        assert conditional(**{"If-None-Match": etag})[:3:2] == (304, b"")
        assert conditional(**{"If-Modified-Since": modified})[0] == 304
        assert conditional(**{"If-None-Match": '"other"', "If-Modified-Since": modified})[0] == 200
        portal.revise(article.replace(portal.base_url, ""))
        status, headers, body = conditional(**{"If-None-Match": etag})
        assert status == 200 and headers["ETag"] != etag and body
