"""The tabular reader's pipeline: sheets -> header and profile -> preamble -> lines -> statements.

With no profile forced, every profile's `[detect]` is scored against every sheet's leading rows
and the best fit wins; with none fitting, the refusal is two lines: the header row found (where and
its cells), the nearest profile and the columns it lacks; and the command that drafts a profile for
the layout (`recon profile draft`). One file
gives one statement per (own account, currency): a CCB export split over several sheets is one
statement, while a file whose rows name several accounts or currencies is split rather than
mixed. Opening/closing balances come only from the preamble; running balances stay on the lines.
"""

from __future__ import annotations

from parsers.base import ReadContext
from parsers.tabular import grid, header, preamble, rows
from parsers.tabular.header import norm
from parsers.tabular.profile import Profile, load_profiles
from parsers.tabular.values import currency_code
from parsers.tabular.vocabulary import guess_header, nearest, vocabulary
from reconcile.departures import Departure
from reconcile.errors import ParseError
from reconcile.messages import t
from reconcile.model import Line, Statement


def candidates(ctx: ReadContext) -> list[Profile]:
    profiles = load_profiles(ctx.banks_dir)
    if ctx.profile:
        if ctx.profile not in profiles:
            raise ParseError(key="tabular.unknown_profile",
                             values={"name": ctx.profile, "known": ", ".join(sorted(profiles))})
        return [profiles[ctx.profile]]
    return [profiles[k] for k in sorted(profiles)]


def read(data: bytes, ctx: ReadContext) -> list[Statement]:
    """Every statement in a CSV/TSV/XLS/XLSX/HTML statement file."""
    sheets = grid.read_sheets(data)
    if not any(any(c.strip() for c in r) for s in sheets for r in s.rows):
        raise ParseError(key="empty")
    profs = candidates(ctx)
    found = [(s, header.find(s, profs)) for s in sheets]
    scored = [h for _, h in found if h is not None]
    if not scored:
        raise ParseError(no_profile_fits(sheets, profs, ctx))  # said in ctx.lang already (profile.* keys)
    prof = max(scored, key=lambda h: h.score).profile
    first_where = ""
    groups: dict[tuple[str, str], list[Line]] = {}
    pre_by_group: dict[tuple[str, str], list[preamble.Preamble]] = {}
    last: tuple[dict[str, list[int]], list[str], preamble.Preamble] | None = None
    for sheet, best in found:
        # The sheet's best header is prof's own best when prof won it (no earlier row scored as
        # high); only a sheet another profile won is searched again for prof.
        h = best if best is None or best.profile is prof else header.find(sheet, [prof])
        if h is not None:
            cols = header.resolve(h)
            head_cells = [] if prof.no_header else sheet.rows[h.row]
            pre = preamble.scan(sheet.rows[: h.row], prof, sheet.where(h.row))
            if pre == preamble.Preamble() and last is not None:
                pre = last[2]  # a later sheet repeating only the header continues the first one
            start = h.data_start
            first_where = first_where or sheet.where(h.row)
            last = (cols, head_cells, pre)
        elif last is not None and sheet.rows:
            cols, head_cells, pre = last  # a continuation sheet: same columns, no header of its own
            start = 0
        else:
            continue
        default_cur = currency_code(pre.currency, prof.currency_map, "") or prof.currency_default
        keys: set[tuple[str, str]] = set()
        lines, accounts, currencies = rows.build(sheet, start, prof, cols, head_cells, pre.own_account)
        n = len(lines)
        if n and accounts.count(accounts[0]) == n and currencies.count(currencies[0]) == n:
            key = (accounts[0], currencies[0] or default_cur)  # one account and currency: the common case
            groups.setdefault(key, []).extend(lines)
            keys.add(key)
        else:
            last_key: tuple[str, str] | None = None
            bucket: list[Line] = []
            for line, account, currency in zip(lines, accounts, currencies, strict=True):
                key = (account, currency or default_cur)
                if key != last_key:  # rows of one account and currency follow each other: look up once a run
                    bucket = groups.setdefault(key, [])
                    keys.add(key)
                    last_key = key
                bucket.append(line)
        for key in keys:  # once per sheet, not per row: comparing preambles 100k times shows
            if pre not in pre_by_group.setdefault(key, []):
                pre_by_group[key].append(pre)
        if not groups and (pre.own_account, default_cur) not in pre_by_group:
            pre_by_group[(pre.own_account, default_cur)] = [pre]
    if not groups:  # a header and no rows: still a statement (an empty period is a fact)
        key = next(iter(pre_by_group), ("", prof.currency_default))
        groups[key] = []
    notes = tuple(d for s in sheets for d in s.notes)  # the file's departures, on each statement
    return [_statement(prof, key, groups[key], pre_by_group.get(key, []), len(groups), first_where, notes)
            for key in groups]


def _shown(cells: list[str]) -> str:
    shown = [c if len(c) <= 24 else c[:23] + "…" for c in cells if c][:12]
    return " | ".join(shown) + (" | …" if len([c for c in cells if c]) > 12 else "")


def no_profile_fits(sheets: list[grid.Sheet], profiles: list[Profile], ctx: ReadContext) -> str:
    """The two-line refusal of a layout no profile fits: what was found and what is missing, and
    how to draft a profile for it."""
    lang = ctx.lang
    guess = guess_header(sheets, vocabulary(profiles))
    if guess is None:
        found = t("profile.unknown_nothing", lang)
    elif guess.row_is_data:
        found = t("profile.unknown_headerless", lang, where=guess.sheet.where(guess.row), cells=_shown(guess.cells))
    else:
        near = nearest(profiles, (norm(c) for c in guess.cells))
        found = t("profile.unknown", lang, where=guess.sheet.where(guess.row), cells=_shown(guess.cells),
                  profile=near[0].name if near else "-", missing=", ".join(near[1]) if near else "-")
    return found + "\n" + t("profile.unknown_hint", lang, file=ctx.file_name or "FILE")


def _statement(
    prof: Profile, key: tuple[str, str], lines: list[Line], pres: list[preamble.Preamble],
    n_groups: int, where: str, notes: tuple[Departure, ...] = (),
) -> Statement:
    account, currency = key
    pre = next((p for p in pres if p.own_account == account or not p.own_account), preamble.Preamble())
    # A preamble's balances describe the whole file; with the rows split over several accounts or
    # currencies they belong to none of the parts for sure, so they are left out.
    balances_apply = n_groups == 1 and len(pres) <= 1
    return Statement(
        account=account,
        currency=currency,
        period_start=pre.period_start,
        period_end=pre.period_end,
        opening_fen=pre.opening_fen if balances_apply else None,
        closing_fen=pre.closing_fen if balances_apply else None,
        lines=tuple(lines),
        account_name=pre.account_name,
        format=f"tabular:{prof.name}",
        source=where,
        warnings=notes,
    )
