"""The rule layer, rule by rule: normalisation, dangers, what silences them, repetition, tone."""

import pytest

from tickets.labels import Category, Urgency
from triage import lexicon
from triage.normalize import has_words, normalize, readable_share
from triage.rules import clauses, judge, without_tone


def fired(text: str) -> tuple[str, ...]:
    return judge(normalize(text)).fired


@pytest.mark.parametrize(
    ("raw", "normalized"),
    [
        ("３栋２单元，电梯坏了！", "3栋2单元,电梯坏了!"),  # full-width digits and punctuation
        ("ＧＡＳ　ＬＥＡＫ", "gas leak"),  # full-width letters and the ideographic space
        ("漏水\x00\x07了\u200b", "漏水 了"),  # control and zero-width characters
        ("灯坏了。门也坏了、", "灯坏了.门也坏了,"),
        ("  two   spaces \n\n next line ", "two spaces\n\nnext line"),
        (None, ""),
        ("", ""),
    ],
)
def test_normalize(raw, normalized):
    assert normalize(raw) == normalized


def test_normalize_cuts_at_telegram_limit():
    assert len(normalize("漏" * 10_000)) == 4096


def test_words_and_scripts():
    assert not has_words(normalize("😀😀🙏"))
    assert has_words("电梯")
    assert readable_share("电梯 lift") == 1.0
    assert readable_share("лифт сломался") == 0.0


# One request per danger the triage guide names, in Chinese and in English.
DANGERS = [
    ("楼道里有很重的煤气味", "gas"),
    ("I can smell gas in the stairwell", "gas"),
    ("闻到一股臭鸡蛋味", "gas"),
    ("昨天说的燃气修好了，但是今天又闻到一样的味道", "gas_smell"),
    ("燃气管那里嘶嘶响", "gas_sound"),
    ("楼道里冒烟了", "fire"),
    ("Building 5 楼道 smoke好大", "fire"),
    ("电梯卡在5楼里面有人在拍门", "trapped"),
    ("someone is stuck inside the lift", "trapped"),
    ("4栋电梯门开了里面没有轿厢", "open_shaft"),
    ("配电箱有火花", "electric"),
    ("a live wire is hanging in the corridor", "electric"),
    ("楼道那个插座噼啪噼啪的响", "electric_noise"),
    ("水流进电箱了", "water_on_electrics"),
    ("地下室水管爆了", "flooding"),
    ("burst pipe in the basement", "flooding"),
    ("有人从楼上往下扔酒瓶子", "thrown"),
    ("树枝挂在半空中，下面就是人行道", "falling_tree"),
    ("有个老人在楼下晕倒了", "hurt"),
    ("8栋的独居老人两天没出门了，电话也不接", "unreachable"),
    ("隔壁女的在喊救命", "cry_for_help"),
    ("我妈有老年痴呆，出门到现在还没回来", "missing"),
    ("楼下有人打架", "violence"),
    ("someone is breaking into the flat next door", "violence"),
    ("北门的井盖不见了", "manhole"),
    ("外墙要塌了", "falling"),
]


@pytest.mark.parametrize(("text", "name"), DANGERS)
def test_each_danger_fires_its_rule(text, name):
    verdict = judge(normalize(text))
    assert f"emergency:{name}" in verdict.fired
    assert verdict.floor is Urgency.EMERGENCY


def test_every_danger_is_tested():
    assert {name for _, name in DANGERS} == set(lexicon.EMERGENCY)


@pytest.mark.parametrize(
    ("text", "silenced"),
    [
        ("没有漏气", "not:gas"),
        ("不是漏气，是下水道的味道", "not:gas"),
        ("no smoke, just a strange noise", "not:fire"),
        ("上次燃气泄漏已经修好了", "past:gas"),
        ("the burst pipe was fixed last week", "past:flooding"),
        ("担心电梯会困人", "worry:trapped"),
        ("万一着火怎么办", "worry:fire"),
        ("I'm worried someone could get trapped in the lift", "worry:trapped"),
        ("刚才说的燃气味是隔壁在炖腊肉 虚惊一场 不用来了", "past:gas"),
        ("老人摔倒了应该咋个处理", "worry:hurt"),
    ],
)
def test_negation_past_and_worry_silence_a_danger(text, silenced):
    verdict = judge(normalize(text))
    assert silenced in verdict.fired
    assert verdict.floor is not Urgency.EMERGENCY
    assert verdict.silenced


@pytest.mark.parametrize(
    "text",
    [
        "没有人在家，但是有煤气味",  # the negation is in another clause
        "没停电，楼道里冒烟了",
        "the light is not on and I smell gas",
        "漏气了没人处理",  # the negation comes after the danger
        "上次漏气修好了，现在又有煤气味",  # past in one clause, present in the next
    ],
)
def test_silencing_stays_in_its_clause(text):
    assert judge(normalize(text)).floor is Urgency.EMERGENCY


@pytest.mark.parametrize(
    "text",
    [
        "燃气费怎么交",
        "how do I pay the gas bill?",
        "消防演练什么时候",
        "when is the fire drill?",
        "灭火器过期了",
        "smoke alarm keeps beeping",
        "小区门口的烧烤摊油烟太大",
        "楼上抽烟烟味飘下来",
        "有户人家把充电线从窗户吊下来",
        "我要气炸了",
        "燃气灶打不着火",
        "物业电话打不通",
    ],
)
def test_hard_negatives_fire_no_danger(text):
    assert judge(normalize(text)).floor is None


def test_bbq_smoke_is_not_a_fire():
    assert judge(normalize("The BBQ stalls' smoke comes straight into our flat")).floor is None


@pytest.mark.parametrize(
    "text",
    [
        "反映了三次还没人管，楼道灯不亮",
        "电梯坏了，一直没人管",
        "第三次反映了",
        "the corridor light is broken, reported several times",
        "third time I'm reporting this",
        "nobody has come yet",
    ],
)
def test_repeated_reports_raise_to_difficult(text):
    verdict = judge(normalize(text))
    assert "repeated" in verdict.fired
    assert verdict.floor is Urgency.DIFFICULT


@pytest.mark.parametrize("text", ["电梯又坏了", "the lift broke again", "灯坏了好几天了"])
def test_again_alone_is_not_repeated(text):
    assert "repeated" not in fired(text)


def test_repeated_does_not_lower_an_emergency():
    assert judge(normalize("反映了三次了，楼道里有煤气味")).floor is Urgency.EMERGENCY


@pytest.mark.parametrize(
    ("text", "tone"),
    [
        ("很急!!!灯泡坏了", "tone:urgent"),
        ("搞快点 门禁坏了", "tone:urgent"),
        ("urgent: bins overflowing", "tone:urgent"),
        ("不急，有空来修下灯", "tone:calm"),
        ("no rush, the bench is wobbly", "tone:calm"),
    ],
)
def test_tone_is_reported(text, tone):
    assert tone in fired(text)


def test_tone_words_are_hidden_from_the_model():
    assert "急" not in without_tone(normalize("很急!!!灯泡坏了"))
    assert "不急" not in without_tone(normalize("不急,有空来修下"))


def test_calm_tone_never_removes_an_emergency():
    assert judge(normalize("不急，楼道里有煤气味")).floor is Urgency.EMERGENCY


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("楼道里有很重的煤气味", Category.UTILITIES),
        ("3栋电梯困人了", Category.ELEVATOR),
        ("Sparks coming from the electric box on floor 6!", Category.UTILITIES),
        ("开关房门缝在冒白烟", Category.UTILITIES),  # smoke from electrical equipment
        ("车棚的电瓶车着火了", Category.SECURITY),  # an e-bike fire
        ("楼道着火了", Category.SECURITY),
        ("楼上漏水，水顺着墙流进我家插座里了", Category.REPAIR),  # water from a neighbour
        ("水流进电箱了", Category.UTILITIES),
        ("8栋的独居老人两天没出门了，电话也不接", Category.ELDERLY_CARE),
        ("有个老人在楼下晕倒了", Category.ELDERLY_CARE),
        ("北门的井盖不见了", Category.REPAIR),
    ],
)
def test_a_danger_names_its_category(text, category):
    assert judge(normalize(text)).category is category


def test_clauses_split_on_punctuation_and_joining_words():
    assert clauses("没有漏气,但是冒烟了") == ["没有漏气", "冒烟了"]
    assert clauses("no gas but smoke") == ["no gas ", " smoke"]
