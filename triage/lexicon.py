# ruff: noqa: E501  (patterns read best whole, one alternative list per line)
"""The rule layer's words, as data: regular expressions over normalised text (see normalize.py).

Each emergency signal names the danger in the triage guide's emergency row. A signal fires
when its pattern matches inside one clause and, if it has a context, the context occurs
anywhere in the request; negation, past tense and worry in the same clause silence it.
"""

from dataclasses import dataclass

from tickets.labels import Category

_EN_PERSON = r"(?:some ?one|somebody|people|a person|a man|a woman|a lady|a kid|a child|kids|children|my (?:mum|mom|dad|son|daughter|wife|husband|kid|child|grandma|grandpa|neighbou?r)|an? (?:old|elderly) (?:man|woman|lady|person))"
_LIFT = r"(?:电梯|电悌|轿厢|lift|elevator)"
_ELECTRIC = r"(?:电箱|电缆|插线板|排插|电表箱|配电|电闸|闸刀|开关|插座|插头|电表|电线|线路|变压器|switch ?room|electric(?:al)? (?:box|panel|cabinet|room)|fuse ?box|breaker|socket|outlet|meter box|power box|transformer|wiring|cable)"
_ELDERLY = r"(?:轮椅|瘫痪|老人|老太|老爷爷|老奶奶|老大爷|大爷|婆婆|爷爷|奶奶|独居|残疾|孤寡|elderly|old (?:man|woman|lady|gentleman|neighbou?r)|grandma|grandpa|granny|disabled)"


@dataclass(frozen=True)
class Signal:
    """An emergency the guide names: a pattern in one clause, and what it is about."""

    pattern: str
    context: str | None = None  # must also occur somewhere in the request
    unless: str | None = None  # when this occurs anywhere, the words mean something else
    category: Category | None = None  # the category this danger belongs to, when it is clear


EMERGENCY: dict[str, Signal] = {
    "gas": Signal(
        r"煤气味|燃气味|天然气味|液化气味|煤气的味|燃气的味|漏气|漏燃气|漏煤气|(?:燃气|煤气|天然气)(?:泄露|泄漏|漏了|在漏)|臭鸡蛋|臭蛋味"
        r"|(?:怪味|异味|怪怪的味|味道|刺鼻).{0,8}(?:头晕|头有点晕|头痛|头疼|恶心|想吐|脑壳痛|脑壳疼|脑壳晕)|漏汽|gas\s?味|像液化气"
        r"|(?:燃气|燃汽|天然气|煤气|液化气)(?:管|管道|管子|罐|瓶|阀).{0,10}(?:断|穿|破|裂|冒|漏|响|嘶|呲|滋)"
        r"|(?:燃气|天然气|煤气)报警器.{0,6}(?:响|叫|报警)|gas (?:alarm|detector) (?:\S+ ){0,3}(?:going off|beeping|sounding|ringing)"
        r"|gas (?:smell|leak|odou?r)|smells? (?:of |like )?gas|smelling gas|leaking gas|gas is leaking|rotten eggs?"
        r"|(?:smell|odou?r)\w*(?: \S+){0,8} (?:dizzy|headache|nause)",
        unless=r"(?:跟|和)臭鸡蛋(?:味)?不一样|不像(?:是)?煤气|not (?:a )?gas",
        category=Category.UTILITIES,
    ),
    "gas_smell": Signal(
        r"闻到|闻得到|味道|味儿|气味|smell|odou?r",
        context=r"(?<!不是)(?<!没有)(?<!没)(?<!not )(?<!no )(?:燃气|燃汽|煤气|天然气|液化气|\bgas\b|灶)",  # said, not denied
        category=Category.UTILITIES,
    ),
    "gas_sound": Signal(
        r"嘶嘶|呲呲|滋滋|hiss",
        context=r"燃气|燃汽|煤气|天然气|液化气|\bgas\b|阀门|valve",
        category=Category.UTILITIES,
    ),
    "fire": Signal(
        r"着火|起火|失火|火灾|冒烟|浓烟|黑烟|烧起来|烧起了|火苗|明火|火光|燃起来|烧着了|烧焦|焦的味|焦糊味|糊味|一股烧.{0,3}味|爆炸"
        r"|(?:电瓶|电池|电动车).{0,6}(?:烧|鼓包|炸|冒烟)|冒.{0,2}烟|烟子|烟.{0,3}(?:好大|很大|太大|有点大|好浓|呛)|好呛|呛得|呛人"
        r"|红彤彤|火红一片|往上窜|窜出来|火舌|热浪|(?:冒|往上冒|往外冒).{0,3}(?:黑|白)(?:的|气)|(?:黑|白).{0,4}(?:往上|往外)冒"
        r"|(?:垃圾桶|垃圾|车|电瓶车|房子|屋头|阳台|楼道|沙发|被子|东西|草|树).{0,3}(?:在烧|烧起来|烧着了|着了)"
        r"|(?:全是|都是|有点|还有|好多|一股|满是)烟|有烟|焦味|焦臭|火(?:好|很|太)大|火势|引燃|点燃了|\bon fire\b|\bfire\b|\bflames?\b|\bsmoke\b|\bsmoking\b(?= (?:from|out|badly))|(?:is|it'?s|and|was|started|now) smoking|burning (?:\w+ )?smell|smells? (?:of )?burning|something(?:'s| is)? burning|explo(?:de|ded|sion)|blew up",
        unless=r"bbq|barbecue|烧烤|油烟|cigarette|抽烟|吸烟|二手烟|烟味|incense|cooking smoke"
        r"|\b(?:neighbou?rs?|people|someone|they|he|she|guys?)\b(?: \S+){0,3} smokes?\b",
        category=Category.SECURITY,
    ),
    "trapped": Signal(
        r"困人|被困|困住|困在|关在电梯|关在里面|关里面|卡在里面|里面有人|有人在里面|有人关|关人|关了.{0,3}人|关起.{0,2}人|拍门|出不来|呼救|喊救命|救命"
        r"|(?:我|我们|人|娃娃|娃儿|孩子|小孩|老人|婆婆|爷爷|奶奶).{0,6}在(?:电梯)?里(?:面|头)|里(?:面|头).{0,8}(?:哭|喊|(?<!呼)叫|拍)"
        r"|里(?:面|头)(?:有|还有|关了?).{0,3}(?:人|个人|位|学生|娃|孩子|小孩|老人|婆婆|爷爷|外卖|快递)"
        r"|夹住|卡在.{0,4}门缝|卡在.{0,3}缝|拔不出来|往下掉|往下溜|溜了|下坠|坠落|溜车|冲顶"
        r"|trapped|stuck (?:in|inside)|(?:is|are) stuck|banging|can'?t get out|locked inside|shouting for help"
        r"|(?:someone|somebody|people|person|kids?|child|guy|man|woman|lady|boy|girl|baby|\bi\b|\bwe\b|me) (?:\S+ ){0,5}(?:inside|in there|in it|在里面)|shouting|screaming|crying|dropped (?:several|a few|\d+) floors",
        context=_LIFT,
        unless=r"后来.{0,4}(?:开了|好了|出来)|(?:现在|已经|都|人).{0,3}出来了|got out|(?:are|is) out now|差点|还好|nearly|almost"
        r"|(?:里头|里面)没有?人|(?:nobody|no one) (?:is |was )?(?:trapped|inside)|吐了|尿|泼了|口香糖|vomit",
        category=Category.ELEVATOR,
    ),
    "open_shaft": Signal(
        r"没有?轿厢|没得轿厢|空的井道|井道.{0,4}(?:空|开|露)|empty shaft|no car|shaft (?:is )?open",
        context=_LIFT,
        category=Category.ELEVATOR,
    ),
    "electric": Signal(
        r"火花|打火|冒火|漏电|触电|电到人|被电(?:到|了|打)|电打|麻手|电线.{0,6}(?:裸露|露出|掉|垂|吊|耷拉|断|拖在)|(?:电线|线).{0,4}(?:露在外|露出来|都露|全露|露起)|裸露.{0,3}电线|(?:铜丝|铜线|线头).{0,3}露|(?:电缆|电线).{0,4}破皮"
        r"|\bsparks?\b|\bsparking\b|live wires?|frayed|cable\S* (?:\S+ ){0,2}hanging (?:loose|down)|exposed wires?|bare wires?|dangling wires?|wires? (?:hanging|dangling|swinging)|loose wire|(?:power|electric|electrical) cable\S* (?:\S+ ){0,2}hanging|bare copper|exposed copper|electric(?:al)? shock|got shocked|electrocut",
        category=Category.UTILITIES,
    ),
    "electric_noise": Signal(
        r"噼啪|噼里啪啦|滋滋|呲呲|嗞嗞|吱吱.{0,3}闪|闪.{0,2}(?:蓝光|火|光)|冒蓝光|buzzing|crackling|flash(?:ing|ed)?",
        context=_ELECTRIC,
        category=Category.UTILITIES,
    ),
    "water_on_electrics": Signal(
        r"水.{0,10}(?:进了?|漏进|流进|淹到?|泡到?|浸到?|流到|漏到|滴到|打湿了?).{0,8}"
        + _ELECTRIC
        + r"|"
        + _ELECTRIC
        + r".{0,6}(?:进水|水泡|泡水|泡在水|淹了|湿了|在滴水|冒水|往外冒水|在?渗水|在?漏水)|灯.{0,6}(?:进水|积水|积满水|积满了水|在滴水)|顺着.{0,4}(?:电灯|灯).{0,4}(?:往下|流|滴)|(?:吊灯|电灯|灯).{0,6}往下(?:滴|流)|灯.{0,4}在闪"
        r"|water\S* (?:\S+ ){0,3}(?:down|through|along|from|into) (?:\S+ ){0,2}(?:light|lamp)"
        r"|water\S*(?: \S+){0,5} (?:in|into|on|onto|reach\w*|near) (?:the |a |our )?"
        + _ELECTRIC
        + r"|"
        + _ELECTRIC
        + r"(?: \S+){0,3} (?:is |are )?(?:already )?(?:wet|flooded|under water|soaked)",
        category=Category.UTILITIES,  # but water from upstairs is repair: rules._danger_category
    ),
    "flooding": Signal(
        r"爆管|水管.{0,4}(?:爆|裂开|炸|破了)|管子.{0,3}(?:爆|炸)|(?:爆|炸)了.{0,4}水|(?:水管|管子|管道|接头).{0,6}(?:喷水|在喷|往外喷)|水.{0,4}(?:哗哗(?:地|的)?(?:流|淌|往|冒|喷)|一直喷|往外冒|往外喷|涌出|灌进|倒灌)"
        r"|淹了|被淹|淹水|水淹|(?:一直|哗哗).{0,2}往(?:下|里|外).{0,2}(?:淌|灌|流|冒|涌)|崩开|喷得到处|没过.{0,3}(?:轮胎|膝盖|脚踝|小腿|脚背)|还在涨|水位.{0,3}涨|像下雨|发大水|水漫|漫到|水深.{0,4}(?:膝|腰)|积水.{0,6}(?:过膝|到膝|齐膝|到腰)|成河"
        r"|\bburst|flood(?:ing|ed)?|water (?:is )?(?:pouring|gushing|spraying|flowing in|everywhere|rushing)|pouring (?:water|down|in)"
        r"|(?:water|pipe)\S* (?:\S+ ){0,3}(?:gushing|pouring|spraying|spurting)|(?:ankle|knee|waist)[- ]deep",
        unless=r"草.{0,2}没过|污水|化粪池|粪水|sewage|每次|一下雨就|一下大雨|every time|after every|every (?:heavy )?rain|whenever|好几回|好几次|third time|说了.{0,3}(?:个月|周|星期)",
        category=Category.REPAIR,
    ),
    "thrown": Signal(
        r"高空抛物|往下(?:扔|丢|砸|甩)|(?:扔|甩).{0,4}(?:瓶|酒瓶|砖|花盆|东西)"
        r"|(?:throwing|thrown|dropping) (?:stuff|things|bottles|bricks|objects)|smashed next to|threw (?:a|an|some)",
        unless=r"好几回|好几次|几次了|(?:一周|每周|每天|天天|一个月).{0,3}次|经常|总是|老是|again and again|keeps? happening",
        category=Category.SECURITY,
    ),
    "falling_tree": Signal(
        r"(?:树|枝丫|枝桠|树枝|大枝).{0,12}(?:悬|挂|吊|卡在半空|晃|要倒|快倒|翘起|裂|劈开|斜|歪(?!倒)|砸)"
        r"|(?:branch|tree)\w* (?:\S+ ){0,4}(?:split|cracked|cracking|leaning|hanging|swinging|about to)|tree (?:just )?fell|hanging (?:right )?(?:over|above)",
        context=r"下面|底下|人行道|路|过道|门口|游乐|幼儿园|below|under|above|path|walkway|kids|children|road|entrance",
        category=Category.GREENING,
    ),
    "hurt": Signal(
        r"晕倒|昏倒|昏迷|晕过去|(?:人|老人|他|她|婆婆|爷爷|奶奶)(?:倒|摔|晕)在地上|倒地不起|翻了.{0,4}起不来|喘不(?:上|过)气|呼吸困难|摔倒.{0,6}(?:起不来|不能动|流血|不动)|起不来了|受伤|流.{0,3}血|出血|骨折|不省人事|抽搐|没有?呼吸|心脏病|急救|打120|叫120|120打了|救护车|砸伤|砸到人|没得呼吸|(?:人|老人|他|她|婆婆|爷爷|奶奶|老太|大爷|叔叔|阿姨).{0,3}倒在|摔下来|爬不起来|(?:坐|躺|蜷)在地上|地上起不来|胸口(?:痛|疼)|话都说不清|(?:压|砸)(?:到|住|伤)了?(?:人|一个)|压到了|压住了|砸到了|倒下去|倒下了|(?:人|老|爷|奶|婆|叔|她|他|妈|爸).{0,6}摔了|突然倒了|摔倒|跌倒|摔了一跤|掉进"
        r"|collapsed|unconscious|fainted|passed out|bleeding|injured|badly hurt|not breathing|can'?t get up|ambulance|heart attack|seizure|can'?t breathe|lying on the (?:floor|ground|landing|stairs)|not (?:really )?responding|unresponsive|swelling up|fell (?:in|down|over|off|into)|has fallen",
        unless=r"差点|还好没|幸好没|almost|nearly",
    ),
    "unreachable": Signal(
        r"没人(?:管|照顾)(?:她|他)|no one (?:is )?(?:looking after|caring for) (?:her|him)|边喊|在.{0,4}喊|都没接|没人接|没回微信|没回消息|没回信息|没声音了|不说话|在喊|打不通|不通|敲不开|没下楼|没出来过|没开过|没拿|不对劲|电话.{0,2}不接|不接电话|电话.{0,4}没人接|喊.{0,3}不(?:答应|应)|没开门|没有?动静|没接电话|电话.{0,3}打不通|联系不上|敲门.{0,4}(?:没人|不应|没反应|没人应|不开)|(?:几|两|三|好几|2|3)天没(?:出门|见|露面|看到|动静|开门)"
        r"|not answering (?:the |his |her )?(?:door|phone|calls)|no(?:body|one)? answer(?:s|ing)? (?:the )?(?:door|phone)|unreachable|(?:hasn'?t|haven'?t) (?:picked up|answered)|not picking up|no answer|(?:hasn'?t|haven'?t) (?:been )?seen (?:him|her|them)? ?(?:for|in) (?:days|\d|two|three)",
        context=_ELDERLY + r"|独自|一个人住|alone|lives on (?:his|her) own",
        unless=r"(?:子女|儿女|家属|儿子|女儿|家人).{0,2}联系不上",
        category=Category.ELDERLY_CARE,
    ),
    "cry_for_help": Signal(r"喊救命|呼救|(?:calling|shouting|screaming|crying) for help|\bsos\b"),
    "missing": Signal(
        r"won'?t come down|up on the roof|(?:楼顶|天台|顶楼).{0,6}不下来|走丢|走失|找不到(?:人|她|他|了)|还没回来|都没回来|wandered off|can'?t find (?:her|him)|(?:is|went) missing",
        context=_ELDERLY + r"|痴呆|记性不好|dementia|alzheimer",
        unless=r"经常|老是|(?:两|几|三)次|找回来了|找到了|often|keeps? wandering",
        category=Category.ELDERLY_CARE,
    ),
    "violence": Signal(
        r"打架|打人|打起来|耍酒疯|砸.{0,2}(?:车|窗|门)|动手了|动刀|拿刀|持刀|砍人|斗殴|入室|撬门|撬锁|在撬|被人?撬|撬开|人.{0,6}还没走|闯入|闯进|抢劫|抢东西|家暴|进贼|翻东西|正在偷|在偷东西|小偷.{0,4}(?:在|正)|拉车门|一辆一辆.{0,3}拉|剪锁|在剪|翻墙进来|翻进来|爬.{0,6}(?:阳台|窗)|试.{0,4}(?:密码|锁)"
        r"|拿着?.{0,2}(?:刀|棍|棒).{0,8}(?:追|打|砍|捅人|威胁|吼|挥|乱)|追.{0,4}(?:人|打)|捅了|捅伤|砍伤|摔东西.{0,10}救命"
        r"|有人在.{0,4}偷|抢.{0,5}(?:包|手机|东西|钱)|踢门|弄.{0,2}锁|拧门把手|挨家挨户.{0,4}(?:拧|推|试|开)|trying (?:the )?(?:doors?|handles?)|\bfist ?fight|\bfighting\b|kicking (?:the )?doors?|hurt someone|kill|running (?:towards|away)|just (?:grabbed|stole)|punch(?:ing|ed)|beating (?:up|him|her|someone)|stabb|knife|break[- ]?in(?:to)?|breaking in(?:to)?|burglar|robbery|being robbed|attack(?:ed|ing)|domestic violence|glass (?:break|smash)|砸玻璃|撬窗|climbing (?:up|into|over)|trying (?:car )?doors",
        category=Category.SECURITY,
    ),
    "manhole": Signal(
        r"(?:洞|井|坑).{0,4}没有?盖|没盖.{0,3}(?:的)?(?:井|洞|下水)|掉进.{0,4}(?:井|洞|下水道)|井盖\s?(?:is )?(?:open|missing|gone)|井盖.{0,6}(?:揭开|没盖|莫得|没了|不见|丢了|被偷|开着|掀开|塌|破|掉|翻)|没有井盖|没盖井盖|窨井.{0,4}(?:开|没盖)|manhole.{0,4}(?:不见|没了)|open manhole|no (?:lid|cover) on the|manhole\S*(?: \S+){0,4} (?:is |was )?(?:missing|gone|stolen|open|broken)|manhole(?: cover)? (?:is )?(?:missing|gone|stolen|open|broken)",
        category=Category.REPAIR,
    ),
    "falling": Signal(
        r"高空坠物|(?:瓷砖|外墙砖|墙砖|玻璃|窗户|窗框|空调外机|外机|广告牌|招牌|吊顶|天花板|顶棚|ceiling|吊灯|石头|砖头|花盆|雨棚|灯杆|路灯杆|杆子).{0,8}"
        r"(?:要掉|快掉|往下掉|砸|裂成|碎成|翘起|在晃|一吹就动|裂开|吊起|吊在那|挂在那|歪了|松动.{0,3}要|摇摇欲坠|悬着|吊着|要倒|快倒)|要塌|快塌|塌了|塌下来|坍塌|垮了|要垮|往外鼓|要掉不掉|裂.{0,4}在晃|随时.{0,4}(?:要|会)?(?:下来|掉|倒|断|塌)|马上要倒|松脱|挂在半空|悬在半空|挂起在晃"
        r"|(?:砖|砖头|瓷砖|玻璃|石头|东西).{0,3}在掉"
        r"|about to (?:fall|collapse|come down|give way)|(?:could|might) fall (?:on|any)|falling (?:off|from|down)|collaps(?:e|ed|ing)|caving in|hanging loose"
        r"|sagging|creaking|cracking noise|could come down|上面还有.{0,6}(?:松|要掉|挂)|墙.{0,6}(?:鼓起|往外鼓)"
        r"|(?:栏杆|扶手|护栏).{0,6}(?:断了|掉了|没了|脱落)|railing (?:\S+ ){0,3}(?:came off|fell|gone|broken off)",
        unless=r"稳当|还稳|稳的|还没掉|没有?松",
        category=Category.REPAIR,
    ),
}

# A fire or sparks near these is the e-bike's (security); near these, the supply's (utilities).
VEHICLE = r"电瓶|电动车|电池|e-?bike|scooter|batter"
NEIGHBOUR_WATER = r"楼上|上面那家|隔壁.{0,3}漏|upstairs|flat above|neighbou?r"
SUPPLY = (
    r"电箱|电表|配电|电闸|开关|插座|线路|电井|变压器|燃气|煤气|天然气|switch ?room|electric(?:al|ity)? (?:box|panel|cabinet|room)"
    r"|fuse ?box|socket|outlet|meter|transformer|wiring|\bgas\b"
)

# Phrases that look like danger and are not; blanked out before the emergency signals are read.
HARD_NEGATIVES = (
    r"燃气费|煤气费|天然气费|燃气公司|燃气卡|燃气表.{0,3}(?:读数|抄表|充值|换)|燃气安检|燃气检查|燃气改造|电费|水费|充值|缴费|交费"
    r"|消防演练|消防演习|消防检查|消防通道|消防栓|消防设施|消防器材|消防培训|消防知识|消防安全|火灾隐患|消防隐患|fire (?:risk|hazard)|灭火器|烟感|烟雾报警器|(?:烟感|烟雾)报警器.{0,4}(?:响|叫|没电)"
    r"|油烟|抽油烟机|烟道|烟囱|烟花|鞭炮|抽烟|吸烟|烟头|二手烟|香烟|烟味|烧烤.{0,6}烟|火锅|火车|火腿|上火|发火|火气|恼火|火大|心里冒火|气炸|打火机"
    r"|(?:狗|猫).{0,2}打架|充电线|飞线|charging (?:cable|cord|wire)|charger (?:cable|cord|wire)|打不着火|点不着火|打不燃|着不了火|差点.{0,2}(?:摔|滑)|(?:almost|nearly) (?:fell|slipped)|轮胎漏气|车胎漏气|胎漏气"
    r"|(?:物业|管家|客服|热线|前台|保安|社区|网格员|办公室|门卫).{0,4}电话.{0,3}(?:不接|打不通|没人接)|(?:property|office|hotline|management|security)\S*(?: \S+){0,2} (?:is |are )?not answering"
    r"|fight(?:ing)? (?:over|about|for)|gas (?:bill|fee|payment|card|meter|company|inspection|check)|electric(?:ity)? bill|water bill"
    r"|fire (?:drill|lane|exit|escape|door|extinguisher|hydrant|safety|inspection|alarm test|equipment|training)"
    r"|smoke (?:alarm|detector)|fireworks?|\bfired\b|cigarette|(?:people|someone|neighbou?rs?|he|she|they|guys?|men|man) (?:is |are |keeps? )?smoking|no smoking|smoking (?:area|ban)|second-?hand smoke|bbq smoke|barbecue smoke|kitchen fumes"
)

# The guide's close cases that are not emergencies (strangers at the gate, a gap in the fence,
# renovation out of hours, help at home, a fault not yet dangerous): the model alone must be sure.
CLOSE_CASES = (
    r"陌生人|stranger|围墙.{0,4}(?:缺口|洞)|栅栏.{0,4}(?:缺口|洞|坏)|gap in the fence|hole in the fence|装修|renovat"
    r"|帮.{0,4}(?:买菜|买东西|做饭|送饭|换灯泡|开锁)|help (?:her|him|them) with|do (?:her|his) shopping"
    r"|还没(?:掉|断|倒|塌|坏)|not (?:yet )?(?:broken|fallen|dangerous)|yet to fall|还稳|盖子还在|cover is (?:still )?(?:there|on)"
)

# Words that silence an emergency signal when they come shortly before it in the same clause.
NEGATION = (
    r"莫得|没得|没有|没(?!人)|无|不是|并非|并没|未|别|不存在|不再|不会|不用"
    r"|\bno\b|\bnot\b|\bnobody\b|\bno[- ]one\b|\bnever\b|n't|\bwithout\b|\bnothing\b|\bno longer\b"
)
NEGATION_REACH = 8  # characters before the signal that a negation word may stand in
# Words that put the whole clause in the past (the danger is over) unless a present cue is there.
PAST = (
    r"已经修好|修好了|已修好|已经处理|处理好了|已处理|已经解决|解决了|已经好了|早就好了|修过了|排除了|上次|上回|上个月|前天|前几天|刚出院|出院了|昨晚|(?<!从)昨天(?!开始|到现在|起)|上周|上礼拜|去年|前年|以前|之前|当时|那次"
    r"|\bwas fixed\b|\bfixed\b|\brepaired\b|\bresolved\b|\bsorted\b|(?<!since )\byesterday\b|\blast (?:week|month|year|time|winter|summer|night)\b|\bused to\b|the other day|days ago|\bback in\b|\bago\b"
)
# Words anywhere in the request that say the danger is over or was a false alarm.
RESOLVED = (
    r"出院了|已经(?:来)?.{0,4}(?:修好|换|处理|解决|关)|修好了|换好了|弄好了|处理好了|已解决|没事了"
    r"|还好.{0,6}(?:没|莫得)|幸好|没什么事|没啥事|莫得啥子事|莫得事|(?:看了|看过|进去|下去看).{0,4}是空的|里(?:面|头)没(?:有)?人"
    r"|nobody (?:was |is )?inside|no one (?:was |is )?inside|empty inside|it'?s fixed|is fixed|fixed now|now fixed|all good now|(?:has|have) been (?:fixed|sorted|resolved|repaired)"
)
# Anywhere in the clause: asking what one should do about a danger, not reporting one.
NOT_NOW = r"应该.{0,2}(?:咋个|怎么|如何)(?:处理|办|做)|打哪个电话|打什么电话|what number|what should (?:i|we|one) do if|how (?:do|should) (?:i|we) (?:report|handle)"
# Words anywhere in the request that say the danger is over or never was, whatever else it says.
OVER = (
    r"虚惊一场|误会|搞错了|看错了|不用来了|没得事|莫报了|不用报了?"
    r"|(?:只|就|都)是水?蒸[汽气]|人没事|人都好|电话里说都好|接电话都好好的|false alarm|never ?mind|my mistake|(?:she|he|they)(?:'s| is| are) (?:fine|ok|okay|safe)|picks? up (?:her|his|the) phone|(?:is|just) steam"
)
PRESENT = r"\b(?:is|are|keeps?) \w+ing\b|一直|越来越|还(?:在|有|挂|冒|闻)|仍然|依然|现在|今天|今早|刚刚|刚才|just now|正在|马上|still|again|right now|\bnow\b"
# Words of worry and supposition: the danger is feared, not happening.
HYPOTHETICAL = (
    r"真的?(?:要)?(?:着火|起火|失火)|听说|据说|想问|问一下|问下|担心|(?<!可)怕|害怕|万一|如果|要是|假如|假设|防止|以防|预防|会不会|可能会|容易|隐患|小心|提醒|演练|培训|知识|宣传|安全检查|检查一下|怎么办|应急预案"
    r"|heard that|i heard|what should|who should i call|what number|worr(?:y|ied)|afraid|\bfear\b|\bif\b|in case|what if|\bmight\b|could (?:cause|start|lead)|risk|hazard|prevent|\bdrill\b|training|someday|one day"
)

# Cues that the same problem was reported before and is still unsolved (raise to difficult).
REPEATED = (
    r"(?:反映|投诉|报修|报了|说了|提了|找了|打了.{0,4}电话|催了|问了).{0,3}(?:好几|几|多|三|两|二|四|五|n|\d+)\s?(?:次|回|遍)"
    r"|多次(?:反映|投诉|报修|联系|打电话|催)|第(?:二|三|四|五|六|n|\d+)次(?:反映|投诉|报|说|问|来|找|发)"
    r"|一直没人(?:管|处理|来|修|理|回)|(?:都|还是|根本|始终|也)没人(?:管|理)|都没人(?:来|管|理)|始终没|一直没(?:修|解决|处理|人|回复|动静)|至今没|到现在(?:还|都)没|还是没(?:修|解决|人|处理|动静)|拖了.{0,4}(?:几|好几|一个|两个|半个)?(?:天|周|星期|月)还|石沉大海|踢皮球|推来推去"
    r"|(?:reported|complained|asked|told|called|emailed|messaged|raised)\b.{0,25}\b(?:several|many|three|3|multiple|two|2|four|4|five|5|a few|numerous|countless|so many)\s+times"
    r"|(?:no ?one|nobody) (?:has )?(?:come|came|fixed|done|responded|replied|cared|bothered|showed up)|still (?:not|hasn'?t|haven'?t|isn'?t|no one|nobody)\b.{0,12}(?:fixed|solved|resolved|repaired|done|come|replied)"
    r"|(?:second|third|fourth|fifth|2nd|3rd|4th|5th) time (?:i'?m |i am |i'?ve |i have |we'?ve |reporting|complaining|asking|writing)|again and again|for weeks (?:now )?(?:and|but) (?:nobody|no one|nothing)"
)

# Tone: urgent words move a general request to medium and no further (fusion.py); calm words
# never lower anything. Both are removed before the model reads the text.
TONE_URGENT = (
    r"十万火急|急急急|急死了|很急|好急|非常急|特别急|超级急|急需|搞快点|快点|赶紧|赶快|速来|速度|马上来|尽快|快来|!{3,}|!{2,}\s*!|‼️?"
    r"|\burgent(?:ly)?\b|\basap\b|\bhurry\b|right away|immediately|😡|🆘"
)
TONE_CALM = (
    r"不急|不着急|不用急|不赶|有空|方便时|方便的时候|慢慢来|不紧急|不是很急|抽空|闲了"
    r"|no rush|not urgent|no hurry|whenever|when you (?:have|get) (?:time|a chance)|at your convenience"
)

# Clauses end at punctuation, new lines and the words that join two thoughts.
CLAUSE_BREAK = (
    r"[,.!?;:~\n]|但是|可是|不过|而且|然后|结果|同时|还有|另外|顺便|\bbut\b|\bhowever\b|\bthough\b|by the way|\balso\b"
    r"|(?=现在)|(?=\bnow\b)"  # "now" starts a clause and stays in it: it says the danger is present
)
