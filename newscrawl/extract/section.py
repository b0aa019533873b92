"""Section (the breadcrumb, outermost first) and language."""

from __future__ import annotations

import html
import re

BREADCRUMB_LABEL_RX = re.compile(
    r"^(?:[您你]?的?(?:现在|当前|目前|所在)?的?(?:所在)?(?:位置|栏目(?=\s*[:：]))|you are here|du befindest dich hier|sie sind hier)\s*[:：]?\s*",
    re.I,
)
BREADCRUMB_SEP_RX = re.compile(r"\s*(?:>>|>|›|»|→|-->|＞|/|\|)\s*")
# Crumbs that are no section: the home page, the article itself.
NOT_SECTIONS = frozenset(
    ["首页", "主页", "网站首页", "返回首页", "正文", "正文内容", "内容", "详情", "文章", "home", "homepage", "startseite", "inicio", "accueil"]
)
BREADCRUMB_CLASS_RX = re.compile(r"bread|crumb|position|location|weizhi|daohang|curpos|nav-path|path", re.I)


def breadcrumb(text: str, *, title: str | None, site_name: str | None) -> list[str] | None:
    """["新闻", "国内"] from "您现在的位置:首页 > 新闻 > 国内 > 正文"; None if not a breadcrumb."""
    labelled = BREADCRUMB_LABEL_RX.match(text)
    rest = text[labelled.end():] if labelled else text
    if len(rest) > 160:
        return None
    crumbs = [c.strip() for c in BREADCRUMB_SEP_RX.split(rest)]
    crumbs = [c for c in crumbs if c]
    if not labelled and len(crumbs) < 2:
        return None
    if not labelled and not BREADCRUMB_SEP_RX.search(rest):
        return None
    out: list[str] = []
    for n, c in enumerate(crumbs):  # noqa: B007
        low = c.casefold()
        if low in NOT_SECTIONS or (site_name and low == site_name.casefold()) or low.endswith("首页"):
            continue
        if not out and n < len(crumbs) - 1 and re.search(r"网$|\.(?:com|cn|net)$", c):
            continue  # the site's own name before its channels
        if title and (c == title or c in title and len(c) > 12):
            continue
        if len(c) > 24 or c in out:
            return None if not labelled else out or None
        out.append(c)
    return out or None


_CJK_RX = re.compile(r"[\u4e00-\u9fff]")
_KANA_RX = re.compile(r"[\u3040-\u30ff]")
_HANGUL_RX = re.compile(r"[\uac00-\ud7af]")
_CYRILLIC_RX = re.compile(r"[\u0400-\u04ff]")
_ARABIC_RX = re.compile(r"[\u0600-\u06ff]")


def detect_script_language(text: str) -> str | None:
    """A language told by its script alone (zh, ja, ko, ru, ar); None for Latin text."""
    sample = text[:3000]
    if not sample:
        return None
    n = len(sample)
    kana = len(_KANA_RX.findall(sample))
    if kana > n * 0.05:
        return "ja"
    if len(_HANGUL_RX.findall(sample)) > n * 0.2:
        return "ko"
    if len(_CJK_RX.findall(sample)) > n * 0.2:
        return "zh"
    if len(_CYRILLIC_RX.findall(sample)) > n * 0.3:
        return "ru"
    if len(_ARABIC_RX.findall(sample)) > n * 0.3:
        return "ar"
    return None


def normalise_language(value: str | None) -> str | None:
    """"zh_CN" -> "zh-CN", "EN" -> "en"; None for junk."""
    if not value:
        return None
    value = value.strip().replace("_", "-")
    m = re.fullmatch(r"([A-Za-z]{2,3})(?:-([A-Za-z]{2,4}|\d{3}))?(?:-.*)?", value)
    if not m:
        return None
    lang = m.group(1).lower()
    region = m.group(2)
    if region:
        region = region.upper() if len(region) == 2 else region.title()
        return f"{lang}-{region}"
    return lang


def choose_language(declared: str | None, text: str) -> str | None:
    """The declared language unless the text's script plainly says otherwise."""
    declared = normalise_language(declared)
    detected = detect_script_language(text)
    if declared and (detected is None or declared.split("-")[0] == detected):
        return declared
    if detected:
        return detected
    return declared


def tidy_crumbs(names: list[str], *, title: str | None, site_name: str | None) -> list[str]:
    """JSON-LD breadcrumb names: entities decoded, home, site and the article itself dropped."""
    out: list[str] = []
    folded_title = (title or "").casefold()
    for name in names:
        name = " ".join(html.unescape(name).split())
        low = name.casefold()
        if not name or low in NOT_SECTIONS or low.endswith("首页") or name in out:
            continue
        if site_name and (low == site_name.casefold() or html.unescape(site_name).casefold() in low):
            continue
        if folded_title and (low == folded_title or low in folded_title and len(low) > 12 or folded_title in low):
            continue
        out.append(name)
    return out[:6]
