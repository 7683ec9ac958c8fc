"""A generated province registry (same schema as mappings/accounts.toml): the provincial pooling
centre (level "city") and Guizhou's 88 county-level divisions, each with pension and unemployment
income and expense accounts at a local bank, the centre's fiscal accounts, two old county fiscal
accounts (legacy_fiscal) and each county bank's 代发过渡户. Account numbers are made up.

Income accounts, which carry most lines, get the fast text layouts (CSV exports, camt, MT940);
expense accounts the Excel exports.
"""

from __future__ import annotations

import random

COUNTIES = (
    "南明区", "云岩区", "花溪区", "乌当区", "白云区", "小河区", "开阳县", "息烽县",
    "修文县", "清镇市", "钟山区", "六枝特区", "水城县", "盘县", "红花岗区", "汇川区",
    "遵义县", "桐梓县", "绥阳县", "正安县", "道真县", "务川县", "凤冈县", "湄潭县",
    "余庆县", "习水县", "赤水市", "仁怀市", "西秀区", "平坝县", "普定县", "镇宁县",
    "关岭县", "紫云县", "铜仁市", "江口县", "玉屏县", "石阡县", "思南县", "印江县",
    "德江县", "沿河县", "松桃县", "万山特区", "兴义市", "兴仁县", "普安县", "晴隆县",
    "贞丰县", "望谟县", "册亨县", "安龙县", "毕节市", "大方县", "黔西县", "金沙县",
    "织金县", "纳雍县", "威宁县", "赫章县", "凯里市", "黄平县", "施秉县", "三穗县",
    "镇远县", "岑巩县", "天柱县", "锦屏县", "剑河县", "台江县", "黎平县", "榕江县",
    "从江县", "雷山县", "麻江县", "丹寨县", "都匀市", "福泉市", "荔波县", "贵定县",
    "瓮安县", "独山县", "平塘县", "罗甸县", "长顺县", "龙里县", "惠水县", "三都县",
)
BANKS = (
    ("中国工商银行", "icbc_historydetail", "abc_zhanghumingxi"),
    ("中国农业银行", "boc_corp", "abc_zhanghumingxi"),
    ("中国建设银行", "icbc_historydetail", "ccb_mingxi"),
    ("中国银行", "boc_corp", "ccb_mingxi"),
    ("农村信用合作联社", "camt", "rcc_jiaoyimingxi"),
    ("贵州银行", "mt940", "icbc_historydetail"),
)
FUNDS = (("pension", "基本养老保险基金", "养老", "1"), ("unemployment", "失业保险基金", "失业", "2"))


def _q(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _account(number: str, name: str, aliases: list[str], entity: str, fund: str, role: str, bank: str,
             profile: str) -> str:
    al = ", ".join(_q(a) for a in aliases)
    return (f"[[account]]\nnumber = {_q(number)}\nname = {_q(name)}\naliases = [{al}]\nentity = {_q(entity)}\n"
            f"fund = {_q(fund)}\nrole = {_q(role)}\nbank = {_q(bank)}\nprofile = {_q(profile)}\n")


def registry_toml(seed: int) -> str:
    rng = random.Random(f"{seed}/province")
    out = ["# A generated province registry (recon simulate --scale province). Every number is made up.\n",
           '[[entity]]\ncode = "GZ"\nname = "贵州省"\nlevel = "city"\n']
    codes = [f"C{i + 1:02d}" for i in range(len(COUNTIES))]
    for code, name in zip(codes, COUNTIES, strict=True):
        out.append(f'[[entity]]\ncode = "{code}"\nname = "{name}"\nlevel = "county"\n')
    for fund, fname, word, _ in FUNDS:
        out.append(f'[[fund]]\ncode = "{fund}"\nname = "{fname}"\nkeywords = ["{word}"]\n')
    centre = "贵州省社会保险事业局"
    for fund, fname, word, digit in FUNDS:
        out.append(_account(f"52000{digit}0100000001", f"{centre}{fname}收入户", [f"省社保{word}收入户"], "GZ", fund,
                            "income", "中国银行贵州省分行", "boc_corp"))
        out.append(_account(f"52000{digit}0200000002", f"{centre}{fname}支出户", [f"省社保{word}支出户"], "GZ", fund,
                            "expense", "贵州银行营业部", "camt"))
        out.append(_account(f"52000{digit}0900000009", f"贵州省财政厅社会保障基金财政专户（{word}）",
                            [f"省财政{word}专户"], "GZ", fund, "fiscal", "中国建设银行贵州省分行",
                            "mt940" if fund == "pension" else "ofx"))
    externals = []
    for i, (code, name) in enumerate(zip(codes, COUNTIES, strict=True)):
        bank, income_profile, expense_profile = BANKS[rng.randrange(len(BANKS))]
        branch = f"{bank}{name}支行"
        base = f"52{i + 10:03d}"
        for fund, fname, word, digit in FUNDS:
            for role, rname, r, profile in (("income", "收入户", "1", income_profile),
                                            ("expense", "支出户", "2", expense_profile)):
                number = f"{base}{digit}{r}{rng.randrange(10**9, 10**10)}"
                out.append(_account(number, f"{name}社会保险事业局{fname}{rname}", [f"{name}社保局{word}{rname}"],
                                    code, fund, role, branch, profile))
        if i < 2:
            fund, fname, word, digit = FUNDS[i]
            out.append(_account(f"{base}{digit}9{rng.randrange(10**9, 10**10)}",
                                f"{name}财政局社会保障基金财政专户（{word}，原县级专户）",
                                [f"{name}财政局社保基金专户"], code, fund, "legacy_fiscal", branch,
                                "icbc_historydetail"))
        externals.append(f"[[external]]\nnumber = \"{base}99{rng.randrange(10**9, 10**10)}\"\n"
                         f"name = {_q(branch + '代发过渡户')}\naliases = [{_q(name + '代发过渡户')}]\n"
                         'paid_by = ["expense"]\ndisbursement = true\n')
    out.append('[[external]]\nnumber = "52000000000000088801"\nname = "贵州省社会保险事业局省级调剂金专户"\n'
               'aliases = ["省级调剂金"]\npaid_by = ["fiscal"]\ndisbursement = false\n')
    out.extend(externals)
    return "\n".join(out)
