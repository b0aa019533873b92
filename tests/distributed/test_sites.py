"""The seeded sites kept in Redis (newscrawl.distributed.sites): a profile stored by the
seeding host comes back whole on any worker; a stored spider is only ever a name."""

from __future__ import annotations

import json

import pytest


def test_a_seeded_profile_comes_back_whole_on_a_worker(redis_url):
    import dataclasses

    import redis

    from newscrawl.distributed.keys import Keys
    from newscrawl.distributed.sites import load_site, register_site, seeded_sites
    from newscrawl.profiles import SiteProfile, load_profile

    server = redis.Redis.from_url(redis_url)
    profiles = [load_profile("demo").with_base_url("http://127.0.0.1:5555"),
                SiteProfile.for_url("https://news.example.cn/list/"),
                SiteProfile(name="urls", allowed_hosts=("a.example.cn",), source="<url list>")]
    for profile in profiles:
        register_site(server, Keys(), profile, "portal", {"since": "2026-11-01"})
    assert seeded_sites(server, Keys()) == sorted(p.name for p in profiles)
    for profile in profiles:
        entry = load_site(server, Keys(), profile.name)
        assert entry is not None
        assert dataclasses.replace(entry.profile, source=profile.source) == profile
        assert (entry.spider, entry.spider_args) == ("portal", {"since": "2026-11-01"})
    assert load_site(server, Keys(), "never-seeded") is None


def test_a_stored_spider_is_a_name_never_an_import_path():
    from newscrawl.distributed.sites import SiteEntry
    from newscrawl.profiles import load_profile

    entry = SiteEntry(load_profile("demo"), "portal", {}, 0.0)
    assert SiteEntry.from_json(entry.to_json(), "test").spider == "portal"
    for spider in ("os.system", "scrapy.Spider", "", None):
        text = entry.to_json().replace('"spider": "portal"', f'"spider": {json.dumps(spider)}')
        with pytest.raises(ValueError, match="unknown spider"):
            SiteEntry.from_json(text, "test")
