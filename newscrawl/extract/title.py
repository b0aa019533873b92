"""The headline: not the document <title> with the site glued on.

Candidates are compared with each other: the headline is the text that the page shows
as a line of its own (usually in <h1>) and that the <title> / og:title / JSON-LD headline
start with or contain. Where no candidate is shown, the <title> loses its site and channel
segments ("headline_栏目_站名", "headline - Site", "Site | headline").
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from functools import lru_cache
from typing import Any

import lxml.html

from newscrawl.extract import dates
from newscrawl.extract.pagetext import Line, element_text
from newscrawl.extract.structured import ld_text as _ld_text

# Separators between a headline and the site/channel names in a <title>.
SEPARATOR_RX = re.compile(r"\s*(?:_{1,2}|\s\|\s|\||｜|\s[-–—]{1,2}\s|--|-{1,2}(?=[^\W\d])|::|»|\s·\s)\s*")
# Words that mark a segment as the site or a channel, not the headline.
SITE_WORDS_RX = re.compile(
    r"(?:网|频道|首页|官网|官方网站|门户|在线|新闻|资讯|报|客户端|中心|平台|专栏|栏目|"
    r"news|online|times|post|daily|\.com|\.cn|\.net|\.org)$",
    re.I,
)
META_TITLE_KEYS = ("og:title", "twitter:title", "title", "headline", "dc.title")
HEADER_LINES_AFTER = 10  # lines under the headline that hold its date, source, byline
HEADER_LINES_BEFORE = 3
MIN_TITLE_CHARS = 4
MAX_TITLE_CHARS = 400
MAX_SEGMENTS = 8
SURE = 4  # a displayed headline this sure beats a <title> that matches nothing on the page


_QUOTES = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "„": '"', "«": '"', "»": '"'})


_SPACES = re.compile(r"\s+")


@lru_cache(maxsize=8192)  # the same candidates and lines are folded many times a page
def _fold(text: str) -> str:
    return _SPACES.sub(" ", unicodedata.normalize("NFKC", text)).strip().casefold().translate(_QUOTES)


def segments(title: str) -> list[str]:
    """The title's pieces between separators, each contiguous run joined back as written."""
    cuts = [(m.start(), m.end()) for m in SEPARATOR_RX.finditer(title) if m.start() > 0 and m.end() < len(title)]
    if not cuts:
        return [title.strip()]
    bounds = [0] + [c for pair in cuts for c in pair] + [len(title)]
    pieces = [(bounds[i], bounds[i + 1]) for i in range(0, len(bounds), 2)][:MAX_SEGMENTS]
    runs = []
    for i in range(len(pieces)):
        for j in range(i, len(pieces)):
            text = title[pieces[i][0]: pieces[j][1]].strip()
            if text:
                runs.append(text)
    return runs


def looks_like_site(segment: str, *, site_name: str | None, host: str | None) -> bool:
    seg = _fold(segment)
    if not seg:
        return True
    if site_name and (seg == _fold(site_name) or _fold(site_name) in seg and len(seg) <= len(site_name) + 6):
        return True
    if host:
        labels = [x for x in host.lower().split(".") if x not in ("www", "com", "cn", "net", "org", "news")]
        # The host's name in a short segment ("example.ru", "Example Online"); a headline that
        # merely mentions the site ("… according to Example.ru") is longer than a name.
        if any(len(x) >= 3 and x in seg.replace(" ", "") and len(seg) <= len(x) + 16 for x in labels):
            return True
    return bool(SITE_WORDS_RX.search(seg)) and len(seg) <= 16


def clean_title(title: str, *, site_name: str | None, host: str | None) -> str:
    """The headline segment of a <title>: the longest segment that is not a site name."""
    pieces = [p.strip() for p in SEPARATOR_RX.split(title) if p.strip()]
    if len(pieces) <= 1:
        return title.strip()
    keep = [p for p in pieces if not looks_like_site(p, site_name=site_name, host=host)]
    if not keep:
        return pieces[0]
    # The headline is usually first; a later, much longer piece is the headline after a site name.
    first = keep[0]
    longest = max(keep, key=len)
    return longest if len(longest) > 2 * len(first) else first


def choose_title(*args: object, **kwargs: object) -> str | None:
    """The headline, spaces folded (see :func:`_choose_title`), spelt as :func:`_spelling` says."""
    chosen = _choose_title(*args, **kwargs)  # type: ignore[arg-type]
    if not chosen:
        return None
    headings = [h for h in kwargs.get("headings") or [] if isinstance(h, str)]  # type: ignore[attr-defined]
    metas = [t for t in kwargs.get("meta_titles") or [] if isinstance(t, str)]  # type: ignore[attr-defined]
    return " ".join(_spelling(chosen, headings, metas).split())


_TYPOGRAPHIC_QUOTES = frozenset("’‘“”„«»")
_SEPARATORS_RX = re.compile(r"\s*[|｜]\s*|\s+")


def _spelling(chosen: str, headings: list[str], metas: list[str]) -> str:
    """The chosen headline as the candidate that says the same text with the fewest
    typographic quotes, a headline element before a meta title.

    An SEO layer or typography filter writes og:title or the heading with curly quotes
    ("Mexico’s") where the other keeps the author's straight ones; a meta title may also
    drop a ``|`` that the displayed headline holds ("A | B"): the heading keeps it.
    """
    def key(text: str) -> str:
        return _SEPARATORS_RX.sub("", _fold(text))

    target = key(chosen)
    same = [(sum(c in _TYPOGRAPHIC_QUOTES for c in h), 0, h) for h in headings if key(h) == target]
    same += [(sum(c in _TYPOGRAPHIC_QUOTES for c in t), 1, t) for t in metas if key(t) == target]
    same.append((sum(c in _TYPOGRAPHIC_QUOTES for c in chosen), 2, chosen))
    return min(same, key=lambda x: (x[0], x[1]))[2]


def _choose_title(
    *,
    doc_title: str | None,
    meta_titles: list[str],
    headings: list[str],
    shown: list[str],
    site_name: str | None,
    host: str | None,
    displayed: Callable[[], tuple[str, int] | None] | None = None,
) -> str | None:
    """The headline.

    ``headings`` are h1/h2 texts in page order, ``shown`` the page's lines of text in order,
    ``displayed`` finds the best headline-looking line of the page and how sure that is (see
    :func:`displayed_headline`), for pages whose <title> names only the site.
    """
    # A <title> left open swallows the page: no headline is that long.
    titles = [t for t in [*meta_titles, doc_title or ""] if t and t.strip() and len(t) <= MAX_TITLE_CHARS]
    headings = [h for h in headings if len(h) <= MAX_TITLE_CHARS]
    folded_titles = [_fold(t) for t in titles]
    runs_by_title = [segments(t) for t in titles]
    # Only lines about as long as some run of a title can be it: fold just those (folding
    # is the cost; a page has thousands of lines).
    sizes = {len(run) + d for runs in runs_by_title for run in runs for d in range(-3, 4)}
    folded_shown = {_fold(s) for s in shown if len(s) in sizes}
    # A headline broken over two lines (title, then "——subtitle") is shown as the pair.
    shown_pairs = {
        (_fold(a) + _fold(b)).replace(" ", "")
        for a, b in zip(shown, shown[1:], strict=False)
        if len(a) + len(b) in sizes
    }
    found: list[tuple[int, int, str]] = []  # (rank, -length, text)
    # A heading that a title contains (or that contains a title): the headline as displayed.
    for order, heading in enumerate(headings):
        h = _fold(heading)
        if len(h) < MIN_TITLE_CHARS or looks_like_site(heading, site_name=site_name, host=host):
            continue
        if any(h in t for t in folded_titles):
            found.append((1, -len(h), heading.strip()))
            continue
        # A heading with a kicker ("Opinion Why …") holds the stated title: take that.
        # So does one whose <title> adds the site ("Headline | Site"): the title's runs count.
        kicked = [(t, original) for t, original in zip(folded_titles, titles, strict=True)]
        kicked += [(_fold(run), run) for runs in runs_by_title for run in runs
                   if not looks_like_site(run, site_name=site_name, host=host)]
        for t, original in kicked:
            if len(t) >= MIN_TITLE_CHARS and t in h and len(t) >= 0.6 * len(h):
                found.append((1, -len(t), original.strip()))
                break
        else:
            if order == 0 and not titles:
                found.append((3, -len(h), heading.strip()))
    # A run of title segments that the page shows as a line of its own.
    for title, runs in zip(titles, runs_by_title, strict=True):
        shown_runs = []
        for run in runs:
            f = _fold(run)
            if len(f) < MIN_TITLE_CHARS:
                continue
            if f not in folded_shown and f.replace(" ", "") not in shown_pairs:
                continue
            if len(runs) > 1 and (
                _ends_with_site(run, title, site_name=site_name, host=host)
                or looks_like_site(run, site_name=site_name, host=host)
            ):
                continue
            shown_runs.append(run)
        rank = 0 if title in meta_titles else 2  # og:title's spelling over the heading's
        for run in shown_runs:
            if not any(_extends(run, other) for other in shown_runs):
                found.append((rank, -len(_fold(run)), run))
    if found:
        found.sort(key=lambda x: (x[1], x[0]))
        best = found[0][2]
        # A <title> shown whole as a line ("Site » Blog » Headline") loses to the heading
        # that holds just its headline part.
        for rank, _, text in found:
            if rank == 1 and text != best and text in best and SEPARATOR_RX.search(best.replace(text, "\0")):
                best = text
                break
        # Two shown runs that split one <title> ("Headline – Site Name", both on the page):
        # the leading one, shown as a heading, is the headline unless the trailing one (not
        # a heading) is much longer, as in clean_title. Without this the longer site name
        # wins when no URL names the site.
        if not any(rank == 1 and text == best for rank, _, text in found):
            best = _leading_run(best, [text for rank, _, text in found if rank == 1], titles)
        # A short run of the <title> (a column or a blog's name) loses to a headline the
        # page plainly displays under its dateline.
        if len(_fold(best)) < 8 and displayed:
            shown_headline = displayed()
            if shown_headline and shown_headline[1] >= SURE + 2:
                return shown_headline[0]
        return best
    shown_headline = displayed() if displayed else None
    if shown_headline and shown_headline[1] >= SURE:
        return shown_headline[0]
    for title in titles:
        cleaned = clean_title(title, site_name=site_name, host=host)
        if len(_fold(cleaned)) >= MIN_TITLE_CHARS and not looks_like_site(cleaned, site_name=site_name, host=host):
            return cleaned
    if shown_headline:
        return shown_headline[0]
    for title in titles:
        cleaned = clean_title(title, site_name=site_name, host=host)
        if len(_fold(cleaned)) >= 2:
            return cleaned
    for heading in headings:
        if len(_fold(heading)) >= MIN_TITLE_CHARS:
            return heading.strip()
    return None


def _extends(run: str, shorter: str) -> bool:
    """True when ``run`` is ``shorter`` plus a short segment (a channel or site name)."""
    if run == shorter or not run.startswith(shorter) and not run.endswith(shorter):
        return False
    extra = run[len(shorter):] if run.startswith(shorter) else run[: len(run) - len(shorter)]
    return bool(SEPARATOR_RX.match(extra) or SEPARATOR_RX.search(extra)) and len(extra.strip()) <= 16


def _ends_with_site(run: str, title: str, *, site_name: str | None, host: str | None) -> bool:
    """True when ``run`` keeps a trailing or leading site/channel segment of ``title``."""
    pieces = [p.strip() for p in SEPARATOR_RX.split(run) if p.strip()]
    if len(pieces) <= 1:
        return False
    return looks_like_site(pieces[-1], site_name=site_name, host=host) or looks_like_site(
        pieces[0], site_name=site_name, host=host)


def _leading_run(best: str, candidates: list[str], titles: list[str]) -> str:
    """The candidate that opens a <title> whose closing segment is ``best``, if one does
    and ``best`` is not much longer (a site name after the headline)."""
    folded_best = _fold(best)
    for title in titles:
        folded = _fold(title)
        if not folded.endswith(folded_best) or folded == folded_best:
            continue
        if not SEPARATOR_RX.search(title[: len(title) - len(best)][-6:] + "\0"):
            continue
        for text in candidates:
            lead = _fold(text)
            if text != best and folded.startswith(lead) and len(folded_best) <= 2 * len(lead) and (
                    SEPARATOR_RX.match(folded[len(lead):])):
                return text
    return best


def read_title(tree: lxml.html.HtmlElement, lines: list[Line], *, meta: dict[str, list[str]],
               ld: dict[str, Any], site_name: str | None, host: str | None) -> str | None:
    """The headline from the page's candidates: its headings and lines, the JSON-LD headline,
    og:title and the other title metas, and the document <title>."""
    title_el = tree.find(".//title")
    doc_title = element_text(title_el) if title_el is not None else None
    ld_headline = ld.get("headline")
    meta_titles = [t for t in (_ld_text(ld_headline), *(meta.get(k, [None])[0] for k in META_TITLE_KEYS)) if t]
    headings = [line.text for line in lines if line.heading in ("h1", "h2")][:12]
    shown = [line.text for line in lines if len(line.text) <= 200]
    return choose_title(doc_title=doc_title, meta_titles=meta_titles, headings=headings,
                        shown=shown, site_name=site_name, host=host,
                        displayed=lambda: displayed_headline(lines, site_name, host))


# "tit" as a word of its own: templates abbreviate title ("art_tit", "news-tit", "tit1").
TITLE_CLASS_RX = re.compile(r"title|headline|biaoti|heading|subject|topic|(?<![a-z])tit(?![a-z])", re.I)
NOT_TITLE_CLASS_RX = re.compile(r"sub-?title|list|nav|menu|side|related|hot|foot|logo", re.I)
CREDIT_HINT_RX = re.compile(r"来源|作者|编辑|发布|时间|日期|记者|by\s", re.I)


def displayed_headline(lines: list[Line], site_name: str | None, host: str | None) -> tuple[str, int] | None:
    """The line that looks most like a headline, and a score of how much it does.

    For pages whose <title> names only the site: a heading, or a block whose class says
    title, with the dateline or credit line right under it.
    """
    best: tuple[str, int] | None = None
    for i, line in enumerate(lines[:1500]):
        text = line.text
        if not 5 <= len(text) <= 120:
            continue
        score = 0
        if line.heading == "h1":
            score += 2
        elif line.heading:
            score += 1
        el = line.element
        names = " ".join(filter(None, (el.get("class"), el.get("id"))))
        parent = el.getparent()
        if parent is not None:
            names += " " + " ".join(filter(None, (parent.get("class"), parent.get("id"))))
        titled = TITLE_CLASS_RX.search(names) and not NOT_TITLE_CLASS_RX.search(names)
        if titled or (i < 60 and len(text) <= 50 and _emphasised(el, text)):
            score += 2
        if score == 0:
            continue
        for nxt in lines[i + 1: i + 4]:
            if len(nxt.text) <= 200 and (dates.find_absolute(nxt.text) or CREDIT_HINT_RX.search(nxt.text)):
                score += 3
                break
        if len(text) >= 8:
            score += 1
        if looks_like_site(text, site_name=site_name, host=host):
            continue
        if best is None or score > best[1]:
            best = (text, score)
    return best


def _emphasised(el: lxml.html.HtmlElement, text: str) -> bool:
    """A block whose whole text is set in <strong>/<b>/<font>: an old page's headline."""
    if len(el) > 3:
        return False
    children = [c for c in el if isinstance(c.tag, str)]
    if len(children) != 1 or children[0].tag not in ("strong", "b", "font", "big"):
        return False
    return len(children[0].text_content().strip()) >= len(text) - 2


def headline_index(lines: list[Line], headline: str | None) -> int | None:
    if not headline:
        return None
    target = _fold(headline)
    size = len(headline)
    first_equal = None
    for i, line in enumerate(lines):
        if abs(len(line.text) - size) > 3 or _fold(line.text) != target:
            continue
        if line.heading:
            return i
        if first_equal is None:
            first_equal = i
    if first_equal is not None:
        return first_equal
    for i, line in enumerate(lines):
        if size <= len(line.text) <= size + 20 and target in _fold(line.text):
            return i
    return None


def header_window(lines: list[Line], at: int | None) -> list[int]:
    """Line numbers near the headline: under it first, then above it."""
    if at is None:
        return []
    after = list(range(at + 1, min(len(lines), at + 1 + HEADER_LINES_AFTER)))
    before = list(range(at - 1, max(-1, at - 1 - HEADER_LINES_BEFORE), -1))
    return after + before
