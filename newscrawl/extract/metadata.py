"""Metadata in a fixed order of trust: JSON-LD, meta tags, then the page's text.

Read from the untouched tree, before the body is cut out. Page-text metadata is looked
for near the headline: the lines just under it (the ``时间:… 来源:…`` line), then the rest.
A site profile's selectors, where given, come before all of it.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import lxml.html
from lxml import etree

from newscrawl.extract import bylines, dates, published, section, structured, tags, title
from newscrawl.extract.bylines import Credits
from newscrawl.extract.pagetext import Line, clean_space, element_text, page_lines
from newscrawl.extract.profile import ExtractProfile
from newscrawl.extract.urls import host_of, join_url

# ---- named data: where each field is looked for ---------------------------------------

META_TITLE_KEYS = ("og:title", "twitter:title", "title", "headline", "dc.title")
META_AUTHOR_KEYS = ("article:author", "author", "byl", "dc.creator", "sailthru.author", "parsely-author",
                    "twitter:creator")
META_SOURCE_KEYS = ("source", "og:article:source", "article:source")
META_KEYWORD_KEYS = ("article:tag", "news_keywords", "keywords", "parsely-tags", "sailthru.tags")
META_SITE_KEYS = ("og:site_name", "application-name", "apple-mobile-web-app-title", "sitename")
META_LANGUAGE_KEYS = ("content-language", "language", "og:locale", "dc.language")
# A dateline's leftover that is no outlet: a place of posting, a share bar, counters.
NOT_AN_OUTLET_RX = re.compile(
    r"^(?:来自|发布于|ip属地|分享|举报|字号|打印|关注|阅读|评论|点击|浏览|\d+$|星期|周[一二三四五六日天]|礼拜|农历|"
    r"上午|下午|晚上|凌晨|今天|昨天)|(?:省|市|自治区|人参与|评论|阅读)$",
    re.I,
)

HEADER_LINES_AFTER = 10  # lines under the headline that hold its date, source, byline
HEADER_LINES_BEFORE = 3


@dataclass(slots=True)
class Metadata:
    title: str | None = None
    canonical_url: str | None = None
    published_at: str | None = None
    published_at_raw: str | None = None
    published_precision: str | None = None  # 'second', 'minute' or 'day': what the page gave
    source: str | None = None
    authors: list[str] = field(default_factory=list)
    editor: str | None = None
    tags: list[str] = field(default_factory=list)
    section: list[str] = field(default_factory=list)
    language: str | None = None
    site_name: str | None = None
    keywords: list[str] = field(default_factory=list)  # meta keywords, judged once the body is known
    keywords_per_article: bool = False  # from article:tag, which is per article by definition
    authors_labelled: bool = False  # the authors came after a byline label (作者：, By)
    site_names: tuple[str, ...] = ()  # the site's own names: never an author
    headline_line: int | None = None

    def merged_with(self, credits: Credits) -> Metadata:
        """Fields found in the body's byline paragraphs fill the ones still empty."""
        return dataclasses.replace(
            self,
            source=self.source or credits.source,
            authors=self.authors or [a for a in credits.authors if not self._is_site(a)],
            authors_labelled=self.authors_labelled if self.authors else bool(credits.authors),
            editor=self.editor or credits.editor,
        )

    def _is_site(self, name: str) -> bool:
        return bool(self.site_name) and name.casefold() == (self.site_name or "").casefold()


# ---- reading the markup ---------------------------------------------------------------


def _first(meta: dict[str, list[str]], keys: tuple[str, ...]) -> str | None:
    for key in keys:
        values = meta.get(key)
        if values:
            return values[0]
    return None


_ld_text = structured.ld_text


def _ld_people(value: Any) -> list[str]:
    """Person names of a JSON-LD author value; organisations are no authors."""
    names = []
    for name, kind in structured.ld_people(value):
        if kind == "string":
            names.extend(bylines.split_names(name) or [name])
        elif kind == "person":
            # One Person whose name lists several ("A, B and C"): the CMS's author field.
            listed = bylines.split_names(name) if re.search(r",|\sand\s|、", name) else []
            names.extend(listed if len(listed) > 1 else [name])
    return [n for n in names if n and n.lower() not in bylines.JUNK_PEOPLE and len(n) <= 60]


def _select(tree: lxml.html.HtmlElement, selector: str) -> list[Any]:
    """Elements (or strings, for XPath text()/@attr) a profile selector picks."""
    try:
        if selector.startswith(("/", "(")):
            result = tree.xpath(selector)
            return list(result) if isinstance(result, list) else [result]
        return list(tree.cssselect(selector))
    except (etree.XPathError, ValueError, SyntaxError, ImportError):
        return []


def _selected_text(tree: lxml.html.HtmlElement, selector: str | None) -> str | None:
    if not selector:
        return None
    for hit in _select(tree, selector):
        text = clean_space(hit) if isinstance(hit, str) else element_text(hit)
        if text:
            return text
    return None


def _selected_texts(tree: lxml.html.HtmlElement, selector: str | None) -> list[str]:
    if not selector:
        return []
    out = []
    for hit in _select(tree, selector):
        text = clean_space(hit) if isinstance(hit, str) else element_text(hit)
        if text:
            out.append(text)
    return out


# ---- the fields -----------------------------------------------------------------------


def _fold(text: str) -> str:
    return title._fold(text)


# "tit" as a word of its own: templates abbreviate title ("art_tit", "news-tit", "tit1").
TITLE_CLASS_RX = re.compile(r"title|headline|biaoti|heading|subject|topic|(?<![a-z])tit(?![a-z])", re.I)
NOT_TITLE_CLASS_RX = re.compile(r"sub-?title|list|nav|menu|side|related|hot|foot|logo", re.I)
CREDIT_HINT_RX = re.compile(r"来源|作者|编辑|发布|时间|日期|记者|by\s", re.I)


def _displayed_headline(lines: list[Line], site_name: str | None, host: str | None) -> tuple[str, int] | None:
    """The line that looks most like a headline, and a score of how much it does.

    For pages whose <title> names only the site: a heading, or a block whose class says
    title, with the dateline or credit line right under it.
    """
    best: tuple[str, int] | None = None
    for i, line in enumerate(lines[:1500]):
        text = line.text
        if not 5 <= len(text) <= 120:
            continue
        score = 0
        if line.heading == "h1":
            score += 2
        elif line.heading:
            score += 1
        el = line.element
        names = " ".join(filter(None, (el.get("class"), el.get("id"))))
        parent = el.getparent()
        if parent is not None:
            names += " " + " ".join(filter(None, (parent.get("class"), parent.get("id"))))
        titled = TITLE_CLASS_RX.search(names) and not NOT_TITLE_CLASS_RX.search(names)
        if titled or (i < 60 and len(text) <= 50 and _emphasised(el, text)):
            score += 2
        if score == 0:
            continue
        for nxt in lines[i + 1: i + 4]:
            if len(nxt.text) <= 200 and (dates.find_absolute(nxt.text) or CREDIT_HINT_RX.search(nxt.text)):
                score += 3
                break
        if len(text) >= 8:
            score += 1
        if title.looks_like_site(text, site_name=site_name, host=host):
            continue
        if best is None or score > best[1]:
            best = (text, score)
    return best


def _emphasised(el: lxml.html.HtmlElement, text: str) -> bool:
    """A block whose whole text is set in <strong>/<b>/<font>: an old page's headline."""
    if len(el) > 3:
        return False
    children = [c for c in el if isinstance(c.tag, str)]
    if len(children) != 1 or children[0].tag not in ("strong", "b", "font", "big"):
        return False
    return len(children[0].text_content().strip()) >= len(text) - 2


def _headline_index(lines: list[Line], headline: str | None) -> int | None:
    if not headline:
        return None
    target = _fold(headline)
    size = len(headline)
    first_equal = None
    for i, line in enumerate(lines):
        if abs(len(line.text) - size) > 3 or _fold(line.text) != target:
            continue
        if line.heading:
            return i
        if first_equal is None:
            first_equal = i
    if first_equal is not None:
        return first_equal
    for i, line in enumerate(lines):
        if size <= len(line.text) <= size + 20 and target in _fold(line.text):
            return i
    return None


def _header_window(lines: list[Line], at: int | None) -> list[int]:
    """Line numbers near the headline: under it first, then above it."""
    if at is None:
        return []
    after = list(range(at + 1, min(len(lines), at + 1 + HEADER_LINES_AFTER)))
    before = list(range(at - 1, max(-1, at - 1 - HEADER_LINES_BEFORE), -1))
    return after + before


# "uthor"/"yline" catch both cases of author/Author, byline/Byline in one test each.
BYLINE_XPATH = (
    "//body//*[contains(@class,'uthor') or contains(@class,'yline') or @rel='author' "
    "or contains(@itemprop,'uthor') or contains(@id,'uthor') or contains(@class,'writer')]"
)
PROFILE_CARD_RX = re.compile(r"阅读|粉丝|关注|文章|发文|followers|articles", re.I)
NOT_BYLINE_CLASS_RX = re.compile(r"bio|avatar|image|img|photo|desc|about|more|follow|social|comment", re.I)
BYLINE_PREFIX_RX = re.compile(r"^\s*(?:by|von|por|par|door|di|af|av|texto|text|written by|autor|author)\b[:\s]*", re.I)


def byline_elements(tree: lxml.html.HtmlElement, site_name: str | tuple[str, ...] | None,
                    host: str | None) -> list[str]:
    """Names in the elements a page marks as its byline (class author/byline, rel=author);
    not in a block framing the page (a sidebar's site-owner card, nav, comments)."""
    for el in tree.xpath(BYLINE_XPATH)[:12]:
        if NOT_BYLINE_CLASS_RX.search(el.get("class") or "") or any(
                a.tag in ("figure", "figcaption") for a in el.iterancestors()) or structured.in_frame(el):
            continue
        name_el = el.find(".//*[@itemprop='name']")
        # The names themselves are often links or itemprop=name inside the byline; its whole
        # text ("By Emma Mackenzie Lifestyle Writer") only where they are not.
        parts = [name_el] if name_el is not None else list(el.iter("a"))[:4]
        for texts in ([element_text(p) for p in parts], [clean_space(" ".join(el.itertext()))]):
            names: list[str] = []
            for text in texts:
                if not text or len(text) > 100 or PROFILE_CARD_RX.search(text):
                    continue
                found = bylines.authors_in(text) or bylines.split_names(BYLINE_PREFIX_RX.sub("", text))
                # One capitalised word ("Nachrichten") is a section or a brand more often than a person.
                names += [n for n in found if n not in names and person_like(n, site_name, host)
                          and (re.search(r"[\u4e00-\u9fff]", n) or " " in n.strip())]
            if names:
                return names
    return []


def _dateline_outlet(text: str, raw_date: str) -> str | None:
    """The unlabelled outlet slot after a dateline's date: "2022-02-13 09:57 光明网"."""
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


def extract_metadata(
    tree: lxml.html.HtmlElement,
    *,
    url: str | None,
    rules: ExtractProfile,
    fetched_at: datetime | None,
    lines: list[Line] | None = None,
    markup: str | None = None,
) -> Metadata:
    """Every metadata field the page gives, read in the fixed order of trust."""
    data = structured.read(tree, markup)
    meta, ld, ld_crumbs = data.meta, data.ld, data.crumbs
    if lines is None:
        lines = page_lines(tree)
    host = host_of(url)
    md = Metadata()

    md.site_name = _first(meta, META_SITE_KEYS)
    if not md.site_name and isinstance(ld.get("publisher"), dict):
        md.site_name = _ld_text(ld["publisher"].get("name"))

    # Language: the markup's claim, checked against the script of the text.
    html_lang = tree.get("lang") or tree.get("xml:lang") or _first(meta, META_LANGUAGE_KEYS) or _ld_text(
        ld.get("inLanguage"))
    sample = " ".join(line.text for line in lines[:400])
    md.language = rules.language or section.choose_language(html_lang, sample)

    # Title.
    title_el = tree.find(".//title")
    doc_title = element_text(title_el) if title_el is not None else None
    md.title = _selected_text(tree, rules.title)
    if not md.title:
        meta_titles = [t for t in (_ld_text(ld.get("headline")), *(meta.get(k, [None])[0] for k in META_TITLE_KEYS)) if t]
        headings = [line.text for line in lines if line.heading in ("h1", "h2")][:12]
        shown = [line.text for line in lines if len(line.text) <= 200]
        md.title = title.choose_title(doc_title=doc_title, meta_titles=meta_titles, headings=headings,
                                      shown=shown, site_name=md.site_name, host=host,
                                      displayed=lambda: _displayed_headline(lines, md.site_name, host))
    at = _headline_index(lines, md.title)
    md.headline_line = at
    window = _header_window(lines, at)

    # Canonical URL.
    for link in tree.iter("link"):
        if "canonical" in (link.get("rel") or "").lower().split() and link.get("href"):
            md.canonical_url = join_url(url, link.get("href", ""))
            break
    if not md.canonical_url and meta.get("og:url"):
        md.canonical_url = join_url(url, meta["og:url"][0])

    # Publish time.
    when = published.read_time(tree, data, lines, window, url=url, rules=rules, fetched_at=fetched_at,
                               chosen=_selected_text(tree, rules.published_at), headline=at,
                               language=md.language)
    md.published_at, md.published_at_raw, md.published_precision = when.at, when.raw, when.precision
    dateline = when.dateline

    # Credits: the profile, JSON-LD and meta, then the lines around the headline.
    header = Credits()
    for i in window:
        text = lines[i].text
        if len(text) > 200:
            continue
        found = bylines.parse_line(text)
        if not found.authors and len(text) <= 60:
            found.authors = bylines.reporters_in(text)
        header.fill(found)
    # Source: the one field where the page's visible credit line comes before the meta tag:
    # a CMS's <meta name="source"> often names the parent agency (新华社 for a 新华网 credit,
    # 人民日报 for 人民网－人民日报), the line under the headline names the outlet as credited.
    md.source = bylines.clean_source(_strip_any_label(_selected_text(tree, rules.source)))
    if not md.source:
        md.source = header.source
    if not md.source and dateline is not None:
        md.source = _dateline_outlet(*dateline)
    if not md.source:
        md.source = bylines.clean_source(_strip_label(_first(meta, META_SOURCE_KEYS)))
    if not md.source:
        md.source = _labelled_source(lines, at)
    # Authors: the profile, JSON-LD's Person, the article's own microdata/h-entry author,
    # a labelled byline near the headline (作者：, 记者, 文/, By), then the author meta tag:
    # a CMS fills that tag with the account or the site owner where the post names its writer.
    md.authors = [n for a in _selected_texts(tree, rules.author)
                  for n in bylines.split_names(_strip_any_label(a) or "")]
    md.authors_labelled = bool(md.authors)
    if not md.authors:
        md.authors = _ld_people(ld.get("author"))
    if not md.authors:
        for candidate in data.values("author"):
            if candidate.origin in ("microdata", "h-entry"):
                md.authors = [n for n in bylines.split_names(candidate.value) if n not in md.authors]
                if md.authors:
                    break
    if not md.authors and header.authors:
        md.authors, md.authors_labelled = header.authors, True
    if not md.authors:
        value = _first(meta, META_AUTHOR_KEYS)
        if value and not value.startswith(("http://", "https://", "@")):
            if (md.language or "").startswith("ja") and _JAPANESE_NAME_RX.fullmatch(value.strip()):
                md.authors = [value.strip()]  # family and given name, spaced: one person
            else:
                md.authors = bylines.split_names(value)
    if not md.authors and at is not None:
        # A bare name alone on the line right under the headline: the byline.
        for line in lines[at + 1: at + 3]:
            # Not a link: a lone short link under a headline is its channel ("时政").
            if len(line.text) <= 12 and not any(
                    (a.text_content() or "").strip() == line.text for a in line.element.iter("a")):
                names = bylines.bare_names(line.text)
                if names:
                    md.authors = names
                    break
    md.site_names = _site_names(md.site_name, data)
    md.authors = [a for a in md.authors if person_like(a, md.site_names, host, labelled=md.authors_labelled)]
    md.editor = _strip_any_label(_selected_text(tree, rules.editor)) or header.editor

    # Tags: a visible tag line, else keyword meta tags (judged later against the body).
    md.tags = tags.split_keywords([_strip_any_label(t) or "" for t in _selected_texts(tree, rules.tags)])
    if not md.tags:
        for line in lines:
            if len(line.text) <= 200 and (":" in line.text or "：" in line.text):
                found_tags = tags.tags_from_line(line.text, line.element)
                if found_tags:
                    md.tags = found_tags
                    break
    if not md.tags:
        # rel="tag" (the rel-tag microformat; WordPress marks categories "category tag").
        md.tags = tags.tidy([
            element_text(a) for a in tree.iter("a")
            if "tag" in (a.get("rel") or "").lower().split() and "category" not in (a.get("rel") or "").lower()
        ][: tags.MAX_TAGS])
    if not md.tags:
        for key in META_KEYWORD_KEYS:
            if meta.get(key):
                md.keywords = tags.split_keywords(meta[key], drop_generic=key != "article:tag")
                md.keywords_per_article = key == "article:tag"
                break
        if not md.keywords and ld.get("keywords"):
            kw = ld["keywords"]
            md.keywords = tags.split_keywords(kw if isinstance(kw, list) else [str(kw)], drop_generic=True)

    # Section: the profile, the JSON-LD breadcrumb, else a breadcrumb line above the headline.
    chosen = _selected_text(tree, rules.section)
    if chosen:
        md.section = section.breadcrumb(chosen, title=md.title, site_name=md.site_name) or [chosen]
    elif ld_crumbs:
        md.section = section.tidy_crumbs(ld_crumbs, title=md.title, site_name=md.site_name)
    else:
        md.section = _dom_section(lines, at, title=md.title, site_name=md.site_name) or []
    return md


def _strip_any_label(value: str | None) -> str | None:
    """A profile-selected value without its label ("来自:示例晨报" -> "示例晨报")."""
    if not value:
        return None
    return re.sub(r"^\s*[^\s:：]{1,8}\s*[:：]\s*", "", value).strip() or None


def _strip_label(value: str | None) -> str | None:
    if not value:
        return None
    return re.sub(r"^\s*(?:来源|稿源|出处)\s*[:：]\s*", "", value)


# Chinese names of organisations: agencies (新华社), broadcasters (电视台), offices, companies.
ORGANISATION_RX = re.compile(r"网络|公司|集团|日报|晚报|新闻|传媒|中心|编辑部|工作室|(?:社|台|局|署|委|院|厅|办|网|报|频道)$")
_JAPANESE_NAME_RX = re.compile(r"[\u4e00-\u9fff\u3040-\u30ff]{1,4} [\u4e00-\u9fff\u3040-\u30ff]{1,4}")
_LATIN_PERSON_RX = re.compile(r"[A-ZÀ-Þ][\w'’.-]*(?:\s+[\w'’.-]+){0,4}")
_HANDLE_RX = re.compile(r"[a-z][a-z0-9_.-]{2,19}")
_CJK_PERSON_RX = re.compile(r"[\u4e00-\u9fff·]{2,6}")


def person_like(name: str, site_name: str | tuple[str, ...] | None, host: str | None, *,
                labelled: bool = False) -> bool:
    """A person's name, not a site, an outlet, a user id or a company.

    ``labelled``: the name followed a byline label (作者：, By), where a forum or CMS
    account name ("lee_w", "ggjz") is the writer as the page credits it.
    """
    name = name.strip()
    if not name or name.lower() in bylines.JUNK_PEOPLE:
        return False
    names = (site_name,) if isinstance(site_name, str) else site_name or ()
    if any(n and name.casefold() == n.casefold() for n in names):
        return False
    site_name = names[0] if names else None
    if _CJK_PERSON_RX.fullmatch(name):
        return not title.looks_like_site(name, site_name=site_name, host=host) and not ORGANISATION_RX.search(name)
    if re.fullmatch(r"[\uac00-\ud7af]{2,4}", name):
        return True  # a Korean name ("김민수")
    if re.search(r"[\u4e00-\u9fff]", name):
        return _JAPANESE_NAME_RX.fullmatch(name) is not None
    if re.search(r"\d", name) and "_" in name:
        return False
    if host and any(len(x) >= 3 and x in name.lower().replace(" ", "") for x in host.lower().split(".")
                    if x not in ("www", "com", "net", "org")):
        return False
    return bool(_LATIN_PERSON_RX.fullmatch(name)) or (labelled and bool(_HANDLE_RX.fullmatch(name)))


def _site_names(site_name: str | None, data: structured.Structured) -> tuple[str, ...]:
    """The names a page gives itself: og:site_name, the publisher, the application name, and
    the site description (a sidebar's profile card repeats it as an "author")."""
    names = [site_name] if site_name else []
    publisher = data.ld.get("publisher")
    for value in (_ld_text(publisher) if isinstance(publisher, (dict, list)) else None,
                  _first(data.meta, ("application-name", "apple-mobile-web-app-title", "author:site")),
                  _first(data.meta, ("description", "og:description"))):
        if value and value not in names:
            names.append(value)
    return tuple(names)


def _labelled_source(lines: list[Line], at: int | None) -> str | None:
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


def _dom_section(lines: list[Line], at: int | None, *, title: str | None, site_name: str | None) -> list[str] | None:
    end = at if at is not None else min(len(lines), 200)
    start = max(0, end - 40)
    # A labelled breadcrumb anywhere above the headline, else the nearest unlabelled one.
    for i in range(start, end):
        text = lines[i].text
        if section.BREADCRUMB_LABEL_RX.match(text):
            crumbs = section.breadcrumb(text, title=title, site_name=site_name)
            if crumbs:
                return crumbs
    for i in range(end - 1, max(start, end - 8) - 1, -1):
        text = lines[i].text
        if re.search(r">|›|»|→", text):
            crumbs = section.breadcrumb(text, title=title, site_name=site_name)
            if crumbs:
                return crumbs
    return None
