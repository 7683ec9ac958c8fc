"""`recon book ACCOUNT --month YYYY-MM`: one account's 银行存款余额调节表 of one month, with the
matches cleared in it (how, how many days apart, what chose them) and why each item is outstanding;
as text in the chosen language or as JSON."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from reconcile.book.explain import Explained
from reconcile.book.records import Item, JournalEntry, MonthStatement, bank_summary
from reconcile.messages import t
from reconcile.model import Line
from reconcile.money import format_yuan


@dataclass(frozen=True)
class BookView:
    account: str
    name: str
    month: str
    as_of: date
    explained: Explained


def statement_json(st: MonthStatement) -> dict[str, object]:
    return {"account": st.account, "month": st.month, "month_end": st.month_end.isoformat(), "state": st.state,
            "bank_balance_fen": st.bank_balance_fen, "book_balance_fen": st.book_balance_fen,
            "book_in_fen": st.book_in_fen, "book_out_fen": st.book_out_fen, "bank_in_fen": st.bank_in_fen,
            "bank_out_fen": st.bank_out_fen, "adjusted_bank_fen": st.adjusted_bank_fen,
            "adjusted_book_fen": st.adjusted_book_fen, "difference_fen": st.difference_fen, "matched": st.matched}


def item_json(it: Item) -> dict[str, object]:
    return {"side": it.side, "date": it.day.isoformat(), "amount_fen": it.amount_fen, "ref": it.ref, "text": it.text,
            "counterparty": it.counterparty, "age_days": it.age_days, "where": it.where}


def _entry(e: JournalEntry) -> dict[str, object]:
    return {"date": e.entry_date.isoformat(), "amount_fen": e.amount_fen, "voucher": e.voucher, "text": e.text,
            "where": e.where}


def _line(ln: Line) -> dict[str, object]:
    return {"date": ln.booking_date.isoformat(), "amount_fen": ln.amount_fen, "bank_ref": ln.bank_ref,
            "text": bank_summary(ln), "counterparty": ln.counterparty_name or ln.counterparty_account,
            "where": ln.where}


def to_json(v: BookView) -> dict[str, object]:
    x = v.explained
    items = []
    for it in x.statement.items:
        why = x.why.get((it.side, it.fingerprint))
        items.append({**item_json(it), "why": why.code if why else None,
                      "cleared": why.day.isoformat() if why and why.day else None})
    matches = [{"how": m.how, "reason": m.reason, "days_apart": m.days_apart, "cleared": m.cleared.isoformat(),
                "entries": [_entry(e) for e in es], "lines": [_line(ln) for ln in ls]} for m, es, ls in x.matches]
    return {"as_of": v.as_of.isoformat(), "name": v.name, **statement_json(x.statement), "items": items,
            "matches": matches}


def to_text(v: BookView, lang: str, match_days: int) -> str:
    st = v.explained.statement
    out = [t("book.cli.heading", lang, account=v.account, name=v.name, month=v.month, as_of=v.as_of.isoformat()), ""]
    if st.state not in ("balanced", "difference"):
        out.append(t("book.cannot", lang, state=t(f"book.state.{st.state}", lang)))
        return "\n".join(out)

    def money(fen: int | None) -> str:
        return format_yuan(fen or 0).rjust(18)

    left = [(t("book.book_balance", lang), st.book_balance_fen), (t("book.add_bank_in", lang), st.bank_in_fen),
            (t("book.less_bank_out", lang), st.bank_out_fen), (t("book.adjusted", lang), st.adjusted_book_fen)]
    right = [(t("book.bank_balance", lang), st.bank_balance_fen), (t("book.add_book_in", lang), st.book_in_fen),
             (t("book.less_book_out", lang), st.book_out_fen), (t("book.adjusted", lang), st.adjusted_bank_fen)]
    for (a, x), (b, y) in zip(left, right, strict=True):
        out.append(f"  {_pad(a, 30)}{money(x)}    {_pad(b, 30)}{money(y)}")
    diff = st.difference_fen or 0
    out.append("")
    out.append("  " + (t("book.balanced", lang) if not diff else t(
        "book.unbalanced", lang, amount=format_yuan(abs(diff)), direction=t("book.more" if diff > 0 else "book.less",
                                                                             lang))))
    out.append("")
    out.append(t("book.cli.unmatched", lang, n=len(st.items)))
    for it in st.items:
        why = v.explained.why.get((it.side, it.fingerprint))
        reason = ""
        if why is not None:
            reason = t(f"book.why.{why.code}", lang, days=match_days, date=why.day.isoformat() if why.day else "")
        out.append(f"  {t(f'book.side.{it.side}', lang)}  {it.day.isoformat()}  {format_yuan(it.amount_fen):>16}  "
                   f"{it.ref or '-'}  {it.text}  ({it.age_days}d)  {reason}")
    out.append("")
    out.append(t("book.cli.matches", lang, n=len(v.explained.matches)))
    for m, es, ls in v.explained.matches:
        ents = "; ".join(f"{e.entry_date.isoformat()} {e.voucher} {format_yuan(e.amount_fen)}" for e in es)
        lns = "; ".join(f"{ln.booking_date.isoformat()} {ln.bank_ref or '-'} {format_yuan(ln.amount_fen)}"
                        for ln in ls[:3]) + (f" … ({len(ls)})" if len(ls) > 3 else "")
        out.append(t("book.match.line", lang, entries=ents, lines=lns, how=t(f"book.how.{m.how}", lang),
                     days=m.days_apart, reason=t(f"book.reason.{m.reason}", lang)))
    return "\n".join(out)


def _pad(text: str, width: int) -> str:
    """Pad to a display width in columns (a Chinese character takes two)."""
    shown = sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)
    return text + " " * max(0, width - shown)
