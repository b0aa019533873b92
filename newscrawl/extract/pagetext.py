"""The page's visible text as lines, in document order, each with the block it sits in.

Metadata that sits in the page text (the ``时间:… 来源:…`` line under the headline, a
``标签:`` line, the breadcrumb) is found by reading these lines near the headline; one walk
over the tree makes them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import lxml.html
from lxml import etree

# Elements that start a new line of text.
BLOCK_TAGS = frozenset(
    ["address", "article", "aside", "blockquote", "body", "br", "dd", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main", "nav", "ol", "p", "pre", "section", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul", "center", "dir", "menu", "option", "select", "textarea"]
)
SKIP_TAGS = frozenset(["script", "style", "noscript", "template", "svg", "iframe", "object", "embed", "head", "button"])
HEADING_TAGS = frozenset(("h1", "h2", "h3"))

_SPACE = re.compile(r"[\s\u00a0\u3000\u200b\ufeff]+")


@dataclass(slots=True)
class Line:
    text: str
    element: lxml.html.HtmlElement  # the innermost block element holding the line
    heading: str | None  # "h1".."h3" when the line is (inside) such a heading


def clean_space(text: str) -> str:
    return _SPACE.sub(" ", text).strip()


MAX_LINES = 6000


class LineReader:
    """The lines of text of one element, built as a walk over it meets its block elements
    and text: :func:`page_lines` here, and the body's walk (``newscrawl.extract.body``),
    which reads them in the same pass. The walk appends text to ``parts`` itself (the
    hottest call) and calls :meth:`open` / :meth:`close` for elements of BLOCK_TAGS."""

    __slots__ = ("lines", "parts", "stack", "headings")

    def __init__(self, root: lxml.html.HtmlElement) -> None:
        self.lines: list[Line] = []
        self.parts: list[str] = []
        self.stack = [root]  # the block elements open at this point of the walk
        self.headings: list[str] = []

    def flush(self) -> None:
        """The text gathered in ``parts`` (then cleared) as one line, unless it is only space."""
        parts = self.parts
        raw = parts[0] if len(parts) == 1 else "".join(parts)
        parts.clear()
        if raw.isspace():
            return  # the indentation between two tags: most of what is flushed
        # str.split() splits at what \s matches; only the zero-width spaces need the pattern.
        text = _SPACE.sub(" ", raw).strip() if "\u200b" in raw or "\ufeff" in raw else " ".join(raw.split())
        if text:
            self.lines.append(Line(text, self.stack[-1], self.headings[-1] if self.headings else None))

    def enter(self, element: lxml.html.HtmlElement, tag: str, reading: bool = True) -> bool:
        """An element's start, met in a walk that reads only the lines: False for an
        element whose subtree holds no line (script, style...), for the walk to skip."""
        if tag in SKIP_TAGS:
            return False
        if tag in BLOCK_TAGS:
            self.open(element, tag)
        text = element.text
        if text and reading:
            self.parts.append(text)
        return True

    def open(self, element: lxml.html.HtmlElement, tag: str) -> None:
        if self.parts:
            self.flush()
        self.stack.append(element)
        if tag in HEADING_TAGS:
            self.headings.append(tag)

    def close(self, tag: str) -> None:
        if self.parts:
            self.flush()
        if tag in HEADING_TAGS:
            self.headings.pop()
        self.stack.pop()

    def full(self, limit: int) -> bool:
        """True (the text read so far flushed) once ``limit`` lines are read."""
        if len(self.lines) < limit:
            return False
        if self.parts:
            self.flush()
        return True


def page_lines(tree: lxml.html.HtmlElement, *, limit: int = MAX_LINES) -> list[Line]:
    """Visible lines of the page's <body>, at most about ``limit`` of them. (Extraction
    reads them in the same walk as the body: ``newscrawl.extract.body``.)"""
    body = tree.find("body")
    root = body if body is not None else tree
    reader = LineReader(root)
    add = reader.parts.append
    # One iterwalk (in C, no recursion: absurdly deep markup is read whole) instead of a
    # recursive Python walk; text and tails in document order as the recursion read them.
    if root.text:
        add(root.text)
    walker = etree.iterwalk(root, events=("start", "end", "comment", "pi"))
    skip_subtree = walker.skip_subtree
    block_tags = BLOCK_TAGS
    next(walker)  # the root's own start: its text is read above
    for event, el in walker:
        tag = el.tag
        if event == "start":
            if not reader.enter(el, tag):
                skip_subtree()
        else:  # "end", or a comment / processing instruction: only its tail is text
            if el is root:
                break  # the root's end: its tail is outside the page
            if event == "end" and tag in block_tags:
                reader.close(tag)
            tail = el.tail
            if tail:
                add(tail)
            if reader.full(limit):
                return reader.lines
    if reader.parts:
        reader.flush()
    return reader.lines


def element_text(el: etree._Element) -> str:
    """The text of one element, scripts and styles left out, spaces folded."""
    if el.tag in SKIP_TAGS:
        return ""
    parts = [el.text or ""]
    for child in el:
        if isinstance(child.tag, str):
            parts.append(element_text(child))
        parts.append(child.tail or "")
    return clean_space("".join(parts))
