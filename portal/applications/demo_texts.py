"""Texts of the demo's packets: what each industry's windows do and whom they serve, and a
narrative of deeds built from a packet's own facts, read like the ones units really submit.

A narrative has the sections of attachment 2 (概况, 服务理念, 主要举措, 服务成效, 荣誉): the
facts and figures come from the packet (members, share of women, satisfaction rate), the
service stories from its industry. Packets of one industry take different stories and
measures, so that the demo's narratives are not flagged as recycled from one another.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from portal.percent import percent_text


@dataclass(frozen=True)
class Trade:
    """How an industry's service windows are described."""

    customers: str  # whom the window serves, as a narrative names them
    service: str  # the form's 主要服务内容
    served: str  # the form's 服务对象
    daily: int  # customers served on an ordinary day, for the 概况
    ideas: tuple[str, ...]
    stories: tuple[str, ...]


TRADES = {
    "commerce": Trade(
        "顾客",
        "商品导购、收银结算、售后退换与会员服务",
        "到店购物的市民与外地游客",
        1200,
        (
            "“诚信经营、顾客至上”是商店八十多年来的老规矩，{who}把它落实为“进门一声问候、"
            "选购一份耐心、离店一句叮嘱”的服务流程。",
            "{who}常说，柜台虽小，连着的是顾客对整座商店的信任，多走一步、多问一句，"
            "顾客就少跑一趟。",
        ),
        (
            "不少老年顾客不会使用自助收银机和手机支付，{who}在收银区旁设立“银发助手”岗，"
            "由经验丰富的营业员一对一帮助老人结账，并准备老花镜、放大镜和热水，"
            "这一做法后来在全店推广。",
            "节假日客流集中，{who}提前一周根据往年销售记录调整排班，把熟悉商品的老员工"
            "安排在客流最大的时段，新员工跟班学习，高峰时段顾客平均等候时间从十二分钟"
            "缩短到五分钟以内。",
            "一位外地顾客购买的大衣回到宾馆后发现尺码不合适，第二天就要返程。{who}接到"
            "电话后当晚把合适尺码的大衣送到宾馆，顾客临走前专门写来感谢信。",
            "针对顾客反映的退换货手续繁琐问题，{who}梳理了原有的七个环节，合并为"
            "“一次登记、当场办结”，凭购物小票或电子凭证即可办理，全年办理退换货"
            "两千余件，未发生一起纠纷。",
            "{who}建立了“顾客意见当日清”制度，每天闭店前把当天收到的意见逐条登记、"
            "分工处理，第二天班前会通报处理结果，能当场解决的不过夜。",
            "一位视障顾客来店为女儿挑选生日礼物，{crew}挽着她逐个柜台介绍商品的"
            "材质和手感，又帮她把礼物包装好、送到出租车上。",
            "{who}开通了“线上柜台”，顾客在手机上就能向营业员咨询商品、预约试穿，"
            "到店后直接取货，不少上班族下班路上就把东西买好了。",
            "商店开展以旧换新活动时，{who}主动联系回收企业上门收旧，免去了顾客"
            "自己搬运的麻烦，活动期间上门服务三百多户。",
        ),
    ),
    "hotels": Trade(
        "宾客",
        "前厅接待、客房服务、餐饮宴会与礼宾服务",
        "入住宾客、会议团队与宴会宾客",
        600,
        (
            "酒店倡导“宾至如归、细致入微”的服务理念，{who}把它概括为一句话："
            "把每一位宾客都当作第一次来上海的朋友。",
            "{who}认为，宾客记住的往往不是豪华的装修，而是服务人员记住了自己的习惯。",
        ),
        (
            "{who}为常住宾客建立了服务偏好档案，记录枕头软硬、用茶习惯、是否需要"
            "加床等细节，宾客再次入住时不必重复交代，回头客比例逐年提高。",
            "一次大型国际会议期间，三百多位宾客在同一时段抵达，{who}提前与会务组核对"
            "名单，预先制作房卡和欢迎资料，现场分区办理，四十分钟内完成全部入住。",
            "一位老年宾客夜间突感不适，{crew}第一时间联系医院并陪同就诊，"
            "直到家属赶到才离开，宾客康复后专程回到酒店表示感谢。",
            "宴会高峰期间，{who}推行“一桌一责任人”的服务方式，每位服务员从摆台、"
            "上菜到送客全程负责，宴会差错明显减少，宾客满意度持续提升。",
            "{who}把外宾常问的问题整理成中英日三种语言的服务手册，组织员工每周练习"
            "情景对话，外籍宾客对沟通服务的满意评价明显提高。",
            "一位宾客退房后才发现把结婚纪念戒指遗忘在客房，{crew}在整理房间时发现后"
            "立即登记封存，并通过快递当天寄回，宾客收到后连发三条感谢短信。",
            "针对商务宾客入住时间晚、离店早的特点，{who}推出二十四小时自助入住和"
            "快速退房服务，宾客在手机上即可完成结账。",
        ),
    ),
    "catering": Trade(
        "食客",
        "堂食点餐、传统点心制作、外卖与团餐服务",
        "周边居民、上班族与外地游客",
        900,
        (
            "老字号的根在味道，也在服务。{who}坚持“料要真、味要正、人要暖”，"
            "让食客吃得放心、吃得舒心。",
            "{who}把“食客满意”写在后厨和前厅的醒目位置，每天开餐前都要重温一遍。",
        ),
        (
            "为保证点心品质，{who}坚持当天现做、不卖隔夜货，每批出品由师傅试吃把关，"
            "并在明档展示制作过程，食客可以看着点心从揉面到出笼。",
            "附近写字楼的上班族午餐时间紧，{who}推出扫码预点、到店即取的服务，"
            "午市高峰排队时间由二十分钟左右缩短到八分钟。",
            "{who}为行动不便的老人提供送餐上楼服务，并把菜品做得软烂少盐，"
            "社区里不少老人成了多年的老主顾。",
            "针对食客提出的菜量和口味意见，{who}每月召开一次食客座谈会，"
            "先后调整了十余道菜品的份量和口味，并在菜单上标注辣度和过敏原。",
            "一对老夫妻每年都来店里庆祝结婚纪念日，{who}记下了他们爱吃的几道菜，"
            "今年提前准备好靠窗的座位和一碗长寿面，两位老人感动得连声道谢。",
            "{who}推行“光盘行动”，为食客提供小份菜和免费打包盒，既减少浪费，"
            "又让一两个人用餐的食客也能多尝几样。",
        ),
    ),
    "tourism": Trade(
        "游客",
        "线路咨询、行程定制、导游陪同与售后回访",
        "市民出游团队、外地和境外来沪游客",
        300,
        (
            "{who}坚持“行前说清楚、途中服务好、回来有回访”，让游客花得明白、玩得开心。",
            "{who}认为，一条好线路不只是景点的组合，更是对游客时间和安全的负责。",
        ),
        (
            "{who}为每条线路编写了详细的行前须知，把集合地点、天气、饮食禁忌和"
            "紧急联系人一一写清楚，出团前一天逐一电话确认。",
            "一个老年团在外地遇到航班延误，{crew}连夜协调宾馆和餐食，"
            "并安排随团医生为老人测量血压，第二天顺利返程，没有一位游客投诉。",
            "{who}设立了无障碍出游服务，为坐轮椅的游客预先踏勘线路、联系无障碍客房，"
            "两年来组织了十多个助残旅游团。",
        ),
    ),
    "finance": Trade(
        "客户",
        "个人存取款、理财咨询、对公开户与社保代发",
        "社区居民、小微企业和老年客户",
        450,
        (
            "{who}坚持“以客户为中心、合规为底线”，把每一笔业务办准、办快、办暖心。",
            "{who}常说，客户把钱交给我们，是把信任交给我们，服务不能有一点马虎。",
        ),
        (
            "{who}发现老年客户经常被电信诈骗盯上，便在柜面设立“反诈提醒岗”，"
            "遇到大额转账主动询问用途，两年来成功劝阻可疑转账十余起。",
            "为方便小微企业，{who}把开户所需材料整理成一张清单，预约客户到网点后"
            "当天即可完成开户，办理时间由过去的三天缩短到一天。",
            "{who}为行动不便的老人提供上门办理社保卡激活和身份核验服务，全年上门服务一百余次。",
        ),
    ),
    "transit": Trade(
        "乘客",
        "公交线路营运、车厢服务与站点引导",
        "沿线通勤市民、学生和老年乘客",
        8000,
        (
            "{who}坚持“安全第一、准点运行、文明服务”，把每一趟车都当作一次承诺。",
            "{who}的口号是“车厢是流动的窗口，驾驶员是城市的名片”。",
        ),
        (
            "早晚高峰客流集中，{who}根据客流数据调整发车间隔，高峰时段加开区间车，"
            "乘客候车时间明显缩短，准点率稳定在百分之九十八以上。",
            "{who}在车厢内配备了爱心座椅提示和老花镜，驾驶员进出站时主动提醒"
            "老年乘客扶稳坐好，全年未发生一起车厢内跌倒事故。",
            "一位乘客把装有重要证件的包遗落在车上，{crew}收车后立即上交，"
            "车队当晚联系到失主，第二天一早完璧归赵。",
            "线路途经两所中学，{who}在上学放学时段安排经验丰富的驾驶员，进站前提醒学生"
            "排队上车、不要拥挤，多年来沿线学校家长对这条线路评价很高。",
            "一次暴雨导致道路积水，{who}调度员及时调整线路绕行，并在站点张贴告示、"
            "安排人员引导，保证了乘客安全出行，当天没有一位乘客滞留。",
        ),
    ),
    "health": Trade(
        "患者",
        "门诊导医、预约挂号、检查预约与就诊咨询",
        "门诊患者及家属，特别是老年患者",
        3000,
        (
            "{who}坚持“以患者为中心”，把“让患者少跑一步、少等一分钟”作为工作目标。",
            "{who}常说，导医台是医院的第一张面孔，患者进门第一眼看到的应该是笑脸。",
        ),
        (
            "不少老年患者不会使用手机预约，{who}在门诊大厅设立“一站式服务台”，"
            "为老人代为预约、打印报告、解答医保问题，每天服务老人二百余人次。",
            "{who}优化了检查预约流程，把原来分散在三个窗口的预约集中到一处办理，"
            "患者平均往返次数明显减少。",
            "一位外地来沪就诊的患者在大厅晕倒，{crew}立即呼叫急救并陪同"
            "送往急诊，为患者赢得了宝贵的抢救时间。",
        ),
    ),
    "utilities": Trade(
        "用户",
        "燃气开户过户、缴费咨询、报修受理与安全检查",
        "辖区居民用户和餐饮、工业用户",
        400,
        (
            "{who}坚持“安全用气、便民服务”，让用户办事少跑腿、用气更放心。",
            "{who}认为，燃气服务关系千家万户的安全，再小的报修也是大事。",
        ),
        (
            "{who}推行开户、过户“一网通办”，用户在线上传材料，审核通过后即可办结，"
            "大部分业务实现了“零跑动”。",
            "冬季用气高峰，{who}实行二十四小时报修值守，接到报修后三十分钟内联系用户，"
            "及时处置率保持在百分之九十九以上。",
            "{who}定期走访独居老人家庭，免费检查燃气灶具和软管，发现隐患当场整改，"
            "全年上门安检一千余户。",
        ),
    ),
}

# Measures any service window takes; each narrative takes a few, packets apart from another.
MEASURES = (
    "{who}坚持每天开班前会，讲评前一天的服务情况，交流遇到的难题和好的做法，把问题解决在当天。",
    "{who}实行首问负责制，{cust}提出的问题由第一位接待的员工负责到底，不推诿、不让{cust}跑第二趟。",
    "{who}定期开展岗位练兵和技能比武，以老带新、结对帮教，新员工三个月内即可独立上岗。",
    "{who}每季度开展一次{cust}满意度调查，对反映集中的问题逐项制定整改措施，并公布整改结果。",
    "{who}把服务规范细化为接待、咨询、办理、送别四个环节的标准用语和动作，编成口袋书，人手一册。",
    "{who}设立意见簿和服务热线，对{cust}的每一条意见做到二十四小时内回复。",
    "{who}组织员工学习手语和普通话，为听障{cust}和外地{cust}提供更顺畅的沟通。",
    "{who}在服务区域设置便民服务箱，备有雨伞、针线包、充电宝和常用药品。",
    "{who}利用业余时间走进社区开展志愿服务，宣传安全知识，帮助老人解决生活中的小难题。",
    "{who}建立了服务案例库，把处理得好的和有教训的案例都记录下来，在每月例会上讨论学习。",
    "{who}实行限时办结，常规事项当场办理，复杂事项明确办结时限并主动告知进度。",
    "{who}推行“微笑服务、站立迎候”，高峰时段增设引导岗，分流排队的{cust}。",
    "{who}每月评选一次“服务之星”，把{cust}的表扬和批评都纳入考核，奖优罚劣。",
    "{who}对接待过的重点{cust}进行电话回访，听取意见建议，回访率保持在九成以上。",
    "{who}组织员工到同行先进单位跟班学习，把好的做法带回来，结合实际加以改进。",
    "{who}开展质量管理小组活动，围绕等候时间长、差错率高等问题开展攻关，取得明显成效。",
    "{who}为老年{cust}保留人工服务和现金服务，设置爱心座椅和老花镜，不让老人被数字技术挡在门外。",
    "{who}实行弹性排班，根据客流规律安排人手，确保高峰时段窗口全部开放。",
    "{who}开展“假如我是{cust}”换位体验活动，员工以{cust}身份走一遍服务流程，找出不便之处。",
    "{who}建立服务差错登记制度，对每一起差错分析原因、落实责任，同类差错不出现第二次。",
)
# What one person at a window does; an individual's narrative takes a few of these instead.
HABITS = (
    "{who}每天提前半小时到岗，检查设备、整理台面，把当天可能用到的资料准备齐全。",
    "{who}随身带着一个小本子，记下{cust}提出的问题和自己没答好的地方，下班后逐条查清楚。",
    "{who}坚持首问负责，{cust}找到自己的事，无论是不是本岗位的业务，都负责问清楚、带到位。",
    "{who}主动学习手语和简单的外语会话，遇到听障{cust}和外籍{cust}也能顺畅沟通。",
    "{who}把常见问题的解答整理成一页纸的提示卡，放在台面上，{cust}一看就懂。",
    "遇到情绪激动的{cust}，{who}总是先倒一杯水、请对方坐下，耐心听完再想办法解决。",
    "{who}利用休息日参加技能培训，先后取得了多项岗位技能证书。",
    "{who}担任新员工的带教师傅，手把手传授服务经验，带出的徒弟多人成为业务骨干。",
    "{who}对接待过的老年{cust}留下联系方式，逢年过节打个电话问候，不少老人把{who}当成了自家孩子。",
    "{who}每月把{cust}的意见和自己的改进办法写成小结，在班组会上与同事交流。",
    "{who}熟记岗位上的各项业务流程和常见问题，同事遇到拿不准的事情，总爱来问一问。",
    "下班前，{who}总要把当天没办完的事情列成清单，第二天上班第一件事就是逐项落实。",
    "{who}主动报名参加单位的服务技能竞赛，把比赛中学到的好方法用到日常工作中。",
    "遇到行动不便的{cust}，{who}总是主动迎上前去搀扶，办完事再送到门口。",
    "{who}把{cust}留下的感谢信都收在一个文件夹里，说这是对自己最好的鼓励。",
)
# Ideas any window may hold, after its industry's own.
CREEDS = (
    "在日常工作中，大家把这份理念落实到每一句问候、每一次解答和每一笔业务中。",
    "为了让理念入脑入心，{who}把它写进岗位职责，作为评价每位员工工作的第一条标准。",
    "这份理念不是挂在墙上的口号，而是{who}在一次次为{cust}解决难题中慢慢形成的共识。",
    "{who}始终相信，服务没有最好，只有更好，{cust}的每一条意见都是改进的方向。",
)
OVERVIEWS = (
    "{name}成立于{founded}年，现有成员{members}名，其中女职工{women}名，占{share}，"
    "平均年龄{age}岁，日均接待{cust}约{daily}人次。",
    "{name}组建于{founded}年，目前共有成员{members}名，平均年龄{age}岁，其中女职工"
    "{women}名，占{share}，日均服务{cust}约{daily}人次。",
    "{name}是一支成立于{founded}年的一线服务班组，现有成员{members}名，女职工{women}名，"
    "占{share}，平均年龄{age}岁，每天接待{cust}约{daily}人次。",
)
RESULTS = {
    "team": (
        "{year}年，班组{cust}满意率达到{rate}，收到表扬信{letters}封、锦旗{flags}面，"
        "全年无有效投诉。",
        "{year}年，第三方调查显示班组{cust}满意率为{rate}；全年收到{cust}表扬信{letters}封、"
        "锦旗{flags}面，未发生有效投诉。",
    ),
    "individual": (
        "{year}年，{who}服务的{cust}满意率达到{rate}，个人收到表扬信{letters}封，全年无有效投诉。",
        "{year}年，{cust}对{who}的满意评价率为{rate}，{who}个人收到表扬信{letters}封，"
        "未发生一起有效投诉。",
    ),
}
CLOSINGS = (
    "今后，{who}将继续以{cust}满意为目标，在细节上下功夫，把服务做得更好。",
    "成绩只代表过去。{who}将以创建用户满意服务明星为新的起点，不断提升服务水平。",
    "{who}表示，将珍惜荣誉、再接再厉，让每一位{cust}都能感受到上海服务的温度。",
)


@dataclass(frozen=True)
class NarrativeFacts:
    """What a narrative says of its packet; every figure is the packet's own."""

    industry: str
    unit: str
    name: str  # team or person
    team: bool
    post: str
    founded: int  # the team's founding year, or the year the person took the post
    members: int = 0
    women: int = 0
    women_share: object = None  # the packet's computed share
    average_age: object = None
    satisfaction: str = ""
    year: int = 2025


def _marker(item: str, fill: dict) -> str:
    """The longest stretch of an item that does not depend on who tells it."""
    return max(item.format(who="\0", crew="\0", cust=fill["cust"]).split("\0"), key=len)


def _choose(pool: tuple[str, ...], k: int, fill: dict, told: list[str], rng) -> list[str]:
    """k items of the pool, each time the one that least raises the most this narrative
    shares with any narrative already told, then the least told; ties fall to `rng`."""
    left = list(pool)
    rng.shuffle(left)
    chosen: list[str] = []
    for _ in range(min(k, len(left))):

        def cost(item: str) -> tuple[int, int]:
            marks = [_marker(i, fill) for i in (*chosen, item)]
            shared = [sum(m in text for m in marks) for text in told] or [0]
            return max(shared), sum(marks[-1] in text for text in told)

        best = min(left, key=cost)
        left.remove(best)
        chosen.append(best)
    return [item.format(**fill) for item in chosen]


def narrative(facts: NarrativeFacts, told: list[str] | None = None) -> str:
    """The packet's narrative. `told` are the narratives of its industry already written:
    the stories and measures are chosen to share as little as possible with each of them."""
    trade = TRADES.get(facts.industry, TRADES["commerce"])
    rng = random.Random(f"{facts.unit}{facts.name}")
    fill = {
        "who": "班组" if facts.team else facts.name,
        "crew": "班组成员" if facts.team else facts.name,  # who acted in a story
        "cust": trade.customers,
    }
    told = told or []
    stories = _choose(trade.stories, 3, fill, told, rng)
    measures = _choose(MEASURES if facts.team else HABITS, 5, fill, told, rng)
    sections = [
        _overview(facts, trade, rng),
        rng.choice(trade.ideas) + rng.choice(CREEDS),
        "".join(measures),
        "\n".join(stories),
        _results(facts, rng) + rng.choice(CLOSINGS),
    ]
    body = [f"{h}\n{text.format(**fill)}" for h, text in zip(HEADINGS, sections, strict=True)]
    return "\n".join([title(facts), *body])


HEADINGS = ("一、基本情况", "二、服务理念", "三、主要做法", "四、服务故事", "五、服务成效")


def title(facts: NarrativeFacts) -> str:
    return f"{facts.unit}{facts.name}创建用户满意服务明星事迹材料"


def _overview(facts: NarrativeFacts, trade: Trade, rng: random.Random) -> str:
    if facts.team:
        text = rng.choice(OVERVIEWS).format(
            name=facts.name,
            founded=facts.founded,
            members=facts.members,
            women=facts.women,
            share=percent_text(facts.women_share),
            age=facts.average_age,
            cust="{cust}",
            daily=trade.daily,
        )
    else:
        text = (
            f"{facts.name}，{facts.unit}{facts.post}，{facts.founded}年起在现岗位工作，"
            "日均接待{cust}数十人次，是同事们公认的业务骨干。"
        )
    return text + f"主要承担{trade.service}等工作，服务对象以{trade.served}为主。"


def _results(facts: NarrativeFacts, rng: random.Random) -> str:
    lines = RESULTS["team" if facts.team else "individual"]
    return rng.choice(lines).format(
        year=facts.year,
        rate=percent_text(facts.satisfaction),
        letters=18 + rng.randrange(40) if facts.team else 6 + rng.randrange(20),
        flags=2 + rng.randrange(8),
        who="{who}",
        cust="{cust}",
    )


def recycle(source_text: str, source: NarrativeFacts, facts: NarrativeFacts) -> str:
    """The source's narrative passed off as this packet's: its own title, overview and
    results (its figures are its own), everything else as the source told it."""
    own = narrative(facts).split("\n")
    lines = source_text.replace(source.name, facts.name).split("\n")
    lines[0] = own[0]
    for heading in (HEADINGS[0], HEADINGS[4]):
        lines[lines.index(heading) + 1] = own[own.index(heading) + 1]
    return "\n".join(lines)


def summary(facts: NarrativeFacts) -> str:
    """The form's 主要事迹 in a few sentences."""
    trade = TRADES.get(facts.industry, TRADES["commerce"])
    return (
        f"{facts.name}主要承担{trade.service}工作，坚持以{trade.customers}满意为目标，"
        f"推行首问负责、限时办结和回访制度。{facts.year}年{trade.customers}满意率达到"
        f"{percent_text(facts.satisfaction)}，全年无有效投诉。"
    )
