"""decode_html: page bytes in the encodings news portals use, with the <meta charset> missing,
right or lying, must come out as the text they encode (no mojibake, no replacement chars)."""

from __future__ import annotations

import codecs

import pytest

from newscrawl import extract_article
from newscrawl.extract.encoding import decode_html, plausibility

ZH_HANS = (
    "新华社北京4月26日电（记者井惠群）国家主席习近平26日在人民大会堂会见来访的外国客人。"
    "双方就进一步加强两国关系、深化各领域务实合作交换了意见，一致同意推动合作取得更多成果。"
)
ZH_HANT = "國家主席在人民大會堂會見來訪的外國客人。雙方就進一步加強兩國關係、深化各領域務實合作交換了意見。"
JA = "東京都は二十六日、新型ウイルスの感染者が新たに確認されたと発表した。都の担当者によると、感染者の多くは若い世代だという。"
KO = "서울시는 26일 새로운 바이러스 감염자가 확인되었다고 발표했다. 시 관계자에 따르면 감염자 대부분은 젊은 세대라고 한다."
RU = "Президент России заявил в среду, что экономика страны выросла на три процента. Об этом сообщает агентство."
FR = "Le président français a déclaré mercredi que l'économie du pays a progressé. Les négociations reprendront à Genève."
DE = "Die Bundesregierung hat am Mittwoch beschlossen, die Maßnahmen zu verlängern. Für Bürger ändert sich zunächst wenig."

# (text, codec that writes the bytes, the label a page would declare)
CASES = [
    (ZH_HANS, "gbk", "gbk"),
    (ZH_HANS, "gb2312", "gb2312"),
    (ZH_HANS, "gb18030", "gb18030"),
    (ZH_HANT, "big5", "big5"),
    (JA, "shift_jis", "shift_jis"),
    (JA, "euc_jp", "euc-jp"),
    (KO, "euc_kr", "euc-kr"),
    (RU, "cp1251", "windows-1251"),
    (FR, "cp1252", "windows-1252"),
    (DE, "cp1252", "iso-8859-1"),
    (ZH_HANS, "utf-8", "utf-8"),
    (JA, "utf-8", "utf-8"),
]
# Labels a page can lie with: each is wrong for most of the cases above.
LIES = ["utf-8", "iso-8859-1", "gb2312", "big5", "shift_jis", "windows-1251"]


def page(text: str, meta: str | None) -> str:
    head = f'<meta http-equiv="Content-Type" content="text/html; charset={meta}">' if meta else ""
    return (
        f"<html><head>{head}<title>t</title></head><body>"
        f"<h1>{text[:12]}</h1><p>{text}</p><p>{text[::-1]}</p></body></html>"
    )


def assert_decoded(raw: bytes, text: str, http: str | None = None) -> str:
    decoded, name = decode_html(raw, http)
    assert text in decoded, f"mojibake via {name}: {decoded[100:180]!r}"
    assert "\ufffd" not in decoded
    return name


@pytest.mark.parametrize(("text", "codec", "label"), CASES, ids=[f"{c}-{lab}" for _, c, lab in CASES])
def test_declared_charset(text, codec, label):
    assert_decoded(page(text, label).encode(codec), text)


@pytest.mark.parametrize(("text", "codec", "label"), CASES, ids=[f"{c}-{lab}" for _, c, lab in CASES])
def test_missing_charset(text, codec, label):
    assert_decoded(page(text, None).encode(codec), text)


@pytest.mark.parametrize("lie", LIES)
@pytest.mark.parametrize(("text", "codec", "label"), CASES, ids=[f"{c}-{lab}" for _, c, lab in CASES])
def test_lying_charset(text, codec, label, lie):
    assert_decoded(page(text, lie).encode(codec), text)


@pytest.mark.parametrize(("text", "codec", "label"), CASES, ids=[f"{c}-{lab}" for _, c, lab in CASES])
def test_lying_http_header(text, codec, label):
    wrong = "big5" if codec != "big5" else "gbk"
    assert_decoded(page(text, None).encode(codec), text, http=wrong)


def test_gb2312_label_is_read_as_gb18030():
    # 镕 and 啰 are in GBK, not in GB2312: portals declaring gb2312 write them anyway.
    text = ZH_HANS + "朱镕基说，啰嗦的话不讲了。"
    name = assert_decoded(page(text, "gb2312").encode("gbk"), text)
    assert codecs.lookup(name).name == "gb18030"


def test_utf8_page_still_declaring_gb2312():
    # Transcoded pages keep the old <meta>: the bytes are UTF-8 and must be read so.
    text = ZH_HANS
    assert assert_decoded(page(text, "gb2312").encode("utf-8"), text, http="gbk") == "utf-8"


@pytest.mark.parametrize("codec", ["utf-8-sig", "utf-16", "utf-16-le", "utf-16-be"])
def test_byte_order_mark_wins(codec):
    raw = page(ZH_HANS, "gbk").encode(codec)
    if codec in ("utf-16-le", "utf-16-be"):
        raw = codecs.BOM_UTF16_LE + raw if codec.endswith("le") else codecs.BOM_UTF16_BE + raw
    assert_decoded(raw, ZH_HANS)


def test_stray_bytes_do_not_switch_the_encoding():
    # An old GBK page with one broken byte pair stays GBK, with one replacement char.
    raw = page(ZH_HANS, None).encode("gbk").replace("两国".encode("gbk"), b"\xff\xff")
    decoded, name = decode_html(raw)
    assert codecs.lookup(name).name == "gb18030"
    assert "深化各领域务实合作" in decoded


def test_ascii_and_empty_pages():
    assert decode_html(b"<p>plain</p>")[0] == "<p>plain</p>"
    assert decode_html(b"")[0] == ""


def test_plausibility_ranks_right_reading_first():
    raw = ZH_HANS.encode("gbk")
    right = plausibility(raw.decode("gb18030"), "gb18030")
    wrong = plausibility(raw.decode("cp1252", "replace"), "cp1252")
    assert right > 0.9 > wrong


@pytest.mark.parametrize(("codec", "lie"), [("gbk", "iso-8859-1"), ("big5", "gb2312"), ("gbk", None)])
def test_extract_article_fields_have_no_mojibake(codec, lie):
    text, title = (ZH_HANT, "大會召開") if codec == "big5" else (ZH_HANS, "大会召开")
    html = (
        f'<html><head>{f"<meta charset={lie}>" if lie else ""}<title>{title}</title></head><body>'
        f"<h1>{title}</h1><div><p>{text}</p><p>{text[::-1]}</p></div></body></html>"
    )
    article = extract_article(html.encode(codec), url="http://news.example.cn/a/1.html")
    assert article is not None
    assert article.title == title
    assert text[:30] in article.body
