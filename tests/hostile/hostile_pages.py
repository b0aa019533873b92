"""The hostile pages: each written here, each with the outcome a demanding user expects.

An expectation is either a record (with checks on its fields) or a drop with a named reason
from :data:`newscrawl.bounded.DROP_REASONS`. The pages are built in code (nothing is copied
from the corpus); the article text is invented.
"""

from __future__ import annotations

import gzip
import struct
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

from newscrawl.record import Article

TITLE = "省市场监管局通报第三季度食品安全抽检结果"
PARAS = [
    "本报讯 记者从省市场监督管理局获悉，第三季度全省共抽检食品样品一万二千余批次，总体合格率为百分之九十七点八，较上季度略有提升。",
    "抽检覆盖粮食加工品、食用油、肉制品、乳制品、饮料、酒类等三十一个大类，重点针对校园周边、农村集市和网络销售渠道开展。",
    "对抽检中发现的不合格产品，相关部门已依法责令生产经营者立即下架、召回，并对涉事企业立案调查，处置情况将及时向社会公布。",
    "省市场监管局有关负责人表示，下一步将继续加大抽检力度，完善风险预警机制，督促企业落实食品安全主体责任。",
]
URL = "http://news.portal.test/2022-04/26/content_1001.htm"
CST = timezone(timedelta(hours=8))
FETCHED_AT = datetime(2022, 4, 27, 9, 30, tzinfo=CST)


def article_html(
    *,
    title: str = TITLE,
    paras: list[str] | None = None,
    charset: str = "utf-8",
    time_line: str = "2022-04-26 11:01:53",
    head_extra: str = "",
    before_body: str = "",
    after_body: str = "",
    lang: str = "zh-CN",
) -> str:
    """An article page in the style of a Chinese portal, as text."""
    body = "\n".join(f"<p>{p}</p>" for p in (PARAS if paras is None else paras))
    info = f'<div class="info">时间:{time_line} 来源:中国质量新闻网</div>' if time_line else ""
    return f"""<!DOCTYPE html>
<html lang="{lang}"><head><meta charset="{charset}">
<title>{title}_新闻中心_示例网</title>{head_extra}</head>
<body>
<div class="nav"><a href="/">首页</a> &gt; <a href="/news/">新闻</a> &gt; <a href="/news/gn/">国内</a></div>
{before_body}
<div class="article">
<h1>{title}</h1>
{info}
<div class="content">
{body}
<p>(记者 井惠群 吴晓丽)</p>
</div>
<div class="editor">责任编辑:张三</div>
</div>
{after_body}
<div class="footer">凡本网注明“来源:XXX(非本网)”的作品，均转载自其它媒体，转载目的在于传递更多信息。</div>
</body></html>
"""


@dataclass(frozen=True)
class Expect:
    """A record whose title/body contain these, or a drop with ``reason``."""

    reason: str | None = None  # a drop when set
    title: str | None = None  # substring the title must contain
    body: tuple[str, ...] = ()  # substrings the body must contain
    published_at: str | None | type[Ellipsis] = ...  # exact value when not Ellipsis
    check: Callable[[Article], None] | None = None  # any further assertion


@dataclass(frozen=True)
class HostilePage:
    name: str
    build: Callable[[], bytes | str]
    expect: Expect
    url: str = URL
    http_encoding: str | None = None
    content_type: str = "text/html"
    fetched_at: datetime | None = FETCHED_AT
    notes: str = ""
    known_issue: str | None = None  # the owner's bug, reported; the test is xfail(strict)
    tags: tuple[str, ...] = field(default_factory=tuple)


def _record(**kw) -> Expect:
    return Expect(title=kw.pop("title", TITLE), body=kw.pop("body", (PARAS[0][8:28],)), **kw)


def _drop(reason: str) -> Expect:
    return Expect(reason=reason)


def _utf8(**kw) -> Callable[[], bytes]:
    return lambda: article_html(**kw).encode("utf-8")


# --- builders of the broken pages -------------------------------------------------------

def truncated() -> bytes:
    page = article_html().encode("utf-8")
    cut = page.index(PARAS[2].encode("utf-8")) + 30  # mid-paragraph, mid-character maybe
    return page[:cut]


def unclosed_everywhere() -> bytes:
    # Everything left open but <title> and the headline (an open <title> or <h1> holds the
    # whole page in a browser too: no extractor can know where they were meant to end).
    paras = "".join(f"<p><span><b><i><font>{p}<div>" for p in PARAS)
    return (f"<html><head><meta charset=utf-8><title>{TITLE}</title><body><div class=article><h1>{TITLE}</h1>"
            f"<div class=info>时间:2022-04-26 11:01 来源:中国质量新闻网<div class=content>{paras}"
            "<table><tr><td><ul><li><a href=/x>相关新闻").encode()


def deep_nesting(depth: int = 100_000) -> bytes:
    page = article_html(after_body="<div>" * depth + "深处" + "</div>" * (depth // 2))
    return page.encode("utf-8")


def huge_page(size: int = 50 * 1024 * 1024) -> bytes:
    head = article_html().encode("utf-8")
    filler = b"<p>" + "填充内容。".encode() * 1000 + b"</p>\n"
    reps = size // len(filler) + 1
    return head + filler * reps


def one_long_line(size: int = 10 * 1024 * 1024) -> bytes:
    page = article_html().replace("\n", "")
    extra = ("<div class=comment><p>" + "网友评论内容" * 30 + "</p></div>") * 1
    unit = extra.encode("utf-8")
    filler = unit * (size // len(unit) + 1)
    return page.encode("utf-8").replace(b"</body>", filler + b"</body>")


def nul_bytes() -> bytes:
    page = article_html().encode("utf-8")
    return page.replace("抽检".encode(), "抽\x00检".encode()).replace(b"<h1>", b"<h1>\x00")


def invalid_utf8() -> bytes:
    page = article_html().encode("utf-8")
    return page.replace("总体合格率".encode(), b"\xff\xfe\xc3(" + "总体合格率".encode() + b"\xe4\xb8")


def gbk_declared_utf8() -> bytes:
    return article_html(charset="utf-8").encode("gbk")


def utf8_declared_gbk() -> bytes:
    return article_html(charset="gbk").encode("utf-8")


def bom_contradicts_header() -> bytes:
    return b"\xef\xbb\xbf" + article_html(charset="gbk").encode("utf-8")


def utf16_bom_page() -> bytes:
    return article_html(charset="utf-8").encode("utf-16")  # with BOM, meta says utf-8


def pdf_as_html() -> bytes:
    return (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
            + zlib.compress(b"BT /F1 12 Tf (hello) Tj ET" * 200) + b"\n%%EOF\n")


def png_as_html() -> bytes:
    raw = b"".join(b"\x00" + bytes(range(256))[:90] for _ in range(30))
    ihdr = struct.pack(">IIBBBBB", 30, 30, 8, 0, 0, 0, 0)

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(
            ">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(raw))
            + chunk(b"IEND", b""))


def gzip_as_html() -> bytes:
    return gzip.compress(article_html().encode("utf-8"))


def all_script() -> bytes:
    script = "var a=" + "[" + ",".join(str(i) for i in range(20000)) + "];" + "function f(){return 1;}" * 200
    return (f"<!DOCTYPE html><html><head><meta charset=utf-8><title>{TITLE}</title>"
            f"<script>{script}</script></head><body><div id=app></div>"
            f"<script src=/static/app.js></script><script>window.__STATE__={{\"t\":\"{TITLE}\"}}</script>"
            f"<noscript>请启用JavaScript</noscript></body></html>").encode()


def login_wall() -> bytes:
    return ("<!DOCTYPE html><html><head><meta charset=utf-8><title>用户登录_示例网</title></head><body>"
            "<div class=nav><a href=/>首页</a></div><div class=login><h1>用户登录</h1>"
            "<p>该内容仅对会员开放，请登录后查看全文。</p>"
            "<form action=/login method=post><label>用户名</label><input name=u>"
            "<label>密码</label><input type=password name=p><button>登录</button></form>"
            "<p><a href=/register>注册新用户</a> | <a href=/forgot>忘记密码?</a></p></div>"
            "<div class=footer>版权所有 示例网</div></body></html>").encode()


def list_page() -> bytes:
    items = "".join(
        f'<li><a href="/2022-04/{d:02d}/content_{1000 + d}.htm">第{d}条：全省春季农业生产进展顺利，各地抢抓农时开展春耕备耕</a>'
        f"<span>2022-04-{d:02d}</span></li>"
        for d in range(1, 29)
    )
    return ("<!DOCTYPE html><html><head><meta charset=utf-8><title>国内新闻_示例网</title></head><body>"
            "<div class=nav><a href=/>首页</a> &gt; 国内</div><h1>国内新闻</h1>"
            f"<ul class=list>{items}</ul>"
            '<div class=pages><a href="index_2.htm">下一页</a> <a href="index_10.htm">尾页</a></div>'
            "</body></html>").encode()


def error_page_200() -> bytes:
    return ("<!DOCTYPE html><html><head><meta charset=utf-8><title>404 页面不存在</title></head><body>"
            "<div class=err><h1>404</h1><p>抱歉，您访问的页面不存在或已被删除。</p>"
            "<p><a href=/>返回首页</a>  系统将在 5 秒后自动跳转。</p></div></body></html>").encode()


def _title_clean(article: Article) -> None:
    bad = [c for c in article.title if (ord(c) < 32 or 0x7F <= ord(c) < 0xA0)]
    assert not bad, f"control characters in title: {bad!r}"


def _no_surrogates(article: Article) -> None:
    for name, value in article.to_dict().items():
        text = value if isinstance(value, str) else " ".join(v for v in value if isinstance(v, str)) if isinstance(value, list) else ""
        assert not any(0xD800 <= ord(c) <= 0xDFFF for c in text), f"lone surrogate in {name}"
    article.to_json().encode("utf-8")  # strict: a lone surrogate would raise here


def _arabic_title(article: Article) -> None:
    assert "الأخبار" in article.title


RTL_TITLE = "\u200fالأخبار\u200f العاجلة \u202eabc\u202c اليوم"

PAGES: list[HostilePage] = [
    # --- broken markup and sizes
    HostilePage("truncated_html", truncated, _record(body=(PARAS[0][8:28], PARAS[1][8:28]))),
    HostilePage("unclosed_tags", unclosed_everywhere, _record(body=(PARAS[0][8:28], PARAS[3][8:28]))),
    HostilePage("deep_nesting_100k", deep_nesting, _record(body=(PARAS[0][8:28], PARAS[3][8:28]))),
    HostilePage("huge_50mb", huge_page, _drop("too_large")),
    HostilePage("one_10mb_line", one_long_line, _record(body=(PARAS[0][8:28],))),
    HostilePage("nul_bytes", nul_bytes, _record(body=(PARAS[0][8:28],),
                                                check=lambda a: _assert_no_nul(a))),
    # --- encodings
    HostilePage("invalid_utf8_in_utf8", invalid_utf8, _record(body=(PARAS[0][8:28], PARAS[2][8:28])),
                http_encoding="utf-8"),
    HostilePage("gbk_declared_utf8", gbk_declared_utf8, _record(body=(PARAS[0][8:28],))),
    HostilePage("gbk_declared_utf8_by_header", gbk_declared_utf8, _record(body=(PARAS[0][8:28],)),
                http_encoding="utf-8"),
    HostilePage("utf8_declared_gbk", utf8_declared_gbk, _record(body=(PARAS[0][8:28],))),
    HostilePage("utf8_declared_gbk_by_header", utf8_declared_gbk, _record(body=(PARAS[0][8:28],)),
                http_encoding="gbk"),
    HostilePage("bom_contradicts_header", bom_contradicts_header, _record(body=(PARAS[0][8:28],)),
                http_encoding="gbk"),
    HostilePage("utf16_bom_meta_utf8", utf16_bom_page, _record(body=(PARAS[0][8:28],))),
    # --- not HTML at all, or not an article
    HostilePage("pdf_as_html", pdf_as_html, _drop("binary_content")),
    HostilePage("png_as_html", png_as_html, _drop("binary_content")),
    HostilePage("gzip_body_as_html", gzip_as_html, _drop("binary_content")),
    HostilePage("empty_200", lambda: b"", _drop("empty_page")),
    HostilePage("whitespace_200", lambda: b" \r\n\t \n" * 100, _drop("empty_page")),
    HostilePage("all_script", all_script, _drop("not_article")),
    HostilePage("login_wall", login_wall, _drop("not_article")),
    HostilePage("list_page", list_page, _drop("not_article"),
                url="http://news.portal.test/news/gn/index.htm"),
    HostilePage("error_page_200", error_page_200, _drop("not_article"),
                url="http://news.portal.test/news/gn/missing.htm"),
    # --- dates that cannot be
    HostilePage("date_month_13_day_45", _utf8(time_line="2022-13-45 11:01"),
                _record(published_at=None), url="http://news.portal.test/news/gn/1001.htm"),
    HostilePage("date_year_1900", _utf8(time_line="1900-04-26 11:01"),
                _record(published_at=None), url="http://news.portal.test/news/gn/1001.htm"),
    HostilePage("date_year_2999", _utf8(time_line="2999-04-26 11:01"),
                _record(published_at=None), url="http://news.portal.test/news/gn/1001.htm"),
    HostilePage("yesterday_without_fetch_time", _utf8(time_line="昨天 10:20"),
                _record(published_at=None), url="http://news.portal.test/news/gn/1001.htm",
                fetched_at=None),
    HostilePage("yesterday_with_fetch_time", _utf8(time_line="昨天 10:20"),
                _record(published_at="2022-04-26T10:20:00+08:00"),
                url="http://news.portal.test/news/gn/1001.htm"),
    HostilePage("two_dates_in_header_line",
                _utf8(time_line="2022-04-26 11:01 更新时间:2022-04-28 08:00"),
                # no offset on the page, no profile, no country-code host: wall-clock time
                _record(published_at="2022-04-26T11:01:00")),
    # a date alone: its midnight (the record's precision says day)
    HostilePage("date_only_in_url", _utf8(time_line=""), _record(published_at="2022-04-26T00:00:00")),
    # --- text designed to break readers
    HostilePage("control_chars_in_title",
                _utf8(title="食品安全\x01抽检\x08结果\x1b[31m通报\x7f", paras=PARAS),
                Expect(title="抽检", body=(PARAS[0][8:28],), check=_title_clean)),
    HostilePage("control_char_refs_in_body",
                _utf8(paras=[PARAS[0] + "&#1;&#x0B;&#27;", *PARAS[1:]]),
                _record(check=lambda a: _assert_no_c0(a.body))),
    HostilePage("lone_surrogate_refs",
                _utf8(title=TITLE + "&#xD800;", paras=[PARAS[0] + "&#xDFFF;&#55296;", *PARAS[1:]]),
                _record(check=_no_surrogates)),
    HostilePage("lone_surrogate_in_str", lambda: article_html(title=TITLE + "\udc80"),
                _record(check=_no_surrogates)),
    HostilePage("line_separators_in_title",
                _utf8(title="食品安全\u2028抽检结果\u2029通报", paras=[PARAS[0] + "\u2028续", *PARAS[1:]]),
                Expect(title="抽检结果", body=(PARAS[0][8:28],))),
    HostilePage("rtl_marks", _utf8(title=RTL_TITLE, lang="ar",
                                   paras=["\u200f" + p + "\u202e" for p in PARAS]),
                Expect(title="العاجلة", body=(PARAS[0][8:28],), check=_arabic_title)),
]


def _assert_no_nul(article: Article) -> None:
    for value in (article.title, article.body):
        assert "\x00" not in value and "\ufffd" not in value


def _assert_no_c0(text: str) -> None:
    bad = [c for c in text if ord(c) < 32 and c not in "\n\t"]
    assert not bad, f"control characters: {bad!r}"


# Pages the current extractor does not yet handle as expected: not crashes or hangs (those
# are fixed), but wrong outcomes that belong to the extractor's owner. Each is reported, and
# its test is xfail(strict=True): it turns red the day the extractor gets it right, so the
# entry is removed then.
KNOWN_ISSUES: dict[str, str] = {}
