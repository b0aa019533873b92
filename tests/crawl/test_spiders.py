"""The one spider registry (newscrawl.crawl.spiders)."""

from __future__ import annotations

import pytest
from scrapy import Spider

from newscrawl.crawl.spiders import SPIDERS, registered_spider, spider_class


@pytest.mark.parametrize("name", SPIDERS)
def test_every_registered_name_is_a_spider_of_that_name(name):
    cls = registered_spider(name)
    assert issubclass(cls, Spider) and cls.name == name
    assert spider_class(name) is cls


def test_a_name_from_shared_state_is_never_loaded_as_an_import_path():
    with pytest.raises(ValueError, match="unknown spider 'scrapy.Spider'"):
        registered_spider("scrapy.Spider")
    assert spider_class("scrapy.Spider") is Spider  # tests' own spiders, by import path
