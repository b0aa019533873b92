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
from datetime import datetime
from typing import Any

import lxml.html
from lxml import etree

from newscrawl.extract import (
    authors,
    bylines,
    published,
    section,
    source,
    structured,
    tags,
    title,
)
from newscrawl.extract.authors import byline_elements, person_like  # noqa: F401 (core.py reads them here)
from newscrawl.extract.bylines import Credits
from newscrawl.extract.pagetext import Line, clean_space, element_text, page_lines
from newscrawl.extract.profile import ExtractProfile
from newscrawl.extract.urls import host_of, join_url

# ---- named data: where each field is looked for ---------------------------------------

META_SITE_KEYS = ("og:site_name", "application-name", "apple-mobile-web-app-title", "sitename")
META_LANGUAGE_KEYS = ("content-language", "language", "og:locale", "dc.language")


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
    when = published.read_time(tree, data, lines, window, url=url, rules=rules, fetched_at=fetched_at,
                               chosen=_selected_text(tree, rules.published_at), headline=at,
                               language=md.language)
    md.published_at, md.published_at_raw, md.published_precision = when.at, when.raw, when.precision
    dateline = when.dateline

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
