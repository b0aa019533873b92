"""Stand-ins for an extractor gone wrong, run inside BoundedExtractor's workers.

They live in an importable module (not in a test file) because the worker processes
import the function by name.
"""

from __future__ import annotations

import os
import time

from newscrawl.extract import extract_article


def spin_forever(body, url=None, **kwargs):
    while True:
        time.sleep(0.01)


def spin_on_marker(body, url=None, **kwargs):
    """Hangs on pages containing b'HANG', extracts the others."""
    if (b"HANG" if isinstance(body, bytes) else "HANG") in body:
        spin_forever(body)
    return extract_article(body, url, **kwargs)


def eat_memory(body, url=None, **kwargs):
    hoard = []
    while True:
        hoard.append(bytearray(64 * 1024 * 1024))


def die(body, url=None, **kwargs):
    os._exit(3)


def raise_error(body, url=None, **kwargs):
    raise KeyError("boom")


def recurse(body, url=None, **kwargs):
    return recurse(body, url, **kwargs)
