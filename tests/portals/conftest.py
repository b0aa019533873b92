"""Session fixtures of the portal tests: each generator's portal is built once (cached between
runs outside the repository), served on 127.0.0.1 and crawled once by `newscrawl crawl URL`."""

from __future__ import annotations

import pytest
from portalgen import BUILDERS, PortalBuildError, build, crawl, score, serve


@pytest.fixture(scope="session", params=sorted(BUILDERS))
def portal_crawl(request, tmp_path_factory):
    """(portal, crawl result, score) of one generator; a generator that cannot be installed or
    fails to build fails the tests with its message (never skips them)."""
    try:
        portal = build(request.param)
    except PortalBuildError as exc:
        pytest.fail(f"{request.param} test portal could not be built: {exc}", pytrace=False)
    data_dir = tmp_path_factory.mktemp(f"crawl-{request.param}")
    with serve(portal.site) as base_url:
        result = crawl(base_url, data_dir)
    return portal, result, score(portal, result.records)
