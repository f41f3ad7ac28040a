"""A keyword classifier standing in for the real one: tables of words, read in order."""

import re
import unicodedata
from dataclasses import dataclass
from functools import cache

from tickets.labels import Category, Route, Urgency


@dataclass(frozen=True)
class Triage:
    """What the classifier thinks of a request, and which rules made it think so."""

    urgency: Urgency
    category: Category
    route: Route  # category.default_route
    confidence: float  # 0..1; low (<0.5) when no rule matched
    rules: tuple[str, ...]  # names of the rules that fired, for transparency


# Danger now (triage guide, emergency row); negated per clause, see _NEGATORS and _FIXED.
EMERGENCY: dict[str, tuple[str, ...]] = {
    "gas": (
        "煤气味", "燃气味", "漏气", "燃气泄漏", "煤气泄漏", "gas smell", "gas leak",
        "smell of gas", "smell gas", "smells of gas", "smells like gas",
    ),
    "fire": ("着火", "冒烟", "起火", "失火", "fire", "smoke"),
    "trapped": ("困人", "被困", "困在", "关在电梯", "trapped", "stuck inside", "stuck in the lift"),
    "live_wire": ("火花", "漏电", "电线裸露", "sparks", "sparking", "live wire"),
    "flooding": ("爆管", "水管爆", "淹", "flooding", "flooded", "burst pipe"),
    "falling": ("高空坠物", "要塌", "快塌", "falling"),
    "hurt": ("晕倒", "受伤", "摔倒", "昏迷", "collapsed", "injured", "unconscious"),
    "violence": ("打架", "闯入", "入室", "break-in", "breaking in"),
    "unreachable": ("电话也不接", "电话不接", "不接电话", "联系不上", "unreachable"),
}  # fmt: skip
# Phrases that look like danger but are not (removed before the emergency lexicon is read).
HARD_NEGATIVES = (
    "燃气费", "煤气费", "gas bill", "消防演练", "fire drill", "fire lane", "fire exit",
    "fire extinguisher", "smoke detector", "smoke alarm", "消防通道",
)  # fmt: skip
_NEGATORS = ("没有", "没", "不是", "无", "上次", "以前", "担心", "no", "not", "never", "worried")
_FIXED = ("已经修好", "修好了", "已修好", "fixed", "repaired")
_CLAUSE = re.compile(r"[,.!?;:，。！？；：\n]|\b(?:but|and)\b|但是")

# Needs investigation, several parties, or is reported again (triage guide, difficult row).
DIFFICULT: dict[str, tuple[str, ...]] = {
    "water_from_neighbour": (
        "楼上漏水", "漏到我家", "漏水到我家", "渗到我家", "water from upstairs",
    ),
    "dispute": ("纠纷", "dispute"),
    "illegal_construction": ("违建", "违章搭建", "illegal construction"),
    "group_renting": ("群租", "group renting"),
    "complaint_about_property": ("投诉物业", "complain about the property"),
    "new_facility": ("加装", "增设"),
    "repeated": (
        "反映了几次", "反映了三次", "反映过几次", "多次反映", "一直没人管", "问了两次",
        "several times", "still not fixed", "again and again",
    ),
}  # fmt: skip
FAULT = ("坏了", "不亮", "故障", "堵", "停用", "broken", "out", "not working", "blocked")
QUESTION = ("怎么", "请问", "在哪", "如何", "什么时候", "吗", "how", "where", "when", "?")

# Category keywords; the first row with a hit wins, so specific rows come before generic ones.
CATEGORIES: tuple[tuple[Category, tuple[str, ...]], ...] = (
    (Category.PROPERTY_OVERSIGHT, (
        "物业不作为", "收支", "物业乱收费", "乱收费", "双晒", "投诉物业",
        "complain about the property", "property company")),
    (Category.ELEVATOR, ("电梯", "lift", "elevator")),
    (Category.UTILITIES, (
        "停水", "停电", "水压", "燃气", "煤气", "电表", "水表", "电箱", "配电", "漏电", "火花",
        "插座", "水费", "电费", "water pressure", "power cut", "gas", "sparks", "electric box",
        "socket", "meter")),
    (Category.PUBLIC_SERVICES, (
        "证明", "户籍", "户口", "社保", "医保", "补贴", "居住证", "certificate", "insurance",
        "subsidy")),
    (Category.ELDERLY_CARE, ("老人", "独居", "残疾", "孤寡", "elderly", "disabled")),
    (Category.PUBLIC_ORDER, (
        "违建", "违章搭建", "烧烤摊", "油烟", "群租", "占道", "摆摊", "street vendor",
        "illegal construction")),
    (Category.REPAIR, ("漏水", "渗水", "水管", "下水道", "leak", "leaking", "drain")),
    (Category.NEIGHBOR, (
        "邻居", "楼上太吵", "麻将", "狗叫", "隔壁", "广场舞", "neighbour", "neighbor", "barking")),
    (Category.PROPERTY_SERVICE, (
        "物业费", "装修许可", "缴费", "交费", "property fee", "fee", "fees")),
    (Category.SECURITY, (
        "门岗", "陌生人", "偷", "被盗", "监控", "装修噪音", "装修", "消防", "火", "烟", "打架",
        "闯入", "stranger", "theft", "stolen", "cctv", "fire", "smoke", "break-in")),
    (Category.PARKING, ("停车", "车位", "充电桩", "车棚", "parking", "charging point")),
    (Category.GREENING, ("树", "草坪", "绿化", "tree", "lawn", "branch")),
    (Category.REPAIR, (
        "灯", "门禁", "门", "窗", "栏杆", "墙", "锁", "light", "lamp", "streetlight",
        "street light", "door", "window", "railing", "lock")),
    (Category.SANITATION, (
        "垃圾", "卫生", "蟑螂", "老鼠", "清洁", "臭", "脏", "bins", "rubbish", "trash", "garbage",
        "cockroach", "rats", "litter")),
    (Category.COMMUNITY_LIFE, (
        "活动", "志愿", "建议", "报名", "积分", "volunteer", "activity", "suggestion")),
)  # fmt: skip
# Words that contain a category keyword without meaning it (门口 is a place, not a door).
CATEGORY_NOISE = ("门口", "出门", "上门", "部门", "专门", "火锅")
# A category's own level: used when no fault or question cue says otherwise (difficult always).
CATEGORY_URGENCY = {
    Category.NEIGHBOR: Urgency.DIFFICULT,
    Category.PUBLIC_ORDER: Urgency.DIFFICULT,
    Category.PROPERTY_SERVICE: Urgency.GENERAL,
    Category.PROPERTY_OVERSIGHT: Urgency.GENERAL,
    Category.PUBLIC_SERVICES: Urgency.GENERAL,
    Category.COMMUNITY_LIFE: Urgency.GENERAL,
}
DEFAULT_CATEGORY = Category.PROPERTY_SERVICE  # with general urgency and low confidence


@cache
def _pattern(words: tuple[str, ...]) -> re.Pattern[str]:
    """One regex for a keyword list; English words only match whole words."""

    def one(word: str) -> str:
        whole = word.isascii() and word[0].isalnum() and word[-1].isalnum()
        return rf"\b{re.escape(word)}\b" if whole else re.escape(word)

    return re.compile("|".join(one(w) for w in sorted(words, key=len, reverse=True)))


def _has(words: tuple[str, ...], text: str) -> bool:
    """True when any of the words occurs in the text."""
    return _pattern(words).search(text) is not None


def _without(words: tuple[str, ...], text: str) -> str:
    """The text with these phrases blanked out."""
    return _pattern(words).sub(" ", text)


def _emergencies(text: str) -> list[str]:
    """Emergency rules that fire, and negated ones as `not:<name>`, clause by clause."""
    fired: list[str] = []
    for clause in _CLAUSE.split(_without(HARD_NEGATIVES, text)):
        for name, words in EMERGENCY.items():
            match = _pattern(words).search(clause)
            if match is None:
                continue
            negated = _has(_NEGATORS, clause[: match.start()]) or _has(_FIXED, clause)
            fired.append(f"not:{name}" if negated else name)
    return list(dict.fromkeys(fired))


def _urgency(rules: list[str], category: Category | None) -> Urgency:
    """The most urgent level the fired rules allow; the category's own level as a last resort."""
    if any(r.startswith("emergency:") and ":not:" not in r for r in rules):
        return Urgency.EMERGENCY
    base = CATEGORY_URGENCY.get(category, Urgency.MEDIUM) if category else Urgency.GENERAL
    if base is Urgency.DIFFICULT or any(r.startswith("difficult:") for r in rules):
        return Urgency.DIFFICULT
    if "fault" in rules:
        return Urgency.MEDIUM
    return Urgency.GENERAL if "question" in rules else base


def classify(text: str) -> Triage:
    """Urgency, category and route of a request, by keyword tables (placeholder classifier)."""
    text = unicodedata.normalize("NFKC", text).lower()
    rules = [f"emergency:{name}" for name in _emergencies(text)]
    rules += [f"difficult:{name}" for name, words in DIFFICULT.items() if _has(words, text)]
    rules += [
        name for name, words in (("fault", FAULT), ("question", QUESTION)) if _has(words, text)
    ]
    plain = _without(CATEGORY_NOISE, text)
    category = next((c for c, words in CATEGORIES if _has(words, plain)), None)
    urgency = _urgency(rules, category)
    fired_urgency = any(":not:" not in r for r in rules)
    confidence = 0.3 + (0.3 if category else 0.0) + (0.2 if fired_urgency else 0.0)
    if category is not None:
        rules.append(f"category:{category.value}")
    category = category or DEFAULT_CATEGORY
    return Triage(urgency, category, category.default_route, round(confidence, 2), tuple(rules))
