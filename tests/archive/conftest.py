import pytest

from newscrawl.demo import DemoPortal


@pytest.fixture
def portal():
    """The demo portal on a free port of 127.0.0.1, served from this process."""
    p = DemoPortal(slow_seconds=0.3)
    p.start()
    yield p
    p.stop()


# A real redis-server for the Redis state's tests, the one the distributed tests start.
from distributed.conftest import redis_server, redis_url  # noqa: E402,F401
