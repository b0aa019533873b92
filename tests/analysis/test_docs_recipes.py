"""Every recipe of docs/analysts.md (each ```python and ```sh block) runs as written against
a crawl of the demo portal and its exports, and prints what its `<!-- expect: REGEX -->`
note says."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import ROOT, env, newscrawl

DOC = ROOT / "docs" / "analysts.md"
BLOCK = re.compile(r"(?:<!-- expect: (?P<expect>.+?) -->\n)?```(?P<lang>python|sh)\n(?P<code>.*?)```",
                   re.S)
RECIPES = [(m["lang"], m["code"], m["expect"]) for m in BLOCK.finditer(DOC.read_text("utf-8"))]


def test_the_doc_has_recipes_for_each_tool():
    text = " ".join(code for _, code, _ in RECIPES)
    for tool in ("duckdb", "pandas", "datasette", "sqlite3", "newscrawl export"):
        assert tool in text, tool
    assert len(RECIPES) >= 10


@pytest.fixture(scope="module")
def workdir(demo_data, tmp_path_factory) -> Path:
    work = tmp_path_factory.mktemp("recipes")
    shutil.copytree(demo_data, work / "data")
    for fmt, name in (("sqlite", "news.db"), ("parquet", "news.parquet")):
        proc = newscrawl("export", "--data-dir", "data", "--format", fmt, "-o", name, cwd=work)
        assert proc.returncode == 0, proc.stderr
    return work


@pytest.mark.parametrize(("lang", "code", "expect"), RECIPES,
                         ids=[f"{i}-{lang}" for i, (lang, _, _) in enumerate(RECIPES)])
def test_recipe_runs(lang, code, expect, workdir):
    run_env = env() | {"PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    if lang == "python":
        cmd = [sys.executable, "-c", code]
    else:
        cmd = ["bash", "-euo", "pipefail", "-c", code]
    proc = subprocess.run(cmd, cwd=workdir, capture_output=True, text=True, timeout=180, env=run_env)
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-3000:]
    assert "Traceback" not in proc.stderr
    assert proc.stdout.strip()
    if expect:
        assert re.search(expect, proc.stdout), proc.stdout[-3000:]
