"""Per-site extraction rules: plain data that overrides the generic rules for one site.

A site profile (``sites/<name>.toml``, see :mod:`newscrawl.profiles`) carries one of these
under its ``[extract]`` table. Every field is optional; an empty profile changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class ExtractProfile:
    # Per-field selectors: CSS, or XPath when the string starts with "/" or "(".
    title: str | None = None
    published_at: str | None = None
    source: str | None = None
    author: str | None = None
    editor: str | None = None
    body: str | None = None
    tags: str | None = None
    section: str | None = None
    # Extra boilerplate: regexes of paragraph text to drop, selectors of elements to drop.
    drop_text: tuple[str, ...] = field(default_factory=tuple)
    drop_selectors: tuple[str, ...] = field(default_factory=tuple)
    timezone: str | None = None  # IANA name, e.g. Asia/Shanghai
    language: str | None = None
    date_order: str | None = None  # e.g. "DMY" for pages that write 05/04/2022 as 5 April
