"""Credits: source (来源), authors, editor — read from credit lines and the body's edges.

The labels are named data below. A credit line is read label by label; a value ends at
the next label, a bracket, or a wide gap. Values that name no outlet or person
(转载, 互联网, 本站原创, admin, 佚名 …) are dropped, not guessed around.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_CJK = "\u3400-\u9fff\uf900-\ufaff"
_HANGUL = "\uac00-\ud7af"
# Capital letters that start a name in the Latin (accented too), Greek and Cyrillic scripts.
UPPER = "A-ZÀ-ÖØ-ÞΆ-ΫА-ЯЁ"

# Labels of the outlet credited. Longer labels first so 本文来源于 wins over 来源.
SOURCE_LABELS = ("原创", "信息来源", "稿件来源", "文章来源", "新闻来源", "本文来源于", "本文来源", "内容来源",
                 "来源于", "来源", "稿源", "出处", "出自", "转自", "Source", "Quelle", "Fuente", "Fonte")
# The ones that also stand without a colon: "来源 新华社", "出自[人民文学出版社]".
BARE_SOURCE_LABELS = ("原创", "信息来源", "稿件来源", "文章来源", "新闻来源", "本文来源于", "本文来源", "来源于", "来源",
                      "稿源", "出自", "出处")
# Not 发布者/发布人: that is the account that posted the page, not the writer.
AUTHOR_LABELS = ("作者", "撰文", "撰稿", "文字", "Author", "Autor", "Auteur", "By", "BY", "by")
EDITOR_LABELS = ("责任编辑", "责编", "编辑", "主编", "本版编辑", "Editor")
# Words that end a value when they follow it without a gap ("某某日报点击次数：").
STOP_WORDS = ("点击", "浏览", "阅读", "评论", "作者", "编辑", "责编", "时间", "日期", "发布", "字号",
              "字体", "分享", "打印", "关闭", "收藏", "举报", "参与", "人气", "来源", "编号", "点赞",
              "次数", "访问", "查看", "发稿", "更新", "记者", "摄影", "通讯员", "原标题", "返回", "出自",
              "出处", "稿源", "责任", "审核", "校对", "监制")
# Values that name no outlet: not a source.
JUNK_SOURCES = frozenset(
    ["转载", "转载文章", "网络转载", "互联网", "网络", "网友", "网友投稿", "投稿", "本站", "本站原创", "原创", "本网", "本网原创", "综合", "综合整理", "网络整理", "整理", "未知", "不详", "佚名", "其他", "其它", "admin", "管理员", "编辑", "小编", "默认", "暂无", "无", "none", "unknown",
     "未知来源", "来源网络", "网络来源", "网络收集", "网络资源", "互联网整理", "本站整理", "本站编辑", "网站编辑"]
)
JUNK_PEOPLE = frozenset(
    ["admin", "administrator", "佚名", "未知", "不详", "本站", "本网", "本报", "网友", "网络", "互联网", "转载", "管理员", "小编", "编辑", "作者", "记者", "匿名", "unknown", "staff", "暂无", "无", "none",
     "本站编辑", "网站编辑", "网络编辑", "root", "webmaster", "editor", "system", "user"]
)
# Words that are page furniture or titles, never (part of) a person's name.
NOT_NAME_WORDS_RX = re.compile(
    "正文|文章|播报|分享|关注|评论|收藏|举报|打印|特约|专栏|原创|头条|推荐|热点|视频|图片|新闻|来源|编辑|"
    "记者|作者|通讯员|评论员|网友|用户|客户端|官方|发布|阅读|首页|字号"
)
# Channel names that stand alone under headlines; never a person.
CHANNEL_WORDS = frozenset(
    ["时政", "国际", "国内", "社会", "财经", "体育", "娱乐", "科技", "军事", "教育", "健康", "文化", "旅游", "汽车", "房产", "评论", "要闻", "综合", "专题", "直播", "地方", "经济", "民生", "法治", "生活", "时尚", "游戏", "数码", "股票", "基金", "理财", "本地", "原创", "独家", "快讯"]
)
# Characters that a word after 记者 has and a name does not ("记者了解到", "记者从…获悉").
NOT_IN_NAMES = frozenset("了从近获表对也还都的是这那到说看问告注走采随沿带日昨今前首目介调查发现在与和将就已")

_LABEL_END = r"\s*[:：]\s*"
_OPEN = "[\\[【(（<《「]"
_CLOSE = "[\\]】)）>》」]"


def _alternation(labels: tuple[str, ...]) -> str:
    return "|".join(re.escape(x) for x in sorted(labels, key=len, reverse=True))


# A label with a colon may stand anywhere ("浏览次数：次来源：某某网"); without one it must
# start the line or follow a gap or bracket, so "名字来源于古希腊语" is no credit.
SOURCE_RX = re.compile(
    rf"(?:(?:{_alternation(SOURCE_LABELS)}){_LABEL_END}|(?:^|(?<=[\s|｜\[【(（]))(?:{_alternation(BARE_SOURCE_LABELS)})\s*(?={_OPEN}|\s|[{_CJK}A-Za-z]))"
    rf"\s*{_OPEN}?\s*",
    re.I,
)
AUTHOR_RX = re.compile(
    rf"(?:(?:{_alternation(AUTHOR_LABELS)}){_LABEL_END}|(?:^|(?<=[\s|｜(（]))作者\s+|(?:^|(?<=[\s|｜(（]))文\s*[/／丨|｜]\s*|\b(?:(?:[Ss]ubmitted|[Ww]ritten|[Pp]osted)\s+by|By)\s+(?=[\[(]?[{UPPER}{_HANGUL}])|^(?:[Vv]on|[Pp]or|[Pp]ar|[Dd]oor|[Dd]i|[Dd]a)\s+(?=[{UPPER}]))",
)
EDITOR_RX = re.compile(
    rf"(?:{_alternation(EDITOR_LABELS)})(?:{_LABEL_END}|\s+(?=[{_CJK}]))",
    re.I,
)
# "김민수 기자", "김민수·이지은 기자": a Korean byline puts the title after the name.
KO_REPORTER_RX = re.compile(rf"(?<![{_HANGUL}])([{_HANGUL}]{{2,4}})\s*(?:기자|특파원|객원기자)(?![{_HANGUL}])")
KO_CREDIT_LINE_RX = re.compile(rf"^(?:[{_HANGUL}]{{2,4}}\s*(?:기자|특파원)[\s·,]*)+(?:\s*[\w.+-]+@[\w.-]+)?$")
STAFF_CODE_RX = re.compile(rf"(?<=[{_CJK}])\s*[_-]?[A-Za-z]{{0,4}}\d{{2,}}$")
LATIN_BYLINE_RX = re.compile(r"(?:submitted |written |posted )?by\b|von\b|por\b|par\b|door\b|di\b|da\b", re.I)
# Where the names of a "By …" byline end: a separator, a date, or the next label
# ("By Jane Doe Posted on …", "Von Anna Schmidt | 5. November").
LATIN_BYLINE_END_RX = re.compile(
    r"\s*(?:[|,;·•]|\s[–—-]\s|\s{2,}|\bon\b|\bfor\b|\d|\b(?:posted|published|updated|veröffentlicht|"
    r"aktualisiert|publicado|publié|am|le|el)\b)", re.I)
_LATIN_NAME = rf"[{UPPER}][\w'’.-]*(?:\s+(?:[{UPPER}][\w'’.-]*|van|von|de|da|del|der|la|le)){{0,4}}"
# Several names listed in a Latin byline: "A B, C D and E F" (also und, et, y, e, &).
LATIN_NAME_LIST_RX = re.compile(
    rf"\s*[\[(]?{_LATIN_NAME}(?:\s*,\s*{_LATIN_NAME})*,?\s+(?:and|und|et|y|e|&)\s+{_LATIN_NAME}[\])]?")
REPORTER_RX = re.compile(rf"(?:记者|通讯员)\s*[:：]?\s*((?:[{_CJK}·]{{2,4}}(?:[\s、,，和及]+|$|(?=[)）\]】]|发自|报道|摄|$)))+)")
POSTED_BY_RX = re.compile(rf"^([\w{_CJK}.-]{{2,30}})\s*发表于")
TRAILING_PAREN_RX = re.compile(r"[(（]([^()（）]{2,60})[)）]\s*$")
LEADING_PAREN_RX = re.compile(r"^[(（]([^()（）]{2,60})[)）]")

_NAME_RX = re.compile(rf"^(?:[{_CJK}·]{{2,5}}|[{_HANGUL}]{{2,4}}|[{UPPER}][\w'.-]+(?:\s+[{UPPER}][\w'.-]+){{0,3}}|[a-z0-9_]{{3,20}})$")
_STOP_RX = re.compile("|".join(STOP_WORDS))
_SPLIT_CJK_NAMES = re.compile(r"[\s、,，;；/]+")
_SPLIT_LATIN_NAMES = re.compile(r"\s*(?:[,;/&]|\band\b|\bund\b|\by\b|\be\b|\bet\b)\s*")


@dataclass(slots=True)
class Credits:
    source: str | None = None
    authors: list[str] = field(default_factory=list)
    editor: str | None = None

    def fill(self, other: Credits) -> None:
        """Take the other's values where this one has none."""
        self.source = self.source or other.source
        self.authors = self.authors or list(other.authors)
        self.editor = self.editor or other.editor


def _value(text: str, *, latin_spaces: bool) -> str:
    """The value that starts ``text``: up to a gap, a bracket, a separator or a stop word."""
    text = text.lstrip(" [【(（<《「")
    if latin_spaces and text[:1].isascii() and text[:1].isalpha():
        m = re.match(r"[A-Za-z][\w.&'’-]*(?: [A-Za-z0-9][\w.&'’-]*){0,5}", text)
        value = m.group(0) if m else ""
    else:
        m = re.match(r"[^\s\[\]【】()（）<>《》「」|｜:：,，;；]{1,40}", text)
        value = m.group(0) if m else ""
    stop = _STOP_RX.search(value, 1)
    if stop:
        value = value[: stop.start()]
    value = re.sub(r"\d{4}[-/.年].*$", "", value)  # a date glued on
    return value.strip(" -—·.。")


# Labels of other fields that sit where an outlet may: a category or channel label
# (分类于, 栏目, Posted in) is never a source, nor is the value it introduces.
NOT_SOURCE_LABEL_RX = re.compile(
    r"^(?:分类于|分类|所属分类|栏目|所属栏目|类别|频道|专题|标签|归档于|发表于|发布于|更新于|阅读|浏览|评论|"
    r"category|categories|posted\s+in|filed\s+under|tags?|section|in)\s*[:：]?\s*",
    re.I,
)


def clean_source(value: str | None) -> str | None:
    if not value:
        return None
    value = value.strip()
    if not value or value.lower() in JUNK_SOURCES or len(value) > 40 or value.isdigit():
        return None
    if NOT_SOURCE_LABEL_RX.match(value):
        return None
    if re.fullmatch(r"[\W\d_]+", value):
        return None
    return value


def source_in(text: str) -> str | None:
    """The outlet a line credits after a 来源-like label, if it names one."""
    if "凡本网" in text or "注明" in text or "转载请" in text:  # disclaimers quote the label
        return None
    for m in SOURCE_RX.finditer(text):
        value = clean_source(_value(text[m.end():], latin_spaces=True))
        if value:
            return value
    return None


def strip_any_label(value: str | None) -> str | None:
    """A profile-selected value without its label ("来自:示例晨报" -> "示例晨报")."""
    if not value:
        return None
    return re.sub(r"^\s*[^\s:：]{1,8}\s*[:：]\s*", "", value).strip() or None


def split_names(value: str) -> list[str]:
    names: list[str] = []
    value = value.strip()
    splitter = _SPLIT_CJK_NAMES if re.search(f"[{_CJK}]", value) else _SPLIT_LATIN_NAMES
    for part in splitter.split(value):
        part = part.strip(" ()（）[]【】.。:：")
        if part.endswith("报道") and "发自" not in part:
            continue  # "山东冠县报道": the place reported from
        part = re.sub(r"(?:发自|报道|摄影?|通讯员).*$", "", part)
        part = STAFF_CODE_RX.sub("", part)  # "张三_NE0011": a CMS's staff code after the name
        if not part or part.lower() in JUNK_PEOPLE:
            continue
        if (_NAME_RX.match(part) and part not in names and not NOT_NAME_WORDS_RX.search(part)
                and part not in CHANNEL_WORDS):
            names.append(part)
    return names


def _names_value(text: str) -> str:
    """Names after an author label: up to another label, a bracket or the line's end."""
    text = text.lstrip(" [【(（")
    m = re.match(r"[^\[\]【】()（）|｜:：;；]{1,60}", text)
    value = m.group(0) if m else ""
    stop = _STOP_RX.search(value)
    if stop:
        value = value[: stop.start()]
    value = re.split(r"\s{2,}|\d{4}[-/.年]", value)[0]
    return value.strip()


def authors_in(text: str) -> list[str]:
    """Authors named by a label (作者:, 文/, By) in one line."""
    for m in AUTHOR_RX.finditer(text):
        rest = text[m.end():]
        if LATIN_BYLINE_RX.match(m.group(0)):
            listed = LATIN_NAME_LIST_RX.match(rest)
            # "By A, B and C": the commas join names; elsewhere a comma ends the byline.
            value = listed.group(0) if listed else LATIN_BYLINE_END_RX.split(
                rest.lstrip(" [(").replace("]", ",").replace(")", ","))[0]
            value = re.sub(r"\b(?:and|und|et|y|e)\b|&", ",", value)
        else:
            if re.match(rf"^\s*[{_CJK}]{{0,6}}(?:记者|通讯员)", rest):
                names = reporters_in(rest[:60])  # "作者：本报记者 张三"
                if names:
                    return names
            value = _names_value(rest)
        names = split_names(value)
        if names:
            return names
    return []


def reporters_in(text: str) -> list[str]:
    """Names after 记者/通讯员 ("本报记者 张三", "（记者 李四）", "记者王五发自北京"),
    and Korean names before 기자 ("김민수 기자")."""
    for m in REPORTER_RX.finditer(text):
        if text[m.end():].lstrip().startswith("摄"):
            continue  # "新华社记者 张三 摄": a photographer's credit under a picture
        names = [n for n in split_names(m.group(1)) if not (set(n) & NOT_IN_NAMES)]
        if names:
            return names
    return [m.group(1) for m in KO_REPORTER_RX.finditer(text)][:4]


def editor_in(text: str) -> str | None:
    for m in EDITOR_RX.finditer(text):
        names = split_names(_names_value(text[m.end():]))
        if names:
            return "、".join(names)
    return None


def parse_line(text: str) -> Credits:
    """Every credit one line gives."""
    credits = Credits(source=source_in(text), editor=editor_in(text))
    credits.authors = authors_in(text)
    if not credits.authors:
        m = POSTED_BY_RX.match(text)
        if m and m.group(1).lower() not in JUNK_PEOPLE:
            credits.authors = [m.group(1)]
    return credits


WHOLE_BYLINE_RX = re.compile(r"^\s*(?:(?:作者|撰文|撰稿|[Aa]uthor|[Aa]utor|[Aa]uteur)\s*[:：]|By\s)\s*(\S.{0,59})$")


def whole_byline(text: str) -> list[str]:
    """The names of a text that is nothing but a labelled byline ("作者：A、B"), each kept
    whole between list punctuation and conjunctions: the label and the text's end bound
    the value, so an agency or desk name ("XX网校园记者站") is not cut to a name's shape."""
    m = WHOLE_BYLINE_RX.match(text)
    if not m:
        return []
    parts = re.split(r"\s*[、,，;；/]\s*|\s+(?:and|und|et|y|e|&)\s+", m.group(1).strip())
    names = [p.strip(" ()（）[]【】.。") for p in parts]
    return [n for n in names if n and n.lower() not in JUNK_PEOPLE and not NOT_NAME_WORDS_RX.search(n)
            and not _STOP_RX.search(n)]


def is_credit_line(text: str) -> bool:
    """A short line that is nothing but credits (责任编辑：X, 来源：Y, (编辑：Z), "By X · date")."""
    if len(text) > 80:
        return False
    if KO_CREDIT_LINE_RX.match(text) or is_latin_byline(text):
        return True
    stripped = text.strip("()（）[]【】 ")
    return bool(_CREDIT_LABEL_LINE_RX.match(stripped) or _REPORTER_LINE_RX.match(stripped))


_CREDIT_LABEL_LINE_RX = re.compile(
    rf"^(?:{_alternation(SOURCE_LABELS + AUTHOR_LABELS + EDITOR_LABELS)}|本文来源|原标题)\s*[:：]")
_REPORTER_LINE_RX = re.compile(
    rf"^[{_CJK}]{{0,8}}(?:记者|编辑|责编)\s*[:：]?\s*[{_CJK}·]{{2,4}}(?:[\s、,，]+[{_CJK}·]{{2,4}})*$")


_LATIN_BYLINE_START_RX = re.compile(rf"^(?:(?:submitted |written |posted )?by|von|por|par|door|di|da)\s+(?=[{UPPER}{_HANGUL}])", re.I)
_DATE_OR_LABEL_RX = re.compile(r"^[\w.]*\s*\d|^(?:posted|published|updated|veröffentlicht|aktualisiert|am|on)\b", re.I)


def is_latin_byline(text: str) -> bool:
    """"By Jane Doe", "Von Anna Schmidt · 5. November 2026": a byline with at most a date after it."""
    m = _LATIN_BYLINE_START_RX.match(text)
    if not m or len(text) > 100:
        return False
    rest = text[m.end():]
    names = LATIN_BYLINE_END_RX.split(rest, maxsplit=1)[0]
    if not split_names(re.sub(r"\band\b|\bund\b", ",", names)):
        return False
    tail = rest[len(names):].strip(" |,;·•–—-")
    return not tail or bool(_DATE_OR_LABEL_RX.match(tail)) and not re.search(r"[.!?]\s+[a-z]", tail)


DATELINE_RX = re.compile(r"^(?:发布时间|发表时间|发稿时间|更新时间|时间|日期|发布日期)\s*[:：]")


def is_dateline(text: str) -> bool:
    """The "时间:… 来源:…" line under a headline, when the body kept it."""
    return len(text) <= 100 and bool(DATELINE_RX.match(text))


def split_credits(paragraphs: list[str], page_texts: list[str] | None = None) -> tuple[list[str], Credits]:
    """(paragraphs without the credit lines, the credits) — credits at the body's edges.

    At the end: 责任编辑:X, 来源:Y, (编辑:Z) lines, and a trailing byline in parentheses
    "(张三 李四)" that closes the last paragraph. At the start: a reporter line.
    """
    paras = list(paragraphs)
    credits = Credits()
    spaced = _Respacer(page_texts or [])
    # Trailing lines that are all credits (read as the page spaces them: "记者 罗思远 郭静").
    while paras and is_credit_line(spaced(paras[-1])):
        credits.fill(_credit_line_credits(spaced(paras.pop())))
    # A byline in parentheses closing the last paragraph.
    if paras:
        paras[-1] = spaced(paras[-1])
        m = TRAILING_PAREN_RX.search(paras[-1])
        if m:
            inner = m.group(1).strip()
            found = _credit_line_credits(inner) if re.search(r"[:：]|记者|编辑|责编", inner) else Credits(
                authors=bare_names(inner) or respace_names([inner], page_texts or []))
            if found.source or found.authors or found.editor:
                credits.fill(found)
                rest = paras[-1][: m.start()].rstrip()
                if rest:
                    paras[-1] = rest
                else:
                    paras.pop()
        while paras and is_credit_line(spaced(paras[-1])):
            credits.fill(_credit_line_credits(spaced(paras.pop())))
    # Leading credit lines and a dateline left in the body, then a reporter named in the
    # first paragraphs.
    while paras and (is_credit_line(paras[0]) or is_dateline(paras[0])):
        credits.fill(_credit_line_credits(paras.pop(0)))
    if not credits.authors:
        for para in paras[:2]:
            head = spaced(para)[:60]
            names = reporters_in(head)
            if names:
                credits.authors = names
                break
    if not credits.authors:
        for para in paras[-3:]:
            if len(para) <= 60:
                names = reporters_in(spaced(para))
                if names:
                    credits.authors = names
                    # A closing reporter line often credits the outlet too ("…记者 X 来源：Y").
                    credits.source = credits.source or source_in(spaced(para))
                    break
    if credits.editor and credits.authors and all(a in credits.editor for a in credits.authors):
        credits.authors = []  # "（郭旭）" closing the text of an article whose editor is 郭旭
    return paras, credits


class _Respacer:
    """The page's own spelling of a short body paragraph, whose spaces body text may lose."""

    def __init__(self, page_texts: list[str]) -> None:
        self._texts = page_texts
        self._index: dict[str, str] | None = None

    def __call__(self, para: str) -> str:
        if len(para) > 80 or not self._texts:
            return para
        if self._index is None:
            self._index = {t.replace(" ", ""): t for t in self._texts if len(t) <= 100 and " " in t}
        return self._index.get(para.replace(" ", ""), para)


def _credit_line_credits(text: str) -> Credits:
    found = parse_line(text)
    if not found.authors and not found.editor:
        found.authors = reporters_in(text)
    if not found.source and not found.authors and not found.editor:
        m = re.match(rf"^[{_CJK}]{{0,8}}(编辑|责编)\s*[:：]?\s*(.+)$", text.strip("()（）[]【】 "))
        if m:
            found.editor = "、".join(split_names(m.group(2))) or None
    return found


def bare_names(text: str) -> list[str]:
    """"张三 李四" (or "王五 上海报道"): names alone, each 2–4 CJK characters."""
    text = re.sub(rf"\s+[{_CJK}]{{2,6}}报道$", "", text.strip())
    if not re.fullmatch(rf"[{_CJK}·]{{2,4}}(?:[\s、,，]+[{_CJK}·]{{2,4}}){{0,5}}", text):
        return []
    names = split_names(text)
    return [n for n in names if not (set(n) & NOT_IN_NAMES)]


def respace_names(names: list[str], page_texts: list[str]) -> list[str]:
    """Split names that lost their spaces in the body text ("李明张华") as the page wrote them.

    Body text joins CJK characters across line breaks, which also joins the names of a
    trailing byline "(李明 张华)"; the page's own lines still have the gap.
    """
    if len(names) != 1 or not re.fullmatch(rf"[{_CJK}]{{4,12}}", names[0]):
        return names
    spaced = r"\s*".join(re.escape(ch) for ch in names[0])
    rx = re.compile(rf"[(（]\s*({spaced})\s*[)）]")
    for text in page_texts:
        m = rx.search(text)
        if m and re.search(r"\s", m.group(1)):
            return bare_names(m.group(1)) or names
    return names if len(names[0]) <= 4 else []


# How far below the body's last paragraph an editor line is looked for.
EDITOR_WINDOW_LINES = 6


def editor_after(page_texts: list[str], last_paragraph: str) -> str | None:
    """责任编辑 printed just below the article, outside the container the body came from
    (a template's <div class="editor"> after <div class="content">)."""
    tail = last_paragraph[-30:].strip()
    if not tail:
        return None
    for at in range(len(page_texts) - 1, -1, -1):
        if tail in page_texts[at]:
            for text in page_texts[at + 1 : at + 1 + EDITOR_WINDOW_LINES]:
                if is_credit_line(text):
                    editor = _credit_line_credits(text).editor
                    if editor:
                        return editor
            return None
    return None
