"""A statement line is one record, `reconcile.model.Line` (issue 13): parsed, it holds what the file
says; read back from the ledger, the same record also holds its ledger identity. The months kept in
`engine_inputs` (store.inputs) were written before that change, in a payload still read (the
migration 0016 writes them again by column)."""

from __future__ import annotations

import json
from datetime import date

from reconcile.engine.condense import DayCredits
from reconcile.model import Line
from store.inputs import _dump, _load, stored_line

ACCOUNT = "2409011100000100"


def test_a_parsed_line_has_no_ledger_identity_and_a_stored_one_is_the_same_line_with_it() -> None:
    parsed = Line(date(2008, 3, 3), 10_000, counterparty_account="6222", counterparty_name="某单位", text="汇入",
                  remark="3月", source="line 12", type_code="NTRF")
    assert (parsed.id, parsed.account, parsed.fingerprint, parsed.file_name) == (0, "", "", "")
    stored = stored_line(7, ACCOUNT, date(2008, 3, 3), 10_000, "6222", "某单位", "汇入", "3月", 0, "NTRF", "fp7",
                         "a.csv", "line 12")
    assert (stored.id, stored.account, stored.fingerprint, stored.file_name) == (7, ACCOUNT, "fp7", "a.csv")
    assert stored._replace(id=0, account="", fingerprint="", file_name="") == parsed
    assert stored.reversal is False  # the database's 0 is a bool on the record
    assert stored.where == "a.csv:line 12"
    assert stored._replace(source="").where == "a.csv"


# A kept account-month as store.inputs wrote it before lines were one record (LedgerLine).
KEPT = {
    "refunded": ["6222"],
    "lines": [[5, "2008-03-04", -2_000, "6222", "某单位", "退费", "", False, "", "fp5", "a.csv", "line 3"]],
    "credits": [[30_000, 3, 100, [4, "2008-03-03", 10_000, "6223", "另一单位", "汇入", "r", True, "RVSL", "fp4",
                                  "b.csv", "row 9"]]],
}


def test_a_month_kept_before_lines_were_one_record_reads_back_and_is_written_the_same() -> None:
    whole, credits, refunded = _load(ACCOUNT, json.dumps(KEPT, ensure_ascii=False))
    assert refunded == ["6222"]
    assert whole == [stored_line(5, ACCOUNT, date(2008, 3, 4), -2_000, "6222", "某单位", "退费", "", False, "", "fp5",
                                 "a.csv", "line 3")]
    first = stored_line(4, ACCOUNT, date(2008, 3, 3), 10_000, "6223", "另一单位", "汇入", "r", True, "RVSL", "fp4",
                        "b.csv", "row 9")
    assert credits == [DayCredits(ACCOUNT, date(2008, 3, 3), 30_000, 3, first, 100)]
    assert credits[0].first.where == "b.csv:row 9"
    assert _load(ACCOUNT, _dump(whole, credits, refunded)) == (whole, credits, refunded)  # written by column now
    assert _load(ACCOUNT, json.dumps(KEPT, ensure_ascii=False), frozenset()) == ([], credits, refunded)
    assert _load(ACCOUNT, json.dumps(KEPT, ensure_ascii=False), frozenset({5})) == (whole, credits, refunded)


def test_a_kept_month_reads_back_as_it_was_written_and_without_its_debits() -> None:
    """The payload by column (format 2): every field of every line and day credit back, the debits
    last; with only some debits (by id), the others are left out, whatever the texts hold (a quote,
    the debits' own key, a backslash)."""
    def line(i: int, day: int, amount: int, text: str, **kw: object) -> Line:
        return stored_line(i, ACCOUNT, date(2008, 3, day), amount, f"62{i % 3}", f"单位{i % 2}", text,
                           kw.get("remark", ""), kw.get("reversal", False), kw.get("type", "NTRF"), f"fp{i}",
                           f"f{i % 2}.csv", f"line {i}")
    odd = ',"debits":{"id":[1]}'
    whole = [line(1, 3, -500, "代发"), line(2, 3, 700, '退回"', remark=odd, reversal=True),
             line(3, 4, -1, odd, type="RVSL"), line(4, 5, 9, "\\", remark="\u0000\n"), line(5, 5, 0, "")]
    firsts = [line(6, 3, 10, "汇入"), line(7, 9, 3, odd)]
    credits = [DayCredits(ACCOUNT, date(2008, 3, 3), 30, 2, firsts[0], 0),
               DayCredits(ACCOUNT, date(2008, 3, 9), 3, 1, firsts[1], 3)]
    payload = _dump(whole, credits, ["6222", 'a"b'])
    assert payload.startswith('{"refunded":["6222"')
    assert _dump(whole, credits, []).startswith('{"refunded":[]')  # what load_classing looks for
    got, got_credits, refunded = _load(ACCOUNT, payload)
    assert sorted(got) == sorted(whole) and got_credits == credits and refunded == ["6222", 'a"b']
    assert [type(v) for v in got[0]] == [type(v) for v in whole[0]]
    assert all(ln.reversal is (ln.id == 2) for ln in got)
    rest, rest_credits, _ = _load(ACCOUNT, payload, frozenset({2, 4, 9}))
    assert sorted(rest) == sorted(ln for ln in whole if ln.amount_fen >= 0) and rest_credits == credits
    some, _, _ = _load(ACCOUNT, payload, frozenset({3, 4}))  # a debit kept
    assert sorted(some) == sorted(ln for ln in whole if ln.amount_fen >= 0 or ln.id == 3)
    assert _load(ACCOUNT, _dump([], [], [])) == ([], [], [])


def test_a_bank_line_the_book_side_kept_unmatched_reads_back_in_both_payloads() -> None:
    """store.bookkept keeps the bank lines a month never matched. Before lines were one record it
    wrote the book side's own `BankLine` (ten fields: the 摘要 joined, the place as `where`); now the
    line's own fields. Either reads back to a line the book side shows the same way."""
    from reconcile.book.records import bank_summary
    from store.bookkept import _bank_line, _bank_row

    old = [9, "2008-03-05", -3_500, "6222", "某单位", "代发：3月工资", "B9", "fp9", 120_000, "a.csv:line 7"]
    read = _bank_line(old)
    assert (read.id, read.booking_date, read.amount_fen, read.bank_ref, read.fingerprint, read.balance_fen) == (
        9, date(2008, 3, 5), -3_500, "B9", "fp9", 120_000)
    assert (bank_summary(read), read.where) == ("代发：3月工资", "a.csv:line 7")
    line = Line(date(2008, 3, 5), -3_500, counterparty_account="6222", counterparty_name="某单位", text="代发",
                remark="3月工资", bank_ref="B9", balance_fen=120_000, source="line 7", id=9, fingerprint="fp9",
                file_name="a.csv")
    again = _bank_line(json.loads(json.dumps(_bank_row(line), ensure_ascii=False)))
    assert again == line
    assert (bank_summary(again), again.where) == ("代发：3月工资", "a.csv:line 7")


def test_a_journal_entry_the_book_side_kept_unmatched_reads_back_in_both_payloads() -> None:
    """The same for the journal's side: a stored entry is the parsed `JournalEntry` with its identity
    (it was `BookEntry`, eight fields with the place joined as `where`)."""
    from reconcile.book.records import JournalEntry
    from store.bookkept import _book_entry, _entry_row

    old = [4, "2008-03-05", 3_500, "记-0004", "收3月保费", "某单位", "e4", "journal.csv:line 9"]
    read = _book_entry(old)
    assert (read.id, read.entry_date, read.amount_fen, read.voucher, read.text, read.counterparty,
            read.fingerprint, read.where) == (4, date(2008, 3, 5), 3_500, "记-0004", "收3月保费", "某单位", "e4",
                                              "journal.csv:line 9")
    entry = JournalEntry(date(2008, 3, 5), 3_500, "记-0004", "收3月保费", "某单位", source="line 9", id=4,
                         fingerprint="e4", file_name="journal.csv")
    again = _book_entry(json.loads(json.dumps(_entry_row(entry), ensure_ascii=False)))
    assert again == entry
    assert again.where == read.where
    assert JournalEntry(date(2008, 3, 5), 3_500).where == ""  # as parsed: no identity yet
