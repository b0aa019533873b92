from jsonschema import Draft202012Validator

from newscrawl.pipelines.normalise import clean_body, clean_line, normalise_record
from newscrawl.pipelines.validate import drop_reason
from newscrawl.record import Article, load_schema

V = Draft202012Validator(load_schema())


def test_normalise_whitespace_fullwidth_and_url():
    assert clean_line("\u3000 标题\u00a0　ＡＢＣ１２３，好 ") == "标题 ABC123，好"
    assert clean_body("  第一段\u3000\n\n\n  \n第二段  \n第二行\n\n") == "第一段\n\n第二段\n第二行"
    rec = normalise_record({"url": " http://x.cn/a?b=1&a=2#f ", "title": "t", "body": "b",
                            "tags": [" 经济 ", "", "经济", "科技"]})
    assert rec["canonical_url"] == "http://x.cn/a?a=2&b=1"
    assert rec["url"] == "http://x.cn/a?b=1&a=2#f"
    assert rec["tags"] == ["经济", "科技"]


def test_drop_reasons():
    ok = Article(url="http://x", title="t", body="b", extractor_version="1").to_dict()
    assert drop_reason(ok, V) is None
    assert drop_reason({**ok, "title": " "}, V).startswith("missing_title")
    assert drop_reason({**ok, "body": ""}, V).startswith("missing_body")
    assert drop_reason({**ok, "published_at": "yesterday"}, V).startswith("invalid_published_at")
    assert drop_reason({**ok, "bogus": 1}, V).startswith("invalid_extra_keys")
