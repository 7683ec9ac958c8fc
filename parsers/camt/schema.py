"""ISO 20022 camt.052 / 053 / 054 names: namespaces, message elements, and Clark-notation tags.

The reader compares `element.tag` strings directly (`{urn:...camt.053.001.02}Ntry`), which is
much cheaper per element than `QName` or XPath; `Tags` precomputes them for one namespace.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

NS_PREFIX = "urn:iso:std:iso:20022:tech:xsd:camt.05"
NS_RE = re.compile(r"urn:iso:std:iso:20022:tech:xsd:camt\.(05[234])\.001\.(\d\d)")
NS_BYTES_RE = re.compile(rb"urn:iso:std:iso:20022:tech:xsd:camt\.05[234]\.001\.\d\d")


@dataclass(frozen=True)
class Message:
    """One camt message type: the element under Document, and its statement-like element."""

    kind: str  # "052", "053", "054"
    element: str  # BkToCstmrStmt, ...
    statement: str  # Stmt, Rpt, Ntfctn
    format: str  # Statement.format
    intraday: bool


_MESSAGES = (
    Message("053", "BkToCstmrStmt", "Stmt", "camt.053", False),
    Message("052", "BkToCstmrAcctRpt", "Rpt", "camt.052", True),
    Message("054", "BkToCstmrDbtCdtNtfctn", "Ntfctn", "camt.054", False),
)
# The 2006 V01 schemas suffix the message element with the version (BkToCstmrAcctRptV01).
MESSAGES: dict[str, Message] = {m.element: m for m in _MESSAGES} | {m.element + "V01": m for m in _MESSAGES}
BY_KIND: dict[str, Message] = {m.kind: m for m in _MESSAGES}
STATEMENT_NAMES = ("Stmt", "Rpt", "Ntfctn")
EXPECTED_MESSAGES = "<BkToCstmrStmt>/<Stmt>, <BkToCstmrAcctRpt>/<Rpt> or <BkToCstmrDbtCdtNtfctn>/<Ntfctn>"

# iterparse only reports these (the filter runs in C); "{*}" matches any namespace, and the reader
# then checks that the namespace is the message's camt namespace.
STREAM_TAGS = ("{*}Stmt", "{*}Rpt", "{*}Ntfctn", "{*}Ntry", "{*}TxDtls")


def namespace_of(tag: str) -> str:
    return tag[1:].partition("}")[0] if tag.startswith("{") else ""


def local_of(tag: str) -> str:
    return tag.rpartition("}")[2]


class Tags:
    """Clark-notation tag names and find() paths for one camt namespace."""

    def __init__(self, ns: str) -> None:
        self.ns = ns
        p = self.prefix = "{" + ns + "}"
        # ReportEntry (Ntry) children
        self.NtryRef = p + "NtryRef"
        self.Amt = p + "Amt"
        self.CdtDbtInd = p + "CdtDbtInd"
        self.RvslInd = p + "RvslInd"
        self.Sts = p + "Sts"
        self.BookgDt = p + "BookgDt"
        self.ValDt = p + "ValDt"
        self.AcctSvcrRef = p + "AcctSvcrRef"
        self.BkTxCd = p + "BkTxCd"
        self.AddtlNtryInf = p + "AddtlNtryInf"
        self.NtryDtls = p + "NtryDtls"
        # choices and codes shared by several elements
        self.Cd = p + "Cd"
        self.Dt = p + "Dt"
        self.DtTm = p + "DtTm"
        self.Domn = p + "Domn"
        self.Prtry = p + "Prtry"
        self.Prtry_Cd = p + "Prtry/" + p + "Cd"
        self.Fmly_Cd = p + "Fmly/" + p + "Cd"
        self.Fmly_SubFmlyCd = p + "Fmly/" + p + "SubFmlyCd"
        # EntryTransaction (TxDtls)
        self.Refs_EndToEndId = p + "Refs/" + p + "EndToEndId"
        self.RltdPties = p + "RltdPties"
        self.RmtInf = p + "RmtInf"
        self.Dbtr = p + "Dbtr"
        self.DbtrAcct = p + "DbtrAcct"
        self.Cdtr = p + "Cdtr"
        self.CdtrAcct = p + "CdtrAcct"
        self.Nm = p + "Nm"
        self.Pty_Nm = p + "Pty/" + p + "Nm"
        self.Ustrd = p + "Ustrd"
        self.Strd = p + "Strd"
        self.CdtrRefInf_Ref = p + "CdtrRefInf/" + p + "Ref"
        self.IntrBkSttlmDt = p + "IntrBkSttlmDt"
        # single tags for the hand-written walks in entry.py and values.py
        self.Refs = p + "Refs"
        self.EndToEndId = p + "EndToEndId"
        self.Pty = p + "Pty"
        self.Othr = p + "Othr"
        self.IBAN = p + "IBAN"
        self.PrtryAcct = p + "PrtryAcct"
        self.RltdDts = p + "RltdDts"
        self.Fmly = p + "Fmly"
        self.SubFmlyCd = p + "SubFmlyCd"
        self.CdtrRefInf = p + "CdtrRefInf"
        self.Ref = p + "Ref"
        # account identification: IBAN, Othr/Id, or PrtryAcct/Id in the V01 schemas
        self.Id_IBAN = p + "Id/" + p + "IBAN"
        self.Id_Othr_Id = p + "Id/" + p + "Othr/" + p + "Id"
        self.Id_PrtryAcct_Id = p + "Id/" + p + "PrtryAcct/" + p + "Id"
        # statement header (Stmt / Rpt / Ntfctn) and balances
        self.Id = p + "Id"
        self.CreDtTm = p + "CreDtTm"
        self.FrToDt = p + "FrToDt"
        self.Acct = p + "Acct"
        self.Bal = p + "Bal"
        self.FrDtTm = p + "FrDtTm"
        self.ToDtTm = p + "ToDtTm"
        self.FrDt = p + "FrDt"
        self.ToDt = p + "ToDt"
        self.Ccy = p + "Ccy"
        self.Ownr_Nm = p + "Ownr/" + p + "Nm"
        self.Ownr_Pty_Nm = p + "Ownr/" + p + "Pty/" + p + "Nm"
        self.Tp_CdOrPrtry_Cd = p + "Tp/" + p + "CdOrPrtry/" + p + "Cd"
        self.Tp_CdOrPrtry_Prtry = p + "Tp/" + p + "CdOrPrtry/" + p + "Prtry"
        self.Tp_Cd = p + "Tp/" + p + "Cd"
        self.Ntry = p + "Ntry"
        self.TxDtls = p + "TxDtls"
