import json

import jsonschema
import pytest

from newscrawl.record import SCHEMA_VERSION, Article, content_hash, load_schema


def make(**kw):
    base = dict(url="http://a.example/1.html", title="标题", body="第一段。\n\n第二段。",
                extractor_version="t")
    base.update(kw)
    return Article(**base)


def test_json_form_validates_against_schema():
    schema = load_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    art = make(published_at="2022-04-26T11:01:53+08:00", authors=["井惠群", "吴晓丽"],
               tags=["知识产权"], section=["新闻", "国内"], source="中国质量新闻网")
    jsonschema.validate(json.loads(art.to_json()), schema)
    assert schema["schema_version"] == SCHEMA_VERSION


def test_schema_rejects_time_without_offset_and_unknown_keys():
    schema = load_schema()
    bad = make(published_at="2022-04-26T11:01:53").to_dict()
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(bad, schema)
    extra = make().to_dict() | {"surprise": 1}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(extra, schema)


def test_jsonl_line_is_one_line_even_with_unicode_line_separators():
    art = make(title="a\u2028b\u2029c\nd")
    line = art.to_json()
    assert "\n" not in line and "\u2028" not in line and "\u2029" not in line
    assert json.loads(line)["title"] == "a\u2028b\u2029c\nd"
    assert "第一段" in line  # UTF-8, not \\u escapes


def test_key_order_is_stable_and_round_trips():
    art = make(tags=["x"])
    d = art.to_dict()
    assert list(d)[:3] == ["url", "title", "body"]
    assert Article.from_dict(json.loads(art.to_json())) == art
    with pytest.raises(ValueError):
        Article.from_dict(d | {"nope": 1})


def test_content_hash_ignores_spacing_but_not_text():
    assert content_hash("a  b\n\nc") == content_hash("a b c")
    assert content_hash("a b c") != content_hash("a b d")
    assert make(body="x y").content_hash == content_hash("x  y")
