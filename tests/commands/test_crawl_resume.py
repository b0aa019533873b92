"""`newscrawl crawl --resume`: a page-limited crawl continues where it stopped (JOBDIR)."""

from __future__ import annotations

import json
import subprocess
import sys


def test_resumed_crawls_add_up_to_every_article_once(portal, truth, tmp_path, fast_settings):
    sets = [f"-s{k}={v}" for k, v in fast_settings.items() if k != "LOG_LEVEL"]
    base = [sys.executable, "-m", "newscrawl", "crawl", portal.base_url + "/", "--resume",
            "--data-dir", str(tmp_path / "data"), "--log-level", "ERROR", *sets]
    for limit in (["--max-pages", "20"], []):
        proc = subprocess.run(base + limit, cwd=tmp_path, capture_output=True, text=True, timeout=120)
        assert proc.returncode == 0, proc.stderr[-3000:]
    # The archive's layout (docs/archive.md): records in data/<site>/articles/, a stats
    # file per run in data/<site>/runs/.
    runs = sorted((tmp_path / "data").glob("*/runs/*.json"))
    counts = [json.loads(r.read_text("utf-8"))["articles_stored"] for r in runs]
    assert len(runs) == 2 and 0 < counts[0] < len(truth["articles"])
    files = sorted((tmp_path / "data").glob("*/articles/*.jsonl"))
    urls = [json.loads(line)["url"] for f in files for line in f.read_text("utf-8").splitlines()]
    assert sorted(urls) == sorted(a["url"] for a in truth["articles"])
