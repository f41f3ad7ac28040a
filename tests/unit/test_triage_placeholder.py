"""The placeholder classifier: the triage guide's examples, negation, hard negatives, defaults."""

import dataclasses

import pytest

import triage
from tickets.labels import Category, Route, Urgency
from triage import Triage, classify
from triage.placeholder import CATEGORIES, EMERGENCY

E, D, M, G = Urgency.EMERGENCY, Urgency.DIFFICULT, Urgency.MEDIUM, Urgency.GENERAL

# The examples table of the triage guide (all twelve come out right today).
GUIDE_EXAMPLES = [
    ("3栋2单元电梯困人了，里面有个老人", E, Category.ELEVATOR),
    ("楼道里有很重的煤气味", E, Category.UTILITIES),
    ("5栋一楼的灯坏了好几天了", M, Category.REPAIR),
    ("楼上卫生间漏水到我家天花板", D, Category.REPAIR),
    ("隔壁天天半夜打麻将太吵了", D, Category.NEIGHBOR),
    ("请问居住证明在哪里开？", G, Category.PUBLIC_SERVICES),
    ("物业费的收支什么时候公示？", G, Category.PROPERTY_OVERSIGHT),
    ("小区门口的烧烤摊油烟太大", D, Category.PUBLIC_ORDER),
    ("8栋的独居老人两天没出门了，电话也不接", E, Category.ELDERLY_CARE),
    ("The streetlight by gate 2 has been out since Monday", M, Category.REPAIR),
    ("Is there an English-speaking contact for fee payments?", G, Category.PROPERTY_SERVICE),
    ("Sparks coming from the electric box on floor 6!", E, Category.UTILITIES),
]


def test_public_api_is_exported():
    assert set(triage.__all__) == {"Triage", "classify"}
    result = classify("电梯坏了")
    assert isinstance(result, Triage)
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.urgency = Urgency.GENERAL  # type: ignore[misc]


@pytest.mark.parametrize(("text", "urgency", "category"), GUIDE_EXAMPLES)
def test_guide_examples(text, urgency, category):
    result = classify(text)
    assert (result.urgency, result.category) == (urgency, category)
    assert result.route is category.default_route
    assert result.confidence >= 0.5
    assert f"category:{category.value}" in result.rules


def test_routes_follow_the_category():
    assert classify("隔壁天天半夜打麻将太吵了").route is Route.COMMUNITY
    assert classify("楼道里有很重的煤气味").route is Route.PROPERTY


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("有燃气味", "gas"),
        ("I can smell gas in the stairwell", "gas"),
        ("楼道里冒烟了", "fire"),
        ("there is smoke coming out of flat 302", "fire"),
        ("电梯里被困了两个人", "trapped"),
        ("someone is stuck inside the lift", "trapped"),
        ("配电箱有火花", "live_wire"),
        ("a live wire is hanging in the corridor", "live_wire"),
        ("地下室水管爆了", "flooding"),
        ("burst pipe in the basement", "flooding"),
        ("外墙要塌了", "falling"),
        ("有个老人在楼下晕倒了", "hurt"),
        ("楼下有人打架", "violence"),
    ],
)
def test_emergency_lexicon(text, name):
    result = classify(text)
    assert result.urgency is Urgency.EMERGENCY
    assert f"emergency:{name}" in result.rules


@pytest.mark.parametrize(
    "text",
    [
        "没有漏气",
        "不是漏气，是下水道的味道",
        "no smoke, just a strange noise",
        "there is not a gas leak",
        "上次燃气泄漏已经修好了",
        "the burst pipe was fixed yesterday",
        "担心电梯会困人",
    ],
)
def test_negation_and_past_tense_are_not_emergencies(text):
    result = classify(text)
    assert result.urgency is not Urgency.EMERGENCY
    assert any(r.startswith("emergency:not:") for r in result.rules)


def test_negation_stays_in_its_clause():
    assert classify("没有人在家，但是有煤气味").urgency is Urgency.EMERGENCY
    assert classify("没停电，楼道里冒烟了").urgency is Urgency.EMERGENCY
    assert classify("the light is not on and I smell gas").urgency is Urgency.EMERGENCY
    assert classify("漏气了没人处理").urgency is Urgency.EMERGENCY  # negator after the keyword
    assert classify("gas leak, not sure where from").urgency is Urgency.EMERGENCY


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("燃气费怎么交", Category.UTILITIES),
        ("how do I pay the gas bill?", Category.UTILITIES),
        ("消防演练什么时候", Category.SECURITY),
        ("when is the fire drill?", Category.SECURITY),
    ],
)
def test_hard_negatives_are_not_emergencies(text, category):
    result = classify(text)
    assert result.urgency is Urgency.GENERAL
    assert result.category is category
    assert not any(r.startswith("emergency:") for r in result.rules)


def test_tone_does_not_change_an_emergency():
    assert classify("不急，楼道里有煤气味").urgency is Urgency.EMERGENCY
    assert classify("很急!!!灯泡坏了").urgency is Urgency.MEDIUM


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("反映了三次还没人管，楼道灯不亮", "difficult:repeated"),
        ("电梯坏了，一直没人管", "difficult:repeated"),
        ("the corridor light is broken, reported several times", "difficult:repeated"),
        ("楼上漏水，天花板全湿了", "difficult:water_from_neighbour"),
        ("water from upstairs is dripping into my kitchen", "difficult:water_from_neighbour"),
        ("车位纠纷", "difficult:dispute"),
        ("一楼有违章搭建", "difficult:illegal_construction"),
        ("我要投诉物业", "difficult:complaint_about_property"),
    ],
)
def test_difficult_cues(text, rule):
    result = classify(text)
    assert result.urgency is Urgency.DIFFICULT
    assert rule in result.rules


def test_again_alone_is_not_repeated():
    result = classify("电梯又坏了")
    assert (result.urgency, result.category) == (Urgency.MEDIUM, Category.ELEVATOR)


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("电梯门关不上", Category.ELEVATOR),
        ("the lift makes a noise", Category.ELEVATOR),
        ("单元门禁坏了", Category.REPAIR),
        ("楼道的窗户关不上", Category.REPAIR),
        ("下水道堵了", Category.REPAIR),
        ("垃圾桶满了没人清", Category.SANITATION),
        ("楼道里有蟑螂", Category.SANITATION),
        ("公共卫生间太脏了", Category.SANITATION),
        ("单元门口堆满了垃圾", Category.SANITATION),  # 门口 is a place, not a door
        ("the bins are overflowing", Category.SANITATION),
        ("门岗不让快递进来", Category.SECURITY),
        ("有陌生人在楼道里转", Category.SECURITY),
        ("楼上装修噪音太大", Category.SECURITY),
        ("我的车位被占了", Category.PARKING),
        ("充电桩不能用", Category.PARKING),
        ("no parking space for visitors", Category.PARKING),
        ("小区的树该修剪了", Category.GREENING),
        ("a tree branch fell on the path", Category.GREENING),
        ("今天停水到几点", Category.UTILITIES),
        ("water pressure is very low", Category.UTILITIES),
        ("装修许可怎么办", Category.PROPERTY_SERVICE),
        ("how much is the property fee", Category.PROPERTY_SERVICE),
        ("楼下邻居家的狗叫一整晚", Category.NEIGHBOR),
        ("my neighbour blocks the corridor", Category.NEIGHBOR),
        ("想给残疾人申请上门帮忙", Category.ELDERLY_CARE),
        ("elderly man living alone needs help", Category.ELDERLY_CARE),
        ("医保怎么报销", Category.PUBLIC_SERVICES),
        ("I need a residence certificate", Category.PUBLIC_SERVICES),
        ("楼下有群租房", Category.PUBLIC_ORDER),
        ("street vendor blocking the gate", Category.PUBLIC_ORDER),
        ("物业不作为", Category.PROPERTY_OVERSIGHT),
        ("要求物业双晒", Category.PROPERTY_OVERSIGHT),
        ("周末有志愿活动吗", Category.COMMUNITY_LIFE),
        ("I would like to volunteer", Category.COMMUNITY_LIFE),
        ("建议多种点树", Category.GREENING),  # a suggestion belongs to its subject
    ],
)
def test_category_keywords(text, category):
    assert classify(text).category is category


def test_every_category_has_keywords():
    assert {category for category, _ in CATEGORIES} == set(Category)
    assert all(words for _, words in CATEGORIES)
    assert all(words for words in EMERGENCY.values())


@pytest.mark.parametrize(
    ("text", "urgency"),
    [
        ("楼道灯不亮", Urgency.MEDIUM),
        ("the door is broken", Urgency.MEDIUM),
        ("access control not working", Urgency.MEDIUM),
        ("请问物业费怎么交", Urgency.GENERAL),
        ("where do I get a parking permit?", Urgency.GENERAL),
    ],
)
def test_faults_are_medium_and_questions_general(text, urgency):
    assert classify(text).urgency is urgency


def test_english_keywords_match_whole_words_only():
    result = classify("I went outside without my keys")  # no "out", no "lock"
    assert "fault" not in result.rules
    assert result.category is Category.PROPERTY_SERVICE


def test_input_is_normalised():
    assert classify("ＧＡＳ ＬＥＡＫ").urgency is Urgency.EMERGENCY
    assert classify("请问居住证明在哪里开?").rules == classify("请问居住证明在哪里开？").rules


@pytest.mark.parametrize("text", ["你好", "hello", "", "   "])
def test_default_when_nothing_matches(text):
    result = classify(text)
    assert result == Triage(Urgency.GENERAL, Category.PROPERTY_SERVICE, Route.PROPERTY, 0.3, ())
    assert result.confidence < 0.5


def test_confidence_grows_with_evidence():
    nothing = classify("你好").confidence
    category_only = classify("隔壁天天半夜打麻将太吵了").confidence
    both = classify("楼道里有很重的煤气味").confidence
    assert nothing < 0.5 <= category_only < both <= 1
