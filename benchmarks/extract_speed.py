"""Extraction speed: newscrawl.extract_article against trafilatura.bare_extraction.

    .venv/bin/pip install trafilatura   # the baseline; not a newscrawl dependency
    .venv/bin/python benchmarks/extract_speed.py [--passes 3]

Both run in this one process on the same pages (../shared/corpus and
../shared/corpus-templated relative to the repository root), held in memory as bytes.
Each system gets the best of N passes over all pages, the passes taken in turns (ours,
theirs, ours, ...) so that both see the same load on a shared machine; trafilatura is
handed the text decoded once beforehand (as its users do), newscrawl the raw bytes (it
decodes itself). One untimed warm-up pass each first (imports, caches). Prints pages/s of
each and the ratio. trafilatura is not a dependency of newscrawl: install it into the
interpreter you run this with.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT / ".." / "shared"
CORPORA = ("corpus", "corpus-templated")


def load_pages() -> list[tuple[bytes, str | None]]:
    import json

    pages = []
    for name in CORPORA:
        folder = SHARED / name
        if not folder.is_dir():
            sys.exit(f"corpus folder not found: {folder.resolve()} (expected ../shared beside the repo)")
        for meta in sorted(folder.glob("*.json")):
            html = meta.with_suffix(".html")
            if html.exists():
                url = json.loads(meta.read_text("utf-8")).get("url")
                pages.append((html.read_bytes(), url))
    if not pages:
        sys.exit(f"no pages (NAME.html beside NAME.json) under {SHARED.resolve()}")
    return pages


def best_rates(runs: list[Callable[[], None]], count: int, passes: int) -> list[float]:
    """Pages/s of each run: the best of ``passes`` timed passes, the runs taken in turns."""
    for run in runs:
        run()  # warm-up
    best = [float("inf")] * len(runs)
    for _ in range(passes):
        for index, run in enumerate(runs):
            start = time.perf_counter()
            run()
            best[index] = min(best[index], time.perf_counter() - start)
    return [count / seconds for seconds in best]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--passes", type=int, default=3, help="timed passes per system (best counts)")
    args = parser.parse_args(argv)
    try:
        import trafilatura
    except ImportError as exc:
        # trafilatura 2.x also needs lxml_html_clean (lxml no longer ships lxml.html.clean).
        print(
            f"trafilatura does not import in this interpreter ({sys.executable}): {exc}\n"
            "It is the baseline of this benchmark, not a newscrawl dependency. Install it, "
            f"then rerun:\n  {sys.executable} -m pip install trafilatura lxml_html_clean",
            file=sys.stderr,
        )
        return 2
    sys.path.insert(0, str(ROOT))  # this tree's newscrawl, installed or not
    from newscrawl import extract_article
    from newscrawl.extract.encoding import decode_html

    pages = load_pages()
    texts = [(decode_html(raw)[0], url) for raw, url in pages]

    def run_newscrawl() -> None:
        for raw, url in pages:
            extract_article(raw, url=url)

    def run_trafilatura() -> None:
        for text, url in texts:
            trafilatura.bare_extraction(text, url=url, with_metadata=True)

    ours, theirs = best_rates([run_newscrawl, run_trafilatura], len(pages), args.passes)
    print(f"pages: {len(pages)}, best of {args.passes} passes each")
    print(f"newscrawl.extract_article     {ours:8.1f} pages/s")
    print(f"trafilatura.bare_extraction   {theirs:8.1f} pages/s")
    print(f"ratio newscrawl / trafilatura {ours / theirs:8.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
