import json
import subprocess
import sys


def run(*args, stdin=None):
    return subprocess.run([sys.executable, "-m", "newscrawl", *args], input=stdin,
                          capture_output=True)


def test_extract_sample_prints_one_jsonl_record():
    proc = run("extract", "sample:article")
    assert proc.returncode == 0, proc.stderr.decode()
    lines = proc.stdout.decode("utf-8").splitlines()
    assert len(lines) == 1
    rec = json.loads(lines[0])
    assert rec["title"] == "滨海市举办社区图书节开幕活动"


def test_extract_unreadable_file_is_a_clear_error(tmp_path):
    proc = run("extract", str(tmp_path / "missing.html"))
    assert proc.returncode == 2
    assert b"cannot read" in proc.stderr


def test_extract_non_article_exits_1():
    proc = run("extract", "-", stdin=b"<html><body><ul><li>x</li></ul></body></html>")
    assert proc.returncode == 1
    assert b"not an article" in proc.stderr


def script():
    from pathlib import Path

    beside = Path(sys.executable).with_name("newscrawl")
    return str(beside) if beside.exists() else "newscrawl"


def newscrawl(*args):
    return subprocess.run([script(), *args], capture_output=True, text=True, timeout=120)


def test_extract_formats_for_reading():
    record = json.loads(run("extract", "sample:article").stdout)
    txt = newscrawl("extract", "sample:article", "--format", "txt")
    md = newscrawl("extract", "sample:article", "--format", "markdown")
    assert txt.returncode == md.returncode == 0
    assert txt.stdout.splitlines()[0] == record["title"]
    assert md.stdout.splitlines()[0] == "# " + record["title"]
    first, last = record["body"].split("\n\n")[0], record["body"].split("\n\n")[-1]
    for out in (txt.stdout, md.stdout):
        assert record["source"] in out and ", ".join(record["authors"]) in out
        assert out.index(record["source"]) < out.index(first) and last in out
        assert "{" not in out.splitlines()[0]
    assert f"- **Source:** {record['source']}" in md.stdout


def test_extract_with_a_profile_names_the_site():
    plain = json.loads(run("extract", "sample:article").stdout)
    proc = newscrawl("extract", "sample:article", "--profile", "demo")
    assert proc.returncode == 0, proc.stderr
    record = json.loads(proc.stdout)
    assert record["site"] == "demo" and plain["site"] != "demo"
    assert record["published_at"].endswith("+08:00")
    bad = newscrawl("extract", "sample:article", "--profile", "no_such_profile")
    assert bad.returncode == 2 and bad.stderr.count("\n") == 1


def test_extract_fetches_a_url_once_and_obeys_robots_txt():
    from urllib.parse import urlsplit

    from newscrawl.demo import DemoPortal

    with DemoPortal(slow_seconds=0.3) as portal:
        article = portal.truth()["articles"][0]
        url = article["url"]
        proc = newscrawl("extract", url)
        assert proc.returncode == 0, proc.stderr
        record = json.loads(proc.stdout)
        assert record["url"] == url and record["title"] == article["title"]
        assert record["fetched_at"]
        assert portal.requested_paths().count(urlsplit(url).path) == 1
        assert "/robots.txt" in portal.requested_paths()

        forbidden = portal.truth()["disallowed"][0]
        portal.clear_log()
        proc = newscrawl("extract", forbidden)
        assert proc.returncode == 2
        assert proc.stderr.count("\n") == 1 and "robots.txt" in proc.stderr
        assert proc.stdout == ""
        assert urlsplit(forbidden).path not in portal.requested_paths()

        missing = newscrawl("extract", portal.base_url + "/news/missing.htm")
        assert missing.returncode == 2 and "HTTP 404" in missing.stderr
        assert missing.stderr.count("\n") == 1
