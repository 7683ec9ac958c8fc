"""The 银行存款余额调节表 of one account at each month end, and the findings it makes."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from reconcile.book.run import book_account
from reconcile.calendar import WorkCalendar
from tests.book.helpers import ACCOUNT, d, entry, line, span, statement

CAL = WorkCalendar()


def book(entries, lines, spans, statements, as_of="2008-02-29", stale_days=90):  # type: ignore[no-untyped-def]
    return book_account(ACCOUNT, entries, lines, spans, statements, d(as_of), CAL, 5, stale_days)


def four_kinds():  # type: ignore[no-untyped-def]
    """Opening 1,000.00 on both sides; one item of each kind outstanding at 31 January."""
    entries = [entry("01-30", 5_000, "记-1", "收到财政拨款"),  # the bank credits it on 1 February
               entry("01-31", -3_000, "记-2", "上解"),  # the bank debits it on 2 February
               entry("02-02", 120, "记-3", "利息")]  # the bank credited it on 28 January
    lines = [line("01-20", -15, ref="fee", text="手续费"),  # never booked
             line("01-28", 120, ref="int", text="利息划入"),
             line("02-01", 5_000, ref="B1"), line("02-02", -3_000, ref="B2")]
    statements = [statement("01-01", "01-31", 100_000, 100_105), statement("02-01", "02-29", 100_105, 102_105)]
    return entries, lines, [span("01-01", "02-29", 100_000)], statements


def test_a_month_end_lists_the_four_kinds_and_both_adjusted_balances_agree() -> None:
    jan = book(*four_kinds()).months[0]
    assert (jan.month, jan.state) == ("2008-01", "balanced")
    assert (jan.bank_balance_fen, jan.book_balance_fen) == (100_105, 102_000)
    assert (jan.book_in_fen, jan.book_out_fen, jan.bank_in_fen, jan.bank_out_fen) == (5_000, 3_000, 120, 15)
    assert jan.adjusted_bank_fen == jan.adjusted_book_fen == 102_105
    assert [(it.side, it.day.isoformat(), it.amount_fen, it.age_days) for it in jan.items] == [
        ("bank_in", "2008-01-28", 120, 3), ("bank_out", "2008-01-20", 15, 11),
        ("book_in", "2008-01-30", 5_000, 1), ("book_out", "2008-01-31", 3_000, 0)]


def test_what_clears_in_the_next_month_is_gone_at_its_end_and_what_never_clears_stays() -> None:
    feb = book(*four_kinds()).months[1]
    assert feb.state == "balanced" and feb.matched == 3
    assert [(it.side, it.amount_fen, it.age_days) for it in feb.items] == [("bank_out", 15, 40)]


def test_a_difference_between_the_adjusted_balances_is_a_high_finding_with_a_stable_key() -> None:
    entries, lines, spans, statements = four_kinds()
    statements[1] = statement("02-01", "02-29", 100_105, 102_205)  # the bank's closing is 1.00 off
    b = book(entries, lines, spans, statements)
    assert [m.state for m in b.months] == ["balanced", "difference"]
    (f,) = b.findings
    assert (f.kind, f.period, f.amount_fen, f.severity) == ("book_unreconciled", "2008-02", 100, "high")
    assert f.key == f"book_unreconciled|{ACCOUNT.number}|2008-02"


def test_an_item_older_than_stale_days_at_the_as_of_date_is_stale_and_not_one_day_younger() -> None:
    args = four_kinds()
    fee_age = (d("2008-04-19") - d("01-20")).days
    assert fee_age == 90
    assert book(*args, as_of="2008-04-19").findings == []
    (f,) = book(*args, as_of="2008-04-20").findings
    assert (f.kind, f.period, f.amount_fen, f.severity, f.detail["age_days"]) == (
        "stale_outstanding", "2008-01", 15, "medium", 91)
    assert f.key == f"stale_outstanding|{ACCOUNT.number}|bank_out|{args[1][0].fingerprint}"
    assert f.line_ids == (args[1][0].id,)


def test_a_stale_journal_entry_points_at_no_ledger_line() -> None:
    entries = [entry("01-10", -700, "记-1")]
    b = book(entries, [], [span("01-01", "04-30", 0)], [statement("01-01", "04-30", 0, 0)], as_of="2008-04-30")
    (f,) = b.findings
    assert f.detail["side"] == "book_out" and f.line_ids == () and f.lines == (entries[0].where,)


def test_a_month_end_on_a_saturday_is_covered_by_the_fridays_statement() -> None:
    days = [x for x in (date(2008, 5, 1) + timedelta(n) for n in range(31)) if CAL.is_workday(x)]
    daily = [statement(x.isoformat(), x.isoformat(), 0, 0) for x in days]
    b = book([], [], [span("05-01", "05-31", 0)], daily, as_of="2008-05-31")
    assert d("2008-05-31").weekday() == 5 and b.months[-1].state == "balanced"
    b = book([], [], [span("05-01", "05-31", 0)], daily[:-1], as_of="2008-05-31")
    assert b.months[-1].state == "no_statement"


def test_a_month_without_a_journal_or_without_balances_is_stated_not_guessed() -> None:
    entries, lines, spans, statements = four_kinds()
    b = book(entries, lines, [span("01-01", "01-31", 100_000)], statements)
    assert [m.state for m in b.months] == ["balanced", "no_journal"]
    no_balances = [statement("01-01", "02-29", None, None)]
    b = book(entries, [ln._replace(balance_fen=None) if hasattr(ln, "_replace") else ln for ln in lines], spans,
             no_balances)
    assert b.months[0].state == "no_bank_balance" and b.months[0].book_balance_fen == 102_000


def test_without_statement_balances_the_running_balance_of_the_last_line_is_the_bank_balance() -> None:
    entries, _, spans, _ = four_kinds()
    lines = [line("01-20", -15, balance=99_985), line("01-28", 120, balance=100_105),
             line("02-01", 5_000), line("02-02", -3_000)]  # the last two without a running balance
    b = book(entries, lines, spans, [statement("01-01", "02-29", None, None)])
    assert [m.bank_balance_fen for m in b.months] == [100_105, 102_105]
    assert all(m.state == "balanced" for m in b.months)


def test_items_are_listed_only_on_days_the_other_side_covers() -> None:
    lines = [line("2007-12-20", 999), line("01-10", 500)]
    b = book([], lines, [span("01-01", "01-31", 0)], [statement("2007-12-01", "01-31", 0, 1_499)],
             as_of="2008-01-31")
    assert [(it.day.isoformat(), it.amount_fen) for it in b.months[0].items] == [("2008-01-10", 500)]


def test_monthly_and_yearly_exports_of_one_journal_give_the_same_book_balance() -> None:
    entries = [entry("01-10", 1_000), entry("02-10", -400), entry("03-10", 250)]
    year = [span("01-01", "12-31", 10_000)]
    both = [*year, span("03-01", "03-31", 10_600)]
    assert book(entries, [], year, [], as_of="2008-03-31").months[-1].state == "no_statement"
    from reconcile.book.statement import Balances

    assert Balances(entries, [], year, []).book(d("03-31")) == Balances(entries, [], both, []).book(d("03-31"))
    assert Balances(entries, [], both, []).book(d("03-31")) == 10_850


def test_a_statement_cut_at_the_as_of_date_loses_its_closing_balance() -> None:
    entries, lines, spans, statements = four_kinds()
    b = book(entries, lines, spans, [statements[0], statement("02-01", "03-31", 100_105, 999_999)], as_of="2008-02-29")
    assert b.months[1].bank_balance_fen == 102_105  # January's closing plus February's lines


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 80), st.integers(-500_000, 500_000).filter(bool),
                          st.sampled_from(("same", "late", "early", "twice", "forgotten", "wrong", "unbooked"))),
                max_size=40))
def test_with_both_sides_opening_alike_every_statement_balances_whatever_the_cashier_did(txns) -> None:  # type: ignore[no-untyped-def]
    start = date(2008, 1, 1)
    entries, lines = [], []
    for day, fen, how in sorted(txns):
        bank_day = start + timedelta(day)  # 1 January to 21 March; entries from 30 December
        lines.append(line(bank_day.isoformat(), fen))
        shift = {"late": 3, "early": -2}.get(how, 0)
        if how in ("forgotten", "unbooked"):
            continue
        entries.append(entry((bank_day + timedelta(shift)).isoformat(), fen + (7 if how == "wrong" else 0)))
        if how == "twice":
            entries.append(entry((bank_day + timedelta(shift)).isoformat(), fen))
    entries.sort(key=lambda e: e.entry_date)
    statements, balance = [], 0
    for first, last in (("2007-12-01", "2007-12-31"), ("01-01", "01-31"), ("02-01", "02-29"), ("03-01", "03-31")):
        moved = sum(ln.amount_fen for ln in lines if d(first) <= ln.booking_date <= d(last))
        statements.append(statement(first, last, balance, balance + moved))
        balance += moved
    b = book(entries, lines, [span("2007-12-01", "2008-03-31", 0)], statements, as_of="2008-03-31")
    assert len(b.months) == 4 and all(m.state == "balanced" for m in b.months), [m.difference_fen for m in b.months]
