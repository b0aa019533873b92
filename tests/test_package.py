"""The package's top level: cheap to import, and its public names still there."""

from __future__ import annotations

import json
import subprocess
import sys


def test_import_newscrawl_loads_no_extractor_or_framework() -> None:
    code = ("import json, sys, newscrawl; "
            "print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in "
            "('lxml', 'scrapy', 'twisted', 'dateparser') or m.startswith('newscrawl.'))))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert json.loads(out.stdout) == []


def test_public_names_load_on_first_use() -> None:
    import newscrawl

    assert callable(newscrawl.extract_article)
    assert newscrawl.Article.__name__ == "Article"
    assert newscrawl.ExtractProfile.__name__ == "ExtractProfile"
    assert isinstance(newscrawl.__version__, str)


def test_command_line_parser_loads_no_extractor_or_framework() -> None:
    """`newscrawl --help` / `--version` and the light commands (ls, stats, show) build the
    whole parser: Scrapy, Twisted and the extractor load only when a command runs that
    needs them."""
    code = ("import json, sys; from newscrawl.cli import build_parser; build_parser(); "
            "print(json.dumps(sorted({m.split('.')[0] for m in sys.modules if m.split('.')[0] in "
            "('lxml', 'scrapy', 'twisted', 'dateparser', 'redis')} | {m for m in sys.modules "
            "if m.startswith(('newscrawl.extract', 'newscrawl.crawl.runner', "
            "'newscrawl.crawl.settings'))})))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert json.loads(out.stdout) == []
