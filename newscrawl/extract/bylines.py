"""Credits: source (来源), authors, editor, read from the body's first and last paragraphs."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(slots=True)
class Credits:
    source: str | None = None
    authors: list[str] = field(default_factory=list)
    editor: str | None = None


def split_credits(paragraphs: list[str]) -> tuple[list[str], Credits]:
    """(paragraphs without the credit lines, the credits). Placeholder: nothing found."""
    return list(paragraphs), Credits()
