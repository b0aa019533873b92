"""The archive's core is Scrapy-free: ``rebuild``, the benchmarks and your own tools use
it without loading a crawler; only its Scrapy side (extension, setup, progress, diskqueue)
and the pipelines and middlewares over it import Scrapy."""

import subprocess
import sys

CORE = ["newscrawl.archive", "newscrawl.archive.store", "newscrawl.archive.state",
        "newscrawl.archive.redis", "newscrawl.archive.jsonl", "newscrawl.archive.warc",
        "newscrawl.archive.layout", "newscrawl.archive.lock", "newscrawl.archive.runstats",
        "newscrawl.archive.inventory", "newscrawl.archive.normalise",
        "newscrawl.archive.validate"]
CRAWLING = ("scrapy", "twisted", "scrapy_redis", "redis")


def loaded_after_importing(modules):
    code = ("import sys\n" + "".join(f"import {m}\n" for m in modules)
            + "print('\\n'.join(sorted({m.split('.')[0] for m in sys.modules})))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    return set(out.split())


def test_the_core_imports_no_crawling_library():
    assert not loaded_after_importing(CORE) & set(CRAWLING)


def test_the_scrapy_side_does():
    # The check above can fail: the extension does load Scrapy.
    assert "scrapy" in loaded_after_importing(["newscrawl.archive.extension"])
