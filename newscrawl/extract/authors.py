"""Authors: the people the article credits as its writers.

Candidates, in order: a site profile's selector; the JSON-LD article's author (a Person,
or a string); the article's own microdata / h-entry author (a sidebar's site-owner card is
outside the article and not one); a labelled byline near the headline (作者：, 记者, 文/,
By); the author meta tag (a CMS fills it with the account or the site owner where the post
names its writer, hence late); a bare name alone under the headline. After the body is cut
out, its own credit paragraphs, then elements marked as bylines (class author/byline,
rel=author), fill what is still empty (:mod:`newscrawl.extract.core`). Every name must
look like a person: never the site's names, its description, an outlet or a UI word.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import lxml.html
from lxml import etree

from newscrawl.extract import bylines, structured
from newscrawl.extract.pagetext import BLOCK_TAGS, SKIP_TAGS, Line, clean_space, element_text
from newscrawl.extract.structured import first_meta
from newscrawl.extract.structured import ld_text as _ld_text
from newscrawl.extract.title import looks_like_site

META_AUTHOR_KEYS = ("article:author", "author", "byl", "dc.creator", "sailthru.author", "parsely-author",
                    "twitter:creator")


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


# "uthor"/"yline" catch both cases of author/Author, byline/Byline in one test each.
# Elements without any of the attributes are passed over before the string tests.
BYLINE_XPATH = etree.XPath(
    "//body/descendant::*[@class or @id or @rel or @itemprop][contains(@class,'uthor') "
    "or contains(@class,'yline') or @rel='author' or contains(@itemprop,'uthor') "
    "or contains(@id,'uthor') or contains(@class,'writer')]"
)
PROFILE_CARD_RX = re.compile(r"阅读|粉丝|关注|文章|发文|followers|articles", re.I)
NOT_BYLINE_CLASS_RX = re.compile(r"bio|avatar|image|img|photo|desc|about|more|follow|social|comment", re.I)
BYLINE_PREFIX_RX = re.compile(r"^\s*(?:by|von|por|par|door|di|af|av|texto|text|written by|autor|author)\b[:\s]*", re.I)


def byline_elements(tree: lxml.html.HtmlElement, site_name: str | tuple[str, ...] | None,
                    host: str | None) -> list[str]:
    """Names in the elements a page marks as its byline (class author/byline, rel=author);
    not in a block framing the page (a sidebar's site-owner card, nav, comments)."""
    for el in BYLINE_XPATH(tree)[:12]:
        if NOT_BYLINE_CLASS_RX.search(el.get("class") or "") or any(
                a.tag in ("figure", "figcaption") for a in el.iterancestors()) or structured.in_frame(el):
            continue
        name_el = el.find(".//*[@itemprop='name']")
        # The names themselves are often links or itemprop=name inside the byline; its whole
        # text ("By Jane Doe Lifestyle Writer") only where they are not.
        parts = [name_el] if name_el is not None else list(el.iter("a"))[:4]
        for texts in ([element_text(p) for p in parts], [clean_space(" ".join(el.itertext()))]):
            names: list[str] = []
            for text in texts:
                if not text or len(text) > 100 or PROFILE_CARD_RX.search(text):
                    continue
                found = bylines.authors_in(text) or bylines.split_names(BYLINE_PREFIX_RX.sub("", text))
                # One capitalised word (a section word) is a section or a brand more often than a person.
                names += [n for n in found if n not in names and person_like(n, site_name, host)
                          and (re.search(r"[\u4e00-\u9fff]", n) or " " in n.strip())]
            if names:
                return names
    return []


# Chinese names of organisations: agencies (新华社), broadcasters (电视台), offices, companies.
ORGANISATION_RX = re.compile(r"网络|公司|集团|日报|晚报|新闻|传媒|中心|编辑部|工作室|(?:社|台|局|署|委|院|厅|办|网|报|频道)$")


_JAPANESE_NAME_RX = re.compile(r"[\u4e00-\u9fff\u3040-\u30ff]{1,4} [\u4e00-\u9fff\u3040-\u30ff]{1,4}")


_LATIN_PERSON_RX = re.compile(rf"[{bylines.UPPER}][\w'’.-]*(?:\s+[\w'’.-]+){{0,4}}")


_HANDLE_RX = re.compile(r"[a-z][a-z0-9_.-]{2,19}")


_CJK_PERSON_RX = re.compile(r"[\u4e00-\u9fff·]{2,6}")


def person_like(name: str, site_name: str | tuple[str, ...] | None, host: str | None, *,
                labelled: bool = False) -> bool:
    """A person's name, not a site, an outlet, a user id or a company.

    ``labelled``: the page credits the name explicitly (it followed a byline label, 作者：
    or By, or the article's author markup gives it), where a forum or CMS account name
    ("lee_w") or a desk or agency ("新华社", "読売新聞オンライン") is the writer as credited.
    """
    name = name.strip()
    if not name or name.lower() in bylines.JUNK_PEOPLE:
        return False
    names = (site_name,) if isinstance(site_name, str) else site_name or ()
    if any(n and name.casefold() == n.casefold() for n in names):
        return False
    site_name = names[0] if names else None
    if _CJK_PERSON_RX.fullmatch(name):
        return not looks_like_site(name, site_name=site_name, host=host) and (
            labelled or not ORGANISATION_RX.search(name))
    if re.fullmatch(r"[\uac00-\ud7af]{2,4}", name):
        return True  # a Korean name ("김민수")
    if re.search(r"[\u4e00-\u9fff]", name):
        return _JAPANESE_NAME_RX.fullmatch(name) is not None or (
            labelled and len(name) <= 20 and not looks_like_site(name, site_name=site_name, host=host))
    if re.search(r"\d", name) and "_" in name:
        return False
    if host and any(len(x) >= 3 and x in name.lower().replace(" ", "") for x in host.lower().split(".")
                    if x not in ("www", "com", "net", "org")):
        return False
    return bool(_LATIN_PERSON_RX.fullmatch(name)) or (labelled and bool(_HANDLE_RX.fullmatch(name)))


def site_names(site_name: str | None, data: structured.Structured) -> tuple[str, ...]:
    """The names a page gives itself: og:site_name, the publisher, the application name, the
    site description (a sidebar's profile card repeats it as an "author"), and the author
    that a block framing the page (a sidebar's site-owner card) marks: a blog theme repeats
    that owner in every post's own author markup, where the post may name its writer."""
    names = [site_name] if site_name else []
    names += [c.value for c in data.values("author", in_article_only=False) if not c.in_article]
    publisher = data.ld.get("publisher")
    for value in (_ld_text(publisher) if isinstance(publisher, (dict, list)) else None,
                  first_meta(data.meta, ("application-name", "apple-mobile-web-app-title", "author:site")),
                  first_meta(data.meta, ("description", "og:description"))):
        if value and value not in names:
            names.append(value)
    return tuple(names)


def header_credits(lines: list[Line], window: list[int]) -> bylines.Credits:
    """The credits (source, authors, editor) of the short lines around the headline."""
    header = bylines.Credits()
    for i in window:
        text = lines[i].text
        if len(text) > 200:
            continue
        # A meta line built of one element per field (<span class="post-author">作者：A</span>
        # <span class="post-category">…</span>): each value ends where its element ends.
        for piece in _inline_pieces(lines[i].element):
            found = bylines.parse_line(piece)
            found.authors = found.authors or bylines.whole_byline(piece)
            header.fill(found)
        found = bylines.parse_line(text)
        if not found.authors and len(text) <= 60:
            found.authors = bylines.reporters_in(text) or bylines.whole_byline(text)
        header.fill(found)
    return header


def _inline_pieces(block: lxml.html.HtmlElement) -> list[str]:
    """The texts of a block's inline children, where it has several."""
    children = [c for c in block if isinstance(c.tag, str) and c.tag not in BLOCK_TAGS and c.tag not in SKIP_TAGS]
    if len(children) < 2:
        return []
    return [text for c in children if (text := element_text(c))]


def choose_authors(*, profile: list[str], data: structured.Structured, header: bylines.Credits,
                   lines: list[Line], at: int | None, language: str | None,
                   own_names: tuple[str, ...], host: str | None) -> tuple[list[str], bool]:
    """The authors from the first candidate, in the order of the module's docstring, that
    names someone other than the site itself; and whether the page credits them explicitly
    (a byline label, or the article's author markup)."""
    for names, labelled in _candidates(profile=profile, data=data, header=header, lines=lines, at=at,
                                       language=language):
        kept = [n for n in names if person_like(n, own_names, host, labelled=labelled)]
        if kept:
            return kept, labelled
    return [], False


def _marked_names(value: str) -> list[str]:
    """The names an author element marks: its text split only at list punctuation, each name
    kept whole (the markup says it is a name, whatever its script or shape)."""
    parts = [p.strip(" ()（）[]【】.。:：") for p in re.split(r"\s*[、,，;；]\s*", value)]
    return [p for p in parts if p and len(p) <= 60 and p.lower() not in bylines.JUNK_PEOPLE]


def _candidates(*, profile: list[str], data: structured.Structured, header: bylines.Credits,
                lines: list[Line], at: int | None, language: str | None) -> Iterator[tuple[list[str], bool]]:
    yield [n for a in profile for n in bylines.split_names(bylines.strip_any_label(a) or "")], True
    yield _ld_people(data.ld.get("author")), False
    marked = [c for c in data.values("author") if c.origin in ("microdata", "h-entry")]
    if marked:
        # Every name of the first author element (a vcard lists one fn per author).
        first = marked[0].element
        names: list[str] = []
        for candidate in marked:
            if candidate.element is first or candidate.element in first.iterdescendants():
                names += [n for n in _marked_names(candidate.value) if n not in names]
        yield names, True
    yield header.authors, True
    value = first_meta(data.meta, META_AUTHOR_KEYS)
    if value and not value.startswith(("http://", "https://", "@")):
        if (language or "").startswith("ja") and _JAPANESE_NAME_RX.fullmatch(value.strip()):
            yield [value.strip()], False  # family and given name, spaced: one person
        else:
            yield bylines.split_names(value), False
    if at is not None:
        # A bare name alone on the line right under the headline: the byline.
        for line in lines[at + 1: at + 3]:
            # Not a link: a lone short link under a headline is its channel ("时政").
            if len(line.text) <= 12 and not any(
                    (a.text_content() or "").strip() == line.text for a in line.element.iter("a")):
                found = bylines.bare_names(line.text)
                if found:
                    yield found, False
                    return
