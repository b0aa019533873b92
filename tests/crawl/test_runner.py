"""One runner, one settings merge: a real `newscrawl crawl` runs with every component the
project defines (its settings module and the archive's), and the visible symptoms of a
crawl without them — a corrupt gzip body's traceback, an ignored Retry-After — are gone."""

from __future__ import annotations

import importlib

import pytest
from scrapy.settings import BaseSettings, Settings
from support.console_script import FAST, FaultServer, last_stats, run_cli, stored_records

from newscrawl.archive import setup as archive_setup
from newscrawl.archive.setup import ARCHIVE_PIPELINES
from newscrawl.crawl.settings import (
    PROFILE_PRIORITY,
    SettingsError,
    layered_settings,
    merge,
    parse_set_options,
)

pytestmark = pytest.mark.timeout(180)

KINDS = {"DOWNLOADER_MIDDLEWARES": "downloader_middlewares",
         "SPIDER_MIDDLEWARES": "spider_middlewares", "EXTENSIONS": "extensions",
         "ITEM_PIPELINES": "item_pipelines"}


def project_components() -> dict[str, tuple[set[str], set[str]]]:
    """Per kind: (components the project turns on, Scrapy ones it turns off), read from the
    project's settings module and the archive's component dicts."""
    module = importlib.import_module("newscrawl.settings")
    archive = {"DOWNLOADER_MIDDLEWARES": archive_setup.ARCHIVE_DOWNLOADER_MIDDLEWARES,
               "SPIDER_MIDDLEWARES": archive_setup.ARCHIVE_SPIDER_MIDDLEWARES,
               "EXTENSIONS": archive_setup.ARCHIVE_EXTENSIONS,
               "ITEM_PIPELINES": ARCHIVE_PIPELINES}
    out = {}
    for name, kind in KINDS.items():
        declared = {**getattr(module, name, {}), **archive[name]}
        out[kind] = ({k for k, v in declared.items() if v is not None},
                     {k for k, v in declared.items() if v is None})
    return out


def test_the_cli_runs_every_component_of_the_project(tmp_path):
    expected = project_components()
    assert len(expected["downloader_middlewares"][0]) >= 8  # the project's and the archive's
    with FaultServer(articles=3) as server:
        urls = tmp_path / "urls.txt"
        urls.write_text("\n".join(server.article_urls()) + "\n")
        proc = run_cli("crawl", "--spider", "urls", "--urls-file", str(urls), "--data-dir",
                       str(tmp_path / "data"), *FAST, "-s", "NEWSCRAWL_PROGRESS_FORCE=True",
                       cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr[-3000:]
    components = last_stats(tmp_path / "data", "urls")["components"]
    for kind, (on, off) in expected.items():
        running = set(components[kind])
        assert on <= running, f"{kind}: not running {sorted(on - running)}"
        assert not off & running, f"{kind}: replaced but running {sorted(off & running)}"
    assert len(stored_records(tmp_path / "data")) == 3


def test_corrupt_gzip_and_retry_after_through_the_cli(tmp_path):
    """A corrupt gzip body is a counted drop, not a traceback; a 429's Retry-After is waited
    out before the retry (the project's middlewares are on in a CLI crawl)."""
    with FaultServer(articles=2) as server:
        urls = tmp_path / "urls.txt"
        urls.write_text("\n".join([*server.article_urls(), server.url("/fault/bad-gzip.html"),
                                   server.url("/fault/429/2")]) + "\n")
        proc = run_cli("crawl", "--spider", "urls", "--urls-file", str(urls), "--data-dir",
                       str(tmp_path / "data"), *FAST, "--log-level", "INFO", cwd=tmp_path)
        hits = [h for h in server.hits if h.path == "/fault/429/2"]
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "Traceback" not in proc.stderr + proc.stdout
    stats = last_stats(tmp_path / "data", "urls")["scrapy_stats"]
    assert stats.get("fault/bad_compression") == 1
    assert len(hits) == 2 and hits[1].at - hits[0].at >= 1.9, [h.at for h in hits]
    assert stats.get("retry_after/honoured") == 1
    assert len(stored_records(tmp_path / "data")) == 3  # two articles and the 429'd page


# --- the merge itself ---------------------------------------------------------------------

def test_component_dicts_merge_at_every_layer_and_none_removes():
    settings = layered_settings(
        profile={"DOWNLOADER_MIDDLEWARES": {"tests.ProfileMiddleware": 300},
                 "DOWNLOAD_DELAY": 3.0},
        command={"EXTENSIONS": {"newscrawl.archive.progress.ProgressLine": 900}},
        user={"DOWNLOADER_MIDDLEWARES": '{"newscrawl.middlewares.faults.FaultStatsMiddleware": null}',
              "DOWNLOAD_DELAY": "1.5"})
    mws = settings.getdict("DOWNLOADER_MIDDLEWARES")
    assert mws["newscrawl.middlewares.hostguard.HostGuardMiddleware"] == 50  # the project's stays
    assert mws["tests.ProfileMiddleware"] == 300
    assert mws["newscrawl.middlewares.faults.FaultStatsMiddleware"] is None
    assert "newscrawl.archive.progress.ProgressLine" in settings.getdict("EXTENSIONS")
    assert settings.getfloat("DOWNLOAD_DELAY") == 1.5  # the command line beats the profile


def test_a_lower_layer_does_not_undo_a_higher_one():
    settings = Settings()
    merge(settings, {"ITEM_PIPELINES": {"a.B": 1}}, "cmdline")
    merge(settings, {"ITEM_PIPELINES": {"a.B": None, "c.D": 2}}, PROFILE_PRIORITY)
    assert settings.getdict("ITEM_PIPELINES") == {"a.B": 1, "c.D": 2}
    assert isinstance(settings["ITEM_PIPELINES"], BaseSettings)


@pytest.mark.parametrize("items, message", [
    (["FOO"], "expected NAME=VALUE"),
    (["DOWNLOAD_DELAY=abc"], "DOWNLOAD_DELAY must be a number of seconds"),
    (["DOWNLOAD_TIMEOUT=-1"], "must be a number of seconds"),
    (["CONCURRENT_REQUESTS=many"], "must be a whole number"),
    (["ROBOTSTXT_OBEY=perhaps"], "must be a flag"),
    (["DOWNLOADER_MIDDLEWARES={oops"], "not a JSON object"),
    (["lowercase=1"], "not a setting name"),
])
def test_bad_set_options_are_one_line_errors(items, message):
    with pytest.raises(SettingsError, match=message) as info:
        layered_settings(user=parse_set_options(items))
    assert "\n" not in str(info.value)


def test_a_runner_merging_its_settings_keeps_the_crawler_components():
    """Scrapy merges a runner's settings into a Crawler given to it, by priority (the
    distributed worker and rebuild do that): the merged components must survive it."""
    base = layered_settings()
    crawler_settings = base.copy()
    merge(crawler_settings, {"DOWNLOADER_MIDDLEWARES": {"a.B": 1}}, "cmdline")
    crawler_settings.update(base)  # CrawlerRunner.create_crawler(crawler)
    assert crawler_settings.getdict("DOWNLOADER_MIDDLEWARES")["a.B"] == 1


def test_good_set_values_pass():
    settings = layered_settings(user=parse_set_options(
        ["DOWNLOAD_TIMEOUT=1.5", "DEPTH_PRIORITY=-1", "ROBOTSTXT_OBEY=False", "FOO=bar"]))
    assert settings.getfloat("DOWNLOAD_TIMEOUT") == 1.5 and settings.getint("DEPTH_PRIORITY") == -1
