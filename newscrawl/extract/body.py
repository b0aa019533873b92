"""The article's own paragraphs, in order, without boilerplate."""

from __future__ import annotations

from dataclasses import dataclass, field

import lxml.html

from newscrawl.extract.profile import ExtractProfile


@dataclass(slots=True)
class Body:
    paragraphs: list[str] = field(default_factory=list)
    images: list[str] = field(default_factory=list)  # absolute URLs


def extract_body(
    tree: lxml.html.HtmlElement, *, url: str | None, title: str | None, rules: ExtractProfile
) -> Body:
    """Placeholder: every <p>'s text."""
    paragraphs = [p.text_content().strip() for p in tree.iter("p")]
    return Body(paragraphs=[p for p in paragraphs if p])
