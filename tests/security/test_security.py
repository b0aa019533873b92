"""Security: requests stay on the site's hosts, profiles are data, names cannot write outside
the data folder, files are created with the user's umask."""

from __future__ import annotations

import ast
import os
import re
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests" / "faults"))

from fault_crawls import CrawlJob  # noqa: E402
from fault_server import FaultServer  # noqa: E402

from newscrawl.archive.layout import DataLayout, site_dirname  # noqa: E402
from newscrawl.profiles import ProfileError, load_profile  # noqa: E402

pytestmark = pytest.mark.timeout(120)


# --- no request leaves the site ----------------------------------------------------------

def _hostile_site(site: FaultServer, other: FaultServer) -> str:
    """A home page that tries every way off the site; returns its URL."""
    away = f"http://localhost:{other.port}"
    site.extra_pages["@away"] = f"{away}/a/1.html".encode()
    links = "".join(f'<li><a href="/a/{n}.html">本站文章{n}</a></li>' for n in range(1, 4))
    site.extra_pages["/index.html"] = (
        "<html><head><meta charset=utf-8><title>首页</title></head><body><ul>"
        f"{links}"
        f'<li><a href="{away}/a/2.html">外站链接</a></li>'
        f'<li><a href="//localhost:{other.port}/a/3.html">协议相对链接</a></li>'
        '<li><a href="/fault/away.html">跳转到外站</a></li>'
        '<li><a href="/base.html">base href 页面</a></li>'
        '<li><a href="/refresh.html">meta refresh 页面</a></li>'
        f'<li><a href="http://127.0.0.1.{other.port}.localhost/a/1.html">子域伪装</a></li>'
        "</ul></body></html>").encode()
    # Every relative link of this page resolves to the other host.
    site.extra_pages["/base.html"] = (
        f'<html><head><base href="{away}/"><title>base</title></head><body>'
        '<a href="a/1.html">相对链接一</a><a href="/a/2.html">相对链接二</a>'
        '<a href="index_2.html">下一页</a></body></html>').encode()
    site.extra_pages["/refresh.html"] = (
        f'<html><head><meta http-equiv="refresh" content="0; url={away}/a/1.html"></head>'
        "<body>跳转中</body></html>").encode()
    return site.url("/index.html")


@pytest.mark.parametrize("start", ["/index.html", "/fault/away.html", "/refresh.html"])
def test_no_request_leaves_the_profile_hosts(tmp_path, start):
    """The portal spider, from a home page full of ways off the site (absolute and
    protocol-relative links, <base href>, a 302, a meta refresh), or starting on the 302 or
    the refresh itself: the other host is never asked for anything."""
    with FaultServer(articles=3) as site, FaultServer(articles=3) as other:
        _hostile_site(site, other)
        job = CrawlJob(tmp_path, [], {"ROBOTSTXT_OBEY": False},
                       spider="newscrawl.spiders.portal.PortalSpider",
                       spider_args={"url": site.url(start)})
        result = job.result()
        assert other.hits == [], [h.path for h in other.hits]
    stats = result["stats"]
    assert stats.get("finish_reason") == "finished"
    hosts = {r["url"].split("/")[2] for r in result["stored"]}
    assert hosts <= {f"127.0.0.1:{site.port}"}
    if start == "/index.html":
        assert {r["url"] for r in result["stored"]} >= {site.url(f"/a/{n}.html") for n in (1, 2, 3)}
        refused = stats.get("newscrawl/offsite/refused_links", 0) + stats.get("offsite/filtered", 0)
        assert refused >= 4
    else:
        assert stats.get("offsite/redirect", 0) == 1 and stats.get("fault/offsite_redirect") == 1


# --- profiles are data only --------------------------------------------------------------

CODE_CALLS = {"eval", "exec", "compile", "__import__", "execfile"}
UNSAFE_ATTRS = {("pickle", "load"), ("pickle", "loads"), ("marshal", "load"), ("marshal", "loads"),
                ("yaml", "load"), ("yaml", "unsafe_load"), ("yaml", "full_load"),
                ("shelve", "open"), ("os", "system"), ("os", "popen"), ("dill", "loads")}


# Deliberate exceptions. Documented in docs/scale-out.md: the distributed request queue
# stores pickled requests in Redis as scrapy-redis (and Scrapy's JOBDIR disk queues) do, so
# that Redis must be as trusted as the code (private network, requirepass or TLS). And the
# extraction pool reads its own worker processes' answers from their private pipes, as
# multiprocessing.Connection.recv() does: nothing from outside the crawl's process tree.
ALLOWED = {"serializer.py pickle.loads()", "bounded.py pickle.loads()"}


def test_the_package_has_no_code_execution_path():
    """No eval/exec, no unsafe deserialiser (pickle, marshal, yaml.load), no shell."""
    found = []
    for path in sorted((ROOT / "newscrawl").rglob("*.py")):
        tree = ast.parse(path.read_text("utf-8"), str(path))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            if isinstance(func, ast.Name) and func.id in CODE_CALLS:
                found.append(f"{path.name}:{node.lineno} {func.id}()")
            if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) \
                    and (func.value.id, func.attr) in UNSAFE_ATTRS:
                found.append(f"{path.name}:{node.lineno} {func.value.id}.{func.attr}()")
            for kw in node.keywords:
                if kw.arg == "shell" and isinstance(kw.value, ast.Constant) and kw.value.value:
                    found.append(f"{path.name}:{node.lineno} shell=True")
    unexpected = [f for f in found if re.sub(r":\d+ ", " ", f) not in ALLOWED]
    assert not unexpected, unexpected


def test_a_profile_is_read_as_data_never_run(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    sites = tmp_path / "sites"
    sites.mkdir()
    marker = tmp_path / "PWNED"
    payload = f"__import__('os').system('touch {marker}')"
    (sites / "evil.toml").write_text(
        f'name = "evil"\nstart_urls = ["http://127.0.0.1:9/"]\nallowed_hosts = ["127.0.0.1"]\n'
        f'description = "{payload}"\nlanguage = "zh"\n'
        f'[extract]\ntitle = "{payload}"\ndrop_text = ["{payload}"]\n', "utf-8")
    profile = load_profile("evil", sites)
    assert profile.description == payload and profile.extract.title == payload
    (sites / "evil2.toml").write_text(f'name = "evil2"\ntimezone = "{payload}"\n'
                                      'start_urls = ["http://127.0.0.1:9/"]\n', "utf-8")
    with pytest.raises(ProfileError):
        load_profile("evil2", sites)
    assert not marker.exists()


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://127.0.0.1/x", "data:text/html,hi",
                                 "javascript:alert(1)", "s3://bucket/key"])
def test_a_profile_cannot_point_the_crawler_at_local_files_or_other_schemes(tmp_path, url):
    sites = tmp_path / "sites"
    sites.mkdir()
    (sites / "x.toml").write_text(f'name = "x"\nstart_urls = ["{url}"]\n', "utf-8")
    with pytest.raises(ProfileError):
        load_profile("x", sites)


# --- nothing is written outside the data folder -------------------------------------------

@settings(max_examples=300, deadline=None)
@given(st.text(max_size=40))
def test_no_site_name_escapes_the_data_folder(name):
    root = Path("/srv/newscrawl-data")
    try:
        folder = site_dirname(name)
    except ValueError:
        return
    assert folder not in ("", ".", "..") and "/" not in folder and "\\" not in folder
    assert "\x00" not in folder
    for path in (DataLayout(root).site_dir(name), DataLayout(root).lock_path(name),
                 DataLayout(root).job_dir(name), DataLayout(root).warc_dir(name)):
        assert os.path.normpath(path).startswith(str(root) + os.sep)


def _files_outside(top: Path, allowed: list[Path]) -> list[Path]:
    out = []
    for path in top.rglob("*"):
        if not any(path == a or a in path.parents for a in allowed):
            out.append(path)
    return out


@pytest.mark.parametrize("name", ["../escape", "../../escape", "/tmp/escape", "..", "a/../../b"])
def test_crawl_command_rejects_a_traversing_site_name(tmp_path, name):
    work = tmp_path / "work"
    work.mkdir()
    proc = subprocess.run([sys.executable, "-m", "newscrawl", "crawl", name, "--data-dir",
                           str(work / "data")], cwd=work, capture_output=True, text=True,
                          timeout=60)
    assert proc.returncode == 2, proc.stderr[-2000:]
    assert _files_outside(tmp_path, [work]) == []
    assert not Path("/tmp/escape").exists()


def test_a_profile_named_with_dots_still_writes_inside_data(tmp_path):
    with FaultServer(articles=2) as site:
        sites = tmp_path / "sites"
        sites.mkdir()
        (sites / "tricky.toml").write_text(
            f'name = "../../../tricky"\nstart_urls = ["{site.url("/index.html")}"]\n'
            'allowed_hosts = ["127.0.0.1"]\n', "utf-8")
        proc = subprocess.run(
            [sys.executable, "-m", "newscrawl", "crawl", "tricky", "--sites-dir", str(sites),
             "--data-dir", str(tmp_path / "data"), "--quiet", "-s", "ROBOTSTXT_OBEY=False",
             "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "DOWNLOAD_DELAY=0"],
            cwd=tmp_path, capture_output=True, text=True, timeout=90)
    assert proc.returncode in (0, 1, 2), proc.stderr[-2000:]
    assert _files_outside(tmp_path, [tmp_path / "data", sites]) == []


# --- files are created with the user's umask ------------------------------------------------

def _crawl_with_umask(tmp_path: Path, umask: int) -> Path:
    with FaultServer(articles=3) as site:
        urls_file = tmp_path / "urls.txt"
        urls_file.write_text("\n".join(site.article_urls()) + "\n")
        data = tmp_path / "data"
        proc = subprocess.run(
            [sys.executable, "-m", "newscrawl", "crawl", "--spider", "urls", "--urls-file",
             str(urls_file), "--cache", "--data-dir", str(data), "--quiet",
             "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "DOWNLOAD_DELAY=0"],
            cwd=tmp_path, capture_output=True, text=True, timeout=90,
            preexec_fn=lambda: os.umask(umask))
    assert proc.returncode == 0, proc.stderr[-3000:]
    return data


def _modes(data: Path) -> dict[str, int]:
    return {str(p.relative_to(data)): stat.S_IMODE(p.stat().st_mode)
            for p in [data, *data.rglob("*")]}


@pytest.mark.parametrize("umask", [0o022, 0o077])
def test_cache_warc_and_records_respect_the_umask(tmp_path, umask):
    data = _crawl_with_umask(tmp_path, umask)
    modes = _modes(data)
    kinds = {"httpcache": False, ".warc.gz": False, ".jsonl": False}
    for name, mode in modes.items():
        for kind in kinds:
            kinds[kind] |= kind in name
        assert not mode & stat.S_IWOTH, f"{name} is world-writable: {oct(mode)}"
        assert not mode & umask, f"{name}: {oct(mode)} ignores umask {oct(umask)}"
    assert all(kinds.values()), kinds


def test_files_get_exactly_what_the_umask_allows(tmp_path):
    """umask 002 (a group-shared data folder): the cache and the archive's files are group
    writable like any file the user creates (0o666 & ~umask), directories 0o777 & ~umask.
    SQLite's own file is left out: SQLite creates it 0644 by its own rule."""
    umask = 0o002
    data = _crawl_with_umask(tmp_path, umask)
    wrong = {}
    for name, mode in _modes(data).items():
        path = data / name
        if path.name.startswith("state.sqlite3"):
            continue
        want = (0o777 if path.is_dir() else 0o666) & ~umask
        if mode != want:
            wrong[name] = oct(mode)
    assert not wrong, sorted(wrong.items())
