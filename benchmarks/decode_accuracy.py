"""Decoding accuracy and speed: newscrawl's decoder against beautifulsoup4's bs4.dammit.

    PYTHONPATH=. .venv/bin/python benchmarks/decode_accuracy.py [--passes 3]

Every page of ../shared/corpus and ../shared/corpus-templated whose JSON names its true
encoding (UTF-8, GB2312/GBK/GB18030, windows-1252), in three forms: as stored; with its
declared charset removed (<meta charset>, http-equiv, <?xml encoding?>); and with a lying
one (UTF-8 pages declare gb2312, the others utf-8), the HTTP header saying the same. A
decoding is right when its text equals the bytes decoded with the true codec (GB read as
gb18030; a byte-order mark is no text). Decoders:

- newscrawl: ``newscrawl.extract.encoding.decode_html`` (what the extractor uses);
- pagetype (old): the second decoder ``pagetype.parse`` had (strict UTF-8, else lxml
  reading the <meta>), judged on the tree's text;
- UnicodeDammit: ``bs4.UnicodeDammit(raw, [http charset], is_html=True)`` (it uses
  charset_normalizer/chardet for its last guess when installed);
- hybrid: ``bs4.dammit.EncodingDetector`` supplies the candidates in its order (BOM,
  declared, sniffed, utf-8, windows-1252), newscrawl's plausibility check decides.

Prints right/total per form and decoder, and pages/s of each on the stored pages. bs4 is
not a dependency of newscrawl (this measurement is why): install it to run this.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections.abc import Callable
from pathlib import Path

import lxml.html

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT / ".." / "shared"
CORPORA = ("corpus", "corpus-templated")

_DECLARATION = re.compile(
    rb"(<meta[^>]*?charset\s*=\s*[\"']?)([\w:.-]+)|(<\?xml[^>]*?encoding\s*=\s*[\"'])([\w:.-]+)",
    re.IGNORECASE)


def true_codec(label: str) -> str:
    label = label.lower()
    return "gb18030" if label.startswith("gb") else label.split()[0]


def load_pages() -> list[tuple[str, bytes, str]]:
    pages = []
    for name in CORPORA:
        for meta in sorted((SHARED / name).glob("*.json")):
            html = meta.with_suffix(".html")
            data = json.loads(meta.read_text("utf-8"))
            if html.exists() and isinstance(data, dict) and data.get("encoding"):
                pages.append((f"{name}/{html.name}", html.read_bytes(), true_codec(data["encoding"])))
    if not pages:
        sys.exit(f"no pages under {SHARED.resolve()}")
    return pages


def variants(raw: bytes, codec: str) -> dict[str, tuple[bytes, str | None]]:
    lie = b"gb2312" if codec == "utf-8" else b"utf-8"
    stripped = _DECLARATION.sub(lambda m: (m.group(1) or m.group(3)) + b"x-none", raw)
    lying = _DECLARATION.sub(lambda m: (m.group(1) or m.group(3)) + lie, raw)
    if lying == raw:  # nothing was declared: add the lie
        lying = b'<meta charset="' + lie + b'">' + raw
    return {"stored": (raw, None), "undeclared": (stripped, None),
            "lying": (lying, lie.decode())}


def decoders() -> dict[str, Callable[[bytes, str | None], str]]:
    from bs4 import UnicodeDammit
    from bs4.dammit import EncodingDetector

    from newscrawl.extract.encoding import decode_html, plausibility

    def newscrawl(raw: bytes, http: str | None) -> str:
        return decode_html(raw, http)[0]

    def dammit(raw: bytes, http: str | None) -> str:
        return UnicodeDammit(raw, [http] if http else [], is_html=True).unicode_markup or ""

    def hybrid(raw: bytes, http: str | None) -> str:
        best: tuple[float, str] | None = None
        for enc in EncodingDetector(raw, [http] if http else [], is_html=True).encodings:
            try:
                text = raw.decode(enc)
            except (UnicodeDecodeError, LookupError):
                continue
            score = plausibility(text, enc) if enc.lower().replace("-", "") != "utf8" else 1.0
            if best is None or score > best[0]:
                best = (score, text)
        return best[1] if best else raw.decode("utf-8", "replace")

    return {"newscrawl": newscrawl, "UnicodeDammit": dammit, "hybrid": hybrid}


def old_pagetype_text(raw: bytes) -> str:
    """pagetype.parse before it used decode_html: strict UTF-8, else lxml and the <meta>."""
    page: str | bytes = raw
    try:
        page = raw.decode("utf-8")
        page = re.sub(r"^\ufeff?\s*<\?xml[^>]*\?>", "", page, count=1)
    except UnicodeDecodeError:
        pass
    try:
        return lxml.html.document_fromstring(page).text_content()
    except (ValueError, lxml.etree.ParserError):
        return ""


def tree_text(text: str) -> str:
    text = re.sub(r"^\ufeff?\s*<\?xml[^>]*\?>", "", text, count=1)
    try:
        return lxml.html.document_fromstring(text).text_content()
    except (ValueError, lxml.etree.ParserError):
        return ""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--passes", type=int, default=3, help="timing passes (best counts)")
    parser.add_argument("--show", action="store_true", help="name the pages decoded wrong")
    args = parser.parse_args(argv)
    pages = load_pages()
    named = decoders()
    forms = ("stored", "undeclared", "lying")
    right = {(form, name): 0 for form in forms for name in [*named, "pagetype (old)"]}
    counts = {form: 0 for form in forms}
    for label, raw, codec in pages:
        for form, (body, http) in variants(raw, codec).items():
            expected = body.decode(codec, "replace").lstrip("\ufeff")  # a BOM is no text
            counts[form] += 1
            for name, decode in named.items():
                ok = decode(body, http).lstrip("\ufeff") == expected
                right[form, name] += ok
                if args.show and not ok:
                    print(f"  wrong: {name:13} {form:10} {codec:8} {label}")
            ok = old_pagetype_text(body) == tree_text(expected)
            right[form, "pagetype (old)"] += ok
            if args.show and not ok:
                print(f"  wrong: pagetype(old) {form:10} {codec:8} {label}")
    by_codec: dict[str, int] = {}
    for _, _, codec in pages:
        by_codec[codec] = by_codec.get(codec, 0) + 1
    print(f"{len(pages)} pages: " + ", ".join(f"{c} {n}" for c, n in sorted(by_codec.items())))
    print(f"{'decoder':16}" + "".join(f"{f:>14}" for f in forms))
    for name in [*named, "pagetype (old)"]:
        print(f"{name:16}" + "".join(f"{right[f, name]:>9}/{counts[f]:<4}" for f in forms))
    print(f"speed on the stored pages (best of {args.passes} passes):")
    rates = {}
    for name, decode in named.items():
        best = float("inf")
        for _ in range(args.passes):
            start = time.perf_counter()
            for _, raw, _ in pages:
                decode(raw, None)
            best = min(best, time.perf_counter() - start)
        rates[name] = len(pages) / best
    for name, rate in rates.items():
        print(f"  {name:14} {rate:8.0f} pages/s  ({rate / rates['newscrawl']:.2f}x newscrawl)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
