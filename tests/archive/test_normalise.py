"""Normalising a record: whitespace, full-width noise, canonical URL, list fields."""

from newscrawl.archive.normalise import clean_body, clean_line, normalise_record


def test_normalise_whitespace_fullwidth_and_url():
    assert clean_line("\u3000 标题\u00a0　ＡＢＣ１２３，好 ") == "标题 ABC123，好"
    assert clean_body("  第一段\u3000\n\n\n  \n第二段  \n第二行\n\n") == "第一段\n\n第二段\n第二行"
    rec = normalise_record({"url": " http://x.cn/a?b=1&a=2#f ", "title": "t", "body": "b",
                            "tags": [" 经济 ", "", "经济", "科技"]})
    assert rec["canonical_url"] == "http://x.cn/a?a=2&b=1"
    assert rec["url"] == "http://x.cn/a?b=1&a=2#f"
    assert rec["tags"] == ["经济", "科技"]
