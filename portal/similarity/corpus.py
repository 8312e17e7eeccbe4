"""A generator of service-star narratives, for the recycled-narrative benchmark, demo and tests.

Sentences are assembled from a shared vocabulary of service phrases (subjects, measures,
objects, results with figures), so independent narratives share stock phrases, as real ones
do, without sharing whole paragraphs. A recycled copy keeps the text of its source with the
unit, team and person names and every figure changed, and a few sentences rewritten.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建文辉力晶燕颖琳雪梅鹏飞宇"
PLACES = "黄浦徐汇长宁静安普陀虹口杨浦闵行宝山嘉定金山松江青浦奉贤崇明浦东"
UNIT_KINDS = ["营业部", "客运站", "服务中心", "门诊部", "营业厅", "收费站", "供电所", "窗口"]
TEAM_KINDS = ["服务班组", "客服组", "综合柜组", "导医班", "乘务组", "抢修班"]

SUBJECTS = [
    "班组全体成员", "我们班组", "该班组", "班组长", "全组员工", "窗口服务人员", "一线员工",
    "青年骨干", "党员先锋岗", "老师傅们", "新入职员工", "服务标兵", "全体组员", "值班人员",
]  # fmt: skip
ADVERBS = [
    "始终", "深入", "主动", "认真", "积极", "持续", "不断", "坚持", "大力", "扎实", "全面",
    "创新", "率先", "细致", "用心", "努力", "着力", "切实", "精心", "耐心",
]  # fmt: skip
VERBS = [
    "开展", "推行", "落实", "完善", "建立", "实施", "推进", "优化", "探索", "深化", "组织",
    "推广", "健全", "规范", "加强", "打造", "提升", "改进", "设立", "制定",
]  # fmt: skip
NOUNS = [
    "首问负责制", "限时办结制", "精细化管理", "岗位练兵", "服务流程", "班前会制度", "标准化建设",
    "预约服务", "服务承诺", "客户回访", "微笑服务", "一站式服务", "岗位轮换", "技能比武",
    "延时服务", "绿色通道", "上门服务", "弹性排班", "应急预案", "投诉处理", "满意度调查",
    "线上办理", "便民服务", "双语服务", "礼仪培训", "服务品牌", "师徒结对", "客户座谈",
    "神秘顾客暗访", "需求档案", "意见箱", "服务热线", "差错防控", "安全检查", "设备巡检",
    "知识竞赛", "案例分享", "质量控制小组", "志愿服务", "爱心驿站",
]  # fmt: skip
GROUPS = [
    "老年客户", "残障人士", "外地游客", "社区居民", "小微企业", "学生群体", "孕产妇", "退役军人",
    "新就业群体", "外籍人士", "行动不便者", "重点客户", "农民工", "困难家庭", "企业职工",
]  # fmt: skip
HELPS = [
    "提供", "开辟", "设置", "送去", "量身定制", "优先安排", "专门开设", "免费提供", "及时办理",
]  # fmt: skip
RESULTS = [
    "客户满意率达到{p}%", "全年受理业务{n}笔", "累计服务客户{n}人次", "投诉率下降至{q}%",
    "业务差错率控制在{q}%以内", "收到表扬信{s}封", "获得锦旗{s}面", "平均等候时间缩短{s}分钟",
    "服务及时率达到{p}%", "连续{s}年保持零投诉", "培训员工{s}批次", "客户回访覆盖率{p}%",
]  # fmt: skip
LINKS = ["，", "，并且", "，同时", "，通过", "，进一步", "，切实"]
HONOURS = [
    "全国五一巾帼标兵岗", "上海市青年文明号", "市级工人先锋号", "三八红旗集体",
    "用户满意服务明星班组", "行业服务示范窗口",
]  # fmt: skip
ENDINGS = ["。", "。", "。", "；"]


@dataclass
class Names:
    unit: str
    team: str
    person: str
    colleague: str


def random_names(rng: random.Random) -> Names:
    place = rng.choice(PLACES[0::2]) + rng.choice(PLACES[1::2])

    def person() -> str:
        return rng.choice(SURNAMES) + "".join(rng.choices(GIVEN, k=rng.choice((1, 2))))

    return Names(
        unit=f"申城{place}{rng.choice(UNIT_KINDS)}",
        team=f"{place}{rng.choice(TEAM_KINDS)}",
        person=person(),
        colleague=person(),
    )


def _figures(rng: random.Random) -> dict:
    return {
        "p": f"{rng.uniform(95, 99.9):.1f}",
        "q": f"{rng.uniform(0.01, 1):.2f}",
        "n": rng.randint(1000, 99999),
        "s": rng.randint(2, 60),
    }


def sentence(rng: random.Random, names: Names) -> str:
    """One sentence of a narrative, with {unit}/{team}/{person} placeholders filled."""
    subject = rng.choice(SUBJECTS + [names.team, names.person, names.colleague])
    measure = rng.choice(ADVERBS) + rng.choice(VERBS) + rng.choice(NOUNS)
    help_ = "为" + rng.choice(GROUPS) + rng.choice(HELPS) + rng.choice(NOUNS)
    parts = [subject, measure, rng.choice(LINKS), help_]
    if rng.random() < 0.6:
        parts += ["，", rng.choice(RESULTS).format(**_figures(rng))]
    if rng.random() < 0.15:
        parts += [f"，被{names.unit}评为", rng.choice(HONOURS)]
    return "".join(parts) + rng.choice(ENDINGS)


def narrative(rng: random.Random, names: Names, chars: int = 3000) -> list[str]:
    """Sentences of a narrative of about `chars` characters."""
    out = [f"{names.unit}{names.team}创建用户满意服务明星事迹材料。"]
    total = len(out[0])
    while total < chars:
        s = sentence(rng, names)
        out.append(s)
        total += len(s)
    return out


def recycle(
    rng: random.Random,
    sentences: list[str],
    old: Names,
    edits: int = 4,
    new: Names | None = None,
) -> list[str]:
    """A copy with names (`new`, or invented ones) and figures changed and `edits` sentences
    rewritten."""
    new = new or random_names(rng)
    out = []
    for s in sentences:
        for before, after in (
            (old.unit, new.unit),
            (old.team, new.team),
            (old.person, new.person),
            (old.colleague, new.colleague),
        ):
            s = s.replace(before, after)
        out.append(_change_figures(rng, s))
    for index in rng.sample(range(1, len(out)), min(edits, len(out) - 1)):
        out[index] = sentence(rng, new)
    return out


def _change_figures(rng: random.Random, s: str) -> str:
    digits = "0123456789"
    return "".join(rng.choice(digits) if c in digits else c for c in s)


def paragraphs(sentences: list[str], per: int = 6) -> str:
    return "\n".join("".join(sentences[i : i + per]).strip() for i in range(0, len(sentences), per))


def corpus(
    count: int, *, recycled_share: float = 0.1, seed: int = 2026, chars: int = 3000
) -> tuple[list[str], set[tuple[int, int]]]:
    """`count` narratives, of which about `recycled_share` are recycled copies of an earlier
    one. Returns the texts and the planted pairs (i, j), i < j: an original and each of its
    copies, and two copies of the same original."""
    rng = random.Random(seed)
    texts: list[str] = []
    originals: list[tuple[list[int], list[str], Names]] = []
    for index in range(count):
        if originals and rng.random() < recycled_share:
            family, sentences, names = rng.choice(originals)
            texts.append(paragraphs(recycle(rng, sentences, names, edits=rng.randint(2, 6))))
            family.append(index)
            continue
        names = random_names(rng)
        sentences = narrative(rng, names, chars)
        texts.append(paragraphs(sentences))
        originals.append(([index], sentences, names))
    planted = {
        (family[i], family[j])
        for family, _s, _n in originals
        for i in range(len(family))
        for j in range(i + 1, len(family))
    }
    return texts, planted
