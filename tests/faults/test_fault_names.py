"""Unit checks of the fault naming and the Retry-After parsing (the crawls test them live)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from email.utils import format_datetime

import pytest
from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadConnectionRefusedError,
    DownloadTimeoutError,
    IgnoreRequest,
    ResponseDataLossError,
)
from twisted.internet import error as txerror
from twisted.python.failure import Failure
from twisted.web._newclient import ResponseFailed

from newscrawl.middlewares.faults import fault_name
from newscrawl.middlewares.retry import parse_retry_after


def _data_loss(reason: Exception) -> ResponseDataLossError:
    exc = ResponseDataLossError()
    exc.__cause__ = ResponseFailed([Failure(reason)])
    return exc


@pytest.mark.parametrize(("exc", "progress", "name"), [
    (DownloadConnectionRefusedError(), {}, "connection_refused"),
    (CannotResolveHostError(), {}, "dns_failure"),
    (DownloadTimeoutError(), {}, "timeout_no_response"),
    (DownloadTimeoutError(), {"got_headers": True}, "timeout_after_headers"),
    (DownloadTimeoutError(), {"got_headers": True, "body_bytes": 3}, "timeout_slow_body"),
    (_data_loss(txerror.ConnectionLost()), {}, "connection_reset"),
    (_data_loss(txerror.ConnectionDone()), {}, "content_length_mismatch"),
    (txerror.ConnectionLost(), {}, "connection_reset"),
    (IgnoreRequest(), {}, None),
    (ValueError("x"), {}, "other/ValueError"),
])
def test_fault_names(exc, progress, name):
    assert fault_name(exc, **progress) == name


def test_retry_after_forms():
    now = datetime(2026, 11, 25, 12, 0, tzinfo=timezone.utc)
    assert parse_retry_after(b"120") == 120.0
    assert parse_retry_after(" 0 ") == 0.0
    when = format_datetime(now + timedelta(seconds=90), usegmt=True)
    assert parse_retry_after(when, now=now) == pytest.approx(90)
    past = format_datetime(now - timedelta(days=1), usegmt=True)
    assert parse_retry_after(past, now=now) == 0.0
    for junk in (None, b"", b"soon", b"-5", b"1.5e9", "Mon, 99 Foo 2026"):
        assert parse_retry_after(junk, now=now) is None
