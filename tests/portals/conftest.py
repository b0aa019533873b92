"""Session fixture of the portal tests: each generator's portal is built once (cached between
runs outside the repository), served on 127.0.0.1 and crawled once by `newscrawl crawl URL`."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from portalgen import CrawlResult, Portal, PortalBuildError, Score, build, crawl, score, serve


@pytest.fixture(scope="session")
def portal_crawl(tmp_path_factory) -> Callable[[str], tuple[Portal, CrawlResult, Score]]:
    """portal_crawl(generator) -> (portal, crawl result, score), built and crawled once per
    session; a generator that cannot be installed or fails to build fails the calling test
    with its message (never skips it)."""
    done: dict[str, tuple[Portal, CrawlResult, Score] | str] = {}

    def get(generator: str) -> tuple[Portal, CrawlResult, Score]:
        if generator not in done:
            try:
                portal = build(generator)
            except PortalBuildError as exc:
                done[generator] = f"{generator} test portal could not be built: {exc}"
            else:
                data_dir = tmp_path_factory.mktemp(f"crawl-{generator}")
                with serve(portal.site) as base_url:
                    result = crawl(base_url, data_dir)
                done[generator] = (portal, result, score(portal, result.records))
        got = done[generator]
        if isinstance(got, str):
            pytest.fail(got, pytrace=False)
        return got

    return get
