"""Field 86 (information to account owner) decoded into text, remark and counterparty.

SWIFT defines :86: as 6*65x free text and leaves its content to the banks. Three layouts occur:

- German ZKA/DFÜ structure (also Polish and Austrian banks): an optional 3-digit business
  transaction code (GVC), then subfields `?nn`: ?00 posting text, ?10 primanota, ?20-?29 and
  ?60-?63 remittance information (Verwendungszweck), ?30 bank code, ?31 account, ?32-?33 name,
  ?34 text key addition, ?38 IBAN. The 65-character line breaks are mechanical and fall anywhere,
  even inside a `?nn` marker, so lines are joined without a separator before splitting.
  Remittance of SEPA payments carries keywords (EREF+, MREF+, SVWZ+ ...); the payer's own words
  are the SVWZ+ part.
- Dutch SEPA structure: `/KEY/value` pairs (/EREF/, /CNTP/account/BIC/name/city, /NAME/, /IBAN/,
  /REMI/ ...).
- Free text. A line filled to the full 65 characters was wrapped mechanically and continues
  without a space; a shorter line ended where the bank ended it. Padding spaces are dropped.

The result: `text` is the whole field as readable text (structured: posting text and remittance),
`remark` the remittance information where the layout tells it apart.
"""

from __future__ import annotations

import re

LINE = 65  # SWIFT line length of field 86 (6*65x)

_ZKA_START = re.compile(r"\s*(?:\d{3})?\?\d\d")
_ZKA_SUB = re.compile(r"\?(\d\d)")
SEPA_KEY = re.compile(r"(EREF|KREF|MREF|CRED|DEBT|SVWZ|ABWA|ABWE|IBAN|BIC|PURP|COAM|OAMT|SQTP|ORCR|ORMR)\+")
_NL_KEYS = (
    "EREF|CNTP|REMI|NAME|IBAN|BIC|ORDP|BENM|ADDR|ISDT|TRTP|MARF|CSID|RTRN|PREF|ULTC|ULTD|ULTB|"
    "PURP|SUM|OCMT|CHGS|BUSP|SVCL|OGB|VA|OSDR|EXCH|TRCD|ATTN|CNTR|INFO"
)
_NL_START = re.compile(rf"/(?:{_NL_KEYS})/")
_NL_SPLIT = re.compile(rf"/({_NL_KEYS})/")
_REMI_PREFIX = re.compile(r"^(?:USTD|STRD)/(?:[A-Z]{3,4})?/")


# (text, remark, counterparty name, counterparty account, end-to-end id, structured?).
# A plain tuple: one is made per statement line and a dataclass would cost more than the parse.
Details = tuple[str, str, str, str, str, bool]


def join_free(lines: list[str]) -> str:
    """Free-text lines as one string: full 65-character lines continue without a space."""
    out: list[str] = []
    glue = False
    for raw in lines:
        s = raw.rstrip()
        if s:
            if out and not glue:
                out.append(" ")
            out.append(s.strip() if not glue else s)
        glue = len(raw) >= LINE and raw == s  # wrapped at the limit, not padded
    return "".join(out).strip()


def decode(field: str) -> Details:
    """Decode one or more consecutive :86: fields (lines separated by LF) of one :61: line."""
    raw = field.replace("\n", "") if "\n" in field else field
    if _ZKA_START.match(raw):
        return _zka(raw)
    text = join_free(field.split("\n"))
    if _NL_START.match(text):
        return _dutch(text)
    return text, "", "", "", "", False


_REMITTANCE = frozenset(("20", "21", "22", "23", "24", "25", "26", "27", "28", "29", "60", "61", "62", "63"))
# A subfield's code -> its group in `_zka` (posting text, account, name, IBAN, remittance).
_GROUP = {"00": 0, "31": 1, "32": 2, "33": 2, "38": 3, **dict.fromkeys(_REMITTANCE, 4)}


def _zka(raw: str) -> Details:
    parts = _ZKA_SUB.split(raw.lstrip())
    # One pass over the (code, value) subfields, each kept in its group in order (a line's
    # subfields used to be walked once per group: five passes).
    posting: list[str] = []
    remit: list[str] = []
    name: list[str] = []
    acct31: list[str] = []
    acct38s: list[str] = []
    groups = (posting, acct31, name, acct38s, remit)  # in the order of `_GROUP`'s numbers
    for c, v in zip(parts[1::2], parts[2::2], strict=True):
        g = _GROUP.get(c)
        if g is not None:
            groups[g].append(v)
    acct = "".join(acct31)
    acct38 = "".join(acct38s)
    post = "".join(posting).strip()
    remittance = "".join(remit).strip()
    remark, e2e = remittance, ""
    if "+" in remittance[3:5] and SEPA_KEY.match(remittance):
        seg = _sepa(remittance)
        remark = seg.get("SVWZ", "")
        e2e = seg.get("EREF", "")
        if e2e == "NOTPROVIDED":
            e2e = ""
    text = f"{post} {remittance}" if post and remittance else post or remittance
    return text, remark, "".join(name).strip(), acct.strip() or acct38.strip(), e2e, True


def _sepa(remittance: str) -> dict[str, str]:
    parts = SEPA_KEY.split(remittance)
    out: dict[str, str] = {}
    for i in range(1, len(parts) - 1, 2):
        out.setdefault(parts[i], parts[i + 1].strip())
    return out


def _dutch(text: str) -> Details:
    parts = _NL_SPLIT.split(text)
    vals: dict[str, str] = {}
    for i in range(1, len(parts) - 1, 2):
        vals.setdefault(parts[i], parts[i + 1].strip().strip("/").strip())
    name, account = vals.get("NAME", ""), vals.get("IBAN", "")
    if "CNTP" in vals:  # /CNTP/account/BIC/name/city/
        cntp = vals["CNTP"].split("/")
        account = account or cntp[0].strip()
        if len(cntp) > 2:
            name = name or cntp[2].strip()
    remark = _REMI_PREFIX.sub("", vals.get("REMI", "")).strip("/").strip()
    e2e = vals.get("EREF", "")
    return text, remark, name, account, "" if e2e == "NOTPROVIDED" else e2e, True
