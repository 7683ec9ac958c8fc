"""Immutable domain records: what a statement file says, after parsing and as the ledger keeps it.

A `Line` remembers where it came from (`source`: the line number or element path in its file), so
every finding can point at the lines behind it. Amounts are signed integer fen from the account
holder's side: credits (money in) positive, debits (money out) negative. A parsed line has no
ledger identity yet; the same record read back from the store carries it (`id`, `account`,
`fingerprint`, `file_name`), and the engine and the report take it as it is.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from enum import StrEnum
from itertools import compress, repeat
from operator import is_, itemgetter
from typing import NamedTuple

from reconcile.departures import Departure


class EntryStatus(StrEnum):
    """Booking status of an entry. Only BOOK lines are stored; the others are shown by `recon parse`."""

    BOOK = "BOOK"
    PDNG = "PDNG"
    INFO = "INFO"


class RefStrength(StrEnum):
    """How far a bank's serial can be trusted to identify one line on its own."""

    NONE = "none"
    WEAK = "weak"  # e.g. 凭证号: repeats across lines
    STRONG = "strong"  # e.g. 交易流水号, camt AcctSvcrRef, OFX FITID


class Line(NamedTuple):
    """One statement line. Immutable like the other records; a NamedTuple rather than a frozen
    dataclass because parsers build millions of them and a frozen dataclass costs three times as
    much to construct (measured: 2.9 µs against 0.9 µs). Use `line._replace(...)` to derive one.

    Parsed, a line has only what its file says; stored (store/snapshot.py, store/inputs.py,
    store/reporting.py) it also has its ledger identity, the last four fields: the engine, the
    report and the desk read that one record."""

    booking_date: date
    amount_fen: int
    value_date: date | None = None
    counterparty_account: str = ""
    counterparty_name: str = ""
    text: str = ""  # the bank's own text (摘要, camt AddtlNtryInf, MT940 :86:, OFX NAME)
    remark: str = ""  # the payer's remark (用途, 附言, camt RmtInf, OFX MEMO)
    bank_ref: str = ""
    ref_strength: RefStrength = RefStrength.NONE
    balance_fen: int | None = None  # running balance after this line, where the file gives one
    source: str = ""  # "line 12", "row 9 of sheet 明细", "Stmt[1]/Ntry[3]"
    status: EntryStatus = EntryStatus.BOOK
    reversal: bool = False  # camt RvslInd, MT940 RC/RD: a return booking, sign as booked
    type_code: str = ""  # bank transaction code (camt BkTxCd, MT940 type, OFX TRNTYPE)
    details_count: int = 0  # camt TxDtls under the entry
    end_to_end_id: str = ""
    # Given by the ledger once stored (0 and "" while parsed):
    id: int = 0  # the ledger's line id
    account: str = ""  # the account the statement was bound to
    fingerprint: str = ""  # the line's identity in the ledger (reconcile/fingerprint.py)
    file_name: str = ""  # the file it was read from

    @property
    def where(self) -> str:
        """The place a finding points at: `file:source`, or the file alone."""
        return f"{self.file_name}:{self.source}" if self.source else self.file_name


_STATUS = itemgetter(Line._fields.index("status"))

# `Statement.extra[PERIOD_FROM] == "balances"`: the period is the dates of the opening and closing
# balances (MT940, camt without FrToDt), not one the bank declared (parsers.ranges).
PERIOD_FROM = "period_from"


class Identities(NamedTuple):
    """The fingerprints and match keys of a statement's booked lines (reconcile/fingerprint.py), made
    where the lines were read (a reader child, off the writer's path) and carried with them. `lines`
    is the very tuple they were made of: a statement whose lines are another tuple (changed since, or
    not all booked) is never given them (`fingerprint.statement_identities` makes its own)."""

    lines: tuple[Line, ...]
    intraday: bool
    fingerprints: list[str]
    match_keys: list[str]


@dataclass(frozen=True, slots=True)
class Statement:
    account: str
    currency: str = "CNY"
    period_start: date | None = None
    period_end: date | None = None
    opening_fen: int | None = None
    closing_fen: int | None = None
    lines: tuple[Line, ...] = ()
    account_name: str = ""
    format: str = ""  # "camt.053", "mt940", "ofx", "tabular:icbc_historydetail", ...
    intraday: bool = False  # camt.052 / MT942: superseded by the end-of-day statement
    source: str = ""  # where in the file the statement starts
    extra: dict[str, str] = field(default_factory=dict, compare=False, hash=False)
    # How the file departs from its format's standard where the parser read it anyway (a dialect):
    # every amount, sign and date is still unambiguous; see reconcile/departures.py.
    warnings: tuple[Departure, ...] = field(default=(), compare=False, hash=False)
    # Its booked lines' identities when a reader made them (jobs/ingest/reading.py); else None.
    identities: Identities | None = field(default=None, compare=False, hash=False, repr=False)

    @property
    def booked(self) -> tuple[Line, ...]:
        """The lines of status BOOK, in order: the statement's own tuple when all are (the usual case;
        no copy), found without a Python step a line (the ingest asks four times a statement)."""
        lines = self.lines
        keep = list(map(is_, map(_STATUS, lines), repeat(EntryStatus.BOOK)))
        if all(keep) and type(lines) is tuple:
            return lines
        return tuple(compress(lines, keep))

    def covered_period(self) -> tuple[date, date] | None:
        """The declared period, else first to last booking date (docs/DOMAIN.md: Coverage)."""
        if self.period_start and self.period_end:
            return self.period_start, self.period_end
        dates = [ln.booking_date for ln in self.booked]
        if not dates:
            if self.period_start or self.period_end:
                d = self.period_start or self.period_end
                assert d is not None
                return d, d
            return None
        return (self.period_start or min(dates), self.period_end or max(dates))


@dataclass(frozen=True, slots=True)
class StoredStatement:
    """A statement as the ledger keeps it (store/ledger.py): the parsed `Statement` without its
    lines, where it came from, and what its booked lines summed to when it was stored. The store
    keeps only statements with a period, so `period_start` and `period_end` are dates here: what
    coverage (reconcile/coverage.py), the balance checks, the book side and the report read."""

    statement: Statement  # what the file declared: account, period, balances, intraday (no lines)
    file_sha256: str
    file_name: str
    index_in_file: int  # the statement's place among its file's statements
    lines_sum_fen: int  # reconcile/checks.lines_sum at ingest
    running_break: str  # reconcile/checks.running_break at ingest: "" when the running balances hold

    def __post_init__(self) -> None:
        if self.statement.period_start is None or self.statement.period_end is None:
            raise ValueError(f"a stored statement has a period: {self.file_name} #{self.index_in_file}")

    @property
    def period_start(self) -> date:
        start = self.statement.period_start
        assert start is not None  # checked in __post_init__
        return start

    @property
    def period_end(self) -> date:
        end = self.statement.period_end
        assert end is not None  # checked in __post_init__
        return end

    def cut(self, as_of: date, *, closing: bool = True) -> StoredStatement:
        """The statement as of `as_of` when its period runs past it: the period ends there, and
        without `closing` its closing balance (a later day's) is dropped."""
        if self.period_end <= as_of:
            return self
        declared = replace(self.statement, period_end=as_of,
                           closing_fen=self.statement.closing_fen if closing else None)
        return replace(self, statement=declared)


def line_to_dict(line: Line) -> dict[str, object]:
    """The JSON view of a line (`recon parse --json` and the golden files share it)."""
    return {
        "booking_date": line.booking_date.isoformat(),
        "value_date": line.value_date.isoformat() if line.value_date else None,
        "amount_fen": line.amount_fen,
        "counterparty_account": line.counterparty_account,
        "counterparty_name": line.counterparty_name,
        "text": line.text,
        "remark": line.remark,
        "bank_ref": line.bank_ref,
        "balance_fen": line.balance_fen,
        "status": line.status.value,
        "reversal": line.reversal,
        "type_code": line.type_code,
        "details_count": line.details_count,
        "source": line.source,
    }


def statement_to_dict(st: Statement, file_name: str = "") -> dict[str, object]:
    """The JSON view of a statement; each line's `source` is prefixed with the file name. Warnings
    (dialect departures) are listed when there are any."""
    lines = []
    for ln in st.lines:
        d = line_to_dict(ln)
        if file_name:
            d["source"] = f"{file_name}:{ln.source}" if ln.source else file_name
        lines.append(d)
    out: dict[str, object] = {
        "account": st.account,
        "account_name": st.account_name,
        "currency": st.currency,
        "format": st.format,
        "intraday": st.intraday,
        "period_start": st.period_start.isoformat() if st.period_start else None,
        "period_end": st.period_end.isoformat() if st.period_end else None,
        "opening_fen": st.opening_fen,
        "closing_fen": st.closing_fen,
        "lines": lines,
    }
    if st.warnings:
        out["warnings"] = [d.to_dict() for d in st.warnings]
    return out
