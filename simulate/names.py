"""Chinese-style names and account numbers for the simulated world: employers (某某建筑工程有限公司,
某某中学), people (灵活就业人员, pensioners) and their bank accounts.

Everything is drawn from a `random.Random` handed in, so one seed gives one world.
"""

from __future__ import annotations

import random

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
    "姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀英华兰霞平刚桂英玉萍红梅建国志坚文斌春花海燕德福永贵小龙金凤成林"
WORDS = (
    "宏达", "鑫源", "恒通", "华盛", "金鼎", "盛世", "兴旺", "顺发", "天成", "汇丰", "长城", "永安", "宏图", "富民",
    "新世纪", "凉都", "乌蒙", "黔西南", "红果", "德坞", "明湖", "荷城", "双水", "大河", "老鹰山", "月照", "汪家寨",
    "发耳", "玉舍", "木果", "保田", "响水", "火铺", "松河", "平关", "郎岱", "新窑", "木岗", "岩脚", "落别",
)
TRADES = (
    ("建筑工程有限公司", 10), ("煤矿", 8), ("矿业有限责任公司", 4), ("商贸有限公司", 10), ("运输有限公司", 5),
    ("水泥有限公司", 2), ("电力有限公司", 1), ("房地产开发有限公司", 3), ("宾馆", 3), ("医院", 2),
    ("中学", 3), ("小学", 3), ("农业开发有限公司", 2), ("物流有限公司", 2), ("机械制造有限公司", 2),
    ("洗煤厂", 3), ("焦化有限公司", 1), ("供销合作社", 1), ("信用社", 1), ("汽车销售服务有限公司", 1),
)
_TRADE_POOL = tuple(t for t, w in TRADES for _ in range(w))
BANK_PREFIXES = ("2409", "2301", "5205", "4027", "1048", "6222", "6228", "6217")


def person(rng: random.Random) -> str:
    n = 1 if rng.random() < 0.35 else 2
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(n))


def employer(rng: random.Random, place: str) -> str:
    """An employer name: a place (the county, sometimes dropped), a trade name and a trade."""
    trade = rng.choice(_TRADE_POOL)
    word = rng.choice(WORDS)
    prefix = place if rng.random() < 0.7 else ""
    if trade in ("中学", "小学"):
        return f"{place}第{'一二三四五六七八九'[rng.randrange(9)]}{trade}"
    if trade == "医院":
        return f"{place}{rng.choice(('人民', '中医', '妇幼保健', word))}{trade}"
    return f"{prefix}{word}{trade}"


def account_number(rng: random.Random, digits: int = 19) -> str:
    head = rng.choice(BANK_PREFIXES)
    return head + "".join(str(rng.randrange(10)) for _ in range(digits - len(head)))


def card_number(rng: random.Random) -> str:
    return rng.choice(("622202", "622848", "621700", "623668")) + "".join(
        str(rng.randrange(10)) for _ in range(13)
    )
