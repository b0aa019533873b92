"""The demo portal's pages and their ground truth, generated in memory.

:class:`DemoSite` writes every page the portal serves (home, sections with paginated lists,
articles in the structure of a Chinese regional portal, tag/author/archive pages, sitemaps,
feeds, robots.txt and the error cases) and records what a perfect crawl must find.
"""

from __future__ import annotations

import html
import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any

from newscrawl.demo.text import SITE_NAME, Story, author_bio, make_story

CST = timezone(timedelta(hours=8))
MONTH = "2026-11"
SIDEBAR_HOT = 10
SIDEBAR_FOCUS = 8
PAGER_WINDOW = 5  # page numbers shown each side of the current list page
LISTING_PER_PAGE = 50  # archive, tag and author listings


@dataclass(slots=True)
class Page:
    """One response the server sends for a path (query string included)."""

    body: bytes
    content_type: str = "text/html; charset=utf-8"
    status: int = 200
    location: str | None = None
    delay: float = 0.0


@dataclass(slots=True)
class DemoArticle:
    """Ground truth of one article: where it lives and what a perfect extraction holds."""

    path: str  # first page
    section: str
    story: Story
    published_raw: str
    published_at: str | None
    encoding: str  # "utf-8" or "gbk"
    charset_header: str | None  # what the Content-Type header claims; None: no charset
    page_paths: list[str] = field(default_factory=list)  # every page, first one included
    split: list[int] = field(default_factory=list)  # paragraphs per page
    revision: int = 0

    @property
    def title(self) -> str:
        return self.story.title

    @property
    def paragraphs(self) -> list[str]:
        return self.story.paragraphs


@dataclass(slots=True)
class Section:
    slug: str
    name: str
    list_paths: list[str]
    per_page: int
    articles: list[DemoArticle] = field(default_factory=list)


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def _page_numbers(paths: list[str], k: int) -> list[str]:
    """A pager's page numbers around page ``k`` (0-based), as CMS pagers show them: one
    listing every page would make a large listing's pages quadratic in size."""
    return [f"<b>{n + 1}</b>" if n == k else f'<a href="{paths[n]}">{n + 1}</a>'
            for n in range(max(0, k - PAGER_WINDOW), min(len(paths), k + PAGER_WINDOW + 1))]


class DemoSite:
    """All pages of the portal for one base URL, plus the ground truth."""

    def __init__(self, base_url: str, foreign_base_url: str, *, now: datetime | None = None,
                 slow_seconds: float = 2.0, seed: int = 20261120, scale: int = 1,
                 opaque_urls: bool = False) -> None:
        self.base_url = base_url.rstrip("/")
        self.foreign_base_url = foreign_base_url.rstrip("/")
        self.now = (now or datetime.now(CST)).astimezone(CST).replace(microsecond=0)
        self.slow_seconds = slow_seconds
        self.scale = max(1, scale)  # benchmarks: scale × the articles of every section
        # opaque_urls: every page under /p/<letters>.html, so that only the pages
        # themselves tell articles from lists (a portal whose URLs say nothing).
        self.opaque_urls = opaque_urls
        self.public: dict[str, str] = {}  # internal path -> served path (opaque mode)
        self.rng = random.Random(seed)
        self.pages: dict[str, Page] = {}
        self.sections: list[Section] = []
        self.articles: list[DemoArticle] = []
        self.tags: dict[str, str] = {}  # tag text -> path
        self.authors: dict[str, str] = {}  # reporter name -> path
        self._build()

    # ----------------------------------------------------------------- structure
    def _build(self) -> None:
        number = 0
        plans = [
            ("guonei", "国内", 10, 4),
            ("shehui", "社会", 8, 5),
            ("keji", "科技", 8, 4),
        ]
        for slug, name, count, per_page in plans:
            count *= self.scale
            section = Section(slug, name, [], per_page)
            for i in range(count):
                number += 1
                story = make_story(self.rng, number)
                section.articles.append(self._plan_article(slug, i, story))
            pages = (count + per_page - 1) // per_page
            section.list_paths = [self._list_path(slug, k) for k in range(1, pages + 1)]
            self.sections.append(section)
            self.articles.extend(section.articles)
        for article in self.articles:
            for tag in article.story.tags[:1]:
                if len(self.tags) < 8:
                    self.tags.setdefault(tag, f"/tags/t{len(self.tags) + 1}.html")
            for name in article.story.reporters[:1]:
                if len(self.authors) < 6:
                    self.authors.setdefault(name, f"/author/a{len(self.authors) + 1}.html")
        self.render_all()

    @staticmethod
    def _list_path(slug: str, k: int) -> str:
        if slug == "guonei":
            return "/news/guonei/index.html" if k == 1 else f"/news/guonei/index_{k}.html"
        if slug == "shehui":
            return "/shehui/index.html" if k == 1 else f"/shehui/index_{k}.html"
        return "/keji/" if k == 1 else f"/keji/?page={k}"

    def _plan_article(self, slug: str, i: int, story: Story) -> DemoArticle:
        day = 20 - (i // 2) % 15
        stamp = datetime(2026, 11, day, 8 + i % 14, 5 * i % 60, (13 + i) % 60, tzinfo=CST)
        published_raw = stamp.strftime("%Y-%m-%d %H:%M:%S")
        published_at: str | None = stamp.isoformat()
        encoding: str = "utf-8"
        charset_header: str | None = "utf-8"
        npages = 1
        if slug == "guonei":
            path = f"/news/guonei/{MONTH}/{day:02d}/content_{1000 + i}.htm"
            encoding, charset_header = "gbk", "gbk"
            if i == 4:
                charset_header = "utf-8"  # lies: the bytes are GBK
            if i == 8:
                charset_header = None  # only the <meta> tells
            npages = {2: 3, 6: 2}.get(i, 1)
            pages = [path] + [path.replace(".htm", f"_{k}.htm") for k in range(2, npages + 1)]
        elif slug == "shehui":
            path = f"/shehui/202611/t202611{day:02d}_{2000 + i}.html"
            relative = {0: (timedelta(hours=3), "3小时前"), 2: (timedelta(minutes=45), "45分钟前")}
            if i in relative:
                delta, published_raw = relative[i]
                published_at = (self.now - delta).isoformat()
            npages = 2 if i == 3 else 1
            pages = [path] + [f"{path}?page={k}" for k in range(2, npages + 1)]
        else:
            path = f"/a/202611{day:02d}/{3000 + i}.html"
            npages = 2 if i == 1 else 1
            pages = [path] + [path.replace(".html", f"_{k}.html") for k in range(2, npages + 1)]
        if npages > 1:
            while len(story.paragraphs) < 2 * npages:
                story.paragraphs.append(
                    f"{story.paragraphs[0][:12]}相关负责人介绍，第{len(story.paragraphs)}项配套措施也将同步落实。"
                )
        n = len(story.paragraphs)
        split = [n // npages + (1 if k < n % npages else 0) for k in range(npages)]
        return DemoArticle(path, slug, story, published_raw, published_at, encoding,
                           charset_header, pages, split)

    # ----------------------------------------------------------------- truth
    def url(self, path: str) -> str:
        return self.base_url + self.public.get(path, path)

    def article_urls(self) -> list[str]:
        return [self.url(a.path) for a in self.articles]

    def non_article_urls(self) -> list[str]:
        paths = [p for s in self.sections for p in s.list_paths]
        paths += list(self.tags.values()) + list(self.authors.values())
        paths += ["/", "/archive/2026-11.html", "/about.html", "/special/slow.html"]
        return [self.url(p) for p in paths]

    def truth(self) -> dict[str, Any]:
        """JSON-ready ground truth: what a perfect crawl of this portal finds."""
        return {
            "base_url": self.base_url,
            "articles": [
                {
                    "url": self.url(a.path),
                    "pages": [self.url(p) for p in a.page_paths],
                    "title": a.title,
                    "paragraphs": list(a.paragraphs),
                    "published_raw": a.published_raw,
                    "published_at": a.published_at,
                    "source": a.story.source,
                    "authors": list(a.story.reporters),
                    "editor": a.story.editor,
                    "tags": list(a.story.tags),
                    "section": ["首页", "新闻", self._section(a.section).name],
                    "encoding": a.encoding,
                    "charset_header": a.charset_header,
                    "revision": a.revision,
                }
                for a in self.articles
            ],
            "non_articles": self.non_article_urls(),
            "redirect": {"from": self.url("/go/oldlink.htm"), "to": self.url(self.articles[5].path)},
            "disallowed": [self.url("/private/internal.html")],
            "foreign": [self.foreign_base_url + "/partner.html"],
            "errors": {
                "404": self.url("/news/missing.htm"),
                "500": self.url("/news/broken.htm"),
                "slow": self.url("/special/slow.html"),
                "empty": self.url("/news/empty.htm"),
                "not_html": self.url("/data/latest.json"),
            },
        }

    def _section(self, slug: str) -> Section:
        return next(s for s in self.sections if s.slug == slug)

    # ----------------------------------------------------------------- changes
    def revise(self, path: str) -> DemoArticle:
        """Change an article's text (a correction and an added paragraph): a new version."""
        internal = {served: own for own, served in self.public.items()}
        path = internal.get(path, path)
        article = next(a for a in self.articles if a.path == path)
        article.revision += 1
        story = article.story
        story.paragraphs[0] = story.paragraphs[0].replace("余家", "多家", 1) + f"（第{article.revision}次更正）"
        story.paragraphs.append(f"更新：截至发稿时，相关工作已进入第{article.revision + 1}阶段，本网将持续关注。")
        article.split[-1] += 1
        if self.opaque_urls:
            self.render_all()
        else:
            self._render_article(article)
        return article

    # ----------------------------------------------------------------- rendering
    def render_all(self) -> None:
        self.pages.clear()
        # Each article's place in the site's list and in its section's list.
        self._site_index = {id(a): n for n, a in enumerate(self.articles)}
        self._section_index = {id(a): n for s in self.sections for n, a in enumerate(s.articles)}
        for article in self.articles:
            self._render_article(article)
        for section in self.sections:
            self._render_section(section)
        self._render_home()
        self._render_tags_and_authors()
        self._render_misc()
        self._render_machine_files()
        if self.opaque_urls:
            self._make_opaque()

    _KEEP = ("/", "/robots.txt", "/sitemap.xml", "/sitemap-news.xml", "/sitemap-pages.xml",
             "/rss.xml", "/atom.xml", "/private/internal.html", "/news/missing.htm")

    def _make_opaque(self) -> None:
        """Serve every page under a name that says nothing; rewrite every link to it."""
        import hashlib

        def name(path: str) -> str:
            digest = hashlib.sha1(path.encode()).digest()
            return "".join(chr(97 + b % 26) for b in digest[:10])

        mapping: dict[str, str] = {}
        for article in self.articles:
            first = f"/p/{name(article.path)}.html"
            for k, page_path in enumerate(article.page_paths):
                if "?" in page_path:
                    mapping[page_path] = first + page_path[page_path.index("?"):]
                else:
                    mapping[page_path] = first if k == 0 else f"/p/{name(article.path)}_{k + 1}.html"
        for path in list(self.pages):
            if path not in mapping and path not in self._KEEP:
                mapping[path] = f"/p/{name(path)}.html"
        mapping["/news/missing.htm"] = f"/p/{name('/news/missing.htm')}.html"
        self.public = mapping
        pages: dict[str, Page] = {}
        replacements = sorted(mapping.items(), key=lambda kv: -len(kv[0]))
        for path, page in self.pages.items():
            body = page.body
            for old, new in replacements:
                for quote_open, quote_close in (('"', '"'), (">" + self.base_url, "<"),
                                                ('"' + self.base_url, '"')):
                    body = body.replace((quote_open + old + quote_close).encode(),
                                        (quote_open + new + quote_close).encode())
            location = mapping.get(page.location, page.location) if page.location else None
            pages[mapping.get(path, path)] = Page(body, page.content_type, page.status, location,
                                                  page.delay)
        self.pages = pages

    def _head(self, title: str, charset: str = "utf-8", extra: str = "") -> str:
        return (
            f'<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="{charset}">'
            f"<title>{_e(title)}</title>"
            f'<meta name="viewport" content="width=device-width, initial-scale=1">{extra}'
            f'<link rel="alternate" type="application/rss+xml" href="/rss.xml">'
            f"</head><body>\n"
        )

    def _nav(self) -> str:
        links = "".join(
            f'<li><a href="{s.list_paths[0]}">{_e(s.name)}</a></li>' for s in self.sections
        )
        return (
            f'<div class="top"><div class="logo"><a href="/">{SITE_NAME}</a></div>'
            f'<ul class="nav"><li><a href="/">首页</a></li>{links}'
            f'<li><a href="/archive/2026-11.html">往期回顾</a></li></ul>'
            f'<div class="login"><a href="/private/internal.html">采编登录</a></div></div>\n'
        )

    def _footer(self) -> str:
        return (
            '<div class="footer"><p><a href="/about.html">关于我们</a> | '
            f'<a href="{self.foreign_base_url}/partner.html">合作伙伴</a> | '
            '<a href="/go/partner">友情链接</a> | <a href="/rss.xml">RSS订阅</a></p>'
            f"<p>Copyright &copy; 2026 {SITE_NAME} 版权所有 未经授权禁止转载</p></div>\n</body></html>\n"
        )

    def _sidebar(self) -> str:
        # A fixed number of items, as a portal's sidebar has: one that grew with the site
        # would make every page of a benchmark-sized portal megabytes of links.
        hot = "".join(
            f'<li><a href="{a.path}">{_e(a.title)}</a></li>'
            for a in self.articles[::5][:SIDEBAR_HOT]
        )
        focus = "".join(
            f'<li><a href="{a.path}">{_e(a.title)}</a></li>'
            for a in self.articles[3::7][:SIDEBAR_FOCUS]
        )
        return (
            f'<div class="side"><h3>热文推荐</h3><ul>{hot}</ul>'
            f"<h3>焦点资讯</h3><ul>{focus}</ul></div>\n"
        )

    def _render_article(self, article: DemoArticle) -> None:
        section = self._section(article.section)
        idx = self._section_index[id(article)]
        prev_a = section.articles[idx - 1] if idx > 0 else None
        next_a = section.articles[idx + 1] if idx + 1 < len(section.articles) else None
        # Every sixth of the other articles from the one at ``idx``, four of them (indexes
        # into the site's list with this article left out, without building that list).
        own = self._site_index[id(article)]
        related = [self.articles[k if k < own else k + 1]
                   for k in range(idx, len(self.articles) - 1, 6)[:4]]
        story = article.story
        offsets = [sum(article.split[:k]) for k in range(len(article.split) + 1)]
        npages = len(article.page_paths)
        for k, page_path in enumerate(article.page_paths):
            paras = story.paragraphs[offsets[k]:offsets[k + 1]]
            body = "".join(f"<p>{_e(p)}</p>\n" for p in paras)
            if k == npages - 1:
                body += f"<p>（记者 {_e(' '.join(story.reporters))}）</p>\n"
            pager = ""
            if npages > 1:
                pager = self._article_pager(article, k)
            tags = " ".join(
                f'<a href="{self.tags[t]}">{_e(t)}</a>' if t in self.tags else _e(t)
                for t in story.tags
            )
            author_links = " ".join(
                f'<a href="{self.authors[r]}">{_e(r)}</a>' if r in self.authors else _e(r)
                for r in story.reporters
            )
            prev_html = f'<a href="{prev_a.path}">{_e(prev_a.title)}</a>' if prev_a else "没有了"
            next_html = f'<a href="{next_a.path}">{_e(next_a.title)}</a>' if next_a else "没有了"
            rel = "".join(f'<li><a href="{a.path}">{_e(a.title)}</a></li>' for a in related)
            if article is self.articles[1]:
                rel += '<li><a href="/go/oldlink.htm">旧版链接：往期专题回顾</a></li>'
            charset = "gbk" if article.encoding == "gbk" else "utf-8"
            text = (
                self._head(f"{story.title}_{section.name}_{SITE_NAME}", charset,
                           f'<meta name="keywords" content="{_e(",".join(story.tags))}">')
                + self._nav()
                + '<div class="main"><div class="crumb">您现在的位置：<a href="/">首页</a> &gt; '
                f'<a href="/">新闻</a> &gt; <a href="{section.list_paths[0]}">{_e(section.name)}</a>'
                " &gt; 正文</div>\n"
                f'<div class="article"><h1>{_e(story.title)}</h1>\n'
                f'<div class="info">时间：{_e(article.published_raw)}&nbsp;&nbsp;&nbsp;&nbsp;'
                f"来源：{_e(story.source)}&nbsp;&nbsp;作者：{author_links}</div>\n"
                '<div class="share">分享到：<a href="#">微信</a> <a href="#">微博</a></div>\n'
                f'<div class="content" id="content">\n{body}</div>\n{pager}'
                f'<div class="editor">责任编辑：{_e(story.editor)}</div>\n'
                f'<div class="tags">标签：{tags}</div>\n'
                f'<div class="prenext"><p>上一篇：{prev_html}</p><p>下一篇：{next_html}</p></div>\n'
                f'<div class="related"><h3>相关新闻</h3><ul>{rel}</ul></div>\n'
                f'<div class="statement"><p>凡本网注明“来源：XXX（非{SITE_NAME}）”的作品，'
                "均转载自其它媒体，转载目的在于传递更多信息，并不代表本网赞同其观点和对其真实性负责。"
                "如涉及作品内容、版权等问题，请在三十日内同本网联系。</p></div>\n"
                "</div></div>\n" + self._sidebar() + self._footer()
            )
            data = text.encode(article.encoding)
            if article.charset_header is None:
                ctype = "text/html"
            else:
                ctype = f"text/html; charset={article.charset_header}"
            self.pages[page_path] = Page(data, ctype)

    def _article_pager(self, article: DemoArticle, k: int) -> str:
        paths = article.page_paths
        if article.section == "keji":
            # Only a "next page" link, no page numbers: the spider must follow 下一页.
            parts = []
            if k > 0:
                parts.append(f'<a href="{paths[k - 1]}">上一页</a>')
            if k + 1 < len(paths):
                parts.append(f'<a href="{paths[k + 1]}">下一页</a>')
            return f'<div class="page">{" ".join(parts)}</div>\n'
        links = []
        if k > 0:
            links.append(f'<a href="{paths[k - 1]}">上一页</a>')
        for n, p in enumerate(paths):
            links.append(f"<span>{n + 1}</span>" if n == k else f'<a href="{p}">{n + 1}</a>')
        if k + 1 < len(paths):
            links.append(f'<a href="{paths[k + 1]}">下一页</a>')
        return f'<div class="pagination">{" ".join(links)}</div>\n'

    def _list_items(self, articles: list[DemoArticle], summaries: bool = False) -> str:
        items = []
        for a in articles:
            summary = f"<p>{_e(a.story.summary)}</p>" if summaries else ""
            items.append(
                f'<li><a href="{a.path}">{_e(a.title)}</a>'
                f'<span class="date">{_e(a.published_raw[:10])}</span>{summary}</li>'
            )
        return f'<ul class="list">{"".join(items)}</ul>\n'

    def _render_section(self, section: Section) -> None:
        per_page = section.per_page
        total = len(section.list_paths)
        for k, path in enumerate(section.list_paths):
            chunk = section.articles[k * per_page:(k + 1) * per_page]
            pager = [f'<a href="{section.list_paths[0]}">首页</a>']
            if k > 0:
                pager.append(f'<a href="{section.list_paths[k - 1]}">上一页</a>')
            pager += _page_numbers(section.list_paths, k)
            if k + 1 < total:
                pager.append(f'<a href="{section.list_paths[k + 1]}">下一页</a>')
            pager.append(f'<a href="{section.list_paths[-1]}">尾页</a>')
            text = (
                self._head(f"{section.name}_{SITE_NAME}") + self._nav()
                + f'<div class="main"><div class="crumb">您现在的位置：<a href="/">首页</a> &gt; {_e(section.name)}</div>\n'
                f"<h1>{_e(section.name)}新闻</h1>\n"
                + self._list_items(chunk, summaries=section.slug == "shehui")
                + f'<div class="pages">{" ".join(pager)}</div></div>\n'
                + self._sidebar() + self._footer()
            )
            self.pages[path] = Page(text.encode("utf-8"))

    def _render_home(self) -> None:
        top = self.articles[::4][:6]
        blocks = "".join(
            f'<div class="block"><h2><a href="{s.list_paths[0]}">{_e(s.name)}</a></h2>'
            + self._list_items(s.articles[:3]) + "</div>\n"
            for s in self.sections
        )
        headline = self.articles[0]
        tags = " ".join(f'<a href="{p}">{_e(t)}</a>' for t, p in self.tags.items())
        authors = " ".join(f'<a href="{p}">{_e(n)}</a>' for n, p in self.authors.items())
        text = (
            self._head(f"{SITE_NAME}_首页") + self._nav()
            + f'<div class="headline"><h2><a href="{headline.path}">{_e(headline.title)}</a></h2>'
            f"<p>{_e(headline.story.summary)}</p></div>\n"
            + '<div class="focus">' + self._list_items(top) + "</div>\n" + blocks
            + f'<div class="tagcloud"><h3>热门标签</h3>{tags}</div>\n'
            f'<div class="writers"><h3>本网记者</h3>{authors}</div>\n'
            '<div class="special"><h3>专题</h3><ul>'
            '<li><a href="/special/slow.html">年度专题（加载较慢）</a></li>'
            '<li><a href="/news/missing.htm">已删除的稿件</a></li>'
            '<li><a href="/news/broken.htm">服务器维护中的页面</a></li>'
            '<li><a href="/news/empty.htm">空白页</a></li>'
            '<li><a href="/data/latest.json">数据接口</a></li>'
            '<li><a href="/go/oldlink.htm">旧版网址</a></li>'
            f'<li><a href="{self.foreign_base_url}/news/elsewhere.html">兄弟网站新闻</a></li>'
            "</ul></div>\n" + self._footer()
        )
        self.pages["/"] = Page(text.encode("utf-8"))
        self.pages["/index.html"] = Page(b"", status=301, location="/")

    def _render_tags_and_authors(self) -> None:
        for tag, path in self.tags.items():
            tagged = [a for a in self.articles if tag in a.story.tags]
            head = (
                self._head(f"标签：{tag}_{SITE_NAME}") + self._nav()
                + f'<div class="main"><h1>标签：{_e(tag)}</h1>\n'
                f"<p>共有{len(tagged)}篇与“{_e(tag)}”相关的文章，按发布时间排列。</p>\n"
            )
            self._render_listing(path, head, tagged, summaries=True)
        for name, path in self.authors.items():
            written = [a for a in self.articles if name in a.story.reporters]
            bio = author_bio(self.rng, name)
            head = (
                self._head(f"{name}的专栏_{SITE_NAME}") + self._nav()
                + f'<div class="main"><h1>{_e(name)}</h1>\n<div class="bio"><p>{_e(bio)}</p></div>\n'
                f'<div class="info">更新时间：{_e(written[0].published_raw)}</div>\n'
            )
            self._render_listing(path, head, written, summaries=True)
        by_day = sorted(self.articles, key=lambda a: a.published_at or "", reverse=True)
        head = (
            self._head(f"2026年11月稿件归档_{SITE_NAME}") + self._nav()
            + '<div class="main"><h1>2026年11月稿件归档</h1>\n'
        )
        self._render_listing("/archive/2026-11.html", head, by_day)

    def _render_listing(self, path: str, head: str, articles: list[DemoArticle], *,
                        summaries: bool = False) -> None:
        """An archive, tag or author listing, LISTING_PER_PAGE articles a page (``x.html``,
        ``x_2.html``, ...), as CMSs paginate them: a listing of the whole site on one page
        would grow with the site."""
        stem = path[:-len(".html")]
        pages = max(1, -(-len(articles) // LISTING_PER_PAGE))
        paths = [path] + [f"{stem}_{k}.html" for k in range(2, pages + 1)]
        for k, page_path in enumerate(paths):
            chunk = articles[k * LISTING_PER_PAGE:(k + 1) * LISTING_PER_PAGE]
            pager = ""
            if pages > 1:
                links = []
                if k > 0:
                    links.append(f'<a href="{paths[k - 1]}">上一页</a>')
                links += _page_numbers(paths, k)
                if k + 1 < pages:
                    links.append(f'<a href="{paths[k + 1]}">下一页</a>')
                pager = f'<div class="pages">{" ".join(links)}</div>\n'
            text = (head + self._list_items(chunk, summaries=summaries) + pager + "</div>\n"
                    + self._footer())
            self.pages[page_path] = Page(text.encode("utf-8"))

    def _render_misc(self) -> None:
        about = (
            self._head(f"关于我们_{SITE_NAME}") + self._nav()
            + '<div class="main"><h1>关于我们</h1>\n'
            f"<p>{SITE_NAME}是一家面向城市读者的综合性新闻网站，设有国内、社会、科技等频道，"
            "坚持真实、准确、及时的报道原则，致力于为读者提供有温度、有深度的本地新闻资讯。</p>\n"
            "<p>本网采编团队由数十名专业记者和编辑组成，常年深入基层一线采访，"
            "报道内容涵盖经济发展、民生服务、科技创新、文化旅游等多个领域。</p>\n"
            "<p>欢迎广大读者提供新闻线索，来信请注明联系方式，我们将在核实后及时回复。</p>\n"
            "</div>\n" + self._footer()
        )
        self.pages["/about.html"] = Page(about.encode("utf-8"))
        slow = (
            self._head(f"年度专题_{SITE_NAME}") + self._nav()
            + '<div class="main"><h1>年度专题</h1>\n' + self._list_items(self.articles[::3][:LISTING_PER_PAGE])
            + "</div>\n" + self._footer()
        )
        self.pages["/special/slow.html"] = Page(slow.encode("utf-8"), delay=self.slow_seconds)
        private = self._head("内部系统") + "<h1>采编系统</h1><p>仅限内部使用。</p></body></html>"
        self.pages["/private/internal.html"] = Page(private.encode("utf-8"))
        self.pages["/news/broken.htm"] = Page(b"<h1>500 Internal Server Error</h1>", status=500)
        self.pages["/news/empty.htm"] = Page(b"")
        self.pages["/data/latest.json"] = Page(
            b'{"latest": []}', content_type="application/json; charset=utf-8"
        )
        self.pages["/go/oldlink.htm"] = Page(b"", status=301, location=self.articles[5].path)
        self.pages["/go/partner"] = Page(
            b"", status=302, location=self.foreign_base_url + "/partner.html"
        )

    def _render_machine_files(self) -> None:
        b = self.base_url
        robots = (
            "User-agent: *\nDisallow: /private/\nDisallow: /_control/\n\n"
            f"Sitemap: {b}/sitemap.xml\n"
        )
        self.pages["/robots.txt"] = Page(robots.encode(), "text/plain; charset=utf-8")
        xml = "application/xml; charset=utf-8"
        index = (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
            f"<sitemap><loc>{b}/sitemap-news.xml</loc><lastmod>{self.now.isoformat()}</lastmod></sitemap>\n"
            f"<sitemap><loc>{b}/sitemap-pages.xml</loc></sitemap>\n</sitemapindex>\n"
        )
        self.pages["/sitemap.xml"] = Page(index.encode(), xml)
        recent = [a for a in self.articles if a.section != "keji"]
        news = "".join(
            f"<url><loc>{b}{a.path}</loc><news:news><news:publication>"
            f"<news:name>{SITE_NAME}</news:name><news:language>zh</news:language>"
            f"</news:publication><news:publication_date>{a.published_at}</news:publication_date>"
            f"<news:title>{_e(a.title)}</news:title></news:news></url>\n"
            for a in recent
        )
        self.pages["/sitemap-news.xml"] = Page(
            (
                '<?xml version="1.0" encoding="UTF-8"?>\n'
                '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
                'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">\n'
                + news + "</urlset>\n"
            ).encode(),
            xml,
        )
        others = [a for a in self.articles if a.section == "keji"]
        entries = "".join(
            f"<url><loc>{b}{a.path}</loc><lastmod>{a.published_at}</lastmod></url>\n"
            for a in others
        )
        entries += "".join(
            f"<url><loc>{b}{p}</loc><changefreq>daily</changefreq></url>\n"
            for s in self.sections for p in s.list_paths[:1]
        )
        entries += "".join(f"<url><loc>{b}{p}</loc></url>\n" for p in list(self.tags.values())[:3])
        self.pages["/sitemap-pages.xml"] = Page(
            (
                '<?xml version="1.0" encoding="UTF-8"?>\n'
                '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
                + entries + "</urlset>\n"
            ).encode(),
            xml,
        )
        by_date = sorted(self.articles, key=lambda a: a.published_at or "", reverse=True)
        items = "".join(
            f"<item><title>{_e(a.title)}</title><link>{b}{a.path}</link>"
            f"<guid>{b}{a.path}</guid><pubDate>{_rfc822(a.published_at)}</pubDate>"
            f"<description>{_e(a.story.summary)}</description></item>\n"
            for a in by_date
        )
        self.pages["/rss.xml"] = Page(
            (
                '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel>'
                f"<title>{SITE_NAME}</title><link>{b}/</link><description>最新稿件</description>\n"
                + items + "</channel></rss>\n"
            ).encode(),
            "application/rss+xml; charset=utf-8",
        )
        entries = "".join(
            f'<entry><title>{_e(a.title)}</title><link rel="alternate" href="{b}{a.path}"/>'
            f"<id>{b}{a.path}</id><updated>{a.published_at}</updated>"
            f"<published>{a.published_at}</published><summary>{_e(a.story.summary)}</summary></entry>\n"
            for a in by_date
        )
        self.pages["/atom.xml"] = Page(
            (
                '<?xml version="1.0" encoding="UTF-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">'
                f"<title>{SITE_NAME}</title><id>{b}/</id><updated>{self.now.isoformat()}</updated>"
                f'<link rel="self" href="{b}/atom.xml"/>\n' + entries + "</feed>\n"
            ).encode(),
            "application/atom+xml; charset=utf-8",
        )


def _rfc822(iso: str | None) -> str:
    if not iso:
        return ""
    from email.utils import format_datetime

    return format_datetime(datetime.fromisoformat(iso))
