"""Is a page an article, a list of articles, or something else? Pure, no Scrapy.

Two kinds of evidence, both generic (no site is named here):

* the URL's shape: news CMSs put a date and an id in article URLs
  (``/2022-04/26/content_123.htm``, ``t20220426_123.html``, ``/a/20220426/123.html``) and
  words like ``index_2``, ``/tags/``, ``?page=2`` in list URLs;
* the page itself: a headline, a publish time, one long block of running text with few
  links (an article) versus many teaser links and dates (a list).

A site profile can pin the answer with its own URL patterns (:class:`UrlRules`).
This module also finds the other pages of a multi-page article (``_2.htm``, ``?page=2``,
``下一页``), which the spiders fetch and merge into one record.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import Enum
from typing import NamedTuple
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import lxml.html

from newscrawl.extract import structured
from newscrawl.extract.dom import parse_html
from newscrawl.extract.encoding import decode_html
from newscrawl.extract.urls import join_url


class PageType(str, Enum):
    ARTICLE = "article"
    LIST = "list"
    OTHER = "other"


@dataclass(frozen=True, slots=True)
class UrlRules:
    """A profile's URL patterns (regexes searched in the full URL); they win over the
    generic rules."""

    article: tuple[str, ...] = ()
    list: tuple[str, ...] = ()
    _compiled: tuple[tuple[re.Pattern[str], ...], tuple[re.Pattern[str], ...]] = field(
        init=False, repr=False, compare=False
    )

    def __post_init__(self) -> None:
        compiled = (
            tuple(re.compile(p) for p in self.article),
            tuple(re.compile(p) for p in self.list),
        )
        object.__setattr__(self, "_compiled", compiled)

    def match(self, url: str) -> PageType | None:
        article, listing = self._compiled
        if any(p.search(url) for p in article):
            return PageType.ARTICLE
        if any(p.search(url) for p in listing):
            return PageType.LIST
        return None


# --------------------------------------------------------------------------- URL shapes
_DATE = r"(?:19|20)\d\d(?:[-_/]?)(?:0[1-9]|1[0-2])(?:[-_/]?)(?:0[1-9]|[12]\d|3[01])"
_SLUG = r"[a-z0-9]+(?:-[a-z0-9]+)"
# Shapes news CMSs give article URLs: a date and an id, or a known article prefix and an id.
_ARTICLE_URL = [
    re.compile(rf"/{_DATE}/(?:[^/?#]+/)*[^/?#]*\d{{2,}}[^/?#]*(?:\.s?html?|\.php|\.aspx?)?/?$"),
    re.compile(r"/(?:19|20)\d\d[-_/]?(?:0[1-9]|1[0-2])/(?:[^/?#]+/)*[^/?#]*\d{3,}[^/?#]*\.s?html?$"),
    re.compile(r"/(?:19|20)\d\d/(?:[^/?#]+/)*[^/?#]*?\d{3,}[^/?#]*\.s?html?$"),
    re.compile(rf"/{_DATE}/(?:[^/?#]+/)*{_SLUG}{{2,}}(?:/|/index\.html?|\.html?)?$"),
    # Static-site generators' permalink :year/:month/:day/:title/ (a one-word or CJK title).
    re.compile(rf"/{_DATE}/(?!index\b|page\b)[^/?#]+/?$"),
    re.compile(rf"/t{_DATE}_\d+\.s?html?$"),
    re.compile(r"/(?:content|article|art|detail|doc|news|story|c)[_-]?\d{3,}(?:[_-]\d+)?\.(?:s?html?|php|aspx?)$"),
    re.compile(r"/(?:article|articles|story|stories|detail|doc|a|c|n1)/[^/?#]*\d{4,}"),
]
# Words list pages carry in their URLs.
_LIST_URL = [
    re.compile(r"/(?:index|list|default|more)(?:[_-]\d+)?\.(?:s?html?|php|aspx?|jsp)$"),
    re.compile(
        r"/(?:tags?|authors?|category|categories|archives?|topics?|columns?|channels?|"
        r"search|node|list|lists|page|section|sections|zhuanti|special|writer|users?|"
        r"people|author-list)(?:[/_.-]|$)"
    ),
    re.compile(r"/node_\d+\.s?html?$"),
    re.compile(r"/page/\d+/?$"),
    re.compile(r"[?&](?:page|p|pn|pageno|pg|paged|start|offset)=\d+"),
]
# Weaker article shapes, tried after the list words: a long slug, a long numeric id.
_ARTICLE_URL_WEAK = [
    re.compile(rf"/{_SLUG}{{4,}}(?:-\d+)?(?:\.s?html?|/)?$"),
    re.compile(r"/[^/?#]*\d{5,}[^/?#]*(?:\.s?html?|\.shtml|/)?$"),
    re.compile(r"/\d{3,}\.s?html?$"),
]
_HOME = re.compile(r"^/?$")


def classify_url(url: str, rules: UrlRules | None = None) -> PageType | None:
    """What the URL alone says, or None when it does not say."""
    if rules is not None:
        pinned = rules.match(url)
        if pinned is not None:
            return pinned
    parts = urlsplit(url)
    path = parts.path or "/"
    if _HOME.match(path):
        return PageType.LIST
    lowered = path.lower()
    if any(p.search(lowered) for p in _ARTICLE_URL):
        return PageType.ARTICLE
    target = lowered + ("?" + parts.query if parts.query else "")
    if any(p.search(target) for p in _LIST_URL):
        return PageType.LIST
    if any(p.search(lowered) for p in _ARTICLE_URL_WEAK):
        return PageType.ARTICLE
    if path.endswith("/"):
        return PageType.LIST
    return None


def _slash_only_list(url: str) -> bool:
    """The URL's list verdict rests on its trailing slash alone (no list word, not home)."""
    parts = urlsplit(url)
    path = parts.path or "/"
    target = path.lower() + ("?" + parts.query if parts.query else "")
    return not _HOME.match(path) and not any(p.search(target) for p in _LIST_URL)


# --------------------------------------------------------------------------- page evidence
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")
_SPACE = re.compile(r"\s+")
_DATETIME = re.compile(
    r"(?:19|20)\d\d\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?\s*(?:[T ]?\s*\d{1,2}[:：]\d{2})?"
    r"|\d+\s*(?:分钟|小时|天)前|(?:昨天|前天|今天)\s*\d{1,2}:\d{2}"
)
_SKIP = {"script", "style", "noscript", "template", "svg", "iframe", "nav", "footer", "aside"}


def text_weight(text: str) -> int:
    """Length with CJK characters counted twice: one Chinese character says about as much
    as two Latin letters, so one threshold serves both scripts."""
    return len(text) + len(_CJK.findall(text))


@dataclass(frozen=True, slots=True)
class Evidence:
    headline: str | None
    has_time: bool
    main_text: int  # text_weight of the longest block of running text (links excluded)
    main_link_density: float
    teasers_in_main: int  # headline links inside that block (a list of teasers)
    story_links: int  # links on the page with headline-length text
    dated_items: int  # list items holding both a link and a date
    metadata_says_article: bool  # og:type article / JSON-LD NewsArticle
    main_in_list_item: bool = False  # the longest text sits in an <li>: a teaser, not a body


@dataclass(frozen=True, slots=True)
class Verdict:
    kind: PageType
    reason: str  # a short slug, usable as a stats key
    evidence: Evidence | None = None


def parse(html: str | bytes) -> lxml.html.HtmlElement | None:
    """The page's tree, exactly as the extractor and the crawl's analysis get it: bytes
    decoded by :func:`encoding.decode_html` (the one decoder: a lying or missing charset
    included), text parsed by :func:`dom.parse_html`."""
    text = decode_html(html)[0] if isinstance(html, bytes) else html
    return parse_html(text)




def _metadata(tree: lxml.html.HtmlElement) -> tuple[bool, bool]:
    """(says article, has a publish time) from meta tags and JSON-LD."""
    meta_article = has_time = False
    for meta in tree.iter("meta"):
        prop = (meta.get("property") or meta.get("name") or "").lower()
        if prop == "og:type" and "article" in (meta.get("content") or "").lower():
            meta_article = True
        elif prop in _TIME_META:
            has_time = True
    for node in structured.ld_nodes(tree):
        meta_article = meta_article or bool(structured.types_of(node) & structured.ARTICLE_TYPES)
        has_time = has_time or bool(node.get("datePublished"))
    return meta_article, has_time


_TIME_META = {"article:published_time", "pubdate", "publishdate", "publish_time", "date",
              "og:release_date", "dc.date", "dc.date.issued", "publishtime"}
_SKIP_XPATH = " | ".join(f"//{tag}//*" for tag in sorted(_SKIP))


def page_evidence(tree: lxml.html.HtmlElement, *, list_signals: bool = True) -> Evidence:
    """What the page itself says. ``list_signals=False`` skips the counts only needed
    when the page is not an article (story_links and dated_items are then -1)."""
    meta_article, has_time = _metadata(tree)

    h1 = next(tree.iter("h1"), None)
    headline = _SPACE.sub(" ", h1.text_content()).strip() if h1 is not None else None
    if not headline:
        og = tree.xpath('//meta[@property="og:title"]/@content|//title/text()')
        headline = _SPACE.sub(" ", str(og[0])).strip() if og else None

    skipped = set(tree.xpath(_SKIP_XPATH))
    blocks: dict[lxml.html.HtmlElement, int] = {}
    for el in tree.iter("p", "div", "td", "section", "article", "font", "span"):
        if el in skipped:
            continue
        own = _own_text(el)
        if not own:
            continue
        parent = el.getparent() if el.tag == "p" else el
        if el.tag in ("font", "span"):
            parent = el.getparent()
            if parent is None or parent.tag in ("p", "li", "a"):
                continue
        if parent is None:
            continue
        blocks[parent] = blocks.get(parent, 0) + text_weight(own)
    main = max(blocks, key=lambda b: blocks[b]) if blocks else None
    main_text = blocks[main] if main is not None else 0
    density = 0.0
    teasers = 0
    if main is not None:
        total = text_weight(_SPACE.sub("", main.text_content())) or 1
        anchors = [_SPACE.sub("", _text(a)) for a in main.iter("a")]
        density = sum(text_weight(a) for a in anchors) / total
        teasers = sum(1 for a in anchors if text_weight(a) >= 16)
    story_links = dated_items = -1
    if list_signals:
        story_links, dated_items = _list_signals(tree)
    if not has_time:
        has_time = bool(tree.xpath("//time[@datetime or @pubdate]"))
    if not has_time:
        top = _text_near_headline(tree, h1)
        has_time = bool(_DATETIME.search(top))
    if not has_time and main is not None:
        has_time = bool(_DATETIME.search(_text_before(tree, main)))
    in_item = main is not None and (
        main.tag in ("li", "dd") or any(a.tag in ("li", "dd") for a in main.iterancestors())
    )
    return Evidence(headline, has_time, main_text, density, teasers, story_links, dated_items,
                    meta_article, in_item)


def _text(el: lxml.html.HtmlElement) -> str:
    """text_content() without its cost for the common childless element."""
    if len(el) == 0:
        return el.text or ""
    return str(el.text_content())


def _list_signals(tree: lxml.html.HtmlElement) -> tuple[int, int]:
    """(links with headline-length text, list items holding a link and a date)."""
    story_links = 0
    for a in tree.iter("a"):
        if text_weight(_SPACE.sub("", _text(a))) >= 16:
            story_links += 1
    dated_items = 0
    for item in tree.iter("li", "dd", "tr"):
        if item.find(".//a") is not None and _DATETIME.search(item.text_content() or ""):
            dated_items += 1
    return story_links, dated_items


def _own_text(el: lxml.html.HtmlElement) -> str:
    """Running text of an element, links and nested blocks excluded; for a <p> or <li>
    all its inline text, for a container only its direct text (``<br>``-separated copy)."""
    if el.tag in ("p", "li"):
        parts = [el.text or ""]
        for child in el:
            if not isinstance(child.tag, str):
                parts.append(child.tail or "")
                continue
            if child.tag != "a":
                parts.append(child.text_content())
            parts.append(child.tail or "")
        text = "".join(parts)
    else:
        text = (el.text or "") + "".join(
            (c.tail or "") for c in el if isinstance(c.tag, str) or c.tail
        )
    return _SPACE.sub("", text)


def _text_near_headline(tree: lxml.html.HtmlElement, h1: lxml.html.HtmlElement | None) -> str:
    """The text right after the headline, where the publish time sits; the whole page's
    first part when there is no <h1>."""
    if h1 is None:
        return tree.text_content()[:2000]
    chunks: list[str] = []
    size = 0
    for el in h1.itersiblings():
        if not isinstance(el.tag, str):
            continue
        chunk = el.text_content()
        chunks.append(chunk)
        size += len(chunk)
        if size > 600:
            break
    parent = h1.getparent()
    if size < 20 and parent is not None:
        chunks.append(parent.text_content()[:800])
    return " ".join(chunks)


def _text_before(tree: lxml.html.HtmlElement, main: lxml.html.HtmlElement) -> str:
    """Running text (links and list items excluded) in the ~600 characters before the
    main block and its first 200: where an article prints its time."""
    chunks: list[str] = []
    for el in tree.iter():
        if el is main:
            break
        if not isinstance(el.tag, str) or el.tag in _SKIP or el.tag in ("a", "li", "option"):
            continue
        if el.text and el.text.strip():
            chunks.append(el.text.strip())
        if el.tail and el.tail.strip() and el.getparent() is not None and el.getparent().tag != "li":
            chunks.append(el.tail.strip())
    before = " ".join(chunks)[-600:]
    return before + " " + main.text_content()[:200]


def classify_page(
    page: str | bytes | lxml.html.HtmlElement, url: str, rules: UrlRules | None = None,
    links: Sequence[Link] | None = None, paginated: bool | None = None,
) -> Verdict:
    """Article, list or other, with the reason. The URL pins it when a profile's pattern
    matches; otherwise the URL's shape and the page's evidence decide together."""
    if rules is not None:
        pinned = rules.match(url)
        if pinned is not None:
            return Verdict(pinned, "profile_pattern")
    tree = page if isinstance(page, lxml.html.HtmlElement) else parse(page)
    if tree is None:
        return Verdict(PageType.OTHER, "unparseable")
    by_url = classify_url(url)
    if by_url is PageType.LIST and not _metadata(tree)[0]:
        return Verdict(PageType.LIST, "list_url")
    ev = page_evidence(tree, list_signals=False)
    # A URL said to be a list only for its trailing slash (no list word: a static-site
    # generator's /:year/:month/:slug/ permalink) does not outweigh the page's own article
    # metadata, however short the post.
    strong_meta = ev.metadata_says_article and (ev.main_text >= 300 or _slash_only_list(url))
    if by_url is PageType.LIST and not strong_meta:
        return Verdict(PageType.LIST, "list_url", ev)
    if ev.teasers_in_main >= 3 and not strong_meta and (
        ev.main_link_density >= 0.3 or ev.main_text < 250 * ev.teasers_in_main
    ):
        return Verdict(PageType.LIST, "teaser_block", ev)
    # Links to its own page 2 (_2.htm, ?page=2) mark the first page of a long article.
    if paginated is None:
        paginated = bool(continuation_pages(url, page_links(tree, url) if links is None else links))
    vouched = by_url is PageType.ARTICLE or ev.metadata_says_article or paginated
    # A short post (two sentences) is an article when its URL or metadata says so and it
    # shows a time.
    needed = (40 if ev.has_time else 120) if vouched else 300
    if ev.headline and ev.main_text >= needed and ev.main_link_density < 0.35 and not (
        ev.main_in_list_item and ev.main_text < 400  # a teaser's summary, not a body
    ) and (
        ev.has_time or vouched or (ev.main_text >= 1200 and ev.main_link_density < 0.2)
    ):
        return Verdict(PageType.ARTICLE, "article_url" if vouched else "page_evidence", ev)
    story_links, dated_items = _list_signals(tree)
    ev = dataclasses.replace(ev, story_links=story_links, dated_items=dated_items)
    if story_links >= 8 or dated_items >= 3:
        return Verdict(PageType.LIST, "many_links", ev)
    if not ev.headline:
        return Verdict(PageType.OTHER, "no_headline", ev)
    if ev.main_text < needed:
        return Verdict(PageType.OTHER, "short_text", ev)
    return Verdict(PageType.OTHER, "no_publish_time", ev)


# --------------------------------------------------------------------------- links
class Link(NamedTuple):
    """A link of a page (a tuple: pages have hundreds, made in the crawl's hot path)."""

    url: str  # absolute, fragment removed
    text: str


def page_links(tree: lxml.html.HtmlElement, base_url: str) -> list[Link]:
    """Every <a href> of the page, absolute, in document order, without javascript:/mailto:."""
    base = tree.xpath("//base/@href")
    if base:
        base_url = join_url(base_url, str(base[0])) or base_url
    try:
        parts = urlsplit(base_url)
    except ValueError:  # no usable address to resolve links against
        return []
    origin = f"{parts.scheme}://{parts.netloc}"
    joined: dict[str, str] = {}  # pages repeat their links (nav, sidebars): join each once
    links = []
    for a in tree.iter("a"):
        href = (a.get("href") or "").strip()
        if not href or href.startswith("#"):
            continue
        absolute = joined.get(href)
        if absolute is None:
            if href.startswith("/") and not href.startswith("//"):
                absolute = origin + href  # the common case, without urljoin's cost
            else:
                scheme = href.split(":", 1)[0].lower() if ":" in href else ""
                if scheme and scheme not in ("http", "https"):
                    joined[href] = ""
                    continue
                absolute = join_url(base_url, href) or ""
            absolute = absolute.split("#", 1)[0]
            joined[href] = absolute
        if absolute:
            links.append(Link(absolute, " ".join(_text(a).split())))
    return links


_NEXT_TEXT = re.compile(r"^(?:下一页|下页|后一页|next(?:\s*page)?|›|»|>)\s*[>»›]*$", re.I)
_PAGE_PARAMS = ("page", "p", "pn", "pg", "pageno", "paged")
_STEM = re.compile(r"^(?P<stem>.+?)(?P<ext>\.[A-Za-z]{2,5})?$")


class _Pages:
    """Recognises the other pages of the article whose first page is ``first``."""

    def __init__(self, first: str) -> None:
        self.first = first
        parts = urlsplit(first)
        self.path, self.query = parts.path, dict(parse_qsl(parts.query))
        m = _STEM.match(parts.path)
        stem, ext = (m.group("stem"), m.group("ext") or "") if m else (parts.path, "")
        self.prefix = f"{parts.scheme}://{parts.netloc}{stem}"  # every page starts so
        # Page N's path is stem + "_N" or "-N" + ext (N of 1-3 digits); matched with string
        # operations: a regex compiled per page cost more than the rest of the triage.
        self.stem, self.ext = stem, ext
        self.raw_query = parts.query

    def number(self, candidate: str) -> int | None:
        """N when ``candidate`` is page N (>= 2) of this article."""
        if not candidate.startswith(self.prefix) or candidate == self.first:
            return None
        b = urlsplit(candidate)
        if b.path == self.path:
            qb = dict(parse_qsl(b.query))
            for name in _PAGE_PARAMS:
                if name in qb and name not in self.query and qb[name].isdigit():
                    rest = {k: v for k, v in qb.items() if k != name}
                    if rest == self.query and int(qb[name]) >= 2:
                        return int(qb[name])
            return None
        if b.query != self.raw_query:
            return None
        path, stem, ext = b.path, self.stem, self.ext
        if not (path.startswith(stem) and path.endswith(ext)):
            return None
        tail = path[len(stem):len(path) - len(ext)]
        if 2 <= len(tail) <= 4 and tail[0] in "_-" and tail[1:].isdecimal() and int(tail[1:]) >= 2:
            return int(tail[1:])
        return None


_NUMBERED_PAGE = re.compile(r"^(?P<stem>.+)[_-](?P<n>\d{1,3})(?P<ext>\.[A-Za-z]{2,5})?$")


def first_page_of(url: str, links: Iterable[Link]) -> str | None:
    """When ``url`` is page N >= 2 of a multi-page article and the page links its first
    page, that first page's URL; else None."""
    parts = urlsplit(url)
    candidates = []
    m = _NUMBERED_PAGE.match(parts.path)
    if m and int(m.group("n")) >= 2:
        candidates.append(parts._replace(path=m.group("stem") + (m.group("ext") or "")).geturl())
    if any(k in _PAGE_PARAMS for k, _ in parse_qsl(parts.query)):
        candidates.append(strip_page_param(url))
    if not candidates:
        return None
    linked = {link.url for link in links}
    for candidate in candidates:
        if candidate in linked and _Pages(candidate).number(url) is not None:
            return candidate
    return None


def continuation_pages(first_url: str, links: Sequence[Link], current_url: str | None = None) -> list[str]:
    """The other pages of the article starting at ``first_url``, as far as the links of
    the page at ``current_url`` (default: the first page) reveal them, in page order.

    A page-number link (``_2.htm``, ``?page=2``) counts; so does a 下一页/next link that
    stays in the article's folder — some CMSs only show that one.
    """
    pages = _Pages(first_url)
    numbered: dict[str, int] = {}
    for link in links:
        n = pages.number(link.url)
        if n is not None:
            numbered.setdefault(link.url, n)
    here = current_url or first_url
    folder = urlsplit(first_url).path.rsplit("/", 1)[0] + "/"
    extra: list[str] = []
    for link in links:
        if len(link.text) > 16 or link.url in numbered or link.url in (first_url, here):
            continue
        if not _NEXT_TEXT.match(link.text):
            continue
        parts = urlsplit(link.url)
        if parts.netloc == urlsplit(first_url).netloc and parts.path.startswith(folder):
            extra.append(link.url)
    ordered = sorted(numbered, key=lambda u: numbered[u])
    return ordered + [u for u in dict.fromkeys(extra) if u not in numbered]


def strip_page_param(url: str) -> str:
    """``url`` without a pagination query parameter (``?page=2`` → the bare URL)."""
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k not in _PAGE_PARAMS]
    return urlunsplit(parts._replace(query=urlencode(query)))
