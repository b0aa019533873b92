"""Metadata in a fixed order of trust: JSON-LD, meta tags, then the page's text."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import datetime

import lxml.html

from newscrawl.extract.bylines import Credits
from newscrawl.extract.profile import ExtractProfile


@dataclass(slots=True)
class Metadata:
    title: str | None = None
    canonical_url: str | None = None
    published_at: str | None = None
    published_at_raw: str | None = None
    source: str | None = None
    authors: list[str] = field(default_factory=list)
    editor: str | None = None
    tags: list[str] = field(default_factory=list)
    section: list[str] = field(default_factory=list)
    language: str | None = None

    def merged_with(self, credits: Credits) -> Metadata:
        """Fields found in the body's byline paragraphs fill the ones still empty."""
        return dataclasses.replace(
            self,
            source=self.source or credits.source,
            authors=self.authors or credits.authors,
            editor=self.editor or credits.editor,
        )


def extract_metadata(
    tree: lxml.html.HtmlElement,
    *,
    url: str | None,
    rules: ExtractProfile,
    fetched_at: datetime | None,
) -> Metadata:
    """Placeholder: the first <h1>."""
    h1 = next(tree.iter("h1"), None)
    return Metadata(title=h1.text_content().strip() if h1 is not None else None)
