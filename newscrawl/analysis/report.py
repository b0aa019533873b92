"""The crawl report: one self-contained HTML file (styles inline, plots as inline SVG drawn
by matplotlib) that opens without a network.

Sections: records per site; articles per day per site; field coverage per site (how many
records have a time, authors, a source, tags); drops by reason; the last runs (pages,
stored, errors, duration, from ``<site>/runs/*.json``); top sources and tags.
"""

from __future__ import annotations

import html
import io
import json
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from newscrawl.analysis import require
from newscrawl.analysis.records import iter_stored, record_day
from newscrawl.archive.layout import DataLayout

COVERAGE = (("time", "published_at"), ("author", "authors"), ("source", "source"),
            ("tags", "tags"))
LAST_RUNS = 10
TOP = 15


@dataclass
class SiteFacts:
    site: str
    articles: int = 0
    reposts: int = 0
    per_day: Counter[str] = field(default_factory=Counter)
    coverage: Counter[str] = field(default_factory=Counter)
    sources: Counter[str] = field(default_factory=Counter)
    tags: Counter[str] = field(default_factory=Counter)
    drops: Counter[str] = field(default_factory=Counter)
    runs: list[dict[str, Any]] = field(default_factory=list)


def gather(layout: DataLayout, sites: list[str]) -> list[SiteFacts]:
    facts = []
    for site in sites:
        f = SiteFacts(site)
        for stored in iter_stored(layout, [site]):
            record = stored.record
            if stored.kind == "repost":
                f.reposts += 1
                continue
            f.articles += 1
            day = record_day(record)
            if day:
                f.per_day[day] += 1
            for label, key in COVERAGE:
                if record.get(key):
                    f.coverage[label] += 1
            if record.get("source"):
                f.sources[record["source"]] += 1
            f.tags.update(t for t in record.get("tags") or [] if isinstance(t, str))
        f.runs = _runs(layout.runs_dir(site))
        for run in f.runs:
            for key in ("dropped_by_reason", "pages_not_stored_by_reason"):
                for reason, n in (run.get(key) or {}).items():
                    if isinstance(n, int) and n:
                        f.drops[reason] += n
        facts.append(f)
    return facts


def _runs(folder: Path) -> list[dict[str, Any]]:
    runs = []
    for path in sorted(folder.glob("*.json")) if folder.is_dir() else []:
        try:
            report = json.loads(path.read_text("utf-8"))
        except (OSError, ValueError):
            continue
        if isinstance(report, dict):
            runs.append(report)
    return runs


# ------------------------------------------------------------------------------ plots
def _pyplot() -> Any:
    matplotlib = require("matplotlib")
    matplotlib.use("Agg")  # no display: draw to files only
    matplotlib.rcParams["svg.hashsalt"] = "newscrawl"  # the same ids every time
    return require("matplotlib.pyplot", "matplotlib")


def _svg(fig: Any) -> str:
    buf = io.StringIO()
    fig.savefig(buf, format="svg", bbox_inches="tight", metadata={"Date": None})
    _pyplot().close(fig)
    text = buf.getvalue()
    return text[text.index("<svg"):]  # without the XML declaration and DOCTYPE


def _integer_ticks() -> Any:
    return require("matplotlib.ticker", "matplotlib").MaxNLocator(integer=True)


def plot_per_day(facts: list[SiteFacts]) -> str | None:
    days = sorted({d for f in facts for d in f.per_day})
    if not days:
        return None
    plt = _pyplot()
    from datetime import date

    fig, ax = plt.subplots(figsize=(9, 3.2))
    x = [date.fromisoformat(d) for d in days]
    bottom = [0] * len(days)
    for f in facts:  # one bar a day, stacked by site
        if f.per_day:
            heights = [f.per_day.get(d, 0) for d in days]
            ax.bar(x, heights, bottom=bottom, width=0.8, label=f.site)
            bottom = [b + h for b, h in zip(bottom, heights, strict=True)]
    ax.yaxis.set_major_locator(_integer_ticks())
    ax.set_ylabel("articles")
    ax.set_title("Articles per publish day")
    ax.legend(loc="upper left", fontsize="small")
    ax.grid(alpha=0.3, axis="y")
    fig.autofmt_xdate()
    return _svg(fig)


def plot_coverage(facts: list[SiteFacts]) -> str | None:
    shown = [f for f in facts if f.articles]
    if not shown:
        return None
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(9, 0.6 + 0.9 * len(shown)))
    labels = [label for label, _ in COVERAGE]
    height = 0.8 / len(labels)
    for i, label in enumerate(labels):
        ys = [n + i * height for n in range(len(shown))]
        ax.barh(ys, [100 * f.coverage[label] / f.articles for f in shown], height=height,
                label=label)
    ax.set_yticks([n + 0.4 - height / 2 for n in range(len(shown))], [f.site for f in shown])
    ax.set_xlim(0, 100)
    ax.set_xlabel("% of articles with the field")
    ax.set_title("Field coverage per site")
    ax.legend(loc="lower right", fontsize="small")
    return _svg(fig)


def plot_drops(facts: list[SiteFacts]) -> str | None:
    total: Counter[str] = Counter()
    for f in facts:
        total.update(f.drops)
    if not total:
        return None
    plt = _pyplot()
    reasons = [r for r, _ in total.most_common(TOP)][::-1]
    fig, ax = plt.subplots(figsize=(9, 0.8 + 0.3 * len(reasons)))
    ax.barh(reasons, [total[r] for r in reasons], color="#c0504d")
    ax.xaxis.set_major_locator(_integer_ticks())
    ax.set_xlabel("pages or records, all runs")
    ax.set_title("Not stored, by reason")
    return _svg(fig)


# ------------------------------------------------------------------------------- HTML
_STYLE = """
body{font-family:system-ui,sans-serif;margin:2em auto;max-width:1100px;padding:0 1em;color:#222}
h1{font-size:1.6em}h2{font-size:1.2em;margin-top:2em;border-bottom:1px solid #ccc}
table{border-collapse:collapse;margin:.5em 0}td,th{padding:.2em .7em;border-bottom:1px solid #eee;
text-align:left}td.n{text-align:right;font-variant-numeric:tabular-nums}
.plot svg{max-width:100%;height:auto}.cols{display:flex;gap:2em;flex-wrap:wrap}
.muted{color:#777}
"""


def _table(head: list[str], rows: list[list[Any]]) -> str:
    if not rows:
        return '<p class="muted">none</p>'
    out = ["<table><thead><tr>", *(f"<th>{html.escape(h)}</th>" for h in head), "</tr></thead><tbody>"]
    for row in rows:
        out.append("<tr>")
        for cell in row:
            numeric = isinstance(cell, (int, float))
            out.append(f'<td{" class=n" if numeric else ""}>{html.escape(str(cell))}</td>')
        out.append("</tr>")
    out.append("</tbody></table>")
    return "".join(out)


def _plot(svg: str | None, what: str) -> str:
    if svg is None:
        return f'<p class="muted">no {html.escape(what)} yet</p>'
    return f'<div class="plot">{svg}</div>'


def _duration(run: dict[str, Any]) -> str:
    seconds = float(run.get("elapsed_seconds") or 0)
    return f"{seconds:.1f} s" if seconds < 120 else f"{seconds / 60:.1f} min"


def render(facts: list[SiteFacts], data_dir: str) -> str:
    now = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    parts = [
        "<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
        f"<title>newscrawl report: {html.escape(data_dir)}</title>",
        # Nothing may load from elsewhere: the report is read offline.
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
        "style-src 'unsafe-inline'; img-src data:\">",
        f"<style>{_STYLE}</style></head><body>",
        f"<h1>newscrawl report</h1><p class=muted>{html.escape(data_dir)} — made {now}</p>",
        "<h2>Sites</h2>",
        _table(["site", "articles", "reposts", "first day", "last day", "runs"], [
            [f.site, f.articles, f.reposts, min(f.per_day, default="–"),
             max(f.per_day, default="–"), len(f.runs)] for f in facts]),
        "<h2>Articles per day</h2>", _plot(plot_per_day(facts), "dated articles"),
        "<h2>Field coverage</h2>", _plot(plot_coverage(facts), "articles"),
        _table(["site", "articles", *(label for label, _ in COVERAGE)], [
            [f.site, f.articles, *(f"{f.coverage[label]} ({_pct(f.coverage[label], f.articles)})"
                                   for label, _ in COVERAGE)] for f in facts]),
        "<h2>Not stored, by reason</h2>", _plot(plot_drops(facts), "drops"),
        _table(["site", "reason", "count"], [
            [f.site, reason, n] for f in facts for reason, n in f.drops.most_common()]),
        "<h2>Last runs</h2>",
        _table(["site", "run", "finish", "pages", "stored", "errors", "duration", "exit"], [
            [f.site, r.get("run_id", ""), r.get("finish_reason") or "", r.get("pages_fetched", 0),
             r.get("articles_stored", 0), r.get("errors", 0), _duration(r),
             r.get("exit_code", "")] for f in facts for r in f.runs[-LAST_RUNS:][::-1]]),
        "<h2>Top sources and tags</h2><div class=cols>",
    ]
    for f in facts:
        parts.append(f"<div><h3>{html.escape(f.site)}: sources</h3>"
                     + _table(["source", "articles"], [list(x) for x in f.sources.most_common(TOP)])
                     + "</div>")
        parts.append(f"<div><h3>{html.escape(f.site)}: tags</h3>"
                     + _table(["tag", "articles"], [list(x) for x in f.tags.most_common(TOP)])
                     + "</div>")
    parts.append("</div></body></html>")
    return "\n".join(parts) + "\n"


def _pct(n: int, total: int) -> str:
    return f"{100 * n / total:.0f}%" if total else "–"


_EXTERNAL = re.compile(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", re.I)


def external_references(text: str) -> list[str]:
    """src/href attributes that point off the page (a self-contained report has none)."""
    return [m.group(0) for m in _EXTERNAL.finditer(text)]
