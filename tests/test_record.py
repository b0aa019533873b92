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


def test_schema_rejects_unreadable_times_and_unknown_keys():
    schema = load_schema()
    for bad_time in ("2022-04-26 下午", "26/04/2022", "2022-04-26T11:01:53+0800x"):
        bad = make(published_at=bad_time).to_dict()
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate(bad, schema)
    extra = make().to_dict() | {"surprise": 1}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(extra, schema)


@pytest.mark.parametrize(("given", "at", "date", "precision"), [
    ("2022-04-26T11:01:53+08:00", "2022-04-26T11:01:53+08:00", "2022-04-26", "second"),
    ("2022-04-26T11:01+08:00", "2022-04-26T11:01:00+08:00", "2022-04-26", "minute"),
    ("2022-04-26", "2022-04-26T00:00:00", "2022-04-26", "day"),
    ("2022-04-26+08:00", "2022-04-26T00:00:00+08:00", "2022-04-26", "day"),
    ("2022-04-26 11:01:53", "2022-04-26T11:01:53", "2022-04-26", "second"),
    ("2022-04-26T03:01:53.5Z", "2022-04-26T03:01:53.5Z", "2022-04-26", "second"),
    (None, None, None, None),
])
def test_published_time_has_one_form_with_its_date_and_precision(given, at, date, precision):
    art = make(published_at=given)
    assert (art.published_at, art.published_date, art.published_precision) == (at, date, precision)
    checker = jsonschema.Draft202012Validator.FORMAT_CHECKER
    assert "date-time" in checker.checkers
    jsonschema.validate(json.loads(art.to_json()), load_schema(), format_checker=checker)
    # Reading the record back changes nothing: a stored 'day' stays a day.
    assert Article.from_dict(json.loads(art.to_json())) == art


def test_given_date_and_precision_are_kept_and_host_comes_from_the_url():
    art = make(published_at="2022-04-26T00:00:00+08:00", published_precision="day")
    assert art.published_precision == "day" and art.published_date == "2022-04-26"
    assert make(url="http://News.Example.CN:8080/a.html").host == "news.example.cn"
    assert make(url=None, canonical_url=None).host is None
    assert isinstance(SCHEMA_VERSION, str) and SCHEMA_VERSION.count(".") == 2


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
