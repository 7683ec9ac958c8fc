"""Round trip for every Chinese profile: random statement -> the bank's layout -> read -> the same.

The generated statement is first reduced to what the layout can carry (a layout without a 用途
column cannot give a remark back), so the property is: nothing the layout holds is lost or changed.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from parsers.base import ReadContext
from parsers.tabular import FORMAT, write
from parsers.tabular.header import norm
from parsers.tabular.profile import Profile, load_profiles
from reconcile.model import Line, RefStrength, Statement
from reconcile.money import fen_limit

CHINESE = (
    "示例县市省财政局社会保险事业养老失业基金收入支出户专户划转拨付上解下拨缴利息结算代发退回原渠道"
    "中国工商农业建设银行分支行营业部有限公司医院学校甲乙丙丁戊己年月日号第"
)
TEXT = st.text(alphabet=CHINESE + "ABCxyz0123456789-()（）/，。、", min_size=1, max_size=24)
OPT_TEXT = st.one_of(st.just(""), TEXT)
ACCOUNT = st.from_regex(r"[1-9][0-9]{11,19}", fullmatch=True)
MAX_FEN = 10**15 - 1  # 15 significant digits: the most an Excel number cell holds exactly


@pytest.fixture(autouse=True, scope="module")
def _wide_amounts() -> Iterator[None]:
    """The round trip over amounts beyond the default limit of one amount (10^13 fen), which
    `tests/parsers/test_values_in_range.py` tests: here the writer and reader are the subject."""
    with fen_limit(10**16):
        yield
FEN = st.one_of(st.sampled_from([0, 1, -1, MAX_FEN, -MAX_FEN]), st.integers(-MAX_FEN, MAX_FEN))
DATES = st.dates(date(2000, 1, 1), date(2030, 12, 31))

PROFILES = [
    ("icbc_historydetail", "csv"), ("icbc_historydetail", "xlsx"), ("icbc_historydetail_v3", "xlsx"),
    ("boc_corp", "csv"), ("abc_zhanghumingxi", "xlsx"), ("ccb_mingxi", "xlsx"), ("rcc_jiaoyimingxi", "xlsx"),
    ("boc_personal_tsv", "csv"), ("alipay", "csv"), ("cmb_personal", "csv"),
]


@st.composite
def statements(draw: st.DrawFn, max_lines: int = 30) -> Statement:
    acct = draw(ACCOUNT)
    lines = []
    for _ in range(draw(st.integers(0, max_lines))):
        cp = draw(st.one_of(st.just(""), ACCOUNT.filter(lambda a: a != acct)))
        ref = draw(st.one_of(st.just(""), st.from_regex(r"[A-Z0-9][A-Z0-9-]{0,20}", fullmatch=True)))
        lines.append(Line(
            booking_date=draw(DATES), amount_fen=draw(FEN), value_date=draw(st.one_of(st.none(), DATES)),
            counterparty_account=cp, counterparty_name=draw(OPT_TEXT), text=draw(OPT_TEXT),
            remark=draw(OPT_TEXT), bank_ref=ref, ref_strength=RefStrength.STRONG if ref else RefStrength.NONE,
            balance_fen=draw(st.one_of(st.none(), FEN)),
        ))
    start, end = sorted([draw(DATES), draw(DATES)])
    has_period = draw(st.booleans())
    return Statement(
        account=acct, account_name=draw(TEXT), period_start=start if has_period else None,
        period_end=end if has_period else None, opening_fen=draw(st.one_of(st.none(), FEN)),
        closing_fen=draw(st.one_of(st.none(), FEN)), lines=tuple(lines),
    )


def carried(p: Profile, s: Statement) -> Statement:
    """What of `s` the layout of `p` can hold, as the reader gives it back."""
    head = {norm(h) for h in p.layout.get("header", [])}
    pre = repr(p.layout.get("preamble", []))

    def has(f: str) -> bool:
        spec = p.columns.get(f)
        return spec is not None and not isinstance(spec, int) and any(norm(x) in head for x in spec)

    sides = has("payer_account") or has("counterparty_account")
    lines = tuple(
        ln._replace(
            value_date=ln.value_date if has("value_date") else None,
            counterparty_account=ln.counterparty_account if sides else "",
            counterparty_name=ln.counterparty_name if has("counterparty_name") or has("payer_name") else "",
            text=ln.text if has("text") else "", remark=ln.remark if has("remark") else "",
            bank_ref=ln.bank_ref if has("bank_ref") else "",
            ref_strength=RefStrength(p.ref_strength) if has("bank_ref") and ln.bank_ref else RefStrength.NONE,
            balance_fen=ln.balance_fen if has("balance") else None,
        )
        for ln in s.lines
    )
    account_known = "{account}" in pre or (has("own_account") and lines)
    return dataclasses.replace(
        s, lines=lines, account=s.account if account_known else "", format=f"tabular:{p.name}",
        account_name=s.account_name if "{account_name}" in pre else "",
        period_start=s.period_start if "{period}" in pre else None,
        period_end=s.period_end if "{period}" in pre else None,
        opening_fen=s.opening_fen if "{opening}" in pre else None,
        closing_fen=s.closing_fen if "{closing}" in pre else None,
    )


def without_sources(sts: list[Statement]) -> list[Statement]:
    return [dataclasses.replace(s, source="", lines=tuple(ln._replace(source="") for ln in s.lines))
            for s in sts]


@pytest.mark.parametrize(("name", "kind"), PROFILES)
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(s=statements())
def test_a_statement_written_in_a_banks_layout_reads_back_the_same(name: str, kind: str, s: Statement) -> None:
    p = load_profiles(None)[name]
    data = write([s], name, kind=kind)
    got = FORMAT.read(data, ReadContext(file_name=f"x.{kind}", profile=None))
    assert without_sources(got) == [carried(p, s)]


@pytest.mark.parametrize(("name", "kind"), PROFILES)
def test_a_long_statement_round_trips_and_names_every_line(name: str, kind: str) -> None:
    lines = tuple(
        Line(booking_date=date(2024, 1 + i % 12, 1 + i % 28), amount_fen=(i * 7919 % 200001) - 100000,
             counterparty_account=str(10**15 + i), counterparty_name=f"示例单位{i}", text="转账", remark=f"第{i}笔",
             bank_ref=f"R{i:06d}", balance_fen=i * 100)
        for i in range(3000)
    )
    s = Statement(account="52099999999999999901", account_name="示例市财政局社会保障基金财政专户", lines=lines)
    p = load_profiles(None)[name]
    got = FORMAT.read(write([s], name, kind=kind), ReadContext())
    assert without_sources(got) == [carried(p, s)]
    assert len({ln.source for ln in got[0].lines}) == 3000


def test_the_icbc_layout_is_written_in_gbk_and_the_boc_layout_with_a_utf8_bom() -> None:
    s = Statement(account="2409099999000012345", lines=(Line(date(2024, 3, 1), 123456, text="利息划入"),))
    icbc = write([s], "icbc_historydetail")
    assert icbc.startswith("[HISTORYDETAIL]\r\n凭证号".encode("gbk")) and "利息划入".encode("gbk") in icbc
    assert write([s], "boc_corp").startswith("\ufeff查询账号".encode())
    assert write([s], "ccb_mingxi").startswith(b"PK\x03\x04")
