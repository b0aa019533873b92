"""Bytes to text: the page's real encoding, whatever its <meta charset> claims."""

from __future__ import annotations

from bs4.dammit import UnicodeDammit


def decode_html(raw: bytes, http_encoding: str | None = None) -> tuple[str, str]:
    """(text, encoding name). Placeholder: UnicodeDammit with the HTTP charset first."""
    hints = [http_encoding] if http_encoding else []
    dammit = UnicodeDammit(raw, hints, is_html=True)
    if dammit.unicode_markup is None:
        return raw.decode("utf-8", "replace"), "utf-8"
    return dammit.unicode_markup, dammit.original_encoding or "utf-8"
