"""Tags: the article's own 标签/关键词/Tags line, else its keyword meta tags.

Keyword lists that a site repeats on every page are not tags. One page cannot see the other
pages, so such lists are told by their look: keywords that name the site, generic words
(新闻, 资讯, news), very long lists, and lists whose words the article never uses.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

import lxml.html
from lxml import etree

from newscrawl.extract import structured
from newscrawl.extract.pagetext import Line, element_text

TAG_LABEL_RX = re.compile(
    r"^(?:文章|本文|新闻)?(?:标签|关键词|关键字|(?:相关)?热词(?:搜索)?|tags?|schlagw[öo]rter|themen|etiquetas|mots-cl[ée]s|keywords)\s*[:：]\s*",
    re.I,
)
# Where a tag line's value ends: another label ("发布于：", "编辑：") or a date.
NEXT_LABEL_RX = re.compile(r"\s+\S{0,12}[:：]|\s+\d{4}[-/.年]")
# Not "/": a tag such as "AI/机器学习" or "TCP/IP" is one tag.
SPLIT_RX = re.compile(r"\s*[,，;；、|｜]\s*|\s{2,}")
SPLIT_WIDE_RX = re.compile(r"\s*[,，;；、|｜\s]\s*")
# Words a site puts in the keywords meta of every page. Only that fallback drops them: a
# tag the article lists (热点, 要闻, News) is its tag, however common.
GENERIC_TAGS = frozenset(
    ["新闻", "资讯", "首页", "新闻中心", "新闻网", "最新", "热点", "头条", "网站", "今日", "要闻", "国内", "国际", "社会", "图片", "视频", "更多", "news", "home", "latest", "breaking", "video", "photos", "article", "articles"]
)
META_KEYWORD_KEYS = ("article:tag", "news_keywords", "keywords", "parsely-tags", "sailthru.tags")
MAX_TAGS = 20
MAX_TAG_CHARS = 40


def _fold(text: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text)).strip().casefold()


def tags_from_line(text: str, element: lxml.html.HtmlElement | None) -> list[str] | None:
    """The tags a "标签: a b c" line gives; None when the line is no tag line."""
    m = TAG_LABEL_RX.match(text)
    if not m:
        return None
    rest = NEXT_LABEL_RX.split(text[m.end():], maxsplit=1)[0].strip()
    if element is not None:
        links = [" ".join(a.text_content().split()) for a in element.iter("a")]
        links = [x for x in links if x and not TAG_LABEL_RX.match(x)]
        if links and _fold(" ".join(links)).replace(" ", "") == _fold(rest).replace(" ", ""):
            return _tidy(links)
    if not rest:
        return []
    parts = SPLIT_RX.split(rest)
    if len(parts) == 1:
        parts = SPLIT_WIDE_RX.split(rest)
    return _tidy(parts)


def _tidy(parts: list[str], *, drop_generic: bool = False) -> list[str]:
    out: list[str] = []
    seen: set[str] = set()
    for part in parts:
        part = part.strip(" ,，;；。")
        if part.startswith(("#", "＃")):  # a hashtag's mark, only as a prefix ("C#" stays)
            part = part[1:].strip()
        part = part.rstrip(".")
        f = _fold(part)
        if not part or f in seen or len(part) > MAX_TAG_CHARS or (drop_generic and f in GENERIC_TAGS):
            continue
        seen.add(f)
        out.append(part)
    return out


def tidy(tags: list[str]) -> list[str]:
    """Tags listed one per element (rel=tag links): each kept whole, duplicates dropped."""
    return _tidy([" ".join(t.split()) for t in tags])


def split_keywords(values: list[str], *, drop_generic: bool = False) -> list[str]:
    parts: list[str] = []
    for value in values:
        chunks = SPLIT_RX.split(value)
        if len(chunks) == 1 and re.search(r"[\u3400-\u9fff]", value):
            chunks = SPLIT_WIDE_RX.split(value)
        parts.extend(chunks)
    return _tidy(parts, drop_generic=drop_generic)


def article_keywords(
    keywords: list[str], *, title: str, text: str, site_name: str | None, host: str | None,
    per_article: bool = False,
) -> list[str]:
    """The keywords that are this article's: site names and site-wide lists dropped."""
    if not keywords or len(keywords) > MAX_TAGS:
        return []
    site_words = set()
    if site_name:
        site_words.add(_fold(site_name))
    if host:
        site_words.update(x for x in host.lower().split(".") if len(x) >= 3)
    folded_title = _fold(title)
    kept = []
    for kw in keywords:
        f = _fold(kw)
        if f in site_words or f.replace(" ", "") in site_words or f == folded_title:
            continue
        kept.append(kw)
    if not kept:
        return []
    if per_article:  # article:tag names this article's tags by definition
        return kept
    haystack = _fold(title + " " + text)
    used = sum(1 for kw in kept if _used(_fold(kw), haystack))
    # A list the article never uses is the site's, not the article's.
    if used < max(1, len(kept) // 4):
        return []
    return kept


_CJK_RX = re.compile(r"[\u3400-\u9fff]")


def _used(keyword: str, haystack: str) -> bool:
    """The text uses the keyword: literally, or (Chinese) most of its character pairs."""
    if keyword in haystack:
        return True
    if len(keyword) < 3 or not _CJK_RX.search(keyword):
        return False
    pairs = [keyword[i: i + 2] for i in range(len(keyword) - 1)]
    return sum(1 for p in pairs if p in haystack) >= 0.6 * len(pairs)


# A class or id naming a tag list: "tags", "post-tags", "entry_tags", "tag-list"; not a
# sidebar's "tagcloud" (in_frame leaves the sidebar out in any case).
# Elements whose class or id holds "tag", in document order. Reached through the attributes
# (libxml2 tests only the elements that have them): half the cost of testing every element.
TAG_BLOCK_XPATH = etree.XPath("//@class[contains(.,'tag')]/.. | //@id[contains(.,'tag')]/..")
TAG_BLOCK_NAME_RX = re.compile(r"(?:^|[-_\s])(?:post|entry|article|blog)?[-_]?tags?(?:[-_]?(?:list|links|box|wrap))?(?:$|[-_\s])", re.I)


def tag_block_links(tree: lxml.html.HtmlElement) -> list[str]:
    """The links of the article's own tag list, marked by class or id (the article footer's
    ``div.post-tags`` of blog themes), where they carry no rel=tag: each link one tag, whole."""
    for el in TAG_BLOCK_XPATH(tree):
        if el.tag == "a":
            continue  # a link is a tag, not a list of them
        names = " ".join(filter(None, (el.get("class"), el.get("id"))))
        if not TAG_BLOCK_NAME_RX.search(names) or structured.in_frame(el):
            continue
        links = [element_text(a) for a in el.iter("a")]
        links = [t for t in links if t and not TAG_LABEL_RX.match(t + "：")]
        if 1 <= len(links) <= MAX_TAGS and all(len(t) <= MAX_TAG_CHARS for t in links):
            return tidy(links)
    return []


def read_tags(*, profile: list[str], lines: list[Line], tree: lxml.html.HtmlElement,
              meta: dict[str, list[str]], ld: dict[str, Any]) -> tuple[list[str], list[str], bool]:
    """(tags, keywords, keywords_per_article): a site profile's tag elements, a visible tag
    line, rel=tag links; else the keyword metas, returned as keywords to be judged against
    the body (:func:`article_keywords`) once it is known."""
    found = split_keywords(profile)
    if not found:
        for line in lines:
            if len(line.text) <= 200 and (":" in line.text or "：" in line.text):
                from_line = tags_from_line(line.text, line.element)
                if from_line:
                    found = from_line
                    break
    if not found:
        # rel="tag" (the rel-tag microformat; WordPress marks categories "category tag").
        found = tidy([
            element_text(a) for a in tree.iter("a")
            if "tag" in (a.get("rel") or "").lower().split() and "category" not in (a.get("rel") or "").lower()
        ][:MAX_TAGS])
    keywords: list[str] = []
    per_article = False
    if found:
        return found, keywords, per_article
    block = tag_block_links(tree)
    for key in META_KEYWORD_KEYS:
        if meta.get(key):
            listed = split_keywords(meta[key])
            if block and _confirms(block, listed):
                # The article shows its keyword list as tag links: the list is this
                # article's, every keyword kept, however common.
                return [], listed, True
            keywords = split_keywords(meta[key], drop_generic=key != "article:tag")
            per_article = key == "article:tag"
            break
    if not keywords and ld.get("keywords"):
        kw = ld["keywords"]
        listed = split_keywords(kw if isinstance(kw, list) else [str(kw)])
        if block and _confirms(block, listed):
            return [], listed, True
        keywords = split_keywords(kw if isinstance(kw, list) else [str(kw)], drop_generic=True)
    if block and not keywords and not any(meta.get(key) for key in META_KEYWORD_KEYS):
        return block, [], False
    return found, keywords, per_article


def _confirms(block: list[str], listed: list[str]) -> bool:
    """Most of a tag block's links are keywords of the list."""
    folded = {_fold(x) for x in listed}
    return sum(1 for x in block if _fold(x) in folded) * 2 >= len(block)
