"""Fuzz the extractor and the record path: ``python tests/hostile/fuzz.py --examples 20000``.

Takes seed pages (the article shipped with newscrawl, pages built here, every HTML page of
the demo portal, and any ``--seeds DIR`` of saved pages), mutates them (byte flips, inserted
tag fragments and hostile characters, cuts, splices, duplicated ranges, re-encodings) and
feeds each result to ``extract_article`` and the record's JSON line. A failure is any
exception, a record that does not validate against the JSON Schema, a JSONL line that is not
one line or does not parse back, or a page slower than ``--timeout``. Each failing input is
written to ``--crashes DIR`` (to become a regression test) and the run ends with a summary
line: ``fuzz: N inputs tried, A records, F failures, S s``. Exit status 1 on any failure.

The same mutations drive the hypothesis property test in tests/hostile/test_fuzz.py.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import signal
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from importlib import resources
from pathlib import Path
from typing import Any

# Pieces of markup and text that break parsers and readers; inserted at random places.
FRAGMENTS: tuple[bytes, ...] = (
    b"<", b">", b"</", b"<div>", b"</div>", b"<p>", b"</p>", b"<h1>", b"</h1>", b"<br>",
    b"<script>", b"</script>", b"<style>", b"<!--", b"-->", b"<![CDATA[", b"]]>", b"<!DOCTYPE",
    b"<table><tr><td>", b"<title>", b"</title>", b'<meta charset="gbk">',
    b'<meta charset="utf-8">', b'<meta http-equiv="Content-Type" content="text/html; charset=big5">',
    b'<base href="http://elsewhere.invalid/">', b'<link rel="canonical" href="javascript:alert(1)">',
    b'<meta property="article:published_time" content="2022-13-45T99:99:99">',
    b'<script type="application/ld+json">{"@type":"NewsArticle","datePublished":',
    b'<script type="application/ld+json">[{"headline":null,"author":{"name":[]}}]</script>',
    b'<meta name="keywords" content=",,,;;">', b"<time datetime=\"0000-00-00\">",
    "时间:2022-13-45 25:61".encode(), "发布时间:2999-01-01".encode(), "昨天 10:20".encode(),
    "3小时前".encode(), "来源:".encode(), "作者:".encode(), "责任编辑:".encode(), "标签:".encode(),
    "上一篇".encode(), "凡本网注明".encode(), "1900年1月1日".encode(),
    b"\x00", b"\xff", b"\xfe\xff", b"\xef\xbb\xbf", b"\xc3(", b"\xe4\xb8", b"\x81\x30",
    "\u2028".encode(), "\u2029".encode(), "\u202e".encode(), "\u200f".encode(), "\ufeff".encode(),
    b"&#xD800;", b"&#0;", b"&#1;", b"&#x110000;", b"&#99999999999;", b"&nbsp", b"&amp;amp;",
    b"\r", b"\r\n", b"\t", b"\x0b\x0c\x1b", b"\x7f\x85",
)

_CST = timezone(timedelta(hours=8))


def builtin_seeds() -> list[bytes]:
    """The article page shipped with newscrawl, plus small pages built here."""
    seeds = [resources.files("newscrawl").joinpath("samples/article_gbk.html").read_bytes()]
    paras = "".join(f"<p>第{k}段：记者从有关部门获悉，各项工作按计划稳步推进，群众满意度持续提升。</p>"
                    for k in range(1, 6))
    seeds.append((
        '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>示例标题_示例网</title>'
        '<meta property="og:title" content="示例标题"><meta name="keywords" content="示例,新闻">'
        '<script type="application/ld+json">{"@type":"NewsArticle","headline":"示例标题",'
        '"datePublished":"2022-04-26T11:01:53+08:00","author":{"name":"井惠群"}}</script></head>'
        '<body><div class="crumb"><a href="/">首页</a> &gt; <a href="/gn/">国内</a></div>'
        '<h1>示例标题</h1><div class="info">时间:2022-04-26 11:01 来源:中国质量新闻网 作者:井惠群</div>'
        f'<div class="content">{paras}<p>(井惠群 吴晓丽)</p><p>标签:质量 抽检</p></div>'
        '<div>上一篇:<a href="/1.htm">旧闻</a></div><div class="related">相关新闻</div>'
        '<p>凡本网注明“来源:XXX”的作品，均转载自其它媒体。</p><p>责任编辑:张三</p></body></html>'
    ).encode())
    seeds.append((
        "<html><head><title>Breaking: storm hits the coast | Example News</title>"
        '<meta property="article:published_time" content="2022-04-26T11:01:53Z"></head><body>'
        "<article><h1>Breaking: storm hits the coast</h1><p class=byline>By Jane Roe</p>"
        + "".join(f"<p>Paragraph {k} of the report, with enough words to count as body text "
                  "for any reasonable extractor that looks at text density.</p>" for k in range(6))
        + "</article><footer>Copyright</footer></body></html>"
    ).encode())
    return seeds


def demo_seeds() -> list[bytes]:
    """The HTML pages of the demo portal (newscrawl.demo): articles in GBK and UTF-8,
    multi-page articles, list, tag and error pages."""
    try:
        from newscrawl.demo.site import DemoSite
    except ImportError:  # pragma: no cover - a build without the demo portal
        return []
    site = DemoSite("http://127.0.0.1:8808", "http://127.0.0.2:8809",
                    now=datetime(2026, 11, 20, 12, 0, tzinfo=_CST))
    return [page.body for _, page in sorted(site.pages.items())
            if "html" in page.content_type and page.body]


def load_seed_dir(path: Path) -> list[bytes]:
    suffixes = {".html", ".htm", ".shtml", ".xhtml"}
    return [p.read_bytes() for p in sorted(path.rglob("*")) if p.suffix.lower() in suffixes]


# --- mutations ----------------------------------------------------------------------------
# An operation is a tuple (name, a, b, payload); positions are taken modulo the page size,
# so any integers are valid (hypothesis draws them freely).
Op = tuple[str, int, int, bytes]
OPS = ("insert", "delete", "flip", "truncate", "duplicate", "nest", "reencode", "splice")


def apply_op(page: bytes, op: Op, other: bytes = b"") -> bytes:
    name, a, b, payload = op
    n = len(page) or 1
    pos = a % n
    if name == "insert":
        return page[:pos] + payload + page[pos:]
    if name == "delete":
        return page[:pos] + page[pos + (b % 512):]
    if name == "flip":
        if not page:
            return payload
        return page[:pos] + bytes([page[pos] ^ (b % 255 + 1)]) + page[pos + 1:]
    if name == "truncate":
        return page[:pos]
    if name == "duplicate":
        chunk = page[pos:pos + (b % 2048)]
        return page[:pos] + chunk * (1 + b % 8) + page[pos:]
    if name == "nest":
        depth = 1 + b % 3000
        tag = payload.strip(b"<>/ ") or b"div"
        tag = tag[:10] if tag.isalnum() else b"div"
        return page[:pos] + b"<" + tag + b">" * 1 + (b"<" + tag + b">") * depth + page[pos:]
    if name == "reencode":
        try:
            text = page.decode("utf-8")
            return text.encode(("gbk", "big5", "utf-16", "shift_jis", "cp1252")[b % 5], "replace")
        except (UnicodeError, LookupError):
            return page.decode("gb18030", "replace").encode("utf-8")
    if name == "splice":
        if not other:
            return page
        cut = b % (len(other) or 1)
        return page[:pos] + other[cut:]
    raise ValueError(f"unknown mutation {name!r}")


def random_op(rng: random.Random) -> Op:
    name = rng.choice(OPS)
    payload = rng.choice(FRAGMENTS) if rng.random() < 0.85 else rng.randbytes(rng.randint(1, 16))
    return (name, rng.randrange(1 << 30), rng.randrange(1 << 20), payload)


def mutate(seed: bytes, rng: random.Random, seeds: Sequence[bytes], max_ops: int = 8) -> bytes:
    page = seed
    for _ in range(rng.randint(1, max_ops)):
        page = apply_op(page, random_op(rng), rng.choice(seeds))
    return page


# --- the property ---------------------------------------------------------------------------
@dataclass(frozen=True)
class Case:
    page: bytes | str
    url: str | None
    fetched_at: datetime | None
    http_encoding: str | None


class Failure(Exception):
    """The input broke a property: an exception, an invalid record, a broken line."""


_validator: Any = None


def _schema_validator() -> Any:
    global _validator
    if _validator is None:
        import jsonschema

        from newscrawl.record import load_schema

        _validator = jsonschema.Draft202012Validator(load_schema())
    return _validator


def check_record_line(article: Any) -> str:
    """The Article's JSONL line, checked: one line, strict UTF-8, parses back, validates."""
    line = article.to_json()
    if len(line.splitlines()) != 1 or "\n" in line or "\r" in line:
        raise Failure(f"JSONL line is not one line: {line[:200]!r}")
    try:
        line.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise Failure(f"record is not valid UTF-8: {exc}") from exc
    data = json.loads(line)
    errors = sorted(_schema_validator().iter_errors(data), key=lambda e: list(e.path))
    if errors:
        raise Failure(f"schema: {errors[0].message} at {list(errors[0].path)}")
    return line


def check_case(case: Case, extract: Callable[..., Any] | None = None) -> Any:
    """Run one input through the extractor and the record's JSON line. Returns the Article
    (or None); raises Failure when a property is broken."""
    if extract is None:
        from newscrawl.extract import extract_article

        extract = extract_article
    try:
        article = extract(case.page, case.url, fetched_at=case.fetched_at,
                          http_encoding=case.http_encoding)
    except Exception as exc:
        raise Failure(f"extract_article raised {type(exc).__name__}: {exc}") from exc
    if article is not None:
        check_record_line(article)
    return article


URLS = (None, "http://news.portal.test/2022-04/26/content_1.htm", "http://news.portal.test/",
        "https://例子.测试/新闻/t20220426_1.html", "not a url", "http://[::1]:99999/x",
        "http://news.portal.test/a/20221345/1.html")
ENCODINGS = (None, "utf-8", "gbk", "gb2312", "big5", "iso-8859-1", "shift_jis", "no-such-codec")
FETCH_TIMES = (None, datetime(2022, 4, 27, 9, 30, tzinfo=_CST), datetime(2022, 4, 27, 1, 0),
               datetime(2999, 1, 1, tzinfo=timezone.utc))


def random_case(rng: random.Random, seeds: Sequence[bytes]) -> Case:
    raw = mutate(rng.choice(seeds), rng, seeds)
    page: bytes | str = raw
    if rng.random() < 0.1:
        page = raw.decode("utf-8", "surrogateescape")  # str input, lone surrogates and all
    return Case(page, rng.choice(URLS), rng.choice(FETCH_TIMES), rng.choice(ENCODINGS))


class _Slow(BaseException):
    """Raised by the alarm: a BaseException, so that check_case does not report it as an
    exception of the extractor."""


def _alarm(signum: int, frame: Any) -> None:
    raise _Slow()


def run(examples: int, seed: int, seeds: Sequence[bytes], crashes: Path | None,
        timeout: float, progress: bool = True) -> dict[str, Any]:
    rng = random.Random(seed)
    tried = records = 0
    failures: list[dict[str, Any]] = []
    start = time.perf_counter()
    use_alarm = hasattr(signal, "setitimer")
    if use_alarm:
        signal.signal(signal.SIGALRM, _alarm)
    for i in range(examples):
        case = random_case(rng, seeds)
        tried += 1
        problem: str | None = None
        try:
            if use_alarm:
                signal.setitimer(signal.ITIMER_REAL, timeout)
            try:
                if check_case(case) is not None:
                    records += 1
            finally:
                if use_alarm:
                    signal.setitimer(signal.ITIMER_REAL, 0)
        except Failure as exc:
            problem = str(exc)
        except _Slow:
            problem = f"slower than {timeout:g}s"
        if problem:
            failures.append(_save(case, problem, crashes))
            print(f"fuzz: input {i}: {problem.splitlines()[0][:200]}", file=sys.stderr)
        if progress and (i + 1) % 1000 == 0:
            print(f"fuzz: {i + 1} inputs, {records} records, {len(failures)} failures, "
                  f"{time.perf_counter() - start:.0f}s", file=sys.stderr)
    return {"tried": tried, "records": records, "failures": failures,
            "seconds": time.perf_counter() - start, "seed": seed}


def _save(case: Case, problem: str, crashes: Path | None) -> dict[str, Any]:
    raw = case.page if isinstance(case.page, bytes) else case.page.encode("utf-8", "surrogateescape")
    digest = hashlib.sha256(raw).hexdigest()[:16]
    info = {"id": digest, "problem": problem, "url": case.url,
            "fetched_at": case.fetched_at.isoformat() if case.fetched_at else None,
            "http_encoding": case.http_encoding, "str_input": isinstance(case.page, str)}
    if crashes is not None:
        crashes.mkdir(parents=True, exist_ok=True)
        (crashes / f"{digest}.html").write_bytes(raw)
        (crashes / f"{digest}.json").write_text(json.dumps(info, ensure_ascii=False, indent=1))
    return info


def main(argv: Iterable[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python tests/hostile/fuzz.py", description=__doc__.split("\n\n")[0])
    parser.add_argument("--examples", type=int, default=10_000, help="inputs to try (10000)")
    parser.add_argument("--seed", type=int, default=None, help="random seed (default: time)")
    parser.add_argument("--seeds", type=Path, action="append", default=[],
                        help="folder of saved pages to mutate (repeatable)")
    parser.add_argument("--crashes", type=Path, default=Path("fuzz-crashes"),
                        help="where failing inputs are written (fuzz-crashes/)")
    parser.add_argument("--timeout", type=float, default=5.0, help="seconds allowed per input")
    args = parser.parse_args(list(argv) if argv is not None else None)
    seed = args.seed if args.seed is not None else int(time.time())
    seeds = builtin_seeds() + demo_seeds()
    for folder in args.seeds:
        seeds += load_seed_dir(folder)
    result = run(args.examples, seed, seeds, args.crashes, args.timeout)
    print(f"fuzz: {result['tried']} inputs tried, {result['records']} records, "
          f"{len(result['failures'])} failures, {result['seconds']:.1f}s "
          f"(seed {seed}, {len(seeds)} seed pages)")
    if result["failures"]:
        print(f"fuzz: failing inputs written to {args.crashes}/", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
