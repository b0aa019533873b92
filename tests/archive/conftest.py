import pytest

from newscrawl.demo import DemoPortal


@pytest.fixture
def portal():
    """The demo portal on a free port of 127.0.0.1, served from this process."""
    p = DemoPortal(slow_seconds=0.3)
    p.start()
    yield p
    p.stop()
