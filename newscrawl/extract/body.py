"""The article's own paragraphs, in order, without boilerplate.

One walk over the tree (lxml's ``iterwalk``, in C) turns the page into *text blocks*: the
text of each block-level element (p, div, td, li, h1-h6 ...) up to the next block
boundary or <br>, with how much of it is link text; the amount of text and link text
below every element is summed bottom-up as the walk closes elements. Elements that never
hold article text (script, style, nav, aside, footer, form controls, figcaption,
display:none) are skipped without descending. Containers whose class/id names furniture
(share bars, comments, related lists, author boxes: :mod:`newscrawl.extract.boilerplate`)
are only *marked*: their text does not count as content, and is dropped when it sits
inside the chosen article container (a marked element holding the headline is not
furniture).

Then, with plain lists indexed by element number (no further tree walks):

1. each block gets a content value: its length (UTF-8 bytes, so a hanzi weighs like a
   three-letter word) and punctuation; link-heavy blocks get none;
2. the value is credited to the paragraph's container in full and to the next one up by
   half, as Readability does; a container's score is its credit times the share of its
   text that is not link text; <article>/<main>/itemprop=articleBody get a bonus; blocks
   above the headline count less, since the body follows it;
3. the best container climbs to ancestors that add article text but stops at teaser
   lists (as many linked headlines as text blocks); article-like siblings join it;
4. its blocks are emitted in order, minus boilerplate lines, link lists, furniture inside
   it, the headline and what stands above it, template header lines, repeated lines and
   summary boxes; a heading such as 相关新闻 / 上一篇 / "Related articles" ends the body
   unless the article resumes after its box.

The same walk reads the page's lines of text (:func:`newscrawl.extract.pagetext.page_lines`,
which the metadata readers search before the body is chosen): subtrees the body skips but
the lines keep (nav, footer, hidden blocks) are walked for the lines only. One walk instead
of two is about a twentieth of the extraction time.

<br>-separated text in a <div> or <td> (old Chinese portals) gives one block per line,
credited to that <div>/<td> itself; a data table's row of short cells is one line. When
almost nothing is found the page is read again with hidden parts, then the JSON-LD
articleBody is used. Images are the <img> inside the chosen container, as absolute URLs.
"""

from __future__ import annotations

import html
import logging
import re
from dataclasses import dataclass, field

import lxml.html
from lxml import etree

from newscrawl.extract import boilerplate, pagetext, structured
from newscrawl.extract.pagetext import Line
from newscrawl.extract.profile import ExtractProfile
from newscrawl.extract.urls import join_url

log = logging.getLogger(__name__)


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
        "footer", "menu", "dialog", "link", "meta", "figcaption",
    }
)
# Skipped elements that sit inside a line of text without breaking it ("点击:<script>…</script>次").
_INLINE_SKIP_TAGS = frozenset({"script", "style", "template", "noscript"})
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

# display:none hides furniture (menus, popups, templates). visibility:hidden is not read
# as hidden: pages hide their article with it until a script has laid it out (WeChat's
# js_content, pre-render fades).
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none", re.IGNORECASE)
_PUNCT = re.compile(r"[，。！？；、,.!?;:：]")
# A line break between two CJK characters or full-width punctuation is a wrap of the
# source, not a gap; a space typed between them ("本报讯 十一月四日") stays.
_CJK_WRAP = re.compile(r"(?<=[\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef])[ \t]*[\r\n]\s*(?=[\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef])")
_HAS_WORD = re.compile(r"[^\W_]")
_LAZY_SRC = ("data-src", "data-original", "data-lazy-src", "data-url", "data-echo", "src")

# Content value of a block: bytes per point, cap, and the minimum length to count.
_MIN_BYTES = 24
_BYTES_PER_POINT = 100
_MAX_LENGTH_POINTS = 3.0
# Link density above which a block or container is a list of links.
_LINK_HEAVY = 0.5
# ... unless it reads as a sentence with this many bytes of text outside the link.
_MIN_LINKED_SENTENCE_REST = 50
_SENTENCE_ENDS = frozenset('.!?。！？"”』」')
# A sibling of the best container joins the body when it scores this share of the best.
_SIBLING_SHARE = 0.2
# The container grows to its parent while that adds this many times more text than links.
_GROW_RATIO = 2
_GROW_SHARE = 0.2
# Headings after which nothing is the article's, however much prose follows (legal
# notices and reader comments are prose too).
_FINAL_MARKERS = frozenset({"disclaimer", "comments"})
# A container whose prose blocks (at least this many) sit under linked headlines at this
# share is a list of teasers.
_MIN_TEASERS = 4
_TEASER_SHARE = 0.6
# Table cells up to this many bytes are data: a row of them reads as one line.
_MAX_CELL_BYTES = 80
# Below this many characters the body is read again without furniture marks and with
# hidden elements, then taken from the JSON-LD articleBody.
_MIN_BODY_CHARS = 60
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
    # (element number, nearest furniture-marked ancestor or -1, src)
    images: list[tuple[int, int, str]] = field(default_factory=list)
    article_hints: list[int] = field(default_factory=list)


def _normalise(pieces: list[str]) -> str:
    raw = "".join(pieces)
    if raw.isspace():
        return ""  # most pending text is the indentation between tags
    if "\n" in raw or "\r" in raw:
        raw = _CJK_WRAP.sub("", raw)
    return " ".join(raw.split())


def _walk(
    root: lxml.html.HtmlElement,
    use_marks: bool,
    drop: set[lxml.html.HtmlElement],
    keep_hidden: bool = False,
    lines_of: lxml.html.HtmlElement | None = None,
) -> tuple[_Page, list[Line]]:
    """The single pass over the tree; see the module docstring. With ``lines_of`` (the
    <body> inside ``root``), the same pass also reads that element's lines of text, as
    :func:`newscrawl.extract.pagetext.page_lines` does: subtrees the body skips but the
    lines keep (nav, footer, hidden blocks) are walked for the lines only."""
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
        # Called only with text pending; the lists are cleared in place (the walk holds
        # their bound append methods).
        if len(pieces) == 1 and pieces[0].isspace():
            pieces.clear()  # the indentation between two tags: most of what is flushed
            link_pieces.clear()
            return
        owner = block_stack[-1] if block_stack else 0
        if tags[owner] == "pre" and not link_pieces:
            # Preformatted text keeps its line breaks: one block per line.
            pre_lines = "".join(pieces).splitlines()
            pieces.clear()
            for line in pre_lines:
                emit(owner, [line], None)
            return
        emit(owner, pieces, link_pieces)
        pieces.clear()
        link_pieces.clear()

    def emit(owner: int, texts: list[str], link_texts: list[str] | None) -> None:
        text = _normalise(texts)
        if not text:
            return
        size = len(text.encode("utf-8"))
        link_size = 0
        if link_texts:
            link_size = min(size, len("".join("".join(link_texts).split()).encode("utf-8")))
        top = stack[-1] if stack else 0
        blocks.append(
            _Block(text, size, link_size, owner, len(elements) - 1, noise_stack[-1],
                   tags[owner] in HEADING_TAGS)
        )
        sizes[top] += size
        link_sizes[top] += link_size

    # The lines (see pagetext.page_lines): their own block elements, skip list and buffer.
    line_reader = pagetext.LineReader(lines_of if lines_of is not None else root)
    add_line_part, lines = line_reader.parts.append, line_reader.lines
    line_skip, line_blocks = pagetext.SKIP_TAGS, pagetext.BLOCK_TAGS
    reading_lines = False
    max_lines = pagetext.MAX_LINES
    muted: lxml.html.HtmlElement | None = None  # skipped by the body, read for the lines

    add_piece, add_link_piece = pieces.append, link_pieces.append
    push_element, push_tag, push_parent = elements.append, tags.append, parents.append
    push_end, push_size, push_link_size = ends.append, sizes.append, link_sizes.append
    push_mark = noise_marks.append
    noise_level = boilerplate.noise_level
    is_hidden_class = boilerplate.is_hidden_class
    skip_tags, block_tags, inline_skip_tags = SKIP_TAGS, BLOCK_TAGS, _INLINE_SKIP_TAGS
    check_hidden = not keep_hidden
    walker = etree.iterwalk(root, events=("start", "end"))
    skip_subtree = walker.skip_subtree
    for event, element in walker:
        tag = element.tag
        if muted is not None:
            # Inside a subtree the body skips: only the lines read it.
            if event == "start":
                if not line_reader.enter(element, tag, reading_lines):
                    skip_subtree()
                continue
            if element is not muted:
                if tag in line_blocks:
                    line_reader.close(tag)
                text = element.tail
                if text and reading_lines:
                    add_line_part(text)
                if reading_lines and len(lines) >= max_lines:
                    reading_lines = not line_reader.full(max_lines)
                continue
            muted = None  # its own end: the body takes it up again
        if event == "start":
            if tag.__class__ is not str:
                continue
            if lines_of is not None and element is lines_of:
                reading_lines = True
                text = element.text
                if text:
                    add_line_part(text)
            elif reading_lines and tag in line_blocks:
                line_reader.open(element, tag)
            get = element.get
            class_value = get("class")
            skip = tag in skip_tags
            if check_hidden and not skip:
                style = get("style")
                skip = (
                    get("hidden") is not None
                    or (class_value is not None and is_hidden_class(class_value))
                    or (style is not None and "none" in style and _HIDDEN_STYLE.search(style) is not None)
                )
            if drop and not skip:
                skip = element in drop
            number = len(elements)
            is_block = tag in block_tags
            if pieces and (is_block or tag == "br" or (skip and tag not in inline_skip_tags)):
                flush()
            push_element(element)
            push_tag(tag)
            push_parent(stack[-1] if stack else -1)
            push_end(number)
            push_size(0)
            push_link_size(0)
            marked = 0
            if use_marks and not skip:
                if tag in _FURNITURE_TAGS:
                    marked = 1
                else:
                    id_value = get("id")
                    if (class_value or id_value) and tag != "html" and tag != "body":
                        marked = noise_level(class_value, id_value)
            push_mark(marked)
            if not marked and (tag in _ARTICLE_HINT_TAGS or get("itemprop") == "articleBody"):
                page.article_hints.append(number)
            stack.append(number)
            if marked:
                noise_stack.append(number)
            if skip:
                if reading_lines and tag not in line_skip:
                    muted = element
                    text = element.text
                    if text and element is not lines_of:
                        add_line_part(text)
                else:
                    skip_subtree()
                continue
            if is_block:
                block_stack.append(number)
            elif tag == "a":
                link_depth += 1
            elif tag == "img" or tag == "amp-img":
                src = next((v for v in map(get, _LAZY_SRC) if v and not v.startswith("data:")), None)
                if src and not _is_pixel(get("width"), get("height")):
                    page.images.append((number, noise_stack[-1], src.strip()))
            text = element.text
            if text:
                add_piece(text)
                if link_depth:
                    add_link_piece(text)
                if reading_lines and element is not lines_of:
                    add_line_part(text)
        else:
            if tag.__class__ is str:
                number = stack[-1]
                tag = tags[number]
                if tag in block_tags and block_stack and block_stack[-1] == number:
                    if pieces:
                        flush()  # credits the closing element: pop it after
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
                if reading_lines:
                    if element is lines_of:
                        if line_reader.parts:
                            line_reader.flush()
                        reading_lines = False  # its tail is outside the page
                    elif tag in line_blocks:
                        line_reader.close(tag)
            text = element.tail
            if text:
                add_piece(text)
                if link_depth:
                    add_link_piece(text)
                if reading_lines:
                    add_line_part(text)
            if reading_lines and len(lines) >= max_lines:
                reading_lines = not line_reader.full(max_lines)
    if pieces:
        flush()
    if reading_lines and line_reader.parts:
        line_reader.flush()
    _merge_table_rows(page)
    return page, lines


def _merge_table_rows(page: _Page) -> None:
    """A data table's row of short cells ("1 | Kyle Busch | 5040") is one line of text,
    not one paragraph per cell. Layout tables (cells holding paragraphs) are untouched."""
    blocks, tags, parents = page.blocks, page.tags, page.parents
    merged: list[_Block] = []
    index = 0
    while index < len(blocks):
        block = blocks[index]
        row = parents[block.owner] if tags[block.owner] in ("td", "th") else -1
        end = index + 1
        if row >= 0:
            while end < len(blocks) and tags[blocks[end].owner] in ("td", "th") and parents[blocks[end].owner] == row:
                end += 1
        cells = blocks[index:end]
        if end - index >= 2 and all(cell.size <= _MAX_CELL_BYTES for cell in cells):
            text = " | ".join(cell.text for cell in cells)
            merged.append(
                _Block(text, len(text.encode("utf-8")), sum(c.link_size for c in cells), row,
                       cells[-1].at, cells[0].noise, False)
            )
        else:
            merged.extend(cells)
        index = end
    page.blocks = merged


def _linked_sentence(block: _Block) -> bool:
    """A paragraph of prose most of which is one link (a linked clause), not a link list:
    enough unlinked words around the link, ending like a sentence."""
    return block.size - block.link_size >= _MIN_LINKED_SENTENCE_REST and block.text.rstrip()[-1:] in _SENTENCE_ENDS


def _is_pixel(width: str | None, height: str | None) -> bool:
    """Tracking pixels and spacer GIFs: an image declared 1-2 pixels wide or high."""
    for value in (width, height):
        if value and value.strip().rstrip("px").strip() in ("0", "1", "2"):
            return True
    return False


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
    tally = _tally(page, noisy)
    best = _grow(page, tally, best)
    best_score = max(best_score, scores[best])
    chosen = [best]
    parent = parents[best]
    if parent >= 0:
        threshold = max(10.0, best_score * _SIBLING_SHARE)
        chosen = []
        for number in range(parent + 1, page.ends[parent] + 1):
            if parents[number] != parent:
                continue
            if number == best or (scores[number] >= threshold and tally.article_like(number)):
                chosen.append(number)
    return best, chosen


@dataclass(slots=True)
class _Tally:
    """Per element, over its subtree: bytes of prose and of link text, and how many
    prose blocks and link blocks (mostly a link: teaser headlines, menu items)."""

    good: list[int]
    bad: list[int]
    good_blocks: list[int]
    bad_blocks: list[int]
    listed: list[int]  # bytes of prose inside list items (<li>)

    def article_like(self, number: int) -> bool:
        return self.bad_blocks[number] * 2 <= self.good_blocks[number] and (
            self.bad[number] * _GROW_RATIO <= self.good[number]
        )


def _tally(page: _Page, noisy: list[bool]) -> _Tally:
    count = len(page.elements)
    good = [0] * count
    bad = [0] * count
    good_blocks = [0] * count
    bad_blocks = [0] * count
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
    tags = page.tags
    in_item = [False] * count
    listed = [0] * count
    for number in range(count):
        parent = parents[number]
        in_item[number] = tags[number] == "li" or (parent >= 0 and in_item[parent])
    for index, block in enumerate(page.blocks):
        if not noisy[index] and in_item[block.owner] and block.size >= _MIN_BYTES and block.link_size * 2 <= block.size:
            listed[block.owner] += block.size - block.link_size
    for number in range(count - 1, 0, -1):
        parent = parents[number]
        if parent >= 0:
            listed[parent] += listed[number]
    return _Tally(good, bad, good_blocks, bad_blocks, listed)


def _grow(page: _Page, tally: _Tally, best: int) -> int:
    """Climb from the best container to its ancestors while they add article text and
    little else: articles that wrap each paragraph in its own <div>/<section> give every
    wrapper a small score, so the best-scoring one holds only part of the article."""
    good, bad = tally.good, tally.bad
    good_blocks, bad_blocks = tally.good_blocks, tally.bad_blocks
    parents = page.parents
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
            if tally.listed[ancestor] - tally.listed[chosen] > 0.5 * gained_good and not tally.listed[chosen]:
                break  # what it adds is a list of items (reader comments, teasers), not paragraphs
            chosen = ancestor
        ancestor = parents[ancestor]
    return chosen


def _is_teaser_list(candidates: list[tuple[int, _Block, int]]) -> bool:
    """True when most prose in the chosen container sits right under a linked headline:
    the container is a list of teasers, the page a list page."""
    prose = teasers = 0
    previous: _Block | None = None
    for _index, block, _inside in candidates:
        if block.size >= 3 * _MIN_BYTES and block.link_size * 2 < block.size:
            prose += 1
            if previous is not None and previous.link_size * 2 > previous.size:
                teasers += 1
        previous = block
    # An article with a related list under it still has its own run of paragraphs.
    return teasers >= _MIN_TEASERS and teasers >= _TEASER_SHARE * prose and prose - teasers <= 2


def _article_resumes(page: _Page, candidates: list[tuple[int, _Block, int]], position: int) -> bool:
    """After a furniture heading, does the article go on? Yes when a paragraph follows
    outside the heading's own box (a "Read more" box set into the text); no when only the
    box's items follow (a related list at the end of the article)."""
    box = _child_of(page, candidates[position][1].owner, candidates[position][2])
    for _index, block, inside in candidates[position + 1 :]:
        if (
            block.size >= 3 * _MIN_BYTES
            and block.link_size * 2 < block.size
            and _child_of(page, block.owner, inside) != box
        ):
            return True
    return False


def _child_of(page: _Page, number: int, container: int) -> int:
    """The child of ``container`` that holds element ``number`` (itself if it is one)."""
    parents = page.parents
    while number >= 0 and parents[number] != container and number != container:
        number = parents[number]
    return number


def _lead_paragraphs(
    page: _Page,
    first: int,
    title_at: int,
    best: int,
    real_mark: list[bool],
    title_key: str,
    extra_drop: re.Pattern[str] | None,
) -> list[str]:
    """The standfirst between the headline and the body's container: news and blog
    templates print the lead/teaser/subtitle in the article header (``<p class="lead">``,
    an ``<h2>`` dek, an excerpt) apart from the text block. Taken are the blocks after
    the headline and before the body that sit in the element holding both, read as text
    (not links, not furniture, not a boilerplate or header line)."""
    title_element = page.blocks[title_at].at
    ends, parents = page.ends, page.parents
    wrapper = parents[best]
    while wrapper >= 0 and not (wrapper <= title_element <= ends[wrapper]):
        wrapper = parents[wrapper]
    if wrapper < 0:
        return []
    lead: list[str] = []
    for block in page.blocks[title_at + 1 : first]:
        if not (wrapper <= block.at <= ends[wrapper]):
            continue
        if block.noise >= 0 and real_mark[block.noise]:
            continue
        text = block.text
        if block.size < _MIN_BYTES or block.link_size * 2 > block.size:
            continue
        if title_key and not _title_key(text).replace(title_key, ""):
            continue
        if block.size <= _MAX_BOILERPLATE_BYTES and boilerplate.boilerplate_kind(text):
            continue
        if boilerplate.is_header_line(text) or (extra_drop is not None and extra_drop.search(text)):
            continue
        if len(text) < _MAX_LEAD_LINE_CHARS and (
            boilerplate.DATE_PATTERN.search(text) or boilerplate.CREDIT_LABELS.search(text)
        ):
            continue  # a dateline or credit line of the header: the metadata reads it
        if _in_furniture_box(page, block.owner, wrapper):
            continue
        if not _HAS_WORD.search(text) or text in lead:
            continue
        lead.append(text)
    return lead


# Lead-area lines shorter than this that hold a date or a credit label are header lines.
_MAX_LEAD_LINE_CHARS = 120
# Between headline and body, text in these is a photo caption, a key-points list, or a
# layout table's other cell, not the standfirst.
_NOT_LEAD_TAGS = frozenset({"figure", "picture", "li", "td", "th", "tr", "table"})


# ... and so is text in a box whose class/id names a picture or the header's info line.
_NOT_LEAD_WORDS = frozenset(
    {"image", "img", "photo", "picture", "media", "figure", "gallery", "video", "caption", "meta",
     "metadata", "info", "byline", "share", "tools", "messenger"}
)


def _in_furniture_box(page: _Page, number: int, wrapper: int) -> bool:
    """Whether a block between headline and body sits in a caption, key-points list,
    layout cell or info line (up to the element holding headline and body)."""
    tags, parents, elements = page.tags, page.parents, page.elements
    while number > wrapper:
        if tags[number] in _NOT_LEAD_TAGS:
            return True
        element = elements[number]
        for name in (element.get("class"), element.get("id")):
            if name and any(not _NOT_LEAD_WORDS.isdisjoint(boilerplate.attribute_words(value))
                            for value in name.split()):
                return True
        number = parents[number]
    return False


def _drop_repeated_lead(paragraphs: list[str]) -> None:
    """Drop a summary box above the body that repeats the body's opening ("核心提示：…",
    or the page description printed as a lead-in, often cut short with "…")."""
    for index in range(min(3, len(paragraphs) - 1)):
        core = boilerplate.LEAD_LABEL.sub("", paragraphs[index]).rstrip(".。…· ")
        if len(core) < 20 or paragraphs[index] == paragraphs[index + 1]:
            continue  # two equal paragraphs in a row (two photos, one caption) are kept
        rest = "".join("".join(p.split()) for p in paragraphs[index + 1 :])
        if rest.startswith("".join(core.split())[:60]):
            del paragraphs[index]
            return


@dataclass(slots=True)
class PageWalk:
    """The first walk over a page: the body's text blocks and the page's lines of text
    (:func:`newscrawl.extract.pagetext.page_lines`), which the metadata readers use before
    the body is chosen."""

    root: lxml.html.HtmlElement  # the walk's root: the document, or a profile's body element
    drop: set[lxml.html.HtmlElement]  # what the profile's drop selectors select
    page: _Page
    lines: list[Line]


def walk_page(tree: lxml.html.HtmlElement, *, rules: ExtractProfile) -> PageWalk:
    """Walk a parsed page once (see the module docstring); :func:`extract_body` goes on
    from here when it is given the result."""
    root = tree.getroottree().getroot() if hasattr(tree, "getroottree") else tree
    etree.strip_tags(root, etree.Comment, etree.ProcessingInstruction)
    drop: set[lxml.html.HtmlElement] = set()
    for selector in rules.drop_selectors:
        drop.update(_select(root, selector))
    whole = True
    if rules.body:
        found = _select(root, rules.body)
        if found:
            root, whole = found[0], False
    lines_of = tree.find("body") if whole else None
    if lines_of is None:
        # The lines cover the whole <body>, a profile's body element only part of it.
        page = _walk(root, True, drop)[0]
        return PageWalk(root, drop, page, pagetext.page_lines(tree))
    page, lines = _walk(root, True, drop, lines_of=lines_of)
    return PageWalk(root, drop, page, lines)


def extract_body(
    tree: lxml.html.HtmlElement,
    *,
    url: str | None,
    title: str | None,
    rules: ExtractProfile,
    walk: PageWalk | None = None,
) -> Body:
    """The article's paragraphs (and images) of a parsed page; empty when there is none.
    ``walk``: the page's :func:`walk_page`, if it was walked already."""
    if walk is None:
        walk = walk_page(tree, rules=rules)
    root, drop = walk.root, walk.drop
    body = _extract(root, url=url, title=title, rules=rules, use_marks=True, drop=drop,
                    page=walk.page)
    if _length(body) < _MIN_BODY_CHARS:
        # The furniture marks may have hidden the article (a wrapper named like a
        # sidebar), or the page streams it into a hidden <div> that a script reveals:
        # read the page once more without marks, hidden parts included.
        retry = _extract(root, url=url, title=title, rules=rules, use_marks=False, drop=drop, keep_hidden=True)
        if _length(retry) > _length(body):
            body = retry
    if _length(body) < _MIN_BODY_CHARS and not rules.body:
        # Script-rendered pages may carry the text only in their JSON-LD.
        paragraphs = _jsonld_article_body(root)
        if sum(len(p) for p in paragraphs) > _length(body):
            return Body(paragraphs=paragraphs, images=body.images)
    return body


def _length(body: Body) -> int:
    return sum(len(p) for p in body.paragraphs)


def _jsonld_article_body(root: lxml.html.HtmlElement) -> list[str]:
    """The articleBody of the page's JSON-LD, split at line breaks; [] when none."""
    text = structured.ld_article_body(structured.ld_nodes(root))
    if not text:
        return []
    lines = (" ".join(html.unescape(line).split()) for line in text.splitlines())
    return [line for line in lines if line]


def _select(root: lxml.html.HtmlElement, selector: str) -> list[lxml.html.HtmlElement]:
    try:
        if selector.startswith(("/", "(")):
            return [e for e in root.xpath(selector) if isinstance(e, etree._Element)]
        return list(root.cssselect(selector))
    except Exception as exc:  # a bad selector in a site profile must not stop a crawl
        log.warning("site profile: ignoring invalid selector %r: %s", selector, exc)
        return []


def _extract(
    root: lxml.html.HtmlElement,
    *,
    url: str | None,
    title: str | None,
    rules: ExtractProfile,
    use_marks: bool,
    drop: set[lxml.html.HtmlElement],
    keep_hidden: bool = False,
    page: _Page | None = None,
) -> Body:
    if page is None:
        page = _walk(root, use_marks, drop, keep_hidden)[0]
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
    extra_drop = boilerplate.compile_patterns(tuple(rules.drop_text))
    best, chosen = _choose(page, noisy, title_at)
    if best < 0:
        return Body()
    ranges = [(n, ends[n]) for n in chosen]
    title_key = _title_key(title)

    # The blocks inside the chosen containers, minus furniture marked inside them.
    candidates: list[tuple[int, _Block, int]] = []
    for index, block in enumerate(page.blocks):
        if title_at >= 0 and index <= title_at:
            continue
        at = block.at
        inside = next((start for start, end in ranges if start <= at <= end), -1)
        if inside < 0:
            continue
        if block.noise >= 0 and block.noise >= inside and real_mark[block.noise]:
            continue
        candidates.append((index, block, inside))
    if _is_teaser_list(candidates):
        return Body()  # a list page (section front, search results): not an article

    paragraphs: list[str] = []
    seen: set[str] = set()
    started = False
    for position, (_index, block, _inside) in enumerate(candidates):
        text = block.text
        if title_key and block.size < 8 * len(title_key) and not _title_key(text).replace(title_key, ""):
            continue  # the headline, once or printed twice (visible and screen-reader copies)
        marker = boilerplate.section_marker_kind(text) if block.size < 60 and started else None
        if marker is not None and (
            marker in _FINAL_MARKERS or not _article_resumes(page, candidates, position)
        ):
            break
        if block.size <= _MAX_BOILERPLATE_BYTES and boilerplate.boilerplate_kind(text):
            continue
        if extra_drop is not None and extra_drop.search(text):
            continue
        if block.link_size > _LINK_HEAVY * block.size and not _linked_sentence(block):
            continue
        if not started and boilerplate.is_header_line(text):
            continue
        if not _HAS_WORD.search(text):
            continue  # punctuation or symbols only: ")", "|", "»"
        if text in seen and paragraphs[-1] != text:
            continue  # a caption, a teaser or a template label repeated elsewhere
        seen.add(text)
        paragraphs.append(text)
        if block.size >= 3 * _MIN_BYTES:
            started = True

    if title_at >= 0 and candidates:
        lead = _lead_paragraphs(page, candidates[0][0], title_at, best, real_mark, title_key, extra_drop)
        paragraphs[:0] = [text for text in lead if text not in seen]
    _drop_repeated_lead(paragraphs)
    images: list[str] = []
    # A lead image between the headline and the body, in the body's own wrapper, is the
    # article's too (the picture under an <h1>, above the text block).
    wrapper = page.parents[best]
    lead_from = max(title_element, wrapper) if title_element >= 0 else -1
    for number, noise, src in page.images:
        inside = next((start for start, end in ranges if start <= number <= end), -1)
        if inside < 0 and lead_from >= 0 and lead_from < number < ranges[0][0] and number <= ends[wrapper]:
            inside = wrapper
        if inside < 0 or (noise >= inside and real_mark[noise]):
            continue  # outside the body, or in a share bar / ad / related box inside it
        absolute = join_url(url, src) if url else src
        if absolute is None:  # a malformed address ("http://[bad")
            continue
        if absolute not in images:
            images.append(absolute)
    return Body(paragraphs=paragraphs, images=images)
