"""Small builders for book-against-bank tests: entries and bank lines by date and amount."""

from __future__ import annotations

from datetime import date

from reconcile.accounts import Account
from reconcile.book.records import JournalEntry, JournalSpan
from reconcile.model import Line, Statement, StoredStatement

ACCOUNT = Account("6222000011112222", "钟山区社会保险事业局基本养老保险基金收入户", (), "ZS", "pension", "income",
                  "工行", "icbc_historydetail")
_ids = iter(range(1, 1_000_000))


def d(text: str) -> date:
    """'01-05' is 2008-01-05; a full ISO date is itself."""
    return date.fromisoformat(text if len(text) == 10 else f"2008-{text}")


def entry(day: str, fen: int, voucher: str = "", text: str = "", party: str = "") -> JournalEntry:
    n = next(_ids)
    return JournalEntry(d(day), fen, voucher or f"记-{n}", text, party, source=f"line {n}", id=n, fingerprint=f"e{n}",
                        file_name="journal.csv")


def line(day: str, fen: int, party: str = "", ref: str = "", text: str = "", balance: int | None = None) -> Line:
    n = next(_ids)
    return Line(d(day), fen, counterparty_name=party, text=text, bank_ref=ref or f"B{n}", balance_fen=balance,
                source=f"line {n}", id=n, fingerprint=f"l{n}", file_name="bank.csv")


def span(start: str, end: str, opening: int) -> JournalSpan:
    return JournalSpan(d(start), d(end), opening, f"{start}")


def statement(start: str, end: str, opening: int | None, closing: int | None, account: str = ACCOUNT.number,
              intraday: bool = False) -> StoredStatement:
    return StoredStatement(Statement(account, period_start=d(start), period_end=d(end), opening_fen=opening,
                                     closing_fen=closing, intraday=intraday), f"sha{start}{end}", "bank.csv", 0, 0, "")
