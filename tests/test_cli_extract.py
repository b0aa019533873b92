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
