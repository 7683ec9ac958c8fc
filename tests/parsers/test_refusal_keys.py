"""Every refusal of a parser is said through the catalogue (issue 16, item 6).

A `ParseError` without `key=` can only say its English text, so a Chinese user would read English:
the source is scanned so that no such call comes back; and a few real refusals are rendered in zh.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from parsers.base import ReadContext
from parsers.camt import FORMAT as CAMT
from parsers.mt940 import FORMAT as MT940
from parsers.ofx import FORMAT as OFX
from reconcile.errors import ParseError
from reconcile.messages import CATALOGUE

ROOT = Path(__file__).resolve().parents[2]
RAISED = ("ParseError", "AmountError")
# Said through the catalogue in the reader's language already (profile.* keys, ReadContext.lang).
IN_READERS_LANGUAGE = {"no_profile_fits"}


def keyless_calls(folder: str) -> list[str]:
    out = []
    for path in sorted((ROOT / folder).rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")
            said = node.args[0] if node.args else None
            if isinstance(said, ast.Call) and getattr(said.func, "id", "") in IN_READERS_LANGUAGE:
                continue
            if name in RAISED and not any(k.arg in ("key", None) for k in node.keywords):
                out.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    return out


@pytest.mark.parametrize("folder", ["parsers", "reconcile", "jobs"])
def test_every_parse_error_names_its_catalogue_sentence(folder: str) -> None:
    assert keyless_calls(folder) == []


def test_every_key_a_parser_names_is_in_the_catalogue() -> None:
    """Literal keys only (an f-string key is checked by the refusals below)."""
    missing = []
    for path in sorted((ROOT / "parsers").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", "") in RAISED:
                for k in node.keywords:
                    literal = isinstance(k.value, ast.Constant)
                    if k.arg == "key" and literal and f"parse.{k.value.value}" not in CATALOGUE:  # type: ignore[attr-defined]
                        missing.append(f"{path.relative_to(ROOT)}:{node.lineno} parse.{k.value.value}")  # type: ignore[attr-defined]
    assert missing == []


CAMT_NO_ACCOUNT = b"""<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt>
<GrpHdr><MsgId>1</MsgId><CreDtTm>2024-03-04T10:00:00</CreDtTm></GrpHdr>
<Stmt><Id>S1</Id><CreDtTm>2024-03-04T10:00:00</CreDtTm><Acct><Ccy>CNY</Ccy></Acct>
<Ntry><Amt Ccy="CNY">1.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts>
<BookgDt><Dt>2024-03-04</Dt></BookgDt></Ntry></Stmt></BkToCstmrStmt></Document>"""
MT940_UNKNOWN_TAG = b":20:REF\r\n:25:12345\r\n:99:what\r\n"
MT940_TRUNCATED = b":20:REF\r\n:25:12345\r\n:28C:1\r\n:60F:C240301CNY100,00\r\n"
MT940_BAD_BALANCE = b":20:REF\r\n:25:12345\r\n:28C:1\r\n:60F:C2403CNY100\r\n"
OFX_NO_AMOUNT = b"""OFXHEADER:100
DATA:OFXSGML
VERSION:102

<OFX><BANKMSGSRSV1><STMTTRNRS><STMTRS><CURDEF>CNY
<BANKACCTFROM><BANKID>1<ACCTID>12345<ACCTTYPE>CHECKING</BANKACCTFROM>
<BANKTRANLIST><DTSTART>20240301<DTEND>20240331
<STMTTRN><TRNTYPE>CREDIT<DTPOSTED>20240304<FITID>1</STMTTRN>
</BANKTRANLIST><LEDGERBAL><BALAMT>1.00<DTASOF>20240331</LEDGERBAL></STMTRS></STMTTRNRS></BANKMSGSRSV1></OFX>
"""


def refusal(fmt: object, data: bytes, **kw: object) -> ParseError:
    with pytest.raises(ParseError) as caught:
        fmt.read(data, ReadContext(file_name="f"), **kw)  # type: ignore[attr-defined]
    return caught.value


@pytest.mark.parametrize(("fmt", "data", "kw", "zh", "en"), [
    (CAMT, CAMT_NO_ACCOUNT, {}, "应写明 Stmt 的账号", "expected the account of the Stmt"),
    (MT940, MT940_UNKNOWN_TAG, {}, "未知字段标签 ':99:'", "unknown field tag ':99:'"),
    (MT940, MT940_TRUNCATED, {}, "对账单被截断：文件在期末余额", "is truncated: the end of the file comes before"),
    (MT940, MT940_BAD_BALANCE, {}, ":60F: 应为借贷标记 C 或 D", ":60F: expected mark C or D"),
    (OFX, OFX_NO_AMOUNT, {"reader": "stream"}, "STMTTRN 中应有 TRNAMT（金额）",
     "expected TRNAMT (the amount) in STMTTRN"),
    (OFX, OFX_NO_AMOUNT, {"reader": "ofxparse"}, "应有 TRNAMT（金额）", "expected TRNAMT (the amount)"),
], ids=["camt", "mt940-tag", "mt940-truncated", "mt940-balance", "ofx-stream", "ofx-ofxparse"])
def test_a_refusal_is_said_in_chinese(fmt: object, data: bytes, kw: dict[str, object], zh: str, en: str) -> None:
    err = refusal(fmt, data, **kw)
    assert err.key, err.message
    said = err.render("zh")
    assert zh in said and said.startswith("f，"), said
    assert en in err.render("en") and en in str(err)
    # nothing English of ours: what is left after the codes, tags and the library's words is Chinese
    ours = said.split("ofxparse：")[0]
    assert not re.search(r"\b(?:expected|found|the|is|of|in)\b", ours), said


@pytest.mark.parametrize(("body", "zh", "en"), [
    ("年度,单位,险种,月份,收入预算,支出预算\n2008,钟山区,养老,13,1.00,1.00\n",
     "月份：应为 2008 年的月份（1-12 或 2008-MM），实为 '13'", "month: expected a month of 2008 (1-12 or 2008-MM)"),
    ("年度,单位,险种,月份,收入预算,支出预算\n2008,贵阳市,养老,1,1.00,1.00\n",
     "单位：应为单位代码或名称", "entity: expected an entity code or name"),
    ("年度,单位,险种,月份,收入预算,支出预算\n2008,钟山区,养老,,1.00,1.00\n2008,钟山区,养老,2,1.00,1.00\n",
     "的预算既有全年行又有分月行", "has both a yearly row and monthly rows"),
], ids=["month", "entity", "shape"])
def test_a_budget_refusal_is_said_in_chinese(body: str, zh: str, en: str) -> None:
    from parsers import schedules
    from reconcile.accounts import load_registry

    with pytest.raises(ParseError) as caught:
        schedules.read(body.encode(), "预算.csv", load_registry(ROOT / "mappings" / "accounts.toml"))
    err = caught.value
    assert err.key and zh in err.render("zh") and en in str(err), (err.render("zh"), str(err))
