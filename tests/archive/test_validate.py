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


def _keywords(node, found):
    """Every schema keyword in ``node`` (property names under "properties" are not)."""
    if isinstance(node, dict):
        for key, value in node.items():
            found.add(key)
            if key == "items":
                assert isinstance(value, dict), "array-form items means another thing in draft-07"
            if key == "properties":
                for sub in value.values():
                    _keywords(sub, found)
            elif key not in ("enum", "const", "required", "description", "title"):
                _keywords(value, found)
    elif isinstance(node, list):
        for item in node:
            _keywords(item, found)
    return found


def test_the_schema_uses_only_keywords_draft7_reads_the_same_way():
    from newscrawl.archive.validate import SHARED_KEYWORDS

    used = _keywords(load_schema(), set()) - set(load_schema()["properties"])
    assert used <= SHARED_KEYWORDS, sorted(used - SHARED_KEYWORDS)


ODD_VALUES = [None, True, False, 0, -1, 2, 1.5, "", " ", "x", "2026-11-20",
              "2026-11-20T08:00:00+08:00", "sha256:" + "0" * 64, [], ["x"], [1], [None], {},
              {"a": 1}]


def test_the_compiled_check_is_never_looser_and_the_reasons_stay_jsonschemas():
    from newscrawl.archive.validate import RecordValidator

    fast = RecordValidator()
    full = fast.full
    base = Article(url="http://x", title="t", body="b", extractor_version="1",
                   published_at="2026-11-20T08:00:00+08:00", published_date="2026-11-20",
                   authors=["A"], tags=["t"]).to_dict()
    assert fast.passes_compiled(base) and drop_reason(base, fast) is None
    cases = [{k: v for k, v in base.items() if k != gone} for gone in base]
    cases += [{**base, key: value} for key in base for value in ODD_VALUES]
    cases += [{**base, "extra": 1}]
    refused = 0
    for record in cases:
        if fast.passes_compiled(record):
            assert full.is_valid(record), record
        else:
            refused += 1
        assert drop_reason(record, fast) == drop_reason(record, full), record
    assert refused > len(base)  # the altered records did test something
