"""The book side's records: a journal as its export says it (`Journal`, `JournalEntry`), what the
matcher reads from the ledger (the stored `JournalEntry`, `JournalSpan`, and the bank's lines as the core's
stored `Line`, reconcile/model.py), and what it returns
(`Match`, `Item`, `MonthStatement`).

Amounts are signed integer fen from the account holder's side, like statement lines: money into the
account (借方 in the journal of an asset account, a credit on the bank's statement) positive, money
out negative. So a journal entry and the bank line of the same transfer carry the same sign.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

from reconcile.model import Line

# The four kinds of 未达账项, each named for who has booked it and who has not.
BOOK_IN = "book_in"  # 企业已收、银行未收: a journal receipt not yet on the statement
BOOK_OUT = "book_out"  # 企业已付、银行未付: a journal payment not yet on the statement
BANK_IN = "bank_in"  # 银行已收、企业未收: a statement credit not yet in the journal
BANK_OUT = "bank_out"  # 银行已付、企业未付: a statement debit not yet in the journal
SIDES = (BOOK_IN, BOOK_OUT, BANK_IN, BANK_OUT)


class JournalEntry(NamedTuple):
    """One row of a bank journal: a voucher's line on the bank account's subject. Read back from the
    store, the same record also carries its identity there (`id`, `fingerprint`, the file's name);
    NamedTuples, like statement lines, for the records a province year holds in millions (three
    times cheaper to build than a frozen dataclass)."""

    entry_date: date
    amount_fen: int  # + 借方/收入 (money in), − 贷方/支出 (money out)
    voucher: str = ""  # 凭证号 / 凭证字号, e.g. 记-0012
    text: str = ""  # 摘要
    counterparty: str = ""  # 对方科目 or 对方单位, where the export has one
    settlement_ref: str = ""  # 结算号 / 票据号
    balance_fen: int | None = None  # the journal's running balance after this entry
    source: str = ""  # "line 12", "sheet 日记账 row 9"
    id: int = 0  # the stored entry's id; 0 as parsed
    fingerprint: str = ""
    file_name: str = ""

    @property
    def where(self) -> str:
        return f"{self.file_name}:{self.source}" if self.source else self.file_name


@dataclass(frozen=True, slots=True)
class Journal:
    """One journal export: the title block's facts and the entries, in file order."""

    subject: str = ""  # 科目 as the title writes it: "100201 银行存款—工行"
    account: str = ""  # an account number the title block names (账号), cleaned
    unit: str = ""  # 单位 / 核算单位
    period_start: date | None = None  # 期间, else the first entry's date
    period_end: date | None = None
    opening_fen: int | None = None  # 期初余额 / 上年结转 / 承前页, else derived from the first balance
    entries: tuple[JournalEntry, ...] = ()
    format: str = ""  # "book:<profile>"
    source: str = ""  # where the header row sits

    @property
    def closing_fen(self) -> int | None:
        if self.opening_fen is None:
            return None
        return self.opening_fen + sum(e.amount_fen for e in self.entries)

    def covered_period(self) -> tuple[date, date] | None:
        """The declared period, else first to last entry date."""
        if self.period_start and self.period_end:
            return self.period_start, self.period_end
        days = [e.entry_date for e in self.entries]
        if not days:
            return None
        return self.period_start or min(days), self.period_end or max(days)



def bank_summary(line: Line) -> str:
    """A bank line's 摘要 as the book side shows it: the bank's text and the payer's remark as one
    (once when they say the same)."""
    text, remark = line.text.strip(), line.remark.strip()
    return text if not remark or remark == text else f"{text}：{remark}" if text else remark


@dataclass(frozen=True, slots=True)
class JournalSpan:
    """A stored journal's declared period and opening balance (the book balance's anchor)."""

    period_start: date
    period_end: date
    opening_fen: int | None
    order: str = ""  # a stable tie-break between journals of the same period (file sha, index)


class Match(NamedTuple):
    """Journal entries and bank lines that are one transaction. `how`: `one` (one to one), `lines`
    (one entry, several bank lines of one day), `entries` (one bank line, several entries of one
    day). `reason` says what chose this candidate: `only`, `nearest`, `counterparty`, `order`, `sum`."""

    entries: tuple[int, ...]  # indices into the account's entries
    lines: tuple[int, ...]  # indices into the account's bank lines
    how: str
    days_apart: int
    reason: str
    cleared: date  # the later of the two sides' dates: from this day on, neither is outstanding


class KeptMatch(NamedTuple):
    """A match kept between nights (store.bookkept): its records by id, and the date of the record
    whose turn made it (reconcile.book.run.decided_on)."""

    entry_ids: tuple[int, ...]
    line_ids: tuple[int, ...]
    how: str
    days_apart: int
    reason: str
    cleared: date
    decided: date


class Item(NamedTuple):
    """One 未达账项 at a month end (or at the as-of date)."""

    side: str  # one of SIDES
    day: date
    amount_fen: int  # absolute
    ref: str  # voucher number or bank reference
    text: str
    counterparty: str
    age_days: int  # calendar days from `day` to the statement's date
    fingerprint: str
    record_id: int  # the journal entry's or the bank line's id
    where: str = ""


@dataclass(frozen=True, slots=True)
class MonthStatement:
    """The 银行存款余额调节表 of one account at one month end.

    `state`: `balanced` (both adjusted balances agree), `difference`, `no_statement` (no bank
    statement covers the month's last day), `no_journal` (no journal covers it), `no_bank_balance`
    (statements without balances). Figures are None where the state leaves them unknown.
    """

    account: str
    month: str  # YYYY-MM
    month_end: date
    state: str
    bank_balance_fen: int | None = None
    book_balance_fen: int | None = None
    book_in_fen: int = 0
    book_out_fen: int = 0
    bank_in_fen: int = 0
    bank_out_fen: int = 0
    matched: int = 0  # matches cleared within the month
    items: tuple[Item, ...] = ()

    @property
    def adjusted_bank_fen(self) -> int | None:
        """银行对账单余额 + 企业已收银行未收 − 企业已付银行未付."""
        if self.bank_balance_fen is None:
            return None
        return self.bank_balance_fen + self.book_in_fen - self.book_out_fen

    @property
    def adjusted_book_fen(self) -> int | None:
        """企业账面余额 + 银行已收企业未收 − 银行已付企业未付."""
        if self.book_balance_fen is None:
            return None
        return self.book_balance_fen + self.bank_in_fen - self.bank_out_fen

    @property
    def difference_fen(self) -> int | None:
        """Adjusted bank balance − adjusted book balance; 0 when the statement balances."""
        bank, book = self.adjusted_bank_fen, self.adjusted_book_fen
        return None if bank is None or book is None else bank - book


@dataclass(frozen=True)
class KeptMonths:
    """The statements of an account's month ends before a restart, kept from earlier runs
    (store.bookkept), as far as a night reads them: those with a difference whole (their findings
    are found again), the others only counted (the run's figures: how many of each state, the
    matches they cleared, the last one's month end). Reading every one of them whole each night
    grew with history (bench/RESULTS.md, i18books5)."""

    differing: tuple[MonthStatement, ...] = ()  # by month
    states: tuple[tuple[str, int], ...] = ()  # (state, how many)
    matched: int = 0
    last_end: date | None = None


NONE_KEPT = KeptMonths()


def journal_to_dict(j: Journal, file_name: str = "") -> dict[str, object]:
    """The JSON view of a journal (`recon parse --json` and the golden files share it)."""
    return {
        "format": j.format, "subject": j.subject, "account": j.account, "unit": j.unit,
        "period_start": j.period_start.isoformat() if j.period_start else None,
        "period_end": j.period_end.isoformat() if j.period_end else None,
        "opening_fen": j.opening_fen, "closing_fen": j.closing_fen,
        "entries": [{"date": e.entry_date.isoformat(), "amount_fen": e.amount_fen, "voucher": e.voucher,
                     "text": e.text, "counterparty": e.counterparty, "settlement_ref": e.settlement_ref,
                     "balance_fen": e.balance_fen,
                     "source": f"{file_name}:{e.source}" if file_name and e.source else e.source or file_name}
                    for e in j.entries],
    }
