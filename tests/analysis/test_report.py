"""`newscrawl report`: one HTML file that a browser renders offline, its plots drawn."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from lxml import html as lxml_html

from newscrawl.analysis.report import external_references

from .conftest import newscrawl, records

# Debian's chromium, as .ci/run and the README install it.
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def chromium(profile: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    assert CHROMIUM, "chromium is not installed: apt-get install -y chromium (see README)"
    return subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--no-first-run", f"--user-data-dir={profile}",
         # Nothing resolves: a report that needed the network would show it.
         "--host-resolver-rules=MAP * ~NOTFOUND", *args],
        capture_output=True, timeout=120)


@pytest.fixture(scope="module")
def report(demo_data, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("report") / "report.html"
    proc = newscrawl("report", "--data-dir", str(demo_data), "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip().endswith(str(out.resolve()))
    assert proc.stdout.count("\n") == 1
    return out


def test_report_is_one_file_with_the_sections(report, demo_data):
    text = report.read_text("utf-8")
    assert external_references(text) == []
    assert not re.search(r"<(script|link|img|iframe)\b", text)
    tree = lxml_html.fromstring(text)
    headings = [h.text_content() for h in tree.iter("h2")]
    for section in ("Articles per day", "Field coverage", "Not stored, by reason", "Last runs",
                    "Top sources and tags"):
        assert section in headings
    stored = records(demo_data, "articles")
    site = stored[0]["site"]
    # The coverage table counts what the records hold.
    with_source = sum(1 for r in stored if r["source"])
    rows = [[td.text_content() for td in tr.iter("td")] for tr in tree.iter("tr")]
    coverage = [r for r in rows if r[:2] == [site, str(len(stored))] and "%)" in r[2]]
    assert coverage and coverage[0][4].startswith(f"{with_source} (")
    # The last run's numbers, from the run's stats file.
    import json

    run = json.loads(sorted((demo_data / site / "runs").glob("*.json"))[-1].read_text("utf-8"))
    assert [site, run["run_id"], run["finish_reason"], str(run["pages_fetched"]),
            str(run["articles_stored"])] in [r[:5] for r in rows]
    # Top sources: the most frequent one is listed with its count.
    from collections import Counter

    source, count = Counter(r["source"] for r in stored if r["source"]).most_common(1)[0]
    assert [source, str(count)] in rows


def test_plots_are_drawn_in_headless_chromium(report, tmp_path):
    proc = chromium(tmp_path / "profile", "--virtual-time-budget=3000", "--dump-dom",
                    report.as_uri())
    assert proc.returncode == 0, proc.stderr[-2000:]
    dom = lxml_html.fromstring(proc.stdout)
    plots = dom.xpath("//div[@class='plot']/*[local-name()='svg']")
    assert len(plots) == 3  # per day, coverage, drops
    for svg in plots:
        drawn = [p for p in svg.xpath(".//*[local-name()='path']") if len(p.get("d", "")) > 10]
        assert len(drawn) >= 5
    shot = tmp_path / "report.png"
    proc = chromium(tmp_path / "profile2", "--window-size=1200,2600", f"--screenshot={shot}",
                    report.as_uri())
    assert proc.returncode == 0 and shot.exists(), proc.stderr[-2000:]
    from PIL import Image

    # Bars in matplotlib's first colours are on the page: the SVG was rendered, not just parsed.
    colours = Image.open(shot).convert("RGB").getcolors(maxcolors=1 << 24) or []
    coloured = sum(n for n, p in colours if _near(p, (0x1F, 0x77, 0xB4)) or _near(p, (0xC0, 0x50, 0x4D)))
    assert coloured > 2000


def _near(pixel: tuple[int, int, int], colour: tuple[int, int, int]) -> bool:
    return all(abs(a - b) <= 12 for a, b in zip(pixel, colour, strict=True))


def test_report_of_a_missing_folder_is_one_line(tmp_path):
    proc = newscrawl("report", "--data-dir", str(tmp_path / "none"), "-o", str(tmp_path / "r.html"))
    assert proc.returncode == 2
    assert proc.stderr.strip().count("\n") == 0 and "no data folder" in proc.stderr
