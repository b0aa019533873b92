"""Boilerplate as named data: what a news page wraps around its article.

Three kinds of data, all used by :mod:`newscrawl.extract.body`:

* ``LINE_PATTERNS``: regexes of a whole text block (a paragraph, a line) that is furniture,
  not article text: disclaimers, share bars, prev/next links, "related news" headings,
  comment prompts, breadcrumbs, ad labels, copyright footers. A matching block is dropped
  wherever it is. Each pattern is anchored to the kind of short line it describes, so a
  long article paragraph that merely mentions the words survives.
* ``SECTION_MARKERS``: headings that open a block of furniture after the article
  (相关新闻, 上一篇, "Related articles", ...). Once the article's text has started, the
  body ends at such a heading.
* ``NOISE_TOKENS`` / ``NOISE_PREFIXES`` / ``CONTENT_TOKENS``: words in class and id
  attributes that mark a container as furniture (share bars, comment boxes, related
  lists, sidebars ...) or as the article itself. Pinyin names that Chinese templates use
  (tuijian, pinglun, fenxiang, xiangguan ...) are included.

A site profile adds its own patterns (``ExtractProfile.drop_text`` / ``drop_selectors``).
"""

from __future__ import annotations

import logging
import re
from functools import lru_cache
from typing import Final

from newscrawl.extract.dates import MONTH_NAME

log = logging.getLogger(__name__)

# Separators that appear around labels: ASCII/full-width colon, brackets, spaces, bullets.
_SEP = r"[\s:：|｜/·•\-—_>»«【】\[\]()（）<>《》]*"


def _line(*alternatives: str, tail: str = r".{0,40}") -> str:
    """A block that starts (after separators) with one of the alternatives as a whole
    word ("Share", not "Shares of Apple …") and is short."""
    return rf"^{_SEP}(?:{'|'.join(alternatives)})(?![a-zà-öø-ÿ]){tail}$"


# Name -> regex source. Matched case-insensitively against a block's whitespace-normalised
# text with ``re.search``; a block matching any of them is dropped.
LINE_PATTERNS: Final[dict[str, str]] = {
    # Disclaimers and copyright notices (they can run to a few sentences).
    "disclaimer_reprint": r"凡本网注明|凡本站注明|凡注明[“\"]?来源|均转载自其它媒体|转载目的在于传递更多信息",
    "disclaimer_label": _line(r"免责声明", r"版权声明", r"郑重声明", r"特别声明", r"反侵权公告", r"法律声明", r"版权说明",
                              tail=r".{0,400}"),
    "disclaimer_reprint_notice": r"转载请注明|转载[^。，,]{0,8}(?:务必|须|需|请)注明|未经授权[,，]?\s*(?:不得|禁止|严禁)转载|(?:禁止|严禁|谢绝)(?:任何)?(?:转载|转帖)|如需转载"
                                 # Japanese and Korean: "無断転載を禁じます", "무단전재 및 재배포 금지"
                                 r"|無断(?:転載|複製|転用)|무단\s?전재|재배포\s?금지",
    "disclaimer_opinion": r"(?:本文|文章|该文)(?:观点|内容)?仅代表作者(?:本人)?(?:个人)?(?:观点|立场)?|不代表本(?:网|站|平台)(?:的)?(?:观点|立场)",
    "disclaimer_platform": r"(?:本|该)平台仅提供信息存储(?:空间)?服务|系信息发布平台|用户上传并发布",
    "disclaimer_takedown": r"如(?:有|涉及)(?:侵权|版权问题)[,，]?\s*请(?:与我们)?联系|版权归原作者所有",
    "copyright_footer": _line(
        r"copyright", r"©", r"\(c\)\s*\d{4}", r"版权所有", r"all rights reserved", tail=r".{0,160}"
    ),
    "icp_licence": r"icp(?:备|证)|公网安备|增值电信业务经营许可证|互联网新闻信息服务许可证",
    "rights_reserved": r"all rights reserved|版权所有\s*[©(（]?",
    # Share bars, print/close/font-size tools.
    "share_bar": _line(
        r"分享到", r"分享至", r"一键分享", r"分享本文", r"分享：", r"share(?: this)?(?: article| story| on)?",
        r"teilen", r"partager", r"compartir",
        tail=r".{0,60}",
    ),
    "share_scan": _line(r"微信扫一扫", r"扫一扫", r"扫描二维码", r"用微信扫描", r"打开微信", tail=r".{0,40}"),
    "page_tools": _line(
        r"【?\s*字号", r"字体[:：]?\s*[大中小]", r"\[?\s*打印(?:本页|文章|此文)?\s*\]?", r"【?\s*关闭(?:窗口)?",
        r"【?\s*收藏(?:本文|此文)?", r"[【\[]?\s*(?:我要)?纠错", r"【?\s*推荐给朋友", r"print(?: this)?(?: article| page)?", r"email(?: this)?",
        r"font size", r"text size",
        tail=r".{0,30}",
    ),
    "toolbar_words": r"^(?:[【\[]?\s*(?:打印|关闭|收藏|分享|纠错|返回顶部|字号|大|中|小|默认|放大|缩小|复制链接|手机看|扫码阅读|a\+|a-)\s*[】\]]?\s*[|｜/]?\s*){2,}$",
    "ui_words": r"^(?:关注|已关注|\+\s*关注|举报|不喜欢|点赞|赞|收藏|评论|转发|分享|复制|下载|展开|收起|展开全文|阅读全文|查看全文|查看更多|加载更多|更多|"
                r"减少或屏蔽此类内容推荐|已标记为不喜欢内容.*|文档附件|附件|follow|like|reply|load more|show more|see more|view more|expand|collapse|"
                r"caption|close|back to gallery|view gallery|enlarge|toggle caption|hide caption)$",
    # Previous / next links.
    "prev_next": _line(
        r"(?:上一篇|下一篇|上一条|下一条|上一页|下一页|上篇|下篇)(?![\u4e00-\u9fff])",
        r"previous(?: article| post| story)?", r"next(?: article| post| story)",
        r"vorheriger artikel", r"nächster artikel",
        tail=r".{0,80}",
    ),
    "back_to": _line(r"返回(?:顶部|首页|列表|上页|目录)", r"回到顶部", r"back to top", r"top of page", tail=r".{0,10}"),
    # Related / recommended / hot lists (the heading lines).
    "related": _line(
        r"相关(?:新闻|阅读|文章|链接|报道|推荐|资讯|内容|专题|稿件)", r"延伸阅读", r"扩展阅读", r"拓展阅读",
        tail=r".{0,20}",
    )
    + "|"
    + _line(
        r"related(?: articles?| stories| news| posts| content| coverage| topics)?", r"more (?:stories|news)",
        r"more (?:from|on|about) .{1,40}", r"read more", r"see also", r"further reading", r"mehr zum thema",
        r"mehr aus .{1,40}", r"weitere artikel", r"weitere themen", r"zum weiterlesen", r"lesen sie auch",
        r"auch interessant", r"das könnte sie auch interessieren", r"top[- ]?themen(?: .{1,30})?", r"top stories",
        r"lire aussi", r"à lire aussi", r"leer más", r"te puede interesar",
        # "Read more: …" with the linked headline on the same line
        tail=r"(?:\s*[:：].{0,120}|\s*)",
    ),
    "hot": _line(
        r"热文推荐", r"热点(?:推荐|新闻|文章|资讯|排行)", r"热门(?:文章|新闻|推荐|资讯|阅读|标签)", r"推荐阅读", r"精彩推荐",
        r"编辑推荐", r"猜你喜欢", r"你可能(?:还)?(?:会)?(?:喜欢|感兴趣)", r"为你推荐", r"今日推荐", r"点击排行",
        r"阅读排行", r"排行榜", r"最新(?:文章|新闻|资讯)", r"图片新闻", r"专题推荐",
        tail=r".{0,20}",
    )
    + "|"
    + _line(
        r"most (?:read|popular|viewed|shared)", r"trending(?: now| stories)?", r"popular(?: now| stories)?",
        r"recommended(?: for you| stories)?", r"you (?:may|might) also like", r"editor'?s picks?",
        tail=r"\s*[:：]?\s*",
    ),
    # Comment boxes.
    "comments": _line(
        r"发表评论", r"网友评论", r"我要评论", r"评论区", r"查看评论", r"参与评论", r"已有\s*\d+\s*(?:人|条)",
        r"共\s*\d+\s*条评论", r"\d+\s*条评论", r"请(?:先)?登录后(?:发表)?评论", r"文明上网", r"评论\s*\d*$",
        r"comments?(?: \(\d+\))?$", r"leave a (?:comment|reply)", r"post a comment", r"\d+ comments?",
        r"join the (?:conversation|discussion)", r"kommentare?", r"commentaires?", r"comentarios?",
        tail=r".{0,40}",
    ),
    # Navigation and breadcrumbs.
    "breadcrumb": _line(r"您(?:现在)?的?位置", r"当前位置", r"所在位置", r"you are here", tail=r".{0,120}"),
    "breadcrumb_trail": r"^(?:首页|主页|网站首页|home)\s*(?:>|&gt;|»|›|/|→)\s*\S",
    # Ads and sponsored labels.
    "advertisement": _line(
        r"广告", r"推广", r"赞助", r"advertisement", r"sponsored(?: content)?", r"anzeige", r"werbung", r"publicité",
        r"publicidad",
        tail=r"\s*\d{0,2}",
    ),
    # App / subscription / follow prompts.
    "follow_prompt": _line(
        r"(?:欢迎)?关注(?:我们的)?(?:官方)?(?:微信|微博)(?:公众号)?", r"下载(?:\S{0,6})?客户端", r"点击(?:上方|下方|关注)",
        r"subscribe to", r"sign up for", r"follow us", r"join us on", r"download (?:the|our) app",
        r"get the latest .{0,60}(?:to your (?:phone|inbox)|on whatsapp)",
        tail=r".{0,60}",
    ),
    # Sign-up small print.
    "signup_small_print": r"^(?=.{0,400}$).*(?:(?:read|see|view) our privacy|by (?:signing up|subscribing|registering|clicking)\b)",
    # Photo credits printed as a line of their own.
    "photo_credit": _line(
        r"图片来源", r"图源", r"图片", r"摄影", r"供图", r"photos?", r"fotos?", r"bild", r"images?", r"credits?",
        r"crédit", r"getty images", r"reuters", r"ap photo",
        tail=r"\s*(?:[:：/|]\s*.{0,60})?",
    ),
    # A caption credited in parentheses at its end, "… (Image: Getty)", and a bare credit
    # line naming a photo agency, "Mike Marsland/Getty Images".
    "credited_caption": r"[(（\[]\s*(?:images?|photos?|pictures?|fotos?|bild|foto\s*:\s*\w+|图|图片|摄影?|供图)\s*[:：].{1,60}[)）\]]$",
    "agency_credit": r"^(?=.{0,100}$).*(?:/|\||\bvia\s|©\s?)\s*(?:getty images|reuters|afp|ap(?: photo)?|epa(?:-efe)?|shutterstock|alamy|dpa|imago(?: images)?|picture alliance|xinhua|新华社|视觉中国|istock(?:photo)?)$",
    # End marks of wire copy.
    "end_mark": r"^[（(【\[—–-]*\s*(?:完|终|end|ende|fin)\s*[）)】\]—–-]*$",
    # Ad slot notices and click prompts.
    "ad_slot": r"^(?=.{0,100}$).*(?:advertisement|werbung|anzeige|广告)\b.*(?:loaded|continues|below|weiter|unten)|^story continues below",
    "click_prompt": _line(r"click here", r"klicken sie hier", r"点击(?:这里|此处)", r"点此", tail=r".{0,60}"),
    # Reading time and relative update stamps.
    "reading_time": r"^(?:约\s*)?\d+\s*(?:min(?:ute)?s?|分钟)\s*(?:read|阅读|读完|de lectura|lesezeit|de lecture)?$|^(?:lesezeit|reading time)[:：]?\s*\d+",
    "relative_stamp": _line(r"(?:last )?updated", r"published", r"aktualisiert", r"更新于", r"发布于", tail=r"\s*\d+\s*(?:seconds?|minutes?|mins?|hours?|days?|weeks?|秒|分钟|小时|天|周)\s*(?:ago|前)?"),
    "relative_time": r"^\d+\s*(?:seconds?|minutes?|mins?|hours?|days?|秒|分钟|小时|天)\s*(?:ago|前)$",
    # A bare e-mail address or web address (an author's contact line).
    "contact_only": r"^(?:[\w.+-]+@[a-z0-9-]+(?:\.[a-z0-9-]+)+|(?:https?://)?[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}(?:/[\x21-\x7e]*)?)$",
    # Tag lines: the metadata has read the tags from the page.
    "tags_line": _line(r"标签", r"关键字", r"关键词", r"(?:相关)?热词(?:搜索)?", r"tags?", r"schlagw(?:ö|oe)rter", r"etiquetas", r"mots-clés",
                       tail=r"\s*[:：]\s*.{0,120}"),
    # Where the poster was (IP location lines of self-media platforms).
    "poster_location": _line(
        r"发布于", r"ip属地", tail=r"[:：\s]*[\u4e00-\u9fff]{2,8}"
    ) + r"|^来自[\u4e00-\u9fff]{2,3}[省市]?$",
    # Media-player furniture: time codes, speeds, percentages.
    "player_readout": r"^[\d\s:./%×xX+-]+$",
    "player_controls": _line(r"播报文章", r"语音播报", r"停止播报", r"(?:正在)?为您(?:切换|播放)", r"播放速度", r"倍速", r"循环播放",
                             r"跳过片头", r"当前视频播放失败", r"错误代码", r"now playing", tail=r".{0,30}"),
    # Newsletter prompts: a short line asking to subscribe.
    "newsletter_prompt": r"^(?=.{0,200}$).*(?:newsletter.*(?:subscribe|sign up|abonnier|anmeld|inscri|suscr)|(?:subscribe|sign up|abonnier|anmeld|inscri|suscr).*newsletter)",
    # An item labelled as an ad: "[Werbung] …", "【广告】…".
    "ad_label": r"^[\[【(（]\s*(?:werbung|anzeige|advertisement|sponsored|ad|广告|推广)\s*[\]】)）]",
    # Counters and UI labels that sit in the article header.
    "view_counter": _line(r"(?:浏览|阅读|点击)(?:次数|量|数)?\s*[:：]?\s*\d*\s*(?:次)?$", tail=r""),
}

# Short headings after which everything is furniture (related lists, comments, prev/next).
SECTION_MARKERS: Final[dict[str, str]] = {
    "related": _line(
        r"相关(?:新闻|阅读|文章|链接|报道|推荐|资讯|内容|专题|稿件)", r"延伸阅读", r"扩展阅读",
        tail=r".{0,12}",
    )
    + "|"
    + _line(
        r"related(?: articles?| stories| news| posts| content| coverage)?", r"more (?:stories|news)",
        r"more (?:from|on|about) .{1,40}", r"read more", r"further reading", r"mehr zum thema", r"mehr aus .{1,40}",
        r"weitere artikel", r"weitere themen", r"zum weiterlesen", r"lesen sie auch", r"top[- ]?themen(?: .{1,30})?",
        r"top stories", r"lire aussi", r"te puede interesar",
        tail=r"\s*[:：]?\s*",
    ),
    "hot": _line(
        r"热文推荐", r"热点(?:推荐|新闻|文章)", r"热门(?:文章|新闻|推荐)", r"推荐阅读", r"精彩推荐", r"编辑推荐",
        r"猜你喜欢", r"点击排行", r"阅读排行", r"most (?:read|popular|viewed)", r"recommended(?: for you)?",
        r"you (?:may|might) also like",
        tail=r".{0,12}",
    ),
    "prev_next": _line(r"(?:上一篇|下一篇|上一条|下一条)(?![\u4e00-\u9fff])", tail=r".{0,80}"),
    "disclaimer": _line(r"免责声明", r"版权声明", r"反侵权公告", r"法律声明", r"disclaimer", tail=r"[:：]?"),
    "comments": _line(
        r"发表评论", r"网友评论", r"我要评论", r"评论区", r"全部评论", r"最新评论", r"热门评论",
        r"评论\s*[(（]?\d*[)）]?$", r"\d+\s*条评论", r"comments?\s*\(?\d*\)?$", r"leave a (?:comment|reply)",
        tail=r".{0,12}",
    ),
}

# class/id words of furniture containers. Matched against the words of a class or id
# value split at punctuation, digits and camelCase humps ("relatedNews" -> related, news).
NOISE_TOKENS: Final[frozenset[str]] = frozenset(
    {
        # comments
        "comment", "comments", "cmt", "cmts", "cmmt", "cmmts", "disqus", "reply", "replies",
        "pinglun",
        # share / social / tools
        "share", "sharing", "sharebar", "sns", "fenxiang", "bdshare", "jiathis", "fontsize",
        "zihao",
        # related / recommendations
        "related", "relate", "xiangguan", "xgxw", "xgwz", "recommend", "recommended",
        "recommendation", "tuijian", "readmore", "morenews", "outbrain", "taboola",
        # navigation
        "nav", "navbar", "navigation", "breadcrumb", "breadcrumbs", "crumb", "crumbs", "daohang",
        "pagination", "pager", "prevnext", "skip",
        # layout furniture
        "sidebar", "aside", "rightbar", "leftbar", "footer",
        # ads
        "ad", "ads", "advert", "advertisement", "adsense", "sponsor", "sponsored", "promo",
        "guanggao",
        # legal
        "copyright", "banquan", "disclaimer", "mianze", "icp",
        # prompts and players
        "subscribe", "newsletter", "signup", "login", "register", "popup", "modal", "cookie",
        "consent", "qrcode", "erweima", "playlist", "videoplayer", "audioplayer", "jwplayer", "vjs",
        # author boxes and bylines (the metadata reads them from the page)
        "byline", "bio", "biography", "authorbio", "author", "authors",
        # image captions and photo credits (the body is the article's prose)
        "caption", "captions", "credit", "credits",
    }
)
# Weaker words: a container named so is furniture only when it holds a small part of the
# page's prose (layouts name wide wrappers "side-rail", "hot-area", "header-wrap" ...).
WEAK_NOISE_TOKENS: Final[frozenset[str]] = frozenset(
    {
        "side", "rail", "header", "foot", "banner", "topbar", "masthead", "menu", "toolbar",
        "tools", "print", "social", "hot", "hotnews", "remen", "rank", "ranking", "paihang",
        "popular", "trending", "weizhi", "widget", "promotion", "bottom",
    }
)
# Whole class names that CSS frameworks define as display:none or screen-reader-only
# (Tailwind/Bootstrap/WordPress). Responsive ones ("hidden-xs") hide on some screens only
# and are not listed.
HIDDEN_CLASSES: Final[frozenset[str]] = frozenset(
    {"hidden", "d-none", "is-hidden", "u-hidden", "sr-only", "visually-hidden", "screen-reader-text",
     "visuallyhidden", "invisible", "hide"}
)


# Tailwind-style breakpoint classes that show a "hidden" element on larger screens.
_SHOWN_AT_BREAKPOINT = re.compile(r"^(?:sm|md|lg|xl|2xl):(?:block|flex|grid|inline|inline-block|inline-flex|table|contents)$")


@lru_cache(maxsize=4096)
def is_hidden_class(class_value: str) -> bool:
    """True when a class attribute names a class that hides the element on every screen
    ("hidden", not "hidden md:block", which desktop browsers show)."""
    names = class_value.split()
    if HIDDEN_CLASSES.isdisjoint(names):
        return False
    return not any(_SHOWN_AT_BREAKPOINT.match(name) for name in names)


_MEDIA_WORDS: Final[frozenset[str]] = frozenset({"video", "audio", "media", "live", "stream", "embed"})
NOISE_PREFIXES: Final[tuple[str, ...]] = (
    "comment", "recommend", "related", "breadcrumb", "sidebar", "footer", "advert",
    "copyright", "newsletter", "subscribe", "sharing",
)
CONTENT_TOKENS: Final[frozenset[str]] = frozenset(
    {
        "article", "articles", "content", "contents", "body", "text", "main", "post", "entry",
        "story", "detail", "details", "zhengwen", "zw", "con", "txt", "cont", "artibody",
        "articlebody", "postbody", "storybody",
    }
)

_NAME_SPLIT = re.compile(r"[^A-Za-z]+|(?<=[a-z])(?=[A-Z])")


def attribute_words(value: str) -> list[str]:
    """The words of one class name or id: "relatedNews_list2" -> ["related", "news", "list"]."""
    return [w.lower() for w in _NAME_SPLIT.split(value) if w] if value else []


@lru_cache(maxsize=16384)  # class names: small keys; a crawl over many sites meets many
def attribute_verdict(value: str) -> int:
    """+1 when a class name / id names article content, -2 furniture, -1 probably
    furniture (a weak word), 0 neither.

    Names are read head-last, as templates write them: "article-share" is a share bar of
    the article (furniture), "post-content" the content of a post.
    """
    words = attribute_words(value)
    if not words:
        return 0
    if words[-1] in CONTENT_TOKENS:
        return 1
    verdict = 0
    for word in words:
        if word in NOISE_TOKENS or word.startswith(NOISE_PREFIXES):
            return -2
        if word == "player" and _MEDIA_WORDS.intersection(words):
            return -2  # a media player ("video-player"), not a sports player ("player-2020")
        if word in WEAK_NOISE_TOKENS:
            verdict = -1
    if verdict:
        return verdict
    return 1 if any(word in CONTENT_TOKENS for word in words) else 0


@lru_cache(maxsize=16384)
def noise_level(class_value: str | None, id_value: str | None = None) -> int:
    """2 when a class or id names a furniture container, 1 when it probably does, 0 when
    not or when one of them names article content."""
    level = 0
    for value in (class_value or "").split() + (id_value or "").split():
        verdict = attribute_verdict(value)
        if verdict > 0:
            return 0
        level = max(level, -verdict)
    return level


def is_noise_attribute(class_value: str | None, id_value: str | None = None) -> bool:
    """True when a class or id names a furniture container (strongly)."""
    return noise_level(class_value, id_value) == 2


@lru_cache(maxsize=256)
def compile_patterns(patterns: tuple[str, ...]) -> re.Pattern[str] | None:
    """One case-insensitive regex matching any of a profile's patterns (None for none).
    A pattern that is not a valid regex is left out with a warning, not raised: one bad
    line in a site profile must not stop a crawl."""
    sources = []
    for pattern in patterns:
        if not pattern:
            continue
        try:
            re.compile(pattern)
        except re.error as exc:
            log.warning("site profile: ignoring invalid drop_text pattern %r: %s", pattern, exc)
            continue
        sources.append(pattern)
    if not sources:
        return None
    return re.compile("|".join(f"(?:{p})" for p in sources), re.IGNORECASE)


# Patterns anchored at the start are tried with one ``match`` (cheap), the others with
# one ``search``.
_ANCHORED_LINE: Final[re.Pattern[str]] = re.compile(
    "|".join(f"(?P<{n}>{src})" for n, src in LINE_PATTERNS.items() if src.startswith("^")),
    re.IGNORECASE,
)
# The floating ones are searched one by one: alone, each keeps the regex engine's scan for
# its leading literals, which a union of them loses (a third less time on news pages).
_FLOATING_LINES: Final[tuple[tuple[str, re.Pattern[str]], ...]] = tuple(
    (n, re.compile(src, re.IGNORECASE)) for n, src in LINE_PATTERNS.items() if not src.startswith("^")
)
# The longest block an anchored pattern can match (their tails are bounded).
_ANCHORED_MAX_CHARS = 600
SECTION_MARKER: Final[re.Pattern[str]] = re.compile(
    "|".join(f"(?P<{name}>{source})" for name, source in SECTION_MARKERS.items()), re.IGNORECASE
)


# A line that is only a date and time, with at most a short label ("发布时间：", "Updated",
# "GİRİŞ"): the metadata has read it from the page already. Credit labels are kept out,
# since the byline reader takes those lines from the body itself.
DATE_PATTERN: Final[re.Pattern[str]] = re.compile(
    r"\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?"
    r"|\d{1,2}\s*[./]\s*\d{1,2}\s*[./]\s*\d{4}"
    r"|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d{1,2},?\s+\d{4}"
    r"|\d{1,2}\.?\s+(?:de\s+)?" + MONTH_NAME + r",?\s+(?:de\s+)?\d{4}"
    r"|\d{1,2}(?::|h(?=\d\d))\d{2}(?::\d{2})?\s*(?:[ap]\.?m\b\.?|uhr\b|h\b)?(?:\s*(?:[ECMP][SD]?T|UTC|GMT|CES?T|MES?Z)\b)?",
    re.IGNORECASE,
)
CREDIT_LABELS: Final[re.Pattern[str]] = re.compile(
    r"来源|稿源|出处|作者|记者|编辑|责编|通讯员|摄影|\bby\b|\bsource\b|\bvon\b|\bpor\b|\bpar\b", re.IGNORECASE
)
_MAX_DATELINE_REST = 24  # Latin letters: "Published", "Updated", "GÜNCELLEME"
_MAX_DATELINE_WIDE = 8  # CJK characters: "发布时间", "更新于"
_DATE_COMMAS = re.compile(r"\s*,\s*\0|\0\s*,\s*")
_SENTENCE_PUNCT = re.compile(r"[，。！？；]|[,.!?;](?:\s|$)")
_WIDE_CHARS = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")


def is_dateline(text: str) -> bool:
    """True for a short line that holds a date (or time) and little else."""
    if len(text) > 80 or not DATE_PATTERN.search(text) or CREDIT_LABELS.search(text):
        return False
    # Commas around the date belong to it ("Nov 5, 2026, 9:30 a.m."), not to a sentence.
    rest = _DATE_COMMAS.sub(" ", DATE_PATTERN.sub("\0", text)).replace("\0", "")
    if _SENTENCE_PUNCT.search(rest):
        return False
    letters = sum(ch.isalpha() for ch in rest)
    wide = len(_WIDE_CHARS.findall(rest))
    return wide <= _MAX_DATELINE_WIDE and letters - wide <= _MAX_DATELINE_REST


# The header line of a template: date and counters and credits run together
# ("字号+ 作者：X来源：Y 2005-04-25 08:24 我要评论(", "发布时间：…来源：新华网点击次数：").
# Dropped only above the article's first paragraph; the metadata reads it from the page.
_HEADER_LABELS: Final[re.Pattern[str]] = re.compile(
    r"来源|发布|时间|日期|点击|浏览|阅读|作者|编辑|字号|评论|posted|published|updated|views?\b", re.IGNORECASE
)


def is_header_line(text: str) -> bool:
    """True for a short line holding a date and at least two header labels, no sentence."""
    if len(text) > 120 or not DATE_PATTERN.search(text) or "。" in text:
        return False
    return len(_HEADER_LABELS.findall(text)) >= 2


# Labels of a summary box printed above the body ("核心提示：…", "摘要：…").
LEAD_LABEL: Final[re.Pattern[str]] = re.compile(
    r"^[【\[]?(?:核心提示|内容提要|内容摘要|摘要|导读|导语|提要|简介|summary|abstract)[】\]]?\s*[:：]?\s*", re.IGNORECASE
)


@lru_cache(maxsize=4096)  # pure; the same lines recur across a site's pages
def boilerplate_kind(text: str) -> str | None:
    """The name of the LINE_PATTERNS entry a block of text matches, or None."""
    match = _ANCHORED_LINE.match(text) if len(text) <= _ANCHORED_MAX_CHARS else None
    if match:
        return match.lastgroup
    # What a union would say: the leftmost match, the first pattern among equals.
    found, found_at = None, len(text) + 1
    for name, pattern in _FLOATING_LINES:
        floating = pattern.search(text)
        if floating is not None and floating.start() < found_at:
            found, found_at = name, floating.start()
    if found:
        return found
    return "dateline" if is_dateline(text) else None


def section_marker_kind(text: str) -> str | None:
    """The name of the SECTION_MARKERS entry a short heading matches, or None."""
    match = SECTION_MARKER.search(text)
    return match.lastgroup if match else None


# Headlines of error pages that a portal serves with status 200 ("soft 404s").
ERROR_PAGE_TITLE: Final[re.Pattern[str]] = re.compile(
    r"^\s*(?:(?:error|错误|http)?\s*[45]0\d\b"
    r"|页面不存在|页面未找到|页面找不到|找不到(?:该|此|您要的)?页面|您(?:所)?访问的页面不存在|网页不存在|文章不存在|信息不存在"
    r"|page\s+not\s+found|not\s+found\b|file\s+not\s+found|seite\s+nicht\s+gefunden"
    r"|página\s+no\s+encontrada|page\s+introuvable|pagina\s+non\s+trovata|страница\s+не\s+найдена)",
    re.IGNORECASE,
)
# An error page says little; an article whose headline merely starts with "404" says more.
ERROR_PAGE_MAX_CHARS: Final = 400


def is_error_page(headline: str, document_title: str, body_chars: int) -> bool:
    """A soft 404: an error headline (or document title) over next to no text."""
    if body_chars > ERROR_PAGE_MAX_CHARS:
        return False
    return bool(ERROR_PAGE_TITLE.match(headline) or ERROR_PAGE_TITLE.match(document_title))
