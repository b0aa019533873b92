"""The page's structured data, read once: every machine-readable field claim, with its origin.

Covers JSON-LD (``@graph``, arrays, nested objects; every schema.org CreativeWork type that
is an article, a report, a posting or a web page), microdata (``itemprop`` inside the
article's ``itemscope``; a property outside it, such as a sidebar's ``itemprop="author"``
site-profile card, is marked as such), Open Graph / ``article:*`` / Dublin Core / plain
``<meta>`` tags, microformats (h-entry ``dt-published``/``dt-updated``/``p-author``, hAtom
``abbr.published[title]``/``.updated``/``.author .fn``), ``<time datetime>``,
``rel=author`` and ``rel=tag`` links.

extruct reads the same standards but costs several times this module's time per page (it
re-serialises the tree for each syntax), which the extraction speed budget does not allow.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

import lxml.html
from lxml import etree

from newscrawl.extract.pagetext import clean_space

# schema.org types whose object describes the article itself (lower case, namespace dropped).
ARTICLE_TYPES = frozenset(
    [
        "article", "newsarticle", "analysisnewsarticle", "askpublicnewsarticle",
        "backgroundnewsarticle", "opinionnewsarticle", "reportagenewsarticle",
        "reviewnewsarticle", "report", "blogposting", "liveblogposting", "socialmediaposting",
        "discussionforumposting", "scholarlyarticle", "medicalscholarlyarticle", "techarticle",
        "satiricalarticle", "advertisercontentarticle",
    ]
)
# Wrappers that describe the page holding the article: used only when no article object is there.
PAGE_TYPES = frozenset(["webpage", "itempage", "creativework"])

PUBLISHED_PROPS = ("datepublished", "datecreated")
MODIFIED_PROPS = ("datemodified",)

# Blocks that frame the page, not the article: a profile card there names the site owner.
FRAME_TAGS = frozenset(["aside", "nav"])
FRAME_CLASS_RX = re.compile(
    r"sidebar|side-bar|site-(?:author|overview|info|profile|state|nav|description)|widget|"
    r"(?<![a-z])(?:nav|menu|comments?|profile-card|author-card|copyright)(?![a-z])",
    re.I,
)
# A footer frames the page only outside the article (a post's own footer holds its byline).
FOOTER_CLASS_RX = re.compile(r"(?<![a-z])footer(?![a-z])", re.I)
MODIFIED_HINT_RX = re.compile(r"updated|modified|更新|修改|编辑于|aktualisiert|actualizado|mis à jour", re.I)


@dataclass(frozen=True, slots=True)
class Candidate:
    """One claim about a field: the value as written, where it came from, and its element."""

    field: str  # published, modified, author, title, keywords, section
    value: str
    origin: str  # json-ld, microdata, h-entry, hatom, time, rel-author
    in_article: bool = True  # False: outside the article's own scope (a page frame block)
    element: Any = None


@dataclass(slots=True)
class Structured:
    meta: dict[str, list[str]] = field(default_factory=dict)  # meta tags by lower-case key
    ld: dict[str, Any] = field(default_factory=dict)  # the JSON-LD article object
    ld_nodes: list[dict[str, Any]] = field(default_factory=list)
    crumbs: list[str] = field(default_factory=list)  # JSON-LD BreadcrumbList names
    candidates: list[Candidate] = field(default_factory=list)

    def values(self, name: str, *, in_article_only: bool = True) -> list[Candidate]:
        return [c for c in self.candidates if c.field == name and (c.in_article or not in_article_only)]


def read(tree: lxml.html.HtmlElement, markup: str | None = None) -> Structured:
    """Everything machine-readable on the page, in one pass per syntax.

    ``markup`` (the page's text) lets the syntaxes it never mentions be skipped: a search
    of the text costs far less than a walk of a large page's tree.
    """
    out = Structured(meta=meta_tags(tree))
    out.ld_nodes = ld_nodes(tree)
    out.ld, out.crumbs = ld_article(out.ld_nodes), ld_crumbs(out.ld_nodes)
    out.candidates = [*_ld_candidates(out.ld), *_markup_candidates(tree, markup)]
    return out


# ---- meta tags ------------------------------------------------------------------------


def first_meta(meta: dict[str, list[str]], keys: tuple[str, ...]) -> str | None:
    """The first value of the first of ``keys`` that the page's meta tags give."""
    for key in keys:
        values = meta.get(key)
        if values:
            return values[0]
    return None


def meta_tags(tree: lxml.html.HtmlElement) -> dict[str, list[str]]:
    """<meta> contents by their lower-cased property/name/itemprop/http-equiv."""
    found: dict[str, list[str]] = {}
    for el in tree.iter("meta"):
        content = el.get("content")
        if content is None:
            continue
        content = content.strip()
        if not content:
            continue
        for attr in ("property", "name", "itemprop", "http-equiv"):
            key = el.get(attr)
            if key:
                found.setdefault(key.strip().lower(), []).append(content)
    return found


# ---- JSON-LD --------------------------------------------------------------------------


def ld_nodes(tree: lxml.html.HtmlElement) -> list[dict[str, Any]]:
    """Every object of every JSON-LD block, nested ones included, in document order."""
    nodes: list[dict[str, Any]] = []
    for script in tree.iter("script"):
        if "ld+json" not in (script.get("type") or "").lower() or not script.text:
            continue
        try:
            data = json.loads(script.text, strict=False)
        except ValueError:
            continue
        _walk(data, nodes, 0)
    return nodes


def _walk(data: Any, out: list[dict[str, Any]], depth: int) -> None:
    if depth > 6:
        return
    if isinstance(data, list):
        for item in data:
            _walk(item, out, depth + 1)
    elif isinstance(data, dict):
        out.append(data)
        for key in _CONTAINER_KEYS:
            value = data.get(key)
            if isinstance(value, (list, dict)):
                _walk(value, out, depth + 1)


# Keys whose objects describe the page itself; authors, publishers, reviews, comments and
# parent pages are read where they are used, never taken for the article.
_CONTAINER_KEYS = ("@graph", "mainEntity", "mainEntityOfPage", "hasPart", "breadcrumb")


def types_of(node: dict[str, Any]) -> set[str]:
    """The node's @type names, lower case, without a namespace ("schema:NewsArticle")."""
    raw = node.get("@type")
    names = raw if isinstance(raw, list) else [raw]
    return {str(n).rsplit("/", 1)[-1].rsplit(":", 1)[-1].lower() for n in names if isinstance(n, str)}


def ld_article(nodes: list[dict[str, Any]]) -> dict[str, Any]:
    """The article object: the first article type, else the first page wrapper."""
    page: dict[str, Any] = {}
    for node in nodes:
        kinds = types_of(node)
        if kinds & ARTICLE_TYPES:
            return node
        if kinds & PAGE_TYPES and not page:
            page = node
    return page


def ld_crumbs(nodes: list[dict[str, Any]]) -> list[str]:
    for node in nodes:
        if "breadcrumblist" not in types_of(node):
            continue
        items = node.get("itemListElement") or []
        names = []
        for item in items if isinstance(items, list) else []:
            if not isinstance(item, dict):
                continue
            name = item.get("name")
            inner = item.get("item")
            if not name and isinstance(inner, dict):
                name = inner.get("name")
            if isinstance(name, str) and name.strip():
                names.append(name.strip())
        if names:
            return names
    return []


def ld_article_body(nodes: list[dict[str, Any]]) -> str | None:
    """The first non-empty articleBody (script-rendered pages carry the text only there)."""
    for node in nodes:
        text = node.get("articleBody")
        if isinstance(text, str) and text.strip():
            return text
    return None


def ld_text(value: Any) -> str | None:
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, list) and value:
        return ld_text(value[0])
    if isinstance(value, dict):
        return ld_text(value.get("name") or value.get("@value"))
    return None


def ld_people(value: Any) -> list[tuple[str, str]]:
    """(name, kind) of a JSON-LD author value: Person, Organization, a string or a list."""
    items = value if isinstance(value, list) else [value]
    out = []
    for item in items:
        if isinstance(item, str) and item.strip():
            out.append((item.strip(), "string"))
        elif isinstance(item, dict):
            name = ld_text(item.get("name"))
            if name:
                kinds = types_of(item) or {"person"}
                out.append((name, "person" if "person" in kinds else "organization"))
    return out


def _ld_candidates(ld: dict[str, Any]) -> list[Candidate]:
    out = []
    for key, name in (("datePublished", "published"), ("dateCreated", "published"),
                      ("dateModified", "modified"), ("headline", "title")):
        value = ld_text(ld.get(key))
        if value:
            out.append(Candidate(name, value, "json-ld"))
    return out


# ---- microdata, microformats, <time>, rel ---------------------------------------------

# Both reached through the attributes: libxml2 then tests only the elements that have them.
_MICROFORMAT_XPATH = etree.XPath(
    "//@class[contains(.,'published') or contains(.,'dt-') or contains(.,'p-author')"
    " or contains(.,'updated') or contains(.,'vcard')]/.."
)
_ITEMPROP_XPATH = etree.XPath("//@itemprop/..")
_MICROFORMAT_WORDS = ("hentry", "h-entry", "dt-published", "dt-updated", "p-author", "vcard")


def _may_have_microformats(markup: str) -> bool:
    return any(word in markup for word in _MICROFORMAT_WORDS) or ("<abbr" in markup and "published" in markup)


def _markup_elements(tree: lxml.html.HtmlElement, markup: str | None) -> list[lxml.html.HtmlElement]:
    """The elements that may carry a claim, each syntax looked for only where the text names it."""
    found: list[lxml.html.HtmlElement] = []
    if markup is None or "itemprop" in markup:
        found += _ITEMPROP_XPATH(tree)
    if markup is None or "datetime" in markup:
        found += [el for el in tree.iter("time") if el.get("datetime")]
    if markup is None or _may_have_microformats(markup):
        found += _MICROFORMAT_XPATH(tree)
    if markup is None or ("author" in markup and "rel" in markup):
        # lxml's tag-filtered iteration, in document order like the XPath union it replaces,
        # at a third of its cost.
        found += [el for el in tree.iter("a", "link") if "uthor" in (el.get("rel") or "")]
    return found


def _classes(el: lxml.html.HtmlElement) -> set[str]:
    return set((el.get("class") or "").split())


def _scope_type(el: lxml.html.HtmlElement) -> str:
    """"article" / "page" / "" for an itemscope element, by its itemtype."""
    kinds = {t.rstrip("/").rsplit("/", 1)[-1].lower() for t in (el.get("itemtype") or "").split()}
    if kinds & ARTICLE_TYPES:
        return "article"
    if kinds & PAGE_TYPES:
        return "page"
    return ""


def _owner(el: lxml.html.HtmlElement) -> lxml.html.HtmlElement | None:
    """The itemscope a property belongs to: its nearest itemscope ancestor."""
    for parent in el.iterancestors():
        if parent.get("itemscope") is not None:
            return parent
    return None


def in_frame(el: lxml.html.HtmlElement) -> bool:
    """Inside a block that frames the page (sidebar, nav, comments, a site card, the page
    footer) rather than inside the article."""
    chain = [el, *el.iterancestors()]
    inside_article = any(n.tag == "article" or _is_article_scope(n) for n in chain[1:])
    for node in chain:
        if node.tag == "article" or _is_article_scope(node):
            return False
        if node.tag in FRAME_TAGS:
            return True
        names = (node.get("class") or "") + " " + (node.get("id") or "")
        if names.strip() and FRAME_CLASS_RX.search(names):
            return True
        if not inside_article and (node.tag == "footer" or (names.strip() and FOOTER_CLASS_RX.search(names))):
            return True
    return False


def _is_article_scope(el: lxml.html.HtmlElement) -> bool:
    return el.get("itemscope") is not None and _scope_type(el) == "article"


def _value(el: lxml.html.HtmlElement) -> str:
    """A property's value as microdata defines it (content, datetime, title of abbr, text)."""
    for attr in ("content", "datetime"):
        if el.get(attr):
            return (el.get(attr) or "").strip()
    if el.tag == "abbr" and el.get("title"):
        return (el.get("title") or "").strip()
    return clean_space(el.text_content())


def _person_names(el: lxml.html.HtmlElement) -> list[str]:
    """The names in an author property or card: each itemprop=name / p-name / fn in it (a
    vcard lists one fn per author), else its text."""
    names = []
    for node in el.iterdescendants():
        props = (node.get("itemprop") or "").split()
        if ("name" in props or _classes(node) & {"p-name", "fn"}) and not _nested_scope(node, el):
            names.append(_value(node))
    return names or [_value(el)]


def _nested_scope(node: lxml.html.HtmlElement, top: lxml.html.HtmlElement) -> bool:
    """Whether ``node`` sits in an itemscope of its own below ``top`` (an author's
    affiliation, whose name is no author)."""
    for parent in node.iterancestors():
        if parent is top:
            return False
        if parent.get("itemscope") is not None:
            return True
    return False


def _markup_candidates(tree: lxml.html.HtmlElement, markup: str | None) -> list[Candidate]:
    out: list[Candidate] = []
    seen: set[int] = set()
    for el in _markup_elements(tree, markup):
        if id(el) in seen or not isinstance(el.tag, str):
            continue
        seen.add(id(el))
        props = {p.lower() for p in (el.get("itemprop") or "").split()}
        classes = _classes(el)
        if props:
            owner = _owner(el)
            kind = _scope_type(owner) if owner is not None else ""
            ours = kind == "article" or (kind == "page" and not in_frame(el))
            if kind == "" and owner is None:
                ours = not in_frame(el)  # a property without a scope: judge by where it is
            if props & set(PUBLISHED_PROPS):
                out.append(Candidate("published", _value(el), "microdata", ours, el))
            elif props & set(MODIFIED_PROPS):
                out.append(Candidate("modified", _value(el), "microdata", ours, el))
            if "author" in props or "creator" in props:
                out += [Candidate("author", name, "microdata", ours and not in_frame(el), el)
                        for name in _person_names(el)]
            if "headline" in props:
                out.append(Candidate("title", _value(el), "microdata", ours, el))
            if "keywords" in props:
                out.append(Candidate("keywords", _value(el), "microdata", ours, el))
            if "articlesection" in props:
                out.append(Candidate("section", _value(el), "microdata", ours, el))
        if "dt-published" in classes:
            out.append(Candidate("published", _value(el), "h-entry", True, el))
        elif "dt-updated" in classes:
            out.append(Candidate("modified", _value(el), "h-entry", True, el))
        elif "published" in classes and el.tag == "abbr" and el.get("title"):
            out.append(Candidate("published", _value(el), "hatom", True, el))
        elif "updated" in classes and el.tag == "abbr" and el.get("title"):
            out.append(Candidate("modified", _value(el), "hatom", True, el))
        if "p-author" in classes or ("vcard" in classes and ("author" in classes or _has_class_ancestor(el, "author"))):
            out += [Candidate("author", name, "h-entry", not in_frame(el), el) for name in _person_names(el)]
        if el.tag == "time" and not props and not classes & {"dt-published", "dt-updated"}:
            label = (el.get("title") or "") + " " + " ".join(classes) + " " + _text_before(el)
            name = "modified" if MODIFIED_HINT_RX.search(label) else "published"
            out.append(Candidate(name, (el.get("datetime") or "").strip(), "time", not in_frame(el), el))
        if el.tag in ("a", "link") and "author" in (el.get("rel") or "").lower().split():
            name = clean_space(el.text_content()) if el.tag == "a" else ""
            if name:
                out.append(Candidate("author", name, "rel-author", not in_frame(el), el))
    return [c for c in out if c.value]


def _has_class_ancestor(el: lxml.html.HtmlElement, name: str) -> bool:
    return any(name in _classes(a) for a in el.iterancestors())


def _text_before(el: lxml.html.HtmlElement) -> str:
    """The few characters written just before an element ("更新于 <time>")."""
    prev = el.getprevious()
    if prev is not None:
        text = prev.tail or clean_space(prev.text_content())
    else:
        parent = el.getparent()
        text = (parent.text or "") if parent is not None else ""
    return text.strip()[-12:]
