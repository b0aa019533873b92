"""Metadata of a page: each field chosen by its own module, in the order they depend on.

Read from the untouched tree, before the body is cut out: the page's structured data once
(:mod:`~newscrawl.extract.structured`), the site name and language, the headline
(:mod:`~newscrawl.extract.title`) and the lines around it, then the publish time, source
(:mod:`~newscrawl.extract.source`), authors (:mod:`~newscrawl.extract.authors`), tags
(:mod:`~newscrawl.extract.tags`) and section. A site profile's selectors, where given, come
before every other candidate.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone, tzinfo
from typing import Any

import lxml.html
from lxml import etree

from newscrawl.extract import authors, bylines, dates, section, source, structured, tags, title
from newscrawl.extract.authors import byline_elements, person_like  # noqa: F401 (core.py reads them here)
from newscrawl.extract.bylines import Credits
from newscrawl.extract.pagetext import Line, clean_space, element_text, page_lines
from newscrawl.extract.profile import ExtractProfile
from newscrawl.extract.urls import host_of, join_url

# ---- named data: where each field is looked for ---------------------------------------

META_DATE_KEYS = (
    "article:published_time", "og:article:published_time", "article.published", "datepublished",
    "pubdate", "publishdate", "publish-date", "publish_date", "published_time", "publication_date",
    "og:release_date", "release_date", "dc.date.issued", "dcterms.issued", "dcterms.created",
    "sailthru.date", "parsely-pub-date", "weibo:article:create_at",
)
# Generic or modification dates: below the dateline the page shows under its headline.
META_WEAK_DATE_KEYS = ("dc.date", "dcterms.date", "date", "article:modified_time", "og:updated_time")
META_SITE_KEYS = ("og:site_name", "application-name", "apple-mobile-web-app-title", "sitename")
META_LANGUAGE_KEYS = ("content-language", "language", "og:locale", "dc.language")
PUBLISH_LABEL_RX = re.compile(
    r"(?:发布时间|发表时间|发稿时间|发布日期|发表日期|时间|日期|发布于|发表于|发布|published|posted|veröffentlicht|"
    r"publicado|publié|\bvon\b|\bby\b|\bden\b)",
    re.I,
)
UPDATE_LABEL_RX = re.compile(r"更新|修改|updated|aktualisiert|actualizado|mis à jour|格林尼治", re.I)


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


_first = structured.first_meta
_ld_text = structured.ld_text


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


def _date_in_lines(lines: list[Line], numbers: list[int], *, not_after: datetime | None,
                   date_order: str | None, labelled_only: bool = False) -> tuple[dates.Stamp, str, int] | None:
    fallback: tuple[dates.Stamp, str, int] | None = None
    for i in numbers:
        text = lines[i].text
        if len(text) > 300:
            continue
        if labelled_only and not PUBLISH_LABEL_RX.search(text):
            continue
        found = dates.find_absolute(text, not_after=not_after, date_order=date_order)
        if found is None:
            continue
        stamp, raw = found
        before = text[: text.find(raw)] if raw in text else ""
        if UPDATE_LABEL_RX.search(before[-12:]):
            if fallback is None:
                fallback = (stamp, raw, i)
            continue
        return stamp, raw, i
    return fallback


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
    md.title = _selected_text(tree, rules.title) or title.read_title(
        tree, lines, meta=meta, ld=ld, site_name=md.site_name, host=host)
    at = title.headline_index(lines, md.title)
    md.headline_line = at
    window = title.header_window(lines, at)

    # Canonical URL.
    for link in tree.iter("link"):
        if "canonical" in (link.get("rel") or "").lower().split() and link.get("href"):
            md.canonical_url = join_url(url, link.get("href", ""))
            break
    if not md.canonical_url and meta.get("og:url"):
        md.canonical_url = join_url(url, meta["og:url"][0])

    # Publish time.
    zone = dates.page_zone(profile_zone=rules.timezone, host=host)
    dateline = _read_time(md, tree, rules, data, lines, window, url=url, zone=zone, fetched_at=fetched_at)

    # Credits: the lines around the headline feed the source, the authors and the editor.
    header = authors.header_credits(lines, window)
    md.source = source.choose_source(profile=_selected_text(tree, rules.source), header=header,
                                     dateline=dateline, meta=meta, lines=lines, at=at, host=host)
    md.site_names = authors.site_names(md.site_name, data)
    md.authors, md.authors_labelled = authors.choose_authors(
        profile=_selected_texts(tree, rules.author), data=data, header=header, lines=lines, at=at,
        language=md.language, own_names=md.site_names, host=host)
    md.editor = bylines.strip_any_label(_selected_text(tree, rules.editor)) or header.editor

    # Tags: a visible tag list, else keyword meta tags (judged later against the body).
    md.tags, md.keywords, md.keywords_per_article = tags.read_tags(
        profile=[bylines.strip_any_label(t) or "" for t in _selected_texts(tree, rules.tags)],
        lines=lines, tree=tree, meta=meta, ld=ld)

    # Section: the profile, the JSON-LD breadcrumb, else a breadcrumb line above the headline.
    chosen = _selected_text(tree, rules.section)
    if chosen:
        md.section = section.breadcrumb(chosen, title=md.title, site_name=md.site_name) or [chosen]
    elif ld_crumbs:
        md.section = section.tidy_crumbs(ld_crumbs, title=md.title, site_name=md.site_name)
    else:
        md.section = _dom_section(lines, at, title=md.title, site_name=md.site_name) or []
    return md


def _read_time(md: Metadata, tree: lxml.html.HtmlElement, rules: ExtractProfile, data: structured.Structured,
               lines: list[Line], window: list[int], *, url: str | None,
               zone: tzinfo | None, fetched_at: datetime | None) -> tuple[str, str] | None:
    """Sets published_at(_raw); returns (line, date text) when the time came from a dateline.

    Candidates in a fixed order of trust (profile, JSON-LD, published meta tags, the
    article's microdata/h-entry/hAtom, the dateline under the headline, <time>, the URL),
    each refined by the others (:func:`_refined`) and dropped when it disagrees by more than
    a day with the date the page shows under its headline (else the URL's date).
    """
    not_after = fetched_at
    order = rules.date_order
    ld, meta = data.ld, data.meta

    # Short lines (a dateline) before long ones (a paragraph that mentions a date).
    found_line = _date_in_lines(lines, [i for i in window if len(lines[i].text) <= 100],
                                not_after=not_after, date_order=order) or _date_in_lines(
        lines, [i for i in window if len(lines[i].text) > 100], not_after=not_after, date_order=order)
    dateline = None if found_line is None else (lines[found_line[2]].text, found_line[1])
    shown = (found_line[0], found_line[1]) if found_line else None
    url_date = dates.from_url(url, not_after=not_after)
    reference = url_date[0].day if url_date else None
    # The article's own machine-readable times (microdata in its itemscope, h-entry, hAtom,
    # <time datetime> not labelled as an update), parsed once.
    marked: list[tuple[str, tuple[dates.Stamp, str]]] = []
    for c in data.values("published"):
        if c.origin != "json-ld":
            parsed = dates.parse(c.value, not_after=not_after, date_order=order, fallback=False)
            if parsed is not None:
                marked.append((c.origin, parsed))

    def take(found: tuple[dates.Stamp, str] | None, *, checked: bool = True) -> bool:
        if found is None:
            return False
        if checked and reference is not None and abs((found[0].day - reference).days) > 1:
            return False  # a related story's, a copyright year's or a modification's date
        stamp, raw = _refined(found, shown, [m for _o, m in marked])
        md.published_precision = stamp.precision
        if stamp.hour is None:  # a date alone: its midnight, the precision says it is a day
            stamp = dates.Stamp(stamp.day, 0, 0, 0)
        md.published_at = stamp.iso(zone)
        md.published_at_raw = raw
        return True

    chosen = _selected_text(tree, rules.published_at)
    if chosen and take(dates.parse(chosen, not_after=not_after, date_order=order), checked=False):
        return dateline
    for key in ("datePublished", "dateCreated"):
        value = _ld_text(ld.get(key))
        if value and take(dates.parse(value, not_after=not_after, date_order=order)):
            return dateline
    for key in META_DATE_KEYS:
        for value in meta.get(key, ()):
            if take(dates.parse(value, not_after=not_after, date_order=order)):
                return dateline
    for origin, found in marked:
        if origin != "time" and take(found):
            return dateline
    if found_line is None:
        for key in META_WEAK_DATE_KEYS:
            for value in meta.get(key, ()):
                if take(dates.parse(value, not_after=not_after, date_order=order)):
                    return None
        found_line = _date_in_lines(lines, list(range(len(lines))), not_after=not_after, date_order=order,
                                    labelled_only=True)
    if found_line is not None:
        stamp, raw, i = found_line
        # The shown date wrapped in <time datetime>: the attribute says it without the
        # display's ambiguities (11/05/2026, a missing time of day or offset).
        take(_machine_form(lines[i].element, raw, not_after=not_after) or (stamp, raw), checked=False)
        return lines[i].text, raw
    for origin, found in marked:
        if origin == "time" and take(found):
            return None
    for el in tree.iter("time"):
        if el.get("datetime") or structured.MODIFIED_HINT_RX.search(el.get("title") or ""):
            continue  # read above as a candidate, or an update time
        value = el.text_content()
        if value and take(dates.parse(value, not_after=not_after, date_order=order, fallback=False)):
            return None
    for i in window:
        text = lines[i].text
        if len(text) <= 100 and take(dates.find_month_day(text, fetched_at)):
            return text, md.published_at_raw or ""
        if take(dates.find_relative(text, fetched_at), checked=False):
            return None
    take(url_date, checked=False)
    return None


_MAX_OFFSET = timedelta(hours=14)


def _refined(found: tuple[dates.Stamp, str], shown: tuple[dates.Stamp, str] | None,
             marked: list[tuple[dates.Stamp, str]]) -> tuple[dates.Stamp, str]:
    """A chosen time made as exact as the page allows.

    - A machine time in UTC that the page's own markup gives for the same instant in
      another offset: the page's offset (a static-site generator writes the meta in UTC
      and the ``<time datetime>`` in the author's zone).
    - A date alone, where the page's markup or dateline gives a time that same day: that time.
    - A time with an offset whose instant the dateline shows on a local clock without one:
      the difference of the two is the page's offset.
    """
    stamp, raw = found
    if stamp.hour is not None and stamp.offset is not None:
        for other, other_raw in marked:
            if (not stamp.offset and other.hour is not None and other.offset
                    and other.moment() == stamp.moment()):
                return other, other_raw
    if stamp.hour is None:
        for other, other_raw in [*marked, *([shown] if shown else [])]:
            if other.hour is not None and other.day == stamp.day:
                return other, other_raw
    if shown and stamp.hour is not None and stamp.offset is not None:
        local = shown[0]
        if local.hour is not None and local.offset is None:
            wall = datetime(local.day.year, local.day.month, local.day.day, local.hour, local.minute or 0)
            utc = stamp.moment().astimezone(timezone.utc).replace(tzinfo=None, second=0)
            delta = wall - utc
            if delta != stamp.offset and abs(delta) <= _MAX_OFFSET and not delta % timedelta(minutes=15):
                second = stamp.second if local.second is None else local.second
                return dates.Stamp(local.day, local.hour, local.minute, second, delta), shown[1]
    return stamp, raw


def _machine_form(element: lxml.html.HtmlElement, raw: str, *,
                  not_after: datetime | None) -> tuple[dates.Stamp, str] | None:
    """The datetime attribute of the <time> element that displays ``raw``, parsed."""
    for el in element.iter("time"):
        value = el.get("datetime")
        shown = clean_space(el.text_content())
        if value and shown and (raw in shown or shown in raw):
            found = dates.parse(value, not_after=not_after, fallback=False)
            if found is not None:
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
