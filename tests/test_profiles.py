"""Site profiles: loading, lookup order, and errors that name the file, key and problem."""

from __future__ import annotations

import subprocess
import sys

import pytest

from newscrawl.profiles import (
    ProfileError,
    SiteProfile,
    iter_profiles,
    load_profile,
    load_profile_file,
    resolve_target,
)

GOOD = """
name = "example"
start_urls = ["https://news.example.cn/"]
feeds = ["https://rss.example.cn/all.xml"]
allowed_hosts = ["example.cn"]
article_urls = ['/content_\\d+\\.htm$']
timezone = "Asia/Shanghai"
language = "zh"

[extract]
body = "div#content"
drop_text = ["^责任编辑"]
drop_selectors = ["div.share"]
"""


def write(folder, name, text):
    path = folder / f"{name}.toml"
    path.write_text(text, "utf-8")
    return path


def test_a_good_profile_loads_into_typed_fields(tmp_path):
    profile = load_profile_file(write(tmp_path, "example", GOOD))
    assert profile.start_urls == ("https://news.example.cn/",)
    assert profile.allowed_hosts == ("example.cn",)
    assert profile.extract.body == "div#content"
    assert profile.extract.drop_text == ("^责任编辑",)
    assert profile.extract.timezone == "Asia/Shanghai"  # carried into the extractor's rules
    assert profile.discovery == "portal"
    assert profile.url_rules.match("https://news.example.cn/a/content_123.htm").value == "article"


@pytest.mark.parametrize(
    ("text", "key", "problem"),
    [
        ('name = "example"\nstart_url = ["https://a.cn/"]\n', "start_url", "unknown key"),
        ('name = "example"\nstart_urls = "ftp://a.cn/"\n', "start_urls", "not an http(s) URL"),
        ('name = "example"\nstart_urls = [1, 2]\n', "start_urls", "list of non-empty strings"),
        ('name = "example"\n', "start_urls", "needs start_urls, sitemaps or feeds"),
        ('name = "other"\nstart_urls = ["https://a.cn/"]\n', "name", "differs from the file name"),
        ('start_urls = ["https://a.cn/"]\narticle_urls = ["(unclosed"]\n', "article_urls", "bad regex"),
        ('start_urls = ["https://a.cn/"]\ntimezone = "Mars/Olympus"\n', "timezone", "not an IANA time zone"),
        ('start_urls = ["https://a.cn/"]\nallowed_hosts = ["b.cn"]\n', "allowed_hosts", "does not cover 'a.cn'"),
        ('start_urls = ["https://a.cn/"]\n[extract]\nbodyy = "div"\n', "extract.bodyy", "unknown key"),
        ('start_urls = ["https://a.cn/"]\n[extract]\ndrop_text = ["[x"]\n', "extract.drop_text", "bad regex"),
        ('start_urls = ["https://a.cn/"]\nlanguage = 5\n', "language", "must be a string"),
        ('start_urls = ["https://a.cn/"]\nstrip_params = ["a b"]\n', "strip_params", "not a URL parameter name"),
        ('start_urls = ["https://a.cn/"]\nstrip_params = "x=1"\n', "strip_params", "not a URL parameter name"),
    ],
)
def test_errors_name_the_file_the_key_and_the_problem(tmp_path, text, key, problem):
    path = write(tmp_path, "example", text)
    with pytest.raises(ProfileError) as info:
        load_profile_file(path)
    message = str(info.value)
    assert str(path) in message
    assert f"key '{key}'" in message
    assert problem in message


def test_strip_params_extend_the_default_session_parameters(tmp_path):
    text = 'start_urls = ["https://a.cn/"]\nstrip_params = ["channelid", "track_*"]\n'
    profile = load_profile_file(write(tmp_path, "example", text))
    assert profile.strip_params == ("channelid", "track_*")


def test_broken_toml_names_the_file_and_line(tmp_path):
    path = write(tmp_path, "example", 'name = "example"\nstart_urls = [\n"x" "y"]\n')
    with pytest.raises(ProfileError, match=r"example\.toml: not valid TOML.*line 3"):
        load_profile_file(path)


@pytest.mark.parametrize("name", ["../etc/passwd", "Demo", "a/b", "x.y", "", "a" * 65])
def test_profile_names_cannot_escape_the_sites_folder(tmp_path, name):
    with pytest.raises(ProfileError, match="may only hold"):
        load_profile(name, tmp_path)


def test_lookup_order_sites_dir_then_user_folder_then_packaged(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "sites").mkdir()
    assert load_profile("demo").source == "newscrawl/sites/demo.toml"
    write(tmp_path / "sites", "demo", 'start_urls = ["https://user.example/"]\n')
    assert load_profile("demo").start_urls == ("https://user.example/",)
    other = tmp_path / "other"
    other.mkdir()
    write(other, "demo", 'start_urls = ["https://dir.example/"]\n')
    assert load_profile("demo", other).start_urls == ("https://dir.example/",)
    with pytest.raises(ProfileError, match="not found"):
        load_profile("nosuchsite", other)


def test_a_url_target_gets_a_generic_profile_for_its_host():
    profile = resolve_target("https://news.example.org/china/index.html")
    assert profile.allowed_hosts == ("news.example.org",)
    assert profile.start_urls == ("https://news.example.org/china/index.html",)
    assert not profile.article_urls and not profile.list_urls


def test_with_base_url_moves_every_url_and_allows_the_new_host():
    moved = load_profile("demo").with_base_url("http://127.0.0.1:4321")
    assert all(u.startswith("http://127.0.0.1:4321/") for u in moved.start_urls + moved.sitemaps + moved.feeds)
    assert "127.0.0.1" in moved.allowed_hosts
    assert isinstance(moved, SiteProfile)


def test_sites_command_lists_profiles_and_flags_broken_ones(tmp_path):
    write(tmp_path, "good-one", 'start_urls = ["https://good.example/"]\n')
    write(tmp_path, "bad-one", 'start_urls = ["https://bad.example/"]\ncolour = "red"\n')
    proc = subprocess.run([sys.executable, "-m", "newscrawl", "sites", "--sites-dir", str(tmp_path)],
                          capture_output=True, text=True, cwd=tmp_path)
    assert proc.returncode == 1
    lines = {line.split()[0]: line for line in proc.stdout.splitlines()}
    assert "good.example" in lines["good-one"]
    assert "demo" in lines
    assert "ERROR" in lines["bad-one"] and "colour" in lines["bad-one"]
    names = [name for name, _ in iter_profiles(tmp_path)]
    assert names == sorted(names)
