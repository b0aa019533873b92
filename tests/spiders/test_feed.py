"""feed_entries (feedparser) on the feed shapes portals publish: every RSS and Atom version,
relative links, broken markup, lying charsets, dates in many forms, hostile XML."""

from __future__ import annotations

import time
from datetime import datetime, timedelta, timezone

import pytest

from newscrawl.spiders.feed import feed_entries

CST = timezone(timedelta(hours=8))
FEED_URL = "http://news.example.cn/rss/feed.xml"

RSS_090 = b"""<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://my.netscape.com/rdf/simple/0.9/">
<channel><title>Portal</title><link>http://news.example.cn/</link><description>d</description></channel>
<item><title>One</title><link>http://news.example.cn/a/1.html</link></item>
<item><title>Two</title><link>http://news.example.cn/a/2.html</link></item>
</rdf:RDF>"""

RSS_091 = b"""<?xml version="1.0"?>
<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN" "http://my.netscape.com/publish/formats/rss-0.91.dtd">
<rss version="0.91"><channel><title>Portal</title><link>http://news.example.cn/</link>
<description>d</description><language>zh-cn</language>
<item><title>One</title><link>http://news.example.cn/a/1.html</link></item>
</channel></rss>"""

RSS_10 = b"""<?xml version="1.0" encoding="utf-8"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"
 xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel rdf:about="http://news.example.cn/"><title>Portal</title><link>http://news.example.cn/</link>
<items><rdf:Seq><rdf:li resource="http://news.example.cn/a/1.html"/></rdf:Seq></items></channel>
<item rdf:about="http://news.example.cn/a/1.html"><title>One</title>
<link>http://news.example.cn/a/1.html</link><dc:date>2024-05-01T10:00:00+08:00</dc:date></item>
</rdf:RDF>"""

RSS_20 = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>新闻中心</title>
<link>http://news.example.cn/</link><description>最新</description>
<item><title>一</title><link>http://news.example.cn/a/1.html</link>
<pubDate>Wed, 01 May 2024 10:00:00 +0800</pubDate></item>
<item><title>二</title><guid isPermaLink="true">http://news.example.cn/a/2.html</guid>
<pubDate>Thu, 02 May 2024 02:00:00 GMT</pubDate></item>
<item><title>三</title><link>/a/3.html</link><dc:date>2024-05-03</dc:date></item>
<item><title>无链接</title><description>no link at all</description></item>
</channel></rss>""".encode()

ATOM_03 = b"""<?xml version="1.0" encoding="utf-8"?>
<feed version="0.3" xmlns="http://purl.org/atom/ns#"><title>Portal</title>
<link rel="alternate" type="text/html" href="http://news.example.cn/"/>
<entry><title>One</title><link rel="alternate" type="text/html" href="http://news.example.cn/a/1.html"/>
<id>tag:news.example.cn,2024:1</id><issued>2024-05-01T10:00:00+08:00</issued>
<modified>2024-05-02T00:00:00Z</modified></entry>
</feed>"""

ATOM_10 = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:base="http://news.example.cn/"><title>Portal</title>
<id>urn:uuid:1</id><updated>2024-05-02T00:00:00Z</updated>
<entry><title>One</title><link rel="self" href="http://news.example.cn/api/1"/>
<link rel="alternate" href="a/1.html"/><id>urn:uuid:2</id>
<published>2024-05-01T10:00:00+08:00</published><updated>2024-05-09T00:00:00Z</updated></entry>
<entry><title>Two</title><link href="http://news.example.cn/a/2.html"/><id>urn:uuid:3</id>
<updated>2024-05-02T08:00:00+08:00</updated></entry>
</feed>"""


@pytest.mark.parametrize(("body", "version", "links"), [
    (RSS_090, "rss090", ["http://news.example.cn/a/1.html", "http://news.example.cn/a/2.html"]),
    (RSS_091, "rss091", ["http://news.example.cn/a/1.html"]),
    (RSS_10, "rss10", ["http://news.example.cn/a/1.html"]),
    (RSS_20, "rss20", ["http://news.example.cn/a/1.html", "http://news.example.cn/a/2.html",
                       "http://news.example.cn/a/3.html"]),
    (ATOM_03, "atom03", ["http://news.example.cn/a/1.html"]),
    (ATOM_10, "atom10", ["http://news.example.cn/a/1.html", "http://news.example.cn/a/2.html"]),
], ids=["rss090", "rss091", "rss10", "rss20", "atom03", "atom10"])
def test_every_feed_version_gives_its_article_links(body, version, links):
    found, entries = feed_entries(body, url=FEED_URL)
    assert found.startswith(version)
    assert [link for link, _ in entries] == links


def test_dates_are_read_with_their_offsets():
    _, rss = feed_entries(RSS_20, url=FEED_URL)
    assert [d for _, d in rss] == [
        datetime(2024, 5, 1, 10, tzinfo=CST), datetime(2024, 5, 2, 2, tzinfo=timezone.utc),
        datetime(2024, 5, 3)]  # a bare date: naive, the spider applies the site zone
    _, atom = feed_entries(ATOM_10, url=FEED_URL)
    # published wins over updated; updated when it is all there is
    assert [d for _, d in atom] == [datetime(2024, 5, 1, 10, tzinfo=CST),
                                    datetime(2024, 5, 2, 8, tzinfo=CST)]
    _, old_atom = feed_entries(ATOM_03, url=FEED_URL)
    assert old_atom[0][1] == datetime(2024, 5, 1, 10, tzinfo=CST)


def rss_with_dates(*dates: str, encoding: str = "utf-8", declared: str = "utf-8") -> bytes:
    items = "".join(f"<item><title>标题{i}</title><link>http://news.example.cn/a/{i}.html</link>"
                    f"<pubDate>{d}</pubDate></item>" for i, d in enumerate(dates))
    return (f'<?xml version="1.0" encoding="{declared}"?><rss version="2.0"><channel>'
            f"<title>新闻</title>{items}</channel></rss>").encode(encoding)


def test_cjk_and_non_standard_dates():
    body = rss_with_dates("2024年05月01日 10:30", "2024-05-02 08:15:00", "2024/05/03",
                          "Fri, 3 May 2024 14:00:00 CST", "not a date")
    _, entries = feed_entries(body, url=FEED_URL)
    dates = [d for _, d in entries]
    assert dates[0] == datetime(2024, 5, 1, 10, 30)  # naive: the spider applies the site's zone
    assert dates[1] is not None and dates[1].replace(tzinfo=None) == datetime(2024, 5, 2, 8, 15)
    assert dates[2] is not None and dates[2].date().isoformat() == "2024-05-03"
    assert dates[3] is not None and dates[3].date().isoformat() == "2024-05-03"
    assert dates[4] is None
    assert len(entries) == 5


def test_a_gbk_feed_that_declares_utf8_is_read_without_mojibake():
    body = rss_with_dates("2024年05月01日 10:30", encoding="gbk", declared="utf-8")
    version, entries = feed_entries(body, url=FEED_URL, http_encoding="utf-8")
    assert version == "rss20"
    assert entries == [("http://news.example.cn/a/0.html", datetime(2024, 5, 1, 10, 30))]
    undeclared = rss_with_dates("2024年05月01日 10:30", encoding="gb18030").replace(
        b' encoding="utf-8"', b"")
    assert feed_entries(undeclared, url=FEED_URL)[1] == entries


def test_a_broken_feed_gives_what_it_can():
    body = (b'<rss version="2.0"><channel><item><title>a & b <br></title>'
            b"<link>http://news.example.cn/a/1.html</link></item>"
            b"<item><link>http://news.example.cn/a/2.html</link>")
    version, entries = feed_entries(body, url=FEED_URL)
    assert version.startswith("rss")
    assert [link for link, _ in entries] == ["http://news.example.cn/a/1.html",
                                             "http://news.example.cn/a/2.html"]


@pytest.mark.parametrize("body", [
    b"<html><head><title>x</title></head><body><a href='/a/1.html'>x</a></body></html>",
    b"", b"\x00\x01\x02\xff binary", b"/etc/passwd", b"http://news.example.cn/rss.xml",
], ids=["html", "empty", "binary", "a-path", "a-url"])
def test_no_feed_is_no_feed(body):
    assert feed_entries(body, url=FEED_URL) == ("", [])


def test_entity_declarations_are_refused_unexpanded():
    xxe = (b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
           b"<rss version='2.0'><channel><item><link>http://news.example.cn/&x;</link>"
           b"</item></channel></rss>")
    levels = "".join(f'<!ENTITY e{i} "{f"&e{i - 1};" * 10}">' for i in range(1, 10))
    laughs = (f'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY e0 "lol">{levels}]>'
              "<rss version='2.0'><channel><item><link>http://news.example.cn/&e9;</link>"
              "</item></channel></rss>").encode()
    for body in (xxe, laughs):
        started = time.monotonic()
        assert feed_entries(body, url=FEED_URL) == ("", [])
        assert time.monotonic() - started < 1
