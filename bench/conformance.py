"""The conformance table over ../shared/corpus: each file read through the registry (content
sniffing, as the inbox does), beside expected.json, with the dialect warnings it reads with (the
departures from its format's standard, expected per file in WARNINGS) or the reason it is refused.
A second table reads the dialect samples of tests/data: the dialects real banks send that the corpus
lacks, each read with its warning, and the layouts no profile fits, each read by the profile
`recon profile draft` writes for it. Prints markdown; exit 1 when any row is wrong.

    .venv/bin/python bench/conformance.py
"""

from __future__ import annotations

import sys
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import shutil
import tempfile

from parsers import registry
from parsers.base import ReadContext
from parsers.tabular.draft import draft
from parsers.tabular.draft_text import render
from parsers.tabular.profile import load_profiles
from reconcile.errors import ParseError
from reconcile.model import Statement
from tests.corpus import CORPUS, expected, malformed

ROOT = Path(__file__).resolve().parents[1]
BANKS = ROOT / "mappings" / "banks"
DATA = ROOT / "tests" / "data"
# Where the peer parser is known wrong, the standard decides: the raw-reference figures.
BY_STANDARD = {
    "mt940/wolph__betterplace_sepa_mt9401.sta": (97, "-9269135.90"),
    "mt940/fruitl00p__Zetb_sample": (8, "-3743.91"),
    "mt940/ocabsi__test-sns.940": (8, "-1715.68"),
    "mt940/wolph__ASNB_0708271685_09022020_164516.940.txt": (8, "56.94"),
    "ofx/ofxgo__wellsfargo.qfx": (1, "-12.34"),
    "ofx/ofxparse__ofx-v102-empty-tags.ofx": (1, "12.34"),
    "ofx/asgrim__ofxdata-selfclose.ofx": (5, "585.00"),
}
# Refused on purpose: amounts with digits beyond the fen, an OFX error response, and (issue 12) a
# library's synthetic samples that book an entry or a balance in another currency than the account
# (CHF account, SEK entry; EUR opening, SEK closing) or date entries seven years after their period.
REFUSED = {
    "ofx/ofxgo__moneymrkt1_v203.ofx": "sub-fen amounts", "ofx/ofxparse__error_message.ofx": "error response",
    "camt/genkgo__camt052.v4.xml": "entry in another currency", "camt/genkgo__camt053.v4.xml": "balance in SEK",
    "camt/genkgo__camt053.v8.xml": "balance in SEK", "camt/genkgo__camt053.v2.multi.statement.xml": "2014 in 2007",
}
# How each corpus file departs from its standard (read all the same, fen-exact); every other file
# read is standard. A warning missing or added is a wrong row.
WARNINGS = {
    "camt/genkgo__camt053.v2.all-balance-types.xml": {"camt.extra_decimals"},
    "camt/genkgo__camt053.v2.five.decimals.xml": {"camt.extra_decimals"},
    "camt/genkgo__camt53.only-Dt-with-DtTm.xml": {"camt.extra_decimals"},
    "camt/subite__LT809872649478701594_CAMT_054_2024-03-14.xml": {"camt.date_from_settlement"},
    "csv/rpilot__dkb.csv": {"csv.stray_quote"},
    "mt940/fruitl00p__Penta_sample": {"mt940.no_type_code"},
    "mt940/fruitl00p__Zetb_sample": {"mt940.no_type_code", "mt940.blank_number"},
    "mt940/mt940rs__danskebank_MT940_DK_Example.sta": {"mt940.outside_text"},
    "mt940/ocabsi__test-sns.940": {"mt940.no_closing"},
    "mt940/wolph__jejik_abnamro.sta": {"mt940.outside_text"},
    "mt940/wolph__jejik_ing.sta": {"mt940.outside_text"},
    "mt940/wolph__jejik_rabobank.sta": {"mt940.outside_text"},
    "mt940/wolph__self-provided_raiffeisen-cmi.sta": {"mt940.encoding"},
    "mt940/zilverline__two_accounts.txt": {"mt940.outside_text"},
    "ofx/asgrim__ofxdata-bb.ofx": {"ofx.charset"},
    "ofx/ofxparse__ofx-v102-empty-tags.ofx": {"ofx.no_fitid"},
    # Lines weeks to months outside their declared FrToDt or DTSTART/DTEND (issue 12):
    "camt/viafintech__053_valid_example_v4.xml": {"range.outside_period"},
    "ofx/beangulp__2013-12-03.bofa.ofx": {"range.outside_period"},
    "ofx/reds__ally_transactions.qfx": {"range.outside_period"},
}
# The dialects of issue 17 the corpus lacks, as samples in tests/data (each refused before it):
# file -> the warnings it must read with; the layouts no profile fits are read by their drafts.
DIALECTS = {
    "mt940/legacy_decimal_point.sta": {"mt940.decimal_point"},
    "mt940/interim_zero_amounts.942": {"mt940.bare_zero"},
    "mt940/bank_own_tags.sta": {"mt940.nonswift_tag"},
    "camt/053_v02_balance_without_sign.xml": {"camt.balance_sign_zero", "camt.balance_sign_missing"},
    "camt/054_v08_undated_booked.xml": {"camt.date_from_message"},
    "tabular/cmb_personal_tab_after_quote.csv": {"csv.space_after_quote"},
}
DRAFTED = ("drafts/psbc_corp_jiaoyimingxi.csv", "drafts/citybank_shouru_zhichu.csv", "drafts/cmbc_corp_mingxi.csv")


def codes(statements: list[Statement]) -> set[str]:
    return {w.code for st in statements for w in st.warnings}


def shown(found: set[str]) -> str:
    return ", ".join(sorted(found)) or "-"


def corpus_rows() -> tuple[list[str], int, int]:
    """The corpus table's rows, how many are wrong, and how many files were read with warnings."""
    rows, bad, warned = [], 0, 0
    for name, exp in sorted(expected().items()):
        data = (CORPUS / name).read_bytes()
        want = BY_STANDARD.get(name) or (exp["n_transactions"], exp["sum_amount"])
        found: set[str] = set()
        try:
            sts = registry.read_bytes(data, ReadContext(file_name=Path(name).name, banks_dir=BANKS, lang="en"))
            n = sum(len(s.lines) for s in sts)
            total = Decimal(sum(ln.amount_fen for s in sts for ln in s.lines)) / 100
            got, found = f"{n} / {total}", codes(sts)
            warned += bool(found)
            if name in malformed() or name in REFUSED:
                verdict = "WRONG: should be refused"
            elif n != want[0] or Decimal(str(want[1])) != total:
                verdict = "WRONG"
            elif found != WARNINGS.get(name, set()):
                verdict = f"WRONG: warnings expected {shown(WARNINGS.get(name, set()))}"
            else:
                verdict = ("read right" + (" (standard, peer wrong)" if name in BY_STANDARD else "")
                           + (", with warnings" if found else ""))
        except ParseError as exc:
            got = "refused: " + exc.render().replace("|", "/").replace("\n", " / ")[:90]
            verdict = ("refused (MALFORMED)" if name in malformed() else
                       f"refused ({REFUSED[name]})" if name in REFUSED else "WRONG: refused")
        except Exception as exc:  # the table must show any traceback-class failure, not die on it
            got, verdict = f"{type(exc).__name__}: {exc}"[:90], "WRONG: exception"
        bad += verdict.startswith("WRONG")
        want_text = "MALFORMED" if name in malformed() else f"{want[0]} / {want[1]}"
        rows.append(f"| {name} | {want_text} | {got} | {shown(found)} | {verdict} |")
    return rows, bad, warned


def _drafted(path: Path) -> list[Statement]:
    """The file read by the profile `recon profile draft` writes for it (in a scratch folder)."""
    with tempfile.TemporaryDirectory() as tmp:
        for p in BANKS.glob("*.toml"):
            shutil.copy(p, tmp)
        text = render(draft(path.read_bytes(), "drafted", load_profiles(BANKS), path.name))
        (Path(tmp) / "drafted.toml").write_text(text, encoding="utf-8")
        return registry.read_bytes(path.read_bytes(), ReadContext(file_name=path.name, banks_dir=Path(tmp),
                                                                  profile="drafted", lang="en"))


def dialect_rows() -> tuple[list[str], int]:
    rows, bad = [], 0
    for name in [*DIALECTS, *DRAFTED]:
        path = DATA / name
        how = "its draft" if name in DRAFTED else "the profiles" if name.startswith("tabular/") else "content"
        try:
            sts = _drafted(path) if name in DRAFTED else registry.read_bytes(
                path.read_bytes(), ReadContext(file_name=path.name, banks_dir=BANKS, lang="en"))
            n = sum(len(s.lines) for s in sts)
            total = Decimal(sum(ln.amount_fen for s in sts for ln in s.lines)) / 100
            found = codes(sts)
            ok = name in DRAFTED or found == DIALECTS[name]
            got, verdict = f"{n} / {total}", ("read" if ok else f"WRONG: warnings expected {shown(DIALECTS[name])}")
        except Exception as exc:  # a refusal here is a wrong row, whatever it is
            found, got, verdict = set(), str(exc).replace("|", "/").replace("\n", " / ")[:90], "WRONG: refused"
        bad += verdict.startswith("WRONG")
        rows.append(f"| {name} | {how} | {got} | {shown(found)} | {verdict} |")
    return rows, bad


def main() -> int:
    if not (CORPUS / "expected.json").exists():
        print(f"corpus not found at {CORPUS}")
        return 0
    rows, bad, warned = corpus_rows()
    print("| file | expected n / Σ | got n / Σ | warnings | verdict |\n|---|---|---|---|---|")
    print("\n".join(rows))
    print(f"\n{len(rows)} files, {len(rows) - bad} as the standard says ({warned} read with warnings), {bad} wrong")
    samples, bad_samples = dialect_rows()
    print("\n| dialect sample (tests/data) | read by | got n / Σ | warnings | verdict |\n|---|---|---|---|---|")
    print("\n".join(samples))
    print(f"\n{len(samples)} dialect samples, {len(samples) - bad_samples} read, {bad_samples} wrong")
    return 1 if bad or bad_samples else 0


if __name__ == "__main__":
    raise SystemExit(main())
