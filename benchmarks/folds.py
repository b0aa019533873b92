"""Leave-sites-out scores of the current tree: per-field scores on each held-out fold.

    .venv/bin/python benchmarks/folds.py [--folds 5] [--save NAME.json] [--compare NAME.json]

Runs the shared scorer (../shared/eval/score.py) over ../shared/corpus and
../shared/corpus-templated, and prints, for each corpus and each fold K of N (folds by
site: every page of a site, or of a CMS template, in one fold), the scores that
`score.py CORPUS --fold K/N` gives (the sites held out) beside `--not-fold K/N` (the sites
a change may be tuned on). A change written from folds X reports the other folds' figures:
a rule lands only if the folds it was not written from keep or raise their scores.

Each page is extracted once; the fold tables are averages of the scorer's own per-case
values, so they equal what `score.py --fold K/N` prints for the same tree. --save writes
the per-case rows so a later run can --compare against them (prints the deltas).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT / ".." / "shared"
CORPORA = ("corpus", "corpus-templated")
FIELDS = ("title", "time", "author", "source", "body", "tags", "snip")


def load_scorer() -> ModuleType:
    path = SHARED / "eval" / "score.py"
    if not path.is_file():
        sys.exit(f"scorer not found: {path.resolve()} (expected ../shared beside the repo)")
    spec = importlib.util.spec_from_file_location("newscrawl_eval_score", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.SYSTEMS["newscrawl"] = run_newscrawl
    return module


def run_newscrawl(raw: bytes, url: str | None) -> dict[str, Any]:
    """The scorer's newscrawl adapter, with a day-precision time given as its date: a record
    says a date-only page's day as its midnight plus published_precision 'day', and the
    scorer compares a date-only prediction by its day."""
    import newscrawl

    rec = newscrawl.extract_article(raw, url=url)
    if rec is None:
        return {}
    when = rec.published_at
    if when and getattr(rec, "published_precision", None) == "day":
        when = when[:10]
    return {"title": rec.title, "time": when, "author": rec.authors, "source": rec.source,
            "body": rec.body, "tags": rec.tags}


def per_case_rows(scorer: ModuleType, corpus: str, folds: int) -> list[dict[str, Any]]:
    """The scorer's per-case row for every case of one corpus, each tagged with its fold."""
    cases = scorer.load_corpus(str(SHARED / corpus))
    if not cases:
        sys.exit(f"no cases under {(SHARED / corpus).resolve()}")
    result = scorer.score("newscrawl", cases)
    folds_by_case = {name: scorer.fold_of(truth, folds) for name, _raw, truth in cases}
    rows = result["per_case"]
    for row in rows:
        row["fold"] = folds_by_case[row["case"]]
    return rows


def mean(rows: list[dict[str, Any]], field: str) -> tuple[float | None, int]:
    values = [row[field] for row in rows if field in row]
    return (sum(values) / len(values) if values else None), len(values)


def table(rows: list[dict[str, Any]], folds: int, baseline: list[dict[str, Any]] | None) -> list[str]:
    head = "fold".ljust(14) + "".join(f.rjust(15) for f in FIELDS)
    lines = [head]
    for k in range(folds):
        for label, keep in ((f"{k}/{folds} held", True), (f"{k}/{folds} rest", False)):
            chosen = [r for r in rows if (r["fold"] == k) == keep]
            base = [r for r in baseline if (r["fold"] == k) == keep] if baseline else None
            cells = []
            for field in FIELDS:
                value, count = mean(chosen, field)
                if value is None:
                    cells.append("-".rjust(15))
                    continue
                text = f"{value:.3f}/{count}"
                if base is not None:
                    old, _n = mean(base, field)
                    if old is not None and round(value - old, 3):
                        text += f"{value - old:+.3f}"
                cells.append(text.rjust(15))
            lines.append(label.ljust(14) + "".join(cells))
    value_cells = []
    for field in FIELDS:
        value, count = mean(rows, field)
        value_cells.append(("-" if value is None else f"{value:.3f}/{count}").rjust(15))
    lines.append("all".ljust(14) + "".join(value_cells))
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--folds", type=int, default=5, help="number of site folds (N of K/N)")
    parser.add_argument("--save", help="write the per-case rows of this run to this JSON file")
    parser.add_argument("--compare", help="a JSON file written by --save: print deltas against it")
    args = parser.parse_args(argv)
    if args.folds < 2:
        parser.error("--folds must be at least 2")
    sys.path.insert(0, str(ROOT))
    scorer = load_scorer()
    baseline = json.loads(Path(args.compare).read_text("utf-8")) if args.compare else {}
    saved: dict[str, list[dict[str, Any]]] = {}
    for corpus in CORPORA:
        rows = per_case_rows(scorer, corpus, args.folds)
        saved[corpus] = rows
        print(f"== {corpus}: {len(rows)} cases; 'held' = --fold K/{args.folds}, "
              f"'rest' = --not-fold K/{args.folds}; cells are mean/count (+delta)")
        print("\n".join(table(rows, args.folds, baseline.get(corpus))))
        if baseline.get(corpus):
            old = {r["case"]: r for r in baseline[corpus]}
            for row in rows:
                before = old.get(row["case"], {})
                moved = [f"{f} {before.get(f)}->{row.get(f)}" for f in FIELDS
                         if f != "body" and before.get(f) != row.get(f)]
                if "body" in row and abs(row["body"] - before.get("body", row["body"])) >= 0.02:
                    moved.append(f"body {before.get('body')}->{row['body']}")
                if moved:
                    print(f"    fold {row['fold']} {row['case']}: " + ", ".join(moved))
    if args.save:
        Path(args.save).write_text(json.dumps(saved, ensure_ascii=False, indent=0), "utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
