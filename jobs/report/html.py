"""exceptions.html: one self-contained page (inline CSS and SVG; no network, scripts or web fonts),
printable on A4. Order: summary cards; benefit-payment findings (the most serious) on top; summary
tables; heatmaps; arrears trend; the late-remittance list; all open findings, each linked to its
lines; coverage, balance checks and rejected files."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from pathlib import Path

from jobs.report.cells import Labels, window_note
from jobs.report.charts import heatmap_html, legend_html, trend_svg
from jobs.report.files import atomic
from jobs.report.style import CSS
from reconcile.money import format_yuan
from reconcile.reporting.records import FindingLine
from reconcile.reporting.report import Report
from reconcile.reporting.summary import finding_order
from reconcile.reporting.table import MONEY_KINDS, Column, Table, col
from reconcile.reporting.tables import line_row
from reconcile.sinks import for_html

MAX_FINDINGS = 5_000  # beyond this the page points to the spreadsheet and CSV
LINES_PER_FINDING = 20
FINDING_COLUMNS = ("id", "severity", "kind", "rule", "entity", "fund", "period", "amount", "days_late",
                   "review", "is_new", "detail")
NEW_COLUMNS = ("id", "severity", "kind", "entity", "fund", "period", "amount", "days_late", "review", "detail")
LINE_COLUMNS = (col("where", "where"), col("booking_date", "date"), col("account", "text"),
                col("amount", "money"), col("counterparty", "text"), col("text", "text"))


MAX_TEXT = 300  # longer texts (a parser's whole complaint) are cut on the page; the CSV keeps them whole
ALERT_WHEN = {"report.col.is_new": True, "report.col.covered_to_as_of": False}


def _cell(c: Column, v: object, labels: Labels, link: str | None = None) -> str:
    raw = labels.text(c, v)
    text = for_html(raw if len(raw) <= MAX_TEXT else raw[:MAX_TEXT] + "…")
    if c.kind == "severity" and v:
        text = f'<span class="sev sev-{for_html(str(v))}">{text}</span>'
    elif c.kind == "yesno":
        if c.key == "report.col.is_new" and not v:
            text = ""
        elif ALERT_WHEN.get(c.key) == bool(v):
            text = f'<span class="new">{text}</span>'
    if link and text:
        text = f'<a href="#{link}">{text}</a>'
    if c.kind in (*MONEY_KINDS, "int", "percent"):
        cls = "num"
    elif c.kind in ("date", "datetime", "severity", "yesno") or (c.kind == "text" and c.width < 16):
        cls = "code"
    else:
        cls = "wrap" if c.kind in ("text", "detail", "where") else "word"
    return f'<td class="{cls}">{text}</td>'


def _min_width(c: Column) -> str:
    """Long text columns get room, so names do not wrap a character a line."""
    return f' style="min-width:{min(c.width, 40) * 5}px"' if c.kind in ("text", "detail") and c.width >= 20 else ""


def table_html(table: Table, labels: Labels, only: Iterable[str] | None = None, *, anchor: str | None = None,
               links: dict[int, str] | None = None, limit: int | None = None) -> str:
    """A table (optionally only some columns); `anchor` names each row by its id column, `links`
    links an id to a place on the page."""
    note = f'<p class="note">{for_html(window_note(labels, table))}</p>' if table.window is not None else ""
    idx = list(range(len(table.columns))) if only is None else [table.column(n) for n in only]
    if not table.rows:
        return f'<p class="note">{for_html(labels.t("report.none"))}</p>{note}'
    head = "".join(f"<th{_min_width(table.columns[i])}>{for_html(labels.t(table.columns[i].key))}</th>" for i in idx)
    id_at = next((i for i, c in enumerate(table.columns) if c.key == "report.col.id"), None)
    body = []
    for row in table.rows[:limit]:
        ident = row[id_at] if id_at is not None else None
        attrs = f' id="{anchor}{ident}"' if anchor and ident is not None else ""
        if row and row[0] == "total":
            attrs += ' class="total"'
        link = links.get(ident) if links and isinstance(ident, int) else None
        cells = "".join(_cell(table.columns[i], row[i], labels, link if i == id_at else None) for i in idx)
        body.append(f"<tr{attrs}>{cells}</tr>")
    return (f'<table class="t-{table.name}"><thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table>'
            f"{note}")


def _cards(report: Report, labels: Labels) -> str:
    s = report.summary
    items = [
        ("report.card.disbursement", str(len(report.disbursement.rows)), bool(report.disbursement.rows)),
        ("report.card.open", str(s.open_count), False),
        ("report.card.new", str(s.new_count), s.new_count > 0),
        ("report.card.resolved", str(s.resolved_count), False),
        ("report.card.critical", str(s.critical_count), s.critical_count > 0),
        ("report.card.arrears", format_yuan(report.arrears_fen), report.arrears_fen > 0),
    ]
    return '<div class="cards">' + "".join(
        f'<div class="card{" bad" if bad else ""}"><div class="n">{for_html(n)}</div>'
        f'<div class="l">{for_html(labels.t(k))}</div></div>' for k, n, bad in items) + "</div>"


def _header(report: Report, labels: Labels, generated_at: datetime, registry_city: str) -> str:
    d = report.data
    meta = [labels.t("report.as_of", date=d.as_of.isoformat()),
            labels.t("report.generated", at=labels.local(generated_at).strftime("%Y-%m-%d %H:%M")),
            labels.t("report.previous", date=d.previous.as_of.isoformat()) if d.previous else labels.t("report.first")]
    warn = ""
    if d.reconciled_as_of and d.reconciled_as_of != d.as_of:
        warn = f'<p class="note new">{for_html(labels.t("report.reconciled_note", date=d.reconciled_as_of))}</p>'
    return (f'<header class="cover"><div class="org">{for_html(labels.t("report.subtitle", city=registry_city))}</div>'
            f'<h1>{for_html(labels.t("report.title"))}</h1>'
            f'<div class="meta">{"".join(f"<span>{for_html(m)}</span>" for m in meta)}</div>{warn}'
            f"{_cards(report, labels)}</header>")


def _section(ident: str, title: str, body: str, cls: str = "") -> str:
    return f'<section id="{ident}" class="{cls}"><h2>{for_html(title)}</h2>{body}</section>'


def _lines_section(report: Report, labels: Labels, lines: dict[int, list[FindingLine]], lines_csv: str) -> str:
    blocks = []
    for f in sorted(report.data.open_findings, key=finding_order)[:MAX_FINDINGS]:
        mine = lines.get(f.id)
        if not mine:
            continue
        head = (f'#{f.id} {labels.code("kind", f.finding.kind)} · {labels.code("entity", f.finding.entity)} · '
                f'{labels.code("fund", f.finding.fund)} · {f.finding.period or ""}')
        t = Table("lines", "", LINE_COLUMNS, [line_row(ln, report.kinds)[2:] for ln in mine])
        t.rows = [(r[0], r[1], r[3], r[4], r[5], r[6]) for r in t.rows]
        more = report.data.line_counts.get(f.id, 0) - len(mine)
        note = (f'<p class="note">{for_html(labels.t("report.lines.more", count=more, file=lines_csv))}</p>'
                if more > 0 else "")
        blocks.append(f'<div class="lines-block" id="f-{f.id}"><h3>{for_html(head)} '
                      f'<a class="note" href="#finding-{f.id}">↑ {for_html(labels.t("report.back"))}</a></h3>'
                      f"{table_html(t, labels)}{note}</div>")
    return "".join(blocks) or f'<p class="note">{for_html(labels.t("report.none"))}</p>'


def render(report: Report, labels: Labels, lines: Iterable[FindingLine], generated_at: datetime,
           city: str, lines_csv: str, findings_csv: str, book: str = "", budget: str = "") -> str:
    by_finding: dict[int, list[FindingLine]] = {}
    for ln in lines:
        mine = by_finding.setdefault(ln.finding_id, [])
        if len(mine) < LINES_PER_FINDING:
            mine.append(ln)
    s = report.summary
    links = {i: f"f-{i}" for i in by_finding}
    rows = {f.id: f"finding-{f.id}" for f in report.data.open_findings}
    summary = (f'<div class="grid3"><div><h3>{for_html(labels.t(s.by_kind.title))}</h3>{table_html(s.by_kind, labels)}'
               f'</div><div><h3>{for_html(labels.t(s.by_severity.title))}</h3>{table_html(s.by_severity, labels)}</div>'
               f'<div><h3>{for_html(labels.t(s.by_entity.title))}</h3>{table_html(s.by_entity, labels)}</div></div>'
               f'<h3>{for_html(labels.t("report.summary.new"))}</h3>'
               f'{table_html(report.new, labels, NEW_COLUMNS, links=rows)}'
               f'<h3>{for_html(labels.t("report.summary.resolved"))}</h3>{table_html(report.resolved, labels)}')
    heat = "".join(f'<h3>{for_html(labels.t("report.section.heatmap", fund=labels.code("fund", hm.fund)))}</h3>'
                   f"{heatmap_html(hm, labels)}" for hm in report.heatmaps)
    heat = (heat + legend_html(labels)) if heat else f'<p class="note">{for_html(labels.t("report.none"))}</p>'
    funds = [f.code for f in labels.registry.funds]
    trend = trend_svg(report.trend, labels, funds) if report.trend else ""
    late = (table_html(report.late, labels, links=rows)
            + f'<h3>{for_html(labels.t("report.section.ytd"))}</h3>{table_html(report.ytd, labels)}')
    more = len(report.findings.rows) - MAX_FINDINGS
    findings = table_html(report.findings, labels, FINDING_COLUMNS, anchor="finding-", links=links,
                          limit=MAX_FINDINGS)
    if more > 0:
        findings += f'<p class="note">{for_html(labels.t("report.findings.more", count=more, file=findings_csv))}</p>'
    coverage = (table_html(report.coverage, labels)
                + f'<h3>{for_html(labels.t("report.section.breaks"))}</h3>{table_html(report.breaks, labels)}'
                + f'<h3>{for_html(labels.t("dialect.title"))}</h3>{table_html(report.warnings, labels)}'
                + f'<h3>{for_html(labels.t("report.section.rejected"))}</h3>{table_html(report.rejected, labels)}')
    body = "".join([
        _header(report, labels, generated_at, city),
        _section("disbursement", labels.t("report.section.disbursement"),
                 table_html(report.disbursement, labels, links=rows), "alert"),
        _section("summary", labels.t("report.section.summary"), summary),
        _section("heatmap", labels.t("report.section.heatmap", fund="").rstrip(":： "), heat, "page"),
        _section("trend", labels.t("report.section.trend"), trend),
        _section("late", labels.t("report.section.late"), late, "page wide"),
        _section("budget", labels.t("budget.section"), budget, "page wide") if budget else "",  # jobs.report.budget
        _section("findings", labels.t("report.section.findings"), findings, "page wide"),
        _section("lines", labels.t("report.section.lines"), _lines_section(report, labels, by_finding, lines_csv),
                 "page wide"),
        book,  # the bank reconciliation statements (jobs.report.book)
        _section("coverage", labels.t("report.section.coverage"), coverage, "page wide"),
        _section("classed", labels.t("report.section.classed"), table_html(report.classed, labels, limit=MAX_FINDINGS)
                 + _more(len(report.classed.rows) - MAX_FINDINGS, labels, f"{report.classed.name}.csv"), "page wide"),
        f'<footer>{for_html(labels.t("report.footer"))}</footer>',
    ])
    title = f'{labels.t("report.title")} {labels.t("report.as_of", date=report.data.as_of.isoformat())}'
    lang = "en" if labels.lang == "en" else "zh-CN"
    return (f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{for_html(title)}</title><style>{CSS}</style></head><body>{body}</body></html>")


def _more(count: int, labels: Labels, csv_name: str) -> str:
    return (f'<p class="note">{for_html(labels.t("report.classed.more", count=count, file=csv_name))}</p>'
            if count > 0 else "")


def write_html(path: Path, page: str) -> None:
    with atomic(path, text=True) as f:
        f.write(page)
