"""What the corpus regression gates (test_corpus_body.py, test_corpus_meta.py) share: text
folding, token-bag F1 and reading the cases of a shared corpus.

Reimplemented here on purpose, not imported from the shared scorer: token-bag F1 where a
token is one CJK character or one run of letters/digits, after NFKC, whitespace and case
folding. A missing ../shared fails the gates (never skips them).
"""

from __future__ import annotations

import collections
import json
import re
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

SHARED = Path(__file__).resolve().parents[2] / ".." / "shared"

TOKEN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]|[^\W_]+")


def fold(text: str | None) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text or "")).strip().casefold()


def bag_f1(pred: str, gold: str) -> float | None:
    p = collections.Counter(TOKEN.findall(fold(pred)))
    g = collections.Counter(TOKEN.findall(fold(gold)))
    if not g:
        return None
    common = sum((p & g).values())
    if not common:
        return 0.0
    precision, recall = common / sum(p.values()), common / sum(g.values())
    return 2 * precision * recall / (precision + recall)


def corpus_dir(folder: str, gate: str) -> Path:
    """``../shared/<folder>``; fails the calling test (``gate`` names it) when it is missing."""
    root = SHARED / folder
    if not root.is_dir():
        pytest.fail(
            f"shared corpus not found at {root.resolve()}: the {gate} regression gate needs "
            "../shared/corpus and ../shared/corpus-templated beside the repository"
        )
    return root


def read_cases(root: Path) -> Iterator[tuple[str, bytes, Any]]:
    """(name, HTML, parsed ground truth) of each NAME.json with a NAME.html beside it."""
    for meta in sorted(root.glob("*.json")):
        html = meta.with_suffix(".html")
        if html.exists():
            yield meta.stem, html.read_bytes(), json.loads(meta.read_text("utf-8"))
