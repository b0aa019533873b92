"""A record as a person reads it: plain text (``newscrawl show``, ``extract --format txt``)
or Markdown (``extract --format markdown``): title, time, source, authors, tags, then the
body, one paragraph a block."""

from __future__ import annotations

from typing import Any


def shown_time(record: dict[str, Any]) -> str | None:
    """The publish time at the precision the page gave: ``2026-11-20``,
    ``2026-11-20 10:30 +08:00``, ``2026-11-20 10:30:15 +08:00``."""
    at = record.get("published_at")
    if not isinstance(at, str) or not at:
        return None
    precision = record.get("published_precision")
    if precision == "day":
        return at[:10]
    clock = at[11:16] if precision == "minute" else at[11:19]
    offset = at[19:].lstrip(".0123456789")
    return f"{at[:10]} {clock}" + (f" {offset}" if offset else "")


def fields(record: dict[str, Any]) -> list[tuple[str, str]]:
    """(label, value) of the metadata a reader wants above the body, empty ones left out."""
    pairs = [
        ("Time", shown_time(record)),
        ("Source", record.get("source")),
        ("Authors", ", ".join(record.get("authors") or [])),
        ("Editor", record.get("editor")),
        ("Tags", ", ".join(record.get("tags") or [])),
        ("Section", " > ".join(record.get("section") or [])),
        ("URL", record.get("url")),
    ]
    return [(label, str(value)) for label, value in pairs if value]


def paragraphs(record: dict[str, Any]) -> list[str]:
    return [p for p in str(record.get("body") or "").split("\n\n") if p.strip()]


def as_text(record: dict[str, Any], extra: list[tuple[str, str]] | None = None) -> str:
    title = str(record.get("title") or "(no title)")
    lines = [title, "=" * min(60, max(10, 2 * len(title)))]
    lines += [f"{label + ':':<9} {value}" for label, value in fields(record) + (extra or [])]
    lines.append("")
    for paragraph in paragraphs(record):
        lines += [paragraph, ""]
    return "\n".join(lines).rstrip("\n") + "\n"


def _md_escape(text: str) -> str:
    return "".join("\\" + c if c in "\\`*_[]<>#|" else c for c in text)


def as_markdown(record: dict[str, Any]) -> str:
    lines = [f"# {_md_escape(str(record.get('title') or '(no title)'))}", ""]
    for label, value in fields(record):
        shown = f"<{value}>" if label == "URL" else _md_escape(value)
        lines.append(f"- **{label}:** {shown}")
    lines.append("")
    for paragraph in paragraphs(record):
        # A soft line break inside a paragraph stays one (two spaces before the newline).
        lines += [_md_escape(paragraph).replace("\n", "  \n"), ""]
    return "\n".join(lines).rstrip("\n") + "\n"
