"""Test portals made the way real portals are made: corpus articles rendered through real site
generators and their stock themes, with exact ground truth.

Each post's front matter (title, publish time with its UTC offset, authors, tags, category)
IS the ground truth; the body truth is the corpus body. The corpus is read from
``../shared/corpus`` (beside the repository) at build time and never copied into the repo.
Generators come from the package registries at build time (Pelican from PyPI as a test
extra, Hexo and NexT from npm into a cache folder); their output is cached under
``~/.cache/newscrawl-test-portals`` (``NEWSCRAWL_PORTALS_CACHE``) keyed by generator version
and inputs, so a second run only serves and crawls.

Used by tests/portals (pytest) and benchmarks/portals.py (scores per generator and field).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import hashlib
import http.server
import json
import os
import re
import shutil
import subprocess
import sys
import threading
import zoneinfo
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
SHARED = ROOT / ".." / "shared"
sys.path.insert(0, str(HERE.parent / "extract"))
from corpus_metrics import bag_f1, fold  # noqa: E402

CACHE = Path(os.environ.get("NEWSCRAWL_PORTALS_CACHE")
             or Path.home() / ".cache" / "newscrawl-test-portals")

# The targets for `newscrawl crawl URL` on portals of unseen site generators.
TARGETS = {"recall": 0.98, "precision": 0.98, "title": 0.98, "time": 0.98, "author": 0.97,
           "tags": 0.95, "body": 0.97}
FIELDS = ("recall", "precision", "title", "time", "author", "tags", "body", "source")
# Fields a generator's theme does not show on a post page are not scored there: minima lists
# no tags (they live in the front matter and the feed only).
UNSHOWN = {"jekyll": {"tags"}}


def scored_fields(generator: str) -> list[str]:
    return [f for f in FIELDS if f not in UNSHOWN.get(generator, ())]


class PortalBuildError(RuntimeError):
    """A generator could not be installed or failed to build: the portal tests fail on it."""


# ---------------------------------------------------------------------------------------------
# posts: corpus articles with the front matter we give them

ZONES = {"zh": "Asia/Shanghai", "ja": "Asia/Tokyo", "ko": "Asia/Seoul", "de": "Europe/Berlin",
         "fr": "Europe/Paris", "tr": "Europe/Istanbul", "ru": "Europe/Moscow", "es": "Europe/Madrid",
         "it": "Europe/Rome", "nl": "Europe/Amsterdam", "pl": "Europe/Warsaw", "cs": "Europe/Prague",
         "da": "Europe/Copenhagen", "sv": "Europe/Stockholm", "pt": "America/Sao_Paulo",
         "ar": "Africa/Cairo", "id": "Asia/Jakarta", "en": "America/New_York"}
ZH_CATEGORIES = ["国内", "国际", "财经", "社会", "科技", "文化"]
OTHER_CATEGORIES = ["World", "Business", "Culture"]
# Common labels every Chinese portal uses as tags, and tags that hold a slash.
ZH_COMMON_TAGS = ["热点", "要闻"]
SLASH_TAGS = ["中美/贸易", "科技/互联网", "Business/Economy"]
OTHER_COUNT = 16  # non-Chinese posts beside the Chinese ones


@dataclass
class Post:
    case: str
    slug: str
    lang: str
    title: str
    published: dt.datetime  # aware: the time and offset the front matter gives
    authors: list[str]  # empty: the corpus credits nobody, the author is not scored
    tags: list[str]
    category: str
    body: str
    source: str | None  # the outlet a 来源 line of the body credits, else none
    paragraphs: list[str] = field(default_factory=list)


def _digest(text: str) -> int:
    return int(hashlib.sha1(text.encode("utf-8")).hexdigest()[:8], 16)


def _split_names(author: str) -> list[str]:
    return [n for n in re.split(r"\s*[;,、，]\s*|\s{2,}|\s(?=[\u4e00-\u9fff])", author.strip()) if n]


def _published(case: str, truth: dict[str, Any], lang: str) -> dt.datetime:
    """The corpus time when it has one (date-only and midnight ones get a daytime), in the
    zone of the post's language (zh: Asia/Shanghai); an offset the corpus gives is kept."""
    raw = str(truth.get("publish_time_iso") or truth.get("publish_time") or "")
    m = re.match(r"(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?)?(.*)", raw)
    h = _digest(case)
    y, mo, d, hh, mi, ss, rest = m.groups() if m else ("2024", None, None, None, None, None, "")
    hour, minute, second = (int(hh), int(mi), int(ss or 0)) if hh else (0, 0, 0)
    if (hour, minute, second) == (0, 0, 0):
        hour, minute, second = 7 + h % 14, h // 14 % 60, h // 840 % 60
    naive = dt.datetime(int(y), int(mo or 1 + h % 12), int(d or 1 + h % 28), hour, minute, second)
    offset = re.match(r"([+-])(\d{2}):?(\d{2})$", (rest or "").strip())
    if offset and lang != "zh":
        sign = 1 if offset.group(1) == "+" else -1
        delta = dt.timedelta(hours=int(offset.group(2)), minutes=int(offset.group(3)))
        return naive.replace(tzinfo=dt.timezone(sign * delta))
    return naive.replace(tzinfo=zoneinfo.ZoneInfo(ZONES.get(lang, "UTC")))


def corpus_root() -> Path:
    root = SHARED / "corpus"
    if not root.is_dir():
        raise PortalBuildError(f"shared corpus not found at {root.resolve()}: the portal tests "
                               "render ../shared/corpus (beside the repository) into test portals")
    return root


@functools.cache
def select_posts() -> tuple[Post, ...]:
    """Every Chinese corpus article with a title and a body, and OTHER_COUNT others (one per
    language first), with their front matter. Deterministic."""
    zh, others = [], []
    for meta in sorted(corpus_root().glob("*.json")):
        truth = json.loads(meta.read_text("utf-8"))
        if not isinstance(truth, dict) or not truth.get("title") or len((truth.get("body") or "").strip()) < 80:
            continue
        (zh if truth.get("lang") == "zh" else others).append((meta.stem, truth))
    seen: set[str] = set()
    first = [c for c in others if not (c[1]["lang"] in seen or seen.add(c[1]["lang"]))]
    rest = [c for c in others if c not in first]
    chosen = zh + (first + rest)[:OTHER_COUNT]
    posts = []
    for n, (case, truth) in enumerate(chosen):
        lang = truth.get("lang") or "en"
        h = _digest(case)
        # only the corpus' own credit: an invented name would contradict a byline in the body
        authors = [a for a in truth.get("authors") or _split_names(str(truth.get("author") or "")) if a]
        # a '#' prefix is how some sites show a tag, not part of it: front matter has none
        tags = [t.strip().lstrip("#") for t in truth.get("tags") or [] if t.strip() and "," not in t][:5]
        if lang == "zh":
            tags.append(ZH_COMMON_TAGS[n % 2])
        if n % 5 == 0:
            tags.append(SLASH_TAGS[(n // 5) % 2] if lang == "zh" else SLASH_TAGS[2])
        categories = ZH_CATEGORIES if lang == "zh" else OTHER_CATEGORIES
        paragraphs = [p.strip() for p in truth["body"].splitlines() if p.strip()]
        posts.append(Post(
            case=case, slug=f"p{h:08x}", lang=lang, title=" ".join(truth["title"].split()),
            published=_published(case, truth, lang), authors=authors,
            tags=list(dict.fromkeys(tags)), category=categories[h % len(categories)],
            body=truth["body"], paragraphs=paragraphs,
            source=truth["source"] if truth.get("source") and re.search(
                "来源[:：]\\s*" + re.escape(truth["source"]), truth["body"]) else None,
        ))
    return tuple(posts)


def markdown_paragraphs(post: Post) -> str:
    """The body as Markdown paragraphs: markup characters neutralised so every generator's
    Markdown renders the text as plain paragraphs (template tags too: Liquid, Nunjucks)."""
    out = []
    for para in post.paragraphs:
        text = para.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        text = text.replace("{", "&#123;").replace("}", "&#125;").replace("*", r"\*").replace("_", r"\_")
        text = re.sub(r"^(\d+)\.", r"\1\\.", text)
        if text[:1] in "#-+=|`~[!":
            text = "\\" + text
        out.append(text)
    return "\n\n".join(out)


def byline(post: Post) -> str:
    """The byline line a post's author writes at the top where the theme shows no author."""
    if post.lang == "zh":
        return "作者：" + "、".join(post.authors)
    return "By " + " and ".join(post.authors)


# ---------------------------------------------------------------------------------------------
# generators

@dataclass
class Portal:
    generator: str
    site: Path  # the folder to serve
    posts: tuple[Post, ...]
    truth_time: Callable[[Post], dt.datetime]


def _run(cmd: list[str], cwd: Path, what: str, timeout: int = 900, env: dict[str, str] | None = None) -> str:
    try:
        proc = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=timeout,
                              env=env, stdin=subprocess.DEVNULL)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise PortalBuildError(f"{what}: {exc}") from exc
    if proc.returncode != 0:
        raise PortalBuildError(f"{what} failed (exit {proc.returncode}): {' '.join(cmd)}\n"
                               + (proc.stdout + proc.stderr)[-3000:])
    return proc.stdout


def _inputs_key(*parts: Any) -> str:
    h = hashlib.sha1()
    for part in parts:
        h.update(repr(part).encode("utf-8"))
    h.update(Path(__file__).read_bytes())
    return h.hexdigest()[:12]


def _cached_build(name: str, version: str, posts: tuple[Post, ...],
                  build: Callable[[Path], Path]) -> Path:
    """Run ``build(workdir) -> output folder`` once per (generator version, inputs)."""
    key = _inputs_key(name, version, [(p.slug, p.title, p.published.isoformat(), p.authors, p.tags,
                                       p.category, p.body) for p in posts])
    done = CACHE / "sites" / f"{name}-{key}"
    if (done / ".complete").exists():
        return done / "site"
    work = CACHE / "work" / f"{name}-{key}"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    out = build(work)
    shutil.rmtree(done, ignore_errors=True)
    done.mkdir(parents=True)
    shutil.copytree(out, done / "site")
    (done / ".complete").write_text(version, "utf-8")
    shutil.rmtree(work, ignore_errors=True)
    return done / "site"


# --- Pelican (PyPI), default theme notmyidea ---------------------------------------------------

PELICAN_CONF = """\
AUTHOR = None  # a post without an Authors line shows none (not the site's)
SITENAME = "东方快讯网"
SITESUBTITLE = "每日要闻、热点与深度报道"
SITEURL = ""
PATH = "content"
TIMEZONE = "Asia/Shanghai"
DEFAULT_LANG = "zh"
DEFAULT_DATE_FORMAT = "%Y-%m-%d %H:%M"
DEFAULT_PAGINATION = 10
ARTICLE_URL = "{date:%Y}/{date:%m}/{slug}.html"
ARTICLE_SAVE_AS = ARTICLE_URL
ARTICLE_LANG_URL = "{date:%Y}/{date:%m}/{slug}-{lang}.html"
ARTICLE_LANG_SAVE_AS = ARTICLE_LANG_URL
RELATIVE_URLS = True
FEED_ALL_ATOM = "feeds/all.atom.xml"
CATEGORY_FEED_ATOM = None
TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None
LINKS = (("关于我们", "/pages/about.html"),)
SOCIAL = (("微博", "https://weibo.example/dongfang"),)
"""


def pelican_version() -> str:
    try:
        from importlib.metadata import version

        import pelican  # noqa: F401
        return "pelican-" + version("pelican") + "-markdown-" + version("markdown")
    except ImportError as exc:
        raise PortalBuildError(
            f"Pelican is not installed ({exc}): install the test extras (pip install -e '.[test]')"
        ) from exc


def pelican_source(post: Post) -> str:
    head = [f"Title: {post.title}", f"Date: {post.published.isoformat(sep=' ')}",
            f"Slug: {post.slug}", f"Category: {post.category}",
            f"Tags: {', '.join(post.tags)}"]
    if post.authors:
        head.append(f"Authors: {', '.join(post.authors)}")
    if post.lang != "zh":
        head.append(f"Lang: {post.lang}")
    return "\n".join(head) + "\n\n" + markdown_paragraphs(post) + "\n"


def build_pelican(posts: tuple[Post, ...]) -> Portal:
    version = pelican_version()

    def build(work: Path) -> Path:
        content = work / "content"
        (content / "pages").mkdir(parents=True)
        for post in posts:
            (content / f"{post.slug}.md").write_text(pelican_source(post), "utf-8")
        (content / "pages" / "about.md").write_text(
            "Title: 关于我们\nSlug: about\n\n东方快讯网是一家综合新闻网站。\n", "utf-8")
        (work / "pelicanconf.py").write_text(PELICAN_CONF, "utf-8")
        _run([sys.executable, "-m", "pelican", "content", "-s", "pelicanconf.py", "-o", "output"],
             work, "pelican build")
        return work / "output"

    site = _cached_build("pelican", version, posts, build)
    return Portal("pelican", site, posts, lambda p: p.published)


# --- Hexo + NexT (npm), the stack of most Chinese blogs and small portals ----------------------

HEXO_PACKAGES = {  # pinned: the cache key and the markup the portal has
    "hexo": "8.1.2", "hexo-cli": "4.3.2", "hexo-theme-next": "8.29.0",
    "hexo-generator-index": "4.0.0", "hexo-generator-archive": "2.0.0",
    "hexo-generator-category": "2.0.0", "hexo-generator-tag": "2.0.0",
    "hexo-renderer-marked": "7.0.1", "hexo-renderer-stylus": "3.0.1",
}
HEXO_ZONE = "Asia/Shanghai"
HEXO_CONFIG = """\
title: 东方快讯网
subtitle: 每日要闻与热点
description: 综合新闻门户，报道国内国际要闻、财经与科技热点
keywords: 新闻,要闻,热点
author: 东方快讯编辑部
language: zh-CN
timezone: Asia/Shanghai
url: https://news.example.cn
permalink: :year/:month/:day/:title/
updated_option: date
per_page: 10
theme: next
"""
NEXT_CONFIG = """\
scheme: Gemini
avatar:
  url: /images/avatar.gif
  rounded: true
menu:
  home: / || fa fa-home
  categories: /categories/ || fa fa-th
  tags: /tags/ || fa fa-tags
  archives: /archives/ || fa fa-archive
social:
  微博: https://weibo.example/dongfang || fab fa-weibo
"""


def _which(tool: str, hint: str) -> str:
    path = shutil.which(tool)
    if not path:
        raise PortalBuildError(f"{tool} not found: {hint}")
    return path


def npm_install(name: str, packages: dict[str, str]) -> Path:
    """``npm install`` of pinned packages into a cache folder (once); returns that folder."""
    npm = _which("npm", "install Node.js 20.19+ and npm (Debian: apt-get install nodejs npm)")
    manifest = {"name": f"newscrawl-test-{name}", "version": "0.0.0", "private": True,
                "dependencies": packages}
    folder = CACHE / "npm" / f"{name}-{_inputs_key(manifest)[:8]}"
    if (folder / ".complete").exists():
        return folder
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    (folder / "package.json").write_text(json.dumps(manifest, indent=1), "utf-8")
    _run([npm, "install", "--no-audit", "--no-fund", "--loglevel=error"], folder,
         f"npm install of {', '.join(f'{k}@{v}' for k, v in packages.items())}")
    (folder / ".complete").write_text("ok", "utf-8")
    return folder


def _yaml(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)  # JSON scalars and lists are YAML


def hexo_source(post: Post) -> str:
    local = post.published.astimezone(zoneinfo.ZoneInfo(HEXO_ZONE))
    # a third of the posts were edited two days later: NexT shows 更新于 beside 发表于
    updated = local + dt.timedelta(days=2, hours=3) if _digest(post.slug) % 3 == 0 else local
    head = [f"title: {_yaml(post.title)}", f"date: {local:%Y-%m-%d %H:%M:%S}",
            f"updated: {updated:%Y-%m-%d %H:%M:%S}", f"tags: {_yaml(post.tags)}",
            f"categories: {_yaml([post.category])}"]
    if post.authors:
        head.append(f"author: {_yaml(', '.join(post.authors))}")
    if post.lang != "zh":
        head.append(f"lang: {post.lang}")
    # NexT shows no per-post author: the writer puts a byline atop the post, as Chinese blogs do
    lead = byline(post) + "\n\n" if post.authors else ""
    return "---\n" + "\n".join(head) + "\n---\n" + lead + markdown_paragraphs(post) + "\n"


def build_hexo(posts: tuple[Post, ...]) -> Portal:
    _which("node", "install Node.js 20.19+ (the hexo test portal)")
    modules = npm_install("hexo", HEXO_PACKAGES)

    def build(work: Path) -> Path:
        (work / "package.json").write_text(json.dumps(
            {"name": "portal", "version": "0.0.0", "private": True,
             "hexo": {"version": HEXO_PACKAGES["hexo"]}, "dependencies": HEXO_PACKAGES}), "utf-8")
        (work / "node_modules").symlink_to(modules / "node_modules")
        (work / "_config.yml").write_text(HEXO_CONFIG, "utf-8")
        (work / "_config.next.yml").write_text(NEXT_CONFIG, "utf-8")
        source = work / "source"
        (source / "_posts").mkdir(parents=True)
        for kind in ("categories", "tags"):
            (source / kind).mkdir()
            (source / kind / "index.md").write_text(f"---\ntitle: {kind}\ntype: {kind}\n---\n", "utf-8")
        for post in posts:
            (source / "_posts" / f"{post.slug}.md").write_text(hexo_source(post), "utf-8")
        _run([str(modules / "node_modules" / ".bin" / "hexo"), "generate", "--silent"], work,
             "hexo generate")
        return work / "public"

    site = _cached_build("hexo", "-".join(f"{k}@{v}" for k, v in HEXO_PACKAGES.items()), posts, build)
    return Portal("hexo", site, posts, lambda p: p.published.astimezone(zoneinfo.ZoneInfo(HEXO_ZONE)))


# --- Hugo (Debian package) with a small theme of the common Chinese blog-theme shape ----------
# No Hugo theme is published on the registries CI reaches, so the theme is written here: the
# markup of the popular single-column Hugo themes (post-meta line with a shown local time and
# 作者 label, category links, tag links in the post footer, prev/next, a sidebar with the site
# description) on top of Hugo's own embedded SEO templates (Open Graph article:*, schema.org
# itemprops, Twitter cards), which real Hugo themes include.

HUGO_ZONE = "Asia/Shanghai"
HUGO_CONFIG = """\
baseURL = "https://news.example.cn/"
languageCode = "zh-cn"
defaultContentLanguage = "zh"
hasCJKLanguage = true
title = "东方快讯网"
theme = "portal"
timeZone = "Asia/Shanghai"
paginate = 10
[params]
description = "综合新闻门户，报道国内国际要闻、财经与科技热点"
author = "东方快讯编辑部"
[permalinks]
posts = "/:year/:month/:slug/"
[taxonomies]
tag = "tags"
category = "categories"
"""
HUGO_THEME = {
    "theme.toml": 'name = "portal"\nmin_version = "0.100.0"\n',
    "layouts/_default/baseof.html": """\
<!DOCTYPE html>
<html lang="{{ site.LanguageCode }}">
<head>
<meta charset="utf-8">
<title>{{ if not .IsHome }}{{ .Title }} - {{ end }}{{ site.Title }}</title>
<meta name="description" content="{{ with .Description }}{{ . }}{{ else }}{{ with .Summary }}{{ . | plainify | truncate 120 }}{{ else }}{{ site.Params.description }}{{ end }}{{ end }}">
<meta name="author" content="{{ site.Params.author }}">
{{ template "_internal/opengraph.html" . }}
{{ template "_internal/schema.html" . }}
{{ template "_internal/twitter_cards.html" . }}
</head>
<body>
<header class="site-header"><a class="logo" href="{{ "/" | relURL }}">{{ site.Title }}</a>
<nav class="site-nav"><a href="{{ "/" | relURL }}">首页</a> <a href="{{ "/posts/" | relURL }}">归档</a>
<a href="{{ "/categories/" | relURL }}">分类</a> <a href="{{ "/tags/" | relURL }}">标签</a></nav></header>
<main class="main">{{ block "main" . }}{{ end }}</main>
<aside class="sidebar"><div class="author-card"><img src="{{ "/avatar.png" | relURL }}" alt="avatar">
<p class="author-name">{{ site.Params.author }}</p><p class="author-bio">{{ site.Params.description }}</p></div>
<div class="recent"><h3>最新文章</h3><ul>{{ range first 5 (where site.RegularPages "Section" "posts") }}
<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul></div></aside>
<footer class="site-footer">© {{ now.Year }} {{ site.Title }} · 由 Hugo 强力驱动</footer>
</body>
</html>
""",
    "layouts/_default/single.html": """\
{{ define "main" }}
<article class="post">
<header class="post-header">
<h1 class="post-title">{{ .Title }}</h1>
<div class="post-meta">
<span class="post-time">{{ .Date.Format "2006-01-02 15:04" }}</span>
{{ with .Params.authors }}<span class="post-author">作者：{{ delimit . "、" }}</span>{{ end }}
{{ with .Params.categories }}<span class="post-category">{{ range . }}<a href="{{ "/categories/" | relURL }}{{ . | urlize }}/">{{ . }}</a>{{ end }}</span>{{ end }}
<span class="more-meta">约 {{ .WordCount }} 字</span>
</div>
</header>
<div class="post-content">{{ .Content }}</div>
<footer class="post-footer">
{{ with .Params.tags }}<div class="post-tags">{{ range . }}<a href="{{ "/tags/" | relURL }}{{ . | urlize }}/">{{ . }}</a> {{ end }}</div>{{ end }}
<nav class="post-nav">{{ with .PrevInSection }}<a class="prev" href="{{ .RelPermalink }}">上一篇：{{ .Title }}</a>{{ end }}
{{ with .NextInSection }}<a class="next" href="{{ .RelPermalink }}">下一篇：{{ .Title }}</a>{{ end }}</nav>
</footer>
</article>
{{ end }}
""",
    "layouts/_default/list.html": """\
{{ define "main" }}
<h1 class="list-title">{{ .Title }}</h1>
{{ range .Paginator.Pages }}
<article class="post-preview"><h2><a href="{{ .RelPermalink }}">{{ .Title }}</a></h2>
<div class="post-meta">{{ .Date.Format "2006-01-02" }}</div><p>{{ .Summary | plainify | truncate 80 }}</p></article>
{{ end }}
{{ template "_internal/pagination.html" . }}
{{ end }}
""",
    "layouts/_default/terms.html": """\
{{ define "main" }}
<h1 class="list-title">{{ .Title }}</h1>
<ul class="terms">{{ range .Data.Terms.Alphabetical }}<li><a href="{{ .Page.RelPermalink }}">{{ .Page.Title }}</a> ({{ .Count }})</li>{{ end }}</ul>
{{ end }}
""",
    "layouts/index.html": """\
{{ define "main" }}
{{ range (.Paginate (where site.RegularPages "Section" "posts")).Pages }}
<article class="post-preview"><h2><a href="{{ .RelPermalink }}">{{ .Title }}</a></h2>
<div class="post-meta">{{ .Date.Format "2006-01-02" }}</div><p>{{ .Summary | plainify | truncate 80 }}</p></article>
{{ end }}
{{ template "_internal/pagination.html" . }}
{{ end }}
""",
}


def hugo_source(post: Post) -> str:
    head = [f"title: {_yaml(post.title)}", f"date: {post.published.isoformat()}",
            f"slug: {post.slug}", f"tags: {_yaml(post.tags)}", f"categories: {_yaml([post.category])}"]
    if post.authors:
        head.append(f"authors: {_yaml(post.authors)}")
    return "---\n" + "\n".join(head) + "\n---\n" + markdown_paragraphs(post) + "\n"


def build_hugo(posts: tuple[Post, ...]) -> Portal:
    hugo = _which("hugo", "install Debian's hugo package (apt-get install hugo)")
    version = _run([hugo, "version"], Path.cwd(), "hugo version").split(" BuildDate")[0]

    def build(work: Path) -> Path:
        (work / "config.toml").write_text(HUGO_CONFIG, "utf-8")
        for name, text in HUGO_THEME.items():
            path = work / "themes" / "portal" / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, "utf-8")
        (work / "content" / "posts").mkdir(parents=True)
        for post in posts:
            (work / "content" / "posts" / f"{post.slug}.md").write_text(hugo_source(post), "utf-8")
        _run([hugo, "--quiet", "--destination", "public"], work, "hugo build")
        return work / "public"

    site = _cached_build("hugo", version, posts, build)
    # Hugo keeps the offset written in the front matter
    return Portal("hugo", site, posts, lambda p: p.published)


# --- Jekyll + minima (Debian packages), the GitHub Pages default ------------------------------

JEKYLL_ZONE = "Asia/Shanghai"
JEKYLL_CONFIG = """\
title: 东方快讯网
description: 综合新闻门户，报道国内国际要闻、财经与科技热点
author:
  name: 东方快讯编辑部
  email: editor@news.example.cn
email: editor@news.example.cn
url: https://news.example.cn
baseurl: ""
lang: zh-CN
timezone: Asia/Shanghai
theme: minima
plugins:
  - jekyll-feed
  - jekyll-seo-tag
permalink: /:categories/:year/:month/:day/:title:output_ext
minima:
  date_format: "%Y-%m-%d"
"""


def jekyll_source(post: Post) -> str:
    head = ["layout: post", f"title: {_yaml(post.title)}",
            f"date: {post.published.strftime('%Y-%m-%d %H:%M:%S %z')}",
            f"categories: {_yaml([post.category])}", f"tags: {_yaml(post.tags)}"]
    if post.authors:  # minima prints page.author as one string
        head.append(f"author: {_yaml(('、' if post.lang == 'zh' else ', ').join(post.authors))}")
    if post.lang != "zh":
        head.append(f"lang: {post.lang}")
    return "---\n" + "\n".join(head) + "\n---\n" + markdown_paragraphs(post) + "\n"


def build_jekyll(posts: tuple[Post, ...]) -> Portal:
    jekyll = _which("jekyll", "install Debian's jekyll and jekyll-theme-minima packages")
    version = _run([jekyll, "--version"], Path.cwd(), "jekyll --version").strip()

    def build(work: Path) -> Path:
        (work / "_config.yml").write_text(JEKYLL_CONFIG, "utf-8")
        (work / "_posts").mkdir()
        (work / "index.md").write_text("---\nlayout: home\n---\n", "utf-8")
        (work / "about.md").write_text("---\nlayout: page\ntitle: 关于我们\npermalink: /about/\n---\n"
                                       "东方快讯网是一家综合新闻网站。\n", "utf-8")
        for post in posts:
            day = post.published.strftime("%Y-%m-%d")
            (work / "_posts" / f"{day}-{post.slug}.md").write_text(jekyll_source(post), "utf-8")
        _run([jekyll, "build", "--quiet", "--destination", "_site"], work, "jekyll build",
             env={**os.environ, "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8"})
        return work / "_site"

    site = _cached_build("jekyll", version + "-minima", posts, build)
    return Portal("jekyll", site, posts, lambda p: p.published.astimezone(zoneinfo.ZoneInfo(JEKYLL_ZONE)))


# ---------------------------------------------------------------------------------------------
# serving, crawling, scoring

@contextlib.contextmanager
def serve(folder: Path) -> Iterator[str]:
    """A static file server for ``folder`` on a free port of 127.0.0.1; yields its base URL."""

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
            pass

    handler = functools.partial(Quiet, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


def newscrawl_script() -> Path:
    script = Path(sys.executable).parent / "newscrawl"
    if not script.exists():
        raise PortalBuildError(f"console script not found at {script}: pip install -e '.[test]'")
    return script


@dataclass
class CrawlResult:
    returncode: int
    output: str
    records: list[dict[str, Any]]


def crawl(base_url: str, data_dir: Path) -> CrawlResult:
    """``newscrawl crawl URL`` (no profile), the real console script, into ``data_dir``."""
    env = dict(os.environ)
    env.pop("SCRAPY_SETTINGS_MODULE", None)
    cmd = [str(newscrawl_script()), "crawl", base_url, "--data-dir", str(data_dir), "--no-warc",
           "-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False",
           "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=16", "-s", "LOG_LEVEL=WARNING"]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=600, env=env, cwd=data_dir,
                          stdin=subprocess.DEVNULL)
    records = []
    for path in sorted(data_dir.glob("*/articles/*.jsonl")):
        records += [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]
    return CrawlResult(proc.returncode, proc.stdout + proc.stderr, records)


def _same_time(pred: str | None, gold: dt.datetime) -> bool:
    """The same instant AND the same UTC offset as the page shows."""
    if not pred:
        return False
    try:
        got = dt.datetime.fromisoformat(pred)
    except ValueError:
        return False
    return got.tzinfo is not None and got == gold and got.utcoffset() == gold.utcoffset()


def _set_f1(pred: list[str], gold: list[str]) -> float:
    p, g = {fold(x) for x in pred if fold(x)}, {fold(x) for x in gold if fold(x)}
    if not g:
        return 1.0 if not p else 0.0
    common = len(p & g)
    return 0.0 if not common else 2 * common / (len(p) + len(g))


def _source_ok(pred: str | None, post: Post) -> bool:
    """The outlet a 来源 line credits (either name containing the other); where none does,
    none or a name the body mentions: a category label or the site name is never a source."""
    p, g = fold(pred), fold(post.source)
    if g:
        return bool(p) and (g in p or p in g)
    return not p or p in fold(post.body)


@dataclass
class Score:
    generator: str
    fields: dict[str, float]
    misses: dict[str, list[str]]  # field -> short descriptions of the misses
    records: int
    posts: int


def score(portal: Portal, records: list[dict[str, Any]]) -> Score:
    by_slug = {p.slug: p for p in portal.posts}
    matched: dict[str, dict[str, Any]] = {}
    stray: list[str] = []
    for rec in records:
        slug = next((s for s in re.findall(r"p[0-9a-f]{8}", rec.get("url") or "") if s in by_slug), None)
        if slug is None or slug in matched:
            stray.append(rec.get("url") or "?")
        else:
            matched[slug] = rec
    misses: dict[str, list[str]] = {f: [] for f in FIELDS}
    misses["recall"] = [f"{p.slug} {p.title[:20]}" for p in portal.posts if p.slug not in matched]
    misses["precision"] = stray
    sums: dict[str, list[float]] = {f: [] for f in FIELDS[2:]}
    for slug, rec in matched.items():
        post = by_slug[slug]
        gold_time = portal.truth_time(post)
        checks: dict[str, tuple[float | None, Any]] = {
            "title": (float(fold(rec.get("title")) == fold(post.title)), rec.get("title")),
            "time": (float(_same_time(rec.get("published_at"), gold_time)),
                     f"{rec.get('published_at')} != {gold_time.isoformat()}"),
            "author": (float({fold(a) for a in rec.get("authors") or []} == {fold(a) for a in post.authors})
                       if post.authors else None, f"{rec.get('authors')} != {post.authors}"),
            "tags": (_set_f1(rec.get("tags") or [], post.tags), f"{rec.get('tags')} != {post.tags}"),
            "body": (bag_f1(rec.get("body") or "", post.body) or 0.0, f"{len(rec.get('body') or '')} chars"),
            "source": (float(_source_ok(rec.get("source"), post)), f"{rec.get('source')} != {post.source}"),
        }
        for name, (value, why) in checks.items():
            if value is None:
                continue
            sums[name].append(value)
            if value < (0.9 if name == "body" else 1.0):
                misses[name].append(f"{slug}: {why}")
    fields = {
        "recall": len(matched) / len(portal.posts),
        "precision": len(matched) / len(records) if records else 0.0,
        **{k: (sum(v) / len(v) if v else 0.0) for k, v in sums.items()},
    }
    fields = {k: v for k, v in fields.items() if k in scored_fields(portal.generator)}
    return Score(portal.generator, fields, misses, len(records), len(portal.posts))


BUILDERS: dict[str, Callable[[tuple[Post, ...]], Portal]] = {
    "pelican": build_pelican,
    "hexo": build_hexo,
    "hugo": build_hugo,
    "jekyll": build_jekyll,
}


def build(generator: str) -> Portal:
    return BUILDERS[generator](select_posts())
