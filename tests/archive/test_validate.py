"""Why a record is not valid: the drop reasons validation counts."""

from jsonschema import Draft202012Validator

from newscrawl.archive.validate import drop_reason
from newscrawl.record import Article, load_schema

V = Draft202012Validator(load_schema())


def test_drop_reasons():
    ok = Article(url="http://x", title="t", body="b", extractor_version="1").to_dict()
    assert drop_reason(ok, V) is None
    assert drop_reason({**ok, "title": " "}, V).startswith("missing_title")
    assert drop_reason({**ok, "body": ""}, V).startswith("missing_body")
    assert drop_reason({**ok, "published_at": "yesterday"}, V).startswith("invalid_published_at")
    assert drop_reason({**ok, "bogus": 1}, V).startswith("invalid_extra_keys")
