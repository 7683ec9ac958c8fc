"""The class of each line: fee, interest, return, refund or plain, with its counterparty.

docs/DOMAIN.md, Classes of lines: a line is first classed by keywords and codes (fee, only when paid
to the bank itself, `to_the_bank`; interest, return, refund); a return credit is a return only when
it matches an earlier debit of the same amount within `return_window` working days, and a refund
only when its counterparty paid the account at least as much in the previous `refund_lookback_days`
days; otherwise each is a plain line. The counterparty is identified by `Resolver`
(docs/DOMAIN.md, Counterparty identification). Nothing here changes a line once classed: each
`Classified` is built once, with its final class.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from datetime import date, timedelta

from reconcile.accounts import Account, Registry, normalize_number
from reconcile.calendar import WorkCalendar
from reconcile.engine.codes import Codes
from reconcile.engine.parties import EXTERNAL, OUTSIDE, Party, Resolver, squash_name
from reconcile.model import Line

FEE, INTEREST, RETURN, REFUND, PLAIN = "fee", "interest", "return", "refund", "plain"
BANK_WORDS = ("银行", "信用社", "信用联社", "农商行", "邮储")  # a counterparty name that is a bank


@dataclass(frozen=True, slots=True)
class Classified:
    line: Line
    own: Account
    cls: str
    party: Party
    returned_by: Line | None = None  # a debit reversed by a later return credit
    return_of: Line | None = None  # a return credit: the debit it reverses

    @property
    def is_debit(self) -> bool:
        return self.line.amount_fen < 0


ByAccount = dict[str, list[Classified]]  # account number (ascending) -> its lines in (date, credits first,
# fingerprint) order


def classify(lines: list[Line], registry: Registry, codes: Codes, cal: WorkCalendar,
             return_window: int, refund_lookback_days: int) -> ByAccount:
    """Every line of a registered account, classed and with its counterparty, per account."""
    resolver = Resolver(registry, codes)
    by_account: dict[str, list[Line]] = {}
    for ln in lines:
        mine = by_account.get(ln.account)
        if mine is None:
            mine = by_account[ln.account] = []
        mine.append(ln)
    # Statements repeat the same few texts thousands of times: class each combination once, both
    # ways (paid to the bank or not); whether a debit is paid to the bank is looked at only where
    # the two differ (a fee word or code), not for each payee of a payroll.
    classes: dict[tuple[bool, bool, bool, str, str, str], tuple[str, str]] = {}
    banks: dict[tuple[str, str, str], bool] = {}
    out: ByAccount = {}
    for account, ls in sorted(by_account.items()):
        own = registry.account(account)
        if own is None:
            continue
        ls.sort(key=_in_order)
        income = own.role == "income"
        found = []
        for ln in ls:
            key = (ln.amount_fen < 0, income, ln.reversal, ln.text, ln.remark, ln.type_code)
            both = classes.get(key)
            if both is None:
                both = classes[key] = (class_of(codes, *key, False), class_of(codes, *key, True))
            cls, if_bank = both
            if cls != if_bank:  # a debit with a fee word or code: a fee only when paid to the bank
                who = (ln.counterparty_account, ln.counterparty_name, own.number)
                hit = banks.get(who)
                if hit is None:
                    hit = banks[who] = to_the_bank(ln.counterparty_account, ln.counterparty_name, own, codes)
                if hit:
                    cls = if_bank
            found.append(cls)
        parties = [resolver.resolve(ln, own) for ln in ls]
        returned_by, return_of = _match_returns(ls, found, cal, return_window)
        for i in _unfounded_refunds(ls, found, refund_lookback_days):
            found[i] = PLAIN
        for i, cls in enumerate(found):
            if cls == RETURN and i not in return_of:
                found[i] = PLAIN
        if returned_by:
            out[account] = [Classified(ln, own, cls, party, returned_by.get(i), return_of.get(i))
                            for i, (ln, cls, party) in enumerate(zip(ls, found, parties, strict=True))]
        else:
            out[account] = [Classified(ln, own, cls, party) for ln, cls, party in zip(ls, found, parties, strict=True)]
    return out


def _in_order(ln: Line) -> tuple[date, bool, str]:
    """An account's lines by date, credits before debits, then fingerprint."""
    return (ln.booking_date, ln.amount_fen < 0, ln.fingerprint)


def to_the_bank(cp_account: str, cp_name: str, own: Account, codes: Codes) -> bool:
    """Is a debit paid to the bank itself (docs/DOMAIN.md, Classes of lines: a fee is paid to the
    bank, not to a company with its own account)? Yes when the line names no other party: no
    counterparty account and no name,
    or only the account's own name or a fee word as the name; when the counterparty account is the
    account's own; or when the counterparty's name is a bank's (with its internal account)."""
    name = squash_name(cp_name)
    if name and any(w in name for w in BANK_WORDS):
        return True
    number = normalize_number(cp_account)
    if number:
        return number == normalize_number(own.number)
    return not name or name in {squash_name(n) for n in (own.name, *own.aliases)} or codes.has("fee", name)


def class_of(codes: Codes, debit: bool, income: bool, reversal: bool, text: str, remark: str, type_code: str,
             to_bank: bool) -> str:
    """The class a line's words and codes give it (docs/DOMAIN.md, Classes of lines), before a
    return is matched to its debit and a refund to what its party paid; `to_bank`: a debit paid to
    the bank itself (`to_the_bank`), the only kind a fee word or code makes a fee."""
    words = text + " " + remark
    if debit:
        if to_bank and codes.has("fee", words, type_code):
            return FEE
        if income and codes.has("refund", words, type_code):
            return REFUND
        return PLAIN
    if reversal or codes.has("return", words, type_code):
        return RETURN
    if codes.has("interest", words, type_code):
        return INTEREST
    return PLAIN


def _match_returns(lines: list[Line], found: list[str], cal: WorkCalendar,
                   window: int) -> tuple[dict[int, Line], dict[int, Line]]:
    """docs/DOMAIN.md, Classes of lines: each return credit (in order) takes the latest earlier
    unreturned debit of the same amount within `window` working days; a return credit without such
    a debit is an ordinary credit (it keeps no `return_of`). Indexes into one account's lines:
    (debit -> the return that reverses it, return -> the debit it reverses)."""
    returned_by: dict[int, Line] = {}
    return_of: dict[int, Line] = {}
    if RETURN not in found:
        return returned_by, return_of
    days = [ln.booking_date for ln in lines]
    returned = {lines[i].amount_fen for i, cls in enumerate(found) if cls == RETURN}
    debits: dict[int, list[int]] = {}  # amount -> the indexes of the debits of that amount, ascending
    for j, ln in enumerate(lines):  # only the amounts a return has
        if ln.amount_fen <= 0 and -ln.amount_fen in returned and found[j] != FEE:  # (a zero return matches a
            debits.setdefault(-ln.amount_fen, []).append(j)  # zero line, as before)
    for i, cls in enumerate(found):
        if cls != RETURN:
            continue
        c = lines[i]
        earliest = cal.add_workdays(c.booking_date, -window)
        low = bisect.bisect_left(days, earliest)
        high = bisect.bisect_right(days, c.booking_date)  # lines booked up to the return's day
        same = debits.get(c.amount_fen, [])
        match = None
        for k in range(bisect.bisect_left(same, high) - 1, -1, -1):  # the latest first
            j = same[k]
            if j < low:
                break
            if j not in returned_by:
                match = j
                break
        if match is None:
            continue
        returned_by[match] = c
        return_of[i] = lines[match]
    return returned_by, return_of


def _unfounded_refunds(lines: list[Line], found: list[str], lookback_days: int) -> set[int]:
    """docs/DOMAIN.md, Classes of lines: a refund is a refund only to a party that paid the account
    at least as much in the previous `lookback_days` days; otherwise it is an ordinary debit (and,
    from an income account, a leak). The indexes of the refunds that are not."""
    out: set[int] = set()
    if REFUND not in found:
        return out
    paid: dict[str, tuple[list[date], list[int]]] = {}  # party -> its credits' days, running sums
    for x in lines:
        if x.amount_fen > 0:
            days, sums = paid.setdefault(x.counterparty_account or x.counterparty_name, ([], [0]))
            days.append(x.booking_date)
            sums.append(sums[-1] + x.amount_fen)
    for i, cls in enumerate(found):
        if cls != REFUND:
            continue
        c = lines[i]
        who = c.counterparty_account or c.counterparty_name
        days, sums = paid.get(who, ([], [0]))
        since = c.booking_date - timedelta(days=lookback_days)
        total = sums[bisect.bisect_right(days, c.booking_date)] - sums[bisect.bisect_left(days, since)]
        if not who or total < -c.amount_fen:
            out.add(i)
    return out


def counts_as_disbursement(c: Classified) -> bool:
    """docs/DOMAIN.md, Plan-based: debits to non-pooled parties other than fees and externals that do not
    count as disbursement; a returned payment counts for nothing."""
    if c.cls != PLAIN or c.returned_by is not None or c.line.amount_fen >= 0:
        return False
    kind = c.party.kind
    if kind == EXTERNAL:
        return bool(c.party.external and c.party.external.disbursement)
    return kind == OUTSIDE or kind == "unknown"
