"""Invented Chinese news text for the demo portal, in the register of a regional portal.

Everything here is made up from small word lists by a seeded random generator, so the
portal is the same on every run and no real article is copied.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

CITIES = ["青州市", "临川市", "东岚市", "白河县", "南屿区", "清溪镇", "北塘市", "云岭县", "江口市", "石门区"]
BUREAUS = [
    "市场监管局", "生态环境局", "农业农村局", "工业和信息化局", "交通运输局", "文化和旅游局",
    "科学技术局", "人力资源和社会保障局", "卫生健康委员会", "商务局",
]
THEMES = [
    "标准化建设", "食品安全", "数字经济", "乡村振兴", "绿色低碳", "质量提升", "科技创新",
    "营商环境", "文明城市创建", "职业技能培训", "老旧小区改造", "消费维权",
]
EVENTS = ["宣传周主题日活动", "工作推进会", "专项行动", "现场观摩会", "培训班", "成果发布会", "座谈会"]
VERBS = ["开展", "举办", "启动", "召开", "部署", "推进"]
ORGS = [
    "行业协会", "高新区管委会", "职业技术学院", "检验检测中心", "物流园区", "农业合作社",
    "产业联盟", "社区服务中心", "供销合作社", "中小企业服务站",
]
SURNAMES = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何林罗高"
GIVEN = ["明", "丽", "建国", "晓燕", "海涛", "静", "志强", "雪梅", "伟", "春华", "一鸣", "思远"]
OUTLETS = ["东方时报网", "滨海日报", "新城晚报", "云岭融媒", "北塘广播电视台"]
SITE_NAME = "东方时报网"


def person(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + rng.choice(GIVEN)


@dataclass(slots=True)
class Story:
    """One invented news story: headline, paragraphs, credits and tags."""

    title: str
    paragraphs: list[str]
    source: str
    reporters: list[str]
    editor: str
    tags: list[str] = field(default_factory=list)
    summary: str = ""


def _paragraph(rng: random.Random, city: str, bureau: str, theme: str) -> str:
    n = rng.randint(3, 60)
    m = rng.randint(2, 30)
    amount = round(rng.uniform(0.5, 30.0), 1)
    org = rng.choice(ORGS)
    templates = [
        f"据介绍，{city}{bureau}今年以来围绕{theme}累计开展检查{n * 10}余次，"
        f"督促整改问题{m * 3}项，相关经验做法已在全市推广。",
        f"活动现场，{org}负责人{person(rng)}表示，将进一步加强与有关部门的协作，"
        f"在{theme}方面拿出更多务实举措，让群众切实感受到变化。",
        f"截至目前，全市已有{n}家企业参与{theme}试点，带动相关投资{amount}亿元，"
        f"新增就业岗位{m * 40}个。",
        f"{city}{bureau}党组书记、局长{person(rng)}在讲话中指出，要坚持问题导向，"
        f"把{theme}工作同日常监管结合起来，做到年初有部署、年中有检查、年底有总结。",
        f"会上，{m}家单位代表作了交流发言，{org}与{rng.choice(ORGS)}签订了合作协议，"
        f"双方将在人才培养、平台共建等方面开展合作。",
        f"下一步，{city}将继续完善{theme}长效机制，健全跨部门联动工作制度，"
        f"推动各项任务落地见效，为高质量发展提供有力支撑。",
        f"据统计，活动期间共发放宣传资料{n * 100}余份，解答群众咨询{m * 20}人次，"
        f"受理投诉举报{m}件，均已按时办结。",
        f"参加活动的{person(rng)}告诉记者，这样的活动很接地气，"
        f"“以前很多政策看不懂，现在工作人员面对面讲解，心里一下子就有底了。”",
    ]
    return rng.choice(templates)


def make_story(rng: random.Random, number: int) -> Story:
    city = rng.choice(CITIES)
    bureau = rng.choice(BUREAUS)
    theme = rng.choice(THEMES)
    event = rng.choice(EVENTS)
    title = f"{city}{rng.choice(VERBS)}{theme}{event}（{number}）"
    day = rng.randint(10, 24)
    lead = (
        f"{rng.choice(OUTLETS)}讯 11月{day}日，{city}{bureau}在{rng.choice(ORGS)}"
        f"举行{theme}{event}，{rng.randint(10, 80)}余家单位负责人参加活动，"
        f"活动同步在线上直播。"
    )
    count = rng.randint(4, 8)
    paragraphs = [lead]
    seen = {lead}
    while len(paragraphs) < count:
        p = _paragraph(rng, city, bureau, theme)
        if p not in seen:
            seen.add(p)
            paragraphs.append(p)
    reporters = [person(rng) for _ in range(rng.randint(1, 2))]
    tags = [theme, bureau.replace("局", "").replace("委员会", "") or bureau, city]
    return Story(
        title=title,
        paragraphs=paragraphs,
        source=rng.choice(OUTLETS),
        reporters=reporters,
        editor=person(rng),
        tags=tags,
        summary=lead[:60] + "……",
    )


def author_bio(rng: random.Random, name: str) -> str:
    return (
        f"{name}，{SITE_NAME}资深记者，长期关注{rng.choice(THEMES)}和{rng.choice(THEMES)}领域，"
        f"曾参与多项重大主题报道。以下是{name}近期发表的稿件。"
    )
