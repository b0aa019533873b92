"""The article's own paragraphs, in order, without boilerplate.

One walk over the tree (lxml's ``iterwalk``, in C) turns the page into *text blocks*: the
text of each block-level element (p, div, td, li, h1-h6 ...) up to the next block
boundary or <br>, with how much of it is link text, and for every element the amount of
text and link text below it, counted bottom-up as the walk closes elements. Elements that
never hold article text (script, style, nav, aside, footer, forms' controls, hidden
elements) are skipped without descending. Containers whose class/id names furniture
(share bars, comments, related lists: :mod:`newscrawl.extract.boilerplate`) are only
*marked*: their text does not count as content, and is dropped when it sits inside the
chosen article container.

Then, with plain lists indexed by element number (no further tree walks):

1. each block gets a content value: its length (UTF-8 bytes, so a hanzi weighs like a
   three-letter word) and punctuation, none for link-heavy or boilerplate blocks;
2. the value is credited to the element holding the paragraph's parent (in full) and
   grandparent (half), as Readability does; a container's score is its credit times
   the share of its text that is not link text; blocks before the headline count less,
   since the body follows it;
3. the best container, together with sibling containers that score well, is the body;
4. its blocks are emitted in order, minus boilerplate lines, link lists, furniture inside
   it, the headline and what stands above it, and everything after a heading such as
   相关新闻 / 上一篇 / "Related articles".

<br>-separated text in a <div> or <td> (old Chinese portals) gives one block per line,
credited to that <div>/<td> itself. Images are the <img> inside the chosen container,
as absolute URLs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urljoin

import lxml.html
from lxml import etree

from newscrawl.extract import boilerplate
from newscrawl.extract.profile import ExtractProfile


@dataclass(slots=True)
class Body:
    paragraphs: list[str] = field(default_factory=list)
    images: list[str] = field(default_factory=list)  # absolute URLs


# Elements whose subtree never holds article text.
SKIP_TAGS = frozenset(
    {
        "head", "script", "style", "noscript", "template", "iframe", "frame", "frameset",
        "object", "embed", "applet", "svg", "math", "canvas", "map", "area", "audio", "video",
        "select", "option", "optgroup", "button", "input", "textarea", "label", "nav", "aside",
        "footer", "menu", "dialog", "link", "meta",
    }
)
# Elements that start and end a text block.
BLOCK_TAGS = frozenset(
    {
        "html", "body", "div", "p", "td", "th", "tr", "table", "tbody", "thead", "tfoot",
        "caption", "li", "ul", "ol", "dl", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6",
        "blockquote", "pre", "section", "article", "main", "figure", "figcaption", "center",
        "form", "fieldset", "legend", "address", "hr", "details", "summary", "hgroup",
        "picture",
    }
)
# Blocks that are one paragraph: their value is credited to their parent container.
PARAGRAPH_TAGS = frozenset(
    {"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "dt", "dd", "blockquote", "pre",
     "figcaption", "caption", "address", "legend", "summary", "th"}
)
HEADING_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
# Containers a body can be (the element whose blocks make the article).
CONTAINER_TAGS = frozenset(
    {"div", "td", "article", "section", "main", "body", "form", "center", "blockquote",
     "font", "span", "dd", "li", "table", "tbody", "tr", "ul", "ol", "p", "pre"}
)
# Elements treated like a class named as furniture: dropped unless they hold the headline.
_FURNITURE_TAGS = frozenset({"header"})
# Elements marked as the article by markup conventions.
_ARTICLE_HINT_TAGS = frozenset({"article", "main"})

_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
_PUNCT = re.compile(r"[，。！？；、,.!?;:：]")
# A space between two CJK characters or full-width punctuation is a line wrap, not a gap.
_CJK_GAP = re.compile(r"(?<=[\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef]) (?=[\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef])")
_LAZY_SRC = ("data-src", "data-original", "data-lazy-src", "data-url", "data-echo", "src")

# Content value of a block: bytes per point, cap, and the minimum length to count.
_MIN_BYTES = 24
_BYTES_PER_POINT = 100
_MAX_LENGTH_POINTS = 3.0
# Link density above which a block or container is a list of links.
_LINK_HEAVY = 0.5
# A sibling of the best container joins the body when it scores this share of the best.
_SIBLING_SHARE = 0.2
# The container grows to its parent while that adds this many times more text than links.
_GROW_RATIO = 2
_GROW_SHARE = 0.2
# Boilerplate lines longer than this (bytes) are kept: long text is prose.
_MAX_BOILERPLATE_BYTES = 1200


@dataclass(slots=True)
class _Block:
    text: str
    size: int  # UTF-8 bytes
    link_size: int
    owner: int  # number of the block-level element holding the text
    at: int  # number of the last element opened before the text ended (document order)
    noise: int  # number of the nearest class/id-marked furniture ancestor, -1 for none
    heading: bool


@dataclass(slots=True)
class _Page:
    """What the walk learns, in lists indexed by element number (document order)."""

    elements: list[lxml.html.HtmlElement] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    parents: list[int] = field(default_factory=list)
    ends: list[int] = field(default_factory=list)  # number of the last element inside
    sizes: list[int] = field(default_factory=list)  # text bytes inside
    link_sizes: list[int] = field(default_factory=list)
    noise_marks: list[int] = field(default_factory=list)  # 0 none, 1 weak, 2 strong
    blocks: list[_Block] = field(default_factory=list)
    images: list[tuple[int, str]] = field(default_factory=list)  # (element number, src)
    article_hints: list[int] = field(default_factory=list)


def _normalise(pieces: list[str]) -> str:
    text = " ".join("".join(pieces).split())
    if " " in text:
        text = _CJK_GAP.sub("", text)
    return text


def _is_hidden(element: lxml.html.HtmlElement) -> bool:
    attrib = element.attrib
    if "hidden" in attrib:
        return True
    style = attrib.get("style")
    return bool(style and ("none" in style or "hidden" in style) and _HIDDEN_STYLE.search(style))


def _walk(root: lxml.html.HtmlElement, use_marks: bool, drop: set[lxml.html.HtmlElement]) -> _Page:
    """The single pass over the tree; see the module docstring."""
    page = _Page()
    elements, tags, parents, ends = page.elements, page.tags, page.parents, page.ends
    sizes, link_sizes, noise_marks = page.sizes, page.link_sizes, page.noise_marks
    blocks = page.blocks
    pieces: list[str] = []
    link_pieces: list[str] = []
    stack: list[int] = []  # open elements
    block_stack: list[int] = []  # open block-level elements
    noise_stack: list[int] = [-1]
    link_depth = 0

    def flush() -> None:
        nonlocal pieces, link_pieces
        if not pieces:
            return
        text = _normalise(pieces)
        links = "".join(link_pieces).split() if link_pieces else ()
        pieces, link_pieces = [], []
        if not text:
            return
        size = len(text.encode("utf-8"))
        link_size = min(size, len("".join(links).encode("utf-8"))) if links else 0
        owner = block_stack[-1] if block_stack else 0
        top = stack[-1] if stack else 0
        blocks.append(
            _Block(text, size, link_size, owner, len(elements) - 1, noise_stack[-1],
                   tags[owner] in HEADING_TAGS)
        )
        sizes[top] += size
        link_sizes[top] += link_size

    def add_text(text: str | None) -> None:
        if text:
            pieces.append(text)
            if link_depth:
                link_pieces.append(text)

    walker = etree.iterwalk(root, events=("start", "end"))
    for event, element in walker:
        tag = element.tag
        if event == "start":
            if not isinstance(tag, str):
                continue
            tag = tag.lower()
            skip = tag in SKIP_TAGS or element in drop or _is_hidden(element)
            number = len(elements)
            is_block = tag in BLOCK_TAGS
            if is_block or tag == "br" or skip:
                flush()
            elements.append(element)
            tags.append(tag)
            parents.append(stack[-1] if stack else -1)
            ends.append(number)
            sizes.append(0)
            link_sizes.append(0)
            marked = 0
            if use_marks and not skip:
                attrib = element.attrib
                class_value, id_value = attrib.get("class"), attrib.get("id")
                if tag in _FURNITURE_TAGS:
                    marked = 1
                elif (class_value or id_value) and tag not in ("html", "body"):
                    marked = boilerplate.noise_level(class_value, id_value)
                    if not marked and tag not in _ARTICLE_HINT_TAGS and (
                        attrib.get("itemprop") == "articleBody"
                    ):
                        page.article_hints.append(number)
            noise_marks.append(marked)
            if tag in _ARTICLE_HINT_TAGS:
                page.article_hints.append(number)
            stack.append(number)
            if marked:
                noise_stack.append(number)
            if skip:
                walker.skip_subtree()
                continue
            if is_block:
                block_stack.append(number)
            elif tag == "a":
                link_depth += 1
            elif tag == "img":
                src = next((element.get(a) for a in _LAZY_SRC if element.get(a)), None)
                if src and not src.startswith("data:"):
                    page.images.append((number, src.strip()))
            add_text(element.text)
        else:
            if not isinstance(tag, str):
                add_text(element.tail)
                continue
            number = stack[-1]
            tag = tags[number]
            if tag in BLOCK_TAGS and block_stack and block_stack[-1] == number:
                flush()
                block_stack.pop()
            elif tag == "a" and link_depth:
                link_depth -= 1
            stack.pop()
            if noise_stack[-1] == number:
                noise_stack.pop()
            ends[number] = len(elements) - 1
            if stack:
                parent = stack[-1]
                sizes[parent] += sizes[number]
                link_sizes[parent] += link_sizes[number]
            add_text(element.tail)
    flush()
    return page


def _block_value(block: _Block) -> float:
    if block.size < _MIN_BYTES or block.link_size > _LINK_HEAVY * block.size:
        return 0.0
    points = min(block.size / _BYTES_PER_POINT, _MAX_LENGTH_POINTS)
    return 1.0 + points + len(_PUNCT.findall(block.text))


def _title_key(text: str | None) -> str:
    return "".join(text.split()).casefold() if text else ""


def _title_position(page: _Page, title: str | None) -> int:
    """Index of the block holding the headline, or -1: the first block that reads as the
    headline and is not a link; failing that, the first heading that does (old blogs
    link their headline to its permalink)."""
    key = _title_key(title)
    if len(key) < 4:
        return -1
    linked = -1
    for index, block in enumerate(page.blocks):
        if block.size < 4 * len(key) + 40:
            text = _title_key(block.text)
            if text == key or (
                block.heading
                and (key in text or text in key)
                and len(key) < len(text) * 2 < 4 * len(key) + 12
            ):
                if block.link_size * 2 <= block.size:
                    return index
                if linked < 0 and block.heading:
                    linked = index
    return linked


def _choose(page: _Page, noisy: list[bool], title_at: int) -> tuple[int, list[int]]:
    """(best container, [containers making the body in document order])."""
    count = len(page.elements)
    credit = [0.0] * count
    tags, parents = page.tags, page.parents
    title_element = page.blocks[title_at].at if title_at >= 0 else -1
    for index, block in enumerate(page.blocks):
        if noisy[index]:
            continue
        value = _block_value(block)
        if not value:
            continue
        if title_at >= 0 and block.at < title_element:
            value *= 0.3  # the body follows the headline
        owner = block.owner
        first = parents[owner] if tags[owner] in PARAGRAPH_TAGS else owner
        if first < 0:
            continue
        credit[first] += value
        second = parents[first]
        if second >= 0:
            credit[second] += value / 2
    for hint in page.article_hints:
        credit[hint] *= 1.25
    best, best_score = -1, 0.0
    scores = [0.0] * count
    sizes, link_sizes = page.sizes, page.link_sizes
    for number in range(count):
        if not credit[number] or tags[number] not in CONTAINER_TAGS:
            continue
        size = sizes[number] or 1
        score = credit[number] * (1.0 - link_sizes[number] / size)
        scores[number] = score
        if score > best_score:
            best, best_score = number, score
    if best < 0:
        return -1, []
    best = _grow(page, noisy, best)
    best_score = max(best_score, scores[best])
    chosen = [best]
    parent = parents[best]
    if parent >= 0:
        threshold = max(10.0, best_score * _SIBLING_SHARE)
        chosen = []
        for number in range(parent + 1, page.ends[parent] + 1):
            if parents[number] != parent:
                continue
            if number == best or scores[number] >= threshold:
                chosen.append(number)
    return best, chosen


def _grow(page: _Page, noisy: list[bool], best: int) -> int:
    """Climb from the best container to its ancestors while they add article text and
    little else: articles that wrap each paragraph in its own <div>/<section> give every
    wrapper a small score, so the best-scoring one holds only part of the article."""
    count = len(page.elements)
    good = [0] * count  # bytes of prose
    bad = [0] * count  # bytes of link text
    good_blocks = [0] * count
    bad_blocks = [0] * count  # blocks that are mostly a link: teaser headlines, menus
    for index, block in enumerate(page.blocks):
        owner = block.owner
        if noisy[index]:
            continue  # dropped from the output anyway
        if block.link_size * 2 > block.size:
            bad[owner] += block.size
            bad_blocks[owner] += 1
        elif block.size >= _MIN_BYTES:
            good[owner] += block.size - block.link_size
            bad[owner] += block.link_size
            good_blocks[owner] += 1
    parents = page.parents
    for number in range(count - 1, 0, -1):
        parent = parents[number]
        if parent >= 0:
            good[parent] += good[number]
            bad[parent] += bad[number]
            good_blocks[parent] += good_blocks[number]
            bad_blocks[parent] += bad_blocks[number]
    # Small clean gains (a byline, a caption) are passed through but not taken: the
    # container moves up only to an ancestor that adds a real share of article text.
    # Teaser lists (a linked headline over a line of text, again and again) add about
    # as many link blocks as text blocks: the climb stops there.
    chosen = best
    ancestor = parents[best]
    while ancestor >= 0:
        gained_good = good[ancestor] - good[chosen]
        gained_bad = bad[ancestor] - bad[chosen]
        if gained_bad * _GROW_RATIO > gained_good:
            break
        if (bad_blocks[ancestor] - bad_blocks[chosen]) * 2 > good_blocks[ancestor] - good_blocks[chosen]:
            break
        if gained_good >= _GROW_SHARE * good[chosen]:
            chosen = ancestor
        ancestor = parents[ancestor]
    return chosen


def extract_body(
    tree: lxml.html.HtmlElement,
    *,
    url: str | None,
    title: str | None,
    rules: ExtractProfile,
) -> Body:
    """The article's paragraphs (and images) of a parsed page; empty when there is none."""
    root = tree.getroottree().getroot() if hasattr(tree, "getroottree") else tree
    etree.strip_tags(root, etree.Comment, etree.ProcessingInstruction)
    drop: set[lxml.html.HtmlElement] = set()
    for selector in rules.drop_selectors:
        drop.update(_select(root, selector))
    if rules.body:
        found = _select(root, rules.body)
        if found:
            root = found[0]
    body = _extract(root, url=url, title=title, rules=rules, use_marks=True, drop=drop)
    if sum(len(p) for p in body.paragraphs) < 60:
        # The furniture marks may have hidden the article (a wrapper named like a
        # sidebar): read the page once more without them.
        retry = _extract(root, url=url, title=title, rules=rules, use_marks=False, drop=drop)
        if sum(len(p) for p in retry.paragraphs) > sum(len(p) for p in body.paragraphs):
            return retry
    return body


def _select(root: lxml.html.HtmlElement, selector: str) -> list[lxml.html.HtmlElement]:
    try:
        if selector.startswith(("/", "(")):
            return [e for e in root.xpath(selector) if isinstance(e, etree._Element)]
        return list(root.cssselect(selector))
    except (etree.XPathError, ValueError, Exception):  # a bad selector in a profile
        return []


def _extract(
    root: lxml.html.HtmlElement,
    *,
    url: str | None,
    title: str | None,
    rules: ExtractProfile,
    use_marks: bool,
    drop: set[lxml.html.HtmlElement],
) -> Body:
    page = _walk(root, use_marks, drop)
    if not page.blocks:
        return Body()
    title_at = _title_position(page, title)
    if title_at >= 0:
        # The headline anchors the body only if most of the page's prose follows it: a
        # wrong title (or a headline repeated in a list further down) must not cut it off.
        prose = [b.size for b in page.blocks if b.size >= 3 * _MIN_BYTES and b.link_size * 2 < b.size]
        before = sum(b.size for b in page.blocks[:title_at] if b.size >= 3 * _MIN_BYTES and b.link_size * 2 < b.size)
        if before * 2 > sum(prose):
            title_at = -1
    # A furniture mark counts only on an element that does not hold the headline (a
    # page-wide wrapper named like a sidebar is not a sidebar); a weak one only on an
    # element holding a small part of the page's text, and so does any mark when the
    # headline is not found.
    total = (page.sizes[0] - page.link_sizes[0]) or 1
    title_element = page.blocks[title_at].at if title_at >= 0 else -1
    ends = page.ends
    sizes, link_sizes = page.sizes, page.link_sizes
    real_mark = [
        bool(level)
        and not (n <= title_element <= ends[n])
        and (
            (level == 2 and title_at >= 0)
            or (sizes[n] - link_sizes[n]) < (0.5 if level == 2 else 0.3) * total
        )
        for n, level in enumerate(page.noise_marks)
    ]
    noisy = [b.noise >= 0 and real_mark[b.noise] for b in page.blocks]
    extra_drop = boilerplate.compile_patterns(rules.drop_text)
    best, chosen = _choose(page, noisy, title_at)
    if best < 0:
        return Body()
    ranges = [(n, ends[n]) for n in chosen]
    title_key = _title_key(title)

    paragraphs: list[str] = []
    started = False
    for index, block in enumerate(page.blocks):
        at = block.at
        inside = next((start for start, end in ranges if start <= at <= end), -1)
        if inside < 0:
            continue
        if block.noise >= 0 and block.noise >= inside and real_mark[block.noise]:
            continue
        text = block.text
        if title_at >= 0 and index <= title_at:
            continue
        if title_key and _title_key(text) == title_key:
            continue
        if block.size < 60 and started and boilerplate.section_marker_kind(text):
            break
        if block.size <= _MAX_BOILERPLATE_BYTES and boilerplate.boilerplate_kind(text):
            continue
        if extra_drop is not None and extra_drop.search(text):
            continue
        if block.link_size > _LINK_HEAVY * block.size:
            continue
        paragraphs.append(text)
        if block.size >= 3 * _MIN_BYTES:
            started = True

    images: list[str] = []
    for number, src in page.images:
        if any(start <= number <= end for start, end in ranges):
            absolute = urljoin(url, src) if url else src
            if absolute not in images:
                images.append(absolute)
    return Body(paragraphs=paragraphs, images=images)
