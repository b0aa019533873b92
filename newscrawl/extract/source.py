"""Source (来源): the outlet the article credits, not the site that shows it.

Candidates, in order: a site profile's selector; the credit lines around the headline
(``来源：…`` and its variants, read by :mod:`newscrawl.extract.bylines`); the unlabelled
outlet slot after a dateline's date; the ``source`` meta tag; a ``来源`` line anywhere on the
page. The visible credit line comes before the meta tag because a CMS's ``<meta
name="source">`` often names the parent agency where the line names the outlet as credited.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from newscrawl.extract import bylines
from newscrawl.extract.pagetext import Line, clean_space
from newscrawl.extract.structured import first_meta
from newscrawl.extract.title import HEADER_LINES_AFTER, HEADER_LINES_BEFORE
from newscrawl.extract.urls import host_of

META_SOURCE_KEYS = ("source", "og:article:source", "article:source")

# A dateline's leftover that is no outlet: a place of posting, a share bar, counters.
NOT_AN_OUTLET_RX = re.compile(
    r"^(?:来自|发布于|ip属地|分享|举报|字号|打印|关注|阅读|评论|点击|浏览|\d+$|星期|周[一二三四五六日天]|礼拜|农历|"
    r"上午|下午|晚上|凌晨|今天|昨天)|(?:省|市|自治区|人参与|评论|阅读)$",
    re.I,
)


def dateline_outlet(text: str, raw_date: str) -> str | None:
    """The unlabelled outlet slot after a dateline's date: "2022-02-13 09:57 某某网"."""
    at = text.find(raw_date)
    if at < 0:
        return None
    rest = text[at + len(raw_date):].strip(" |·:：-")
    if not rest or re.match(r"^\S*[:：]", rest):
        return None
    token = re.split(r"\s+|[|｜]", rest)[0].strip("[]【】()（）·")
    if not re.search(r"[\u4e00-\u9fff]", token) or not 2 <= len(token) <= 20:
        return None
    if NOT_AN_OUTLET_RX.search(token) or re.search(r"[:：]", token):
        return None
    return bylines.clean_source(token)


def strip_source_label(value: str | None) -> str | None:
    if not value:
        return None
    return re.sub(r"^\s*(?:来源|稿源|出处)\s*[:：]\s*", "", value)


def labelled_source(lines: list[Line], at: int | None) -> str | None:
    """A 来源 line anywhere on the page, after the headline first.

    Far from the headline only a line that starts with its label counts: a related-news
    list's "标题 来源：X" items credit other articles.
    """
    start = at or 0
    for i in [*range(start, len(lines)), *range(0, start)]:
        text = lines[i].text
        if len(text) > 120 or not ("来源" in text or "稿源" in text or "出处" in text):
            continue
        label = re.search(r"来源|稿源|出处", text)
        if label and label.start() > 12 and abs(i - start) > HEADER_LINES_AFTER:
            continue
        found = bylines.source_in(text)
        if found:
            return found
    return None



def choose_source(*, profile: str | None, header: bylines.Credits, dateline: tuple[str, str] | None,
                  meta: dict[str, list[str]], lines: list[Line], at: int | None,
                  host: str | None = None) -> str | None:
    """The source, from the candidates in the order of the module's docstring."""
    found = bylines.clean_source(bylines.strip_any_label(profile))
    if not found:
        found = header.source
    if not found and dateline is not None:
        found = dateline_outlet(*dateline)
        if found and (found in bylines.CHANNEL_WORDS or _links_within_site(found, lines, at, host)):
            found = None  # a channel or category link in the meta line, not an outlet
    if not found:
        found = bylines.clean_source(strip_source_label(first_meta(meta, META_SOURCE_KEYS)))
    if not found:
        found = labelled_source(lines, at)
    return found


def _links_within_site(text: str, lines: list[Line], at: int | None, host: str | None) -> bool:
    """Whether a line near the headline shows ``text`` as a link to a page of this site (a
    relative link or one to its own host): a category or channel, never an outlet."""
    if at is None:
        return False
    for line in lines[max(0, at - HEADER_LINES_BEFORE): at + 1 + HEADER_LINES_AFTER]:
        if text not in line.text:
            continue
        for a in line.element.iter("a"):
            href = (a.get("href") or "").strip()
            if clean_space(a.text_content()) != text or not _section_path(href):
                continue
            target = host_of(href)
            if not target or (host and target.removeprefix("www.") == host.removeprefix("www.")):
                return True
    return False


def _section_path(href: str) -> bool:
    """A link to a page below the site's root (a category, a tag, a channel): not empty, not
    a fragment or script, not the home page (whose name may be the outlet credited)."""
    if not href or href.startswith(("#", "javascript:", "mailto:")):
        return False
    try:
        return urlsplit(href).path.strip("/") != ""
    except ValueError:  # a malformed href ("http://[x"): no page of the site
        return False
