"""Budget execution and the gap rule in the report: the page's section (two tables, a note, and
per fund an inline SVG of the cumulative budget against the cumulative actuals, month by month)
and the workbook's sheet. The CSVs come with the other tables (Report.tables)."""

from __future__ import annotations

from datetime import date

from openpyxl import Workbook

from jobs.app import App
from jobs.report.cells import Labels
from jobs.report.charts import nice_step, y_axis
from jobs.report.html import table_html
from jobs.report.style import FUND_COLOURS
from jobs.report.xlsx import _sheet
from reconcile.calendar import WorkCalendar
from reconcile.money import format_yuan
from reconcile.reporting.budget import Curve
from reconcile.reporting.gap import YEAR_TO_DATE
from reconcile.reporting.report import Report
from reconcile.reporting.table import Table
from reconcile.sinks import for_html

SERIES = (("budget_income", "#9dc3e6", "6 4"), ("budget_expense", "#f4b183", "6 4"),
          ("income", FUND_COLOURS[0], ""), ("expense", FUND_COLOURS[1], ""))


def _ytd_notes(gap: Table, labels: Labels) -> list[str]:
    state, through, year = gap.column("gap_state"), gap.column("through"), gap.column("year")
    seen: dict[object, object] = {}
    for row in gap.rows:
        if row[state] == YEAR_TO_DATE:
            seen.setdefault(row[year], row[through])
    return [labels.t("gap.ytd_note", year=y, date=str(d)) for y, d in sorted(seen.items(), key=lambda x: str(x[0]))]


def budget_section_html(report: Report, labels: Labels) -> str:
    """The section's inner HTML (jobs.report.html.render places it after the late-remittance list)."""
    parts: list[str] = []
    if report.budget is not None:
        parts.append(f'<p class="note">{for_html(labels.t("budget.note"))}</p>')
        if not report.budget.rows or all(r[report.budget.column("income_budget")] is None for r in report.budget.rows):
            parts.append(f'<p class="note new">{for_html(labels.t("budget.none", year=report.data.as_of.year))}</p>')
        parts.append(table_html(report.budget, labels))
        parts.extend(curve_svg(c, labels) for c in report.curves)
    if report.gap is not None:
        parts.append(f'<h3>{for_html(labels.t("gap.section"))}</h3>')
        parts.append(f'<p class="note">{for_html(labels.t("gap.note"))}</p>')
        parts.extend(f'<p class="note new">{for_html(n)}</p>' for n in _ytd_notes(report.gap, labels))
        parts.append(table_html(report.gap, labels))
    return "".join(parts)


def curve_svg(curve: Curve, labels: Labels) -> str:
    """Four lines over the year's twelve month ends: cumulative income and expense budget (dashed)
    and cumulative actual income and expense (solid, up to the as-of month). Integer pixels from fen."""
    width, height, left, right, top, bottom = 1080, 280, 96, 16, 30, 58
    plot_w, plot_h = width - left - right, height - top - bottom
    values = [v for p in curve.points for v in (p.budget_income_fen, p.budget_expense_fen, p.income_fen or 0,
                                                   p.expense_fen or 0)]
    peak_wan = max(1, -(-max(values, default=0) // 1_000_000))  # 万元, rounded up
    step = nice_step(peak_wan)
    top_fen = step * 4 * 1_000_000
    fund = labels.code("fund", curve.fund)
    title = labels.t("budget.curve.title", fund=fund, year=curve.year)
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" role="img" '
             f'aria-label="{for_html(title)}" class="curve" data-fund="{for_html(curve.fund)}">',
             f'<text x="{left}" y="16" font-size="13" font-weight="bold" fill="#1F3864">{for_html(title)}</text>']
    parts += y_axis(left, width - right, top, plot_h, step, labels.t("budget.curve.axis"))
    n = len(curve.points)
    step_x = plot_w // max(1, n)

    def xy(i: int, fen: int) -> tuple[int, int]:
        return left + i * step_x + step_x // 2, top + plot_h - plot_h * fen // top_fen

    for key, colour, dash in SERIES:
        pts = [(i, getattr(p, f"{key}_fen")) for i, p in enumerate(curve.points)]
        pts = [(i, v) for i, v in pts if v is not None]
        if not pts:
            continue
        path = " ".join(f"{x},{y}" for x, y in (xy(i, v) for i, v in pts))
        extra = f' stroke-dasharray="{dash}"' if dash else ""
        parts.append(f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2"{extra}/>')
        for i, v in pts:
            x, y = xy(i, v)
            tip = f"{curve.points[i].month} {labels.t(f'budget.curve.{key}')} {format_yuan(v)}"
            parts.append(f'<circle cx="{x}" cy="{y}" r="3" fill="{colour}"><title>{for_html(tip)}</title></circle>')
    for i, p in enumerate(curve.points):
        parts.append(f'<text x="{left + i * step_x + step_x // 2}" y="{top + plot_h + 16}" font-size="11.5" '
                     f'text-anchor="middle" fill="#333">{for_html(p.month[5:])}</text>')
    parts.append(f'<line x1="{left}" y1="{top + plot_h}" x2="{width - right}" y2="{top + plot_h}" stroke="#777"/>')
    lx = left
    for key, colour, dash in SERIES:
        extra = f' stroke-dasharray="{dash}"' if dash else ""
        parts.append(f'<line x1="{lx}" y1="{height - 12}" x2="{lx + 22}" y2="{height - 12}" stroke="{colour}" '
                     f'stroke-width="2"{extra}/>')
        parts.append(f'<text x="{lx + 28}" y="{height - 8}" font-size="12" fill="#333">'
                     f'{for_html(labels.t(f"budget.curve.{key}"))}</text>')
        lx += 230
    parts.append("</svg>")
    return "".join(parts)


def budget_sheet(wb: Workbook, report: Report, labels: Labels) -> None:
    """The workbook's sheet: the budget table, then the gap table with its notes."""
    tables = report.budget_tables()
    if not tables:
        return
    sh = _sheet(wb, labels, "budget.sheet", [t.columns for t in tables], 2)
    if report.budget is not None:
        sh.table(report.budget, main=True)
        sh.text(labels.t("budget.note"))
    if report.gap is not None:
        sh.blank()
        sh.table(report.gap)
        sh.text(labels.t("gap.note"))
        for n in _ytd_notes(report.gap, labels):
            sh.text(n)


def console_lines(report: Report, labels: Labels) -> list[str]:
    """The two tables in a few lines for a terminal (`make demo`): every budget row, and the
    as-of year's counties with a gap."""
    out: list[str] = []
    b, g = report.budget, report.gap
    if b is not None and b.rows:
        def cell(row: tuple[object, ...], table: Table, name: str) -> str:
            i = table.column(name)
            return labels.text(table.columns[i], row[i]) or "—"

        first = b.rows[0]
        out.append(labels.t("budget.demo.title", date=report.data.as_of.isoformat(),
                            elapsed=cell(first, b, "year_elapsed")))
        for row in b.rows:
            out.append(labels.t("budget.demo.row", **{n: cell(row, b, c) for n, c in (
                ("entity", "entity"), ("fund", "fund"), ("income", "income_actual"), ("income_budget", "income_budget"),
                ("income_rate", "income_rate"), ("expense", "expense_actual"), ("expense_budget", "expense_budget"),
                ("expense_rate", "expense_rate"))}))
    if g is not None and g.rows:
        year = report.data.as_of.year
        mine = [r for r in g.rows if r[g.column("year")] == year]
        if mine:
            state = mine[0][g.column("gap_state")]
            out.append(labels.t("gap.demo.title", state=labels.code("gap_state", state),
                                date=str(mine[0][g.column("through")])))
            gaps = [r for r in mine if isinstance(r[g.column("gap")], int) and r[g.column("gap")]]
            for row in gaps:
                out.append(labels.t("gap.demo.row", entity=labels.code("entity", row[0]),
                                    fund=labels.code("fund", row[1]),
                                    gap=labels.text(g.columns[g.column("gap")], row[g.column("gap")]),
                                    completion=labels.text(g.columns[g.column("completion_rate")],
                                                           row[g.column("completion_rate")]) or "—",
                                    covered_by=labels.code("covered_by", row[g.column("covered_by")])))
            if not gaps:
                out.append(labels.t("gap.demo.none"))
    return out


def summary_lines(app: App, as_of: date, lang: str = "zh") -> list[str]:
    """`console_lines` of the report as of `as_of`, from the store."""
    from reconcile.reporting.report import build_report
    from store.reporting import read_report_data

    cfg = app.config
    cal = WorkCalendar(cfg.calendar.extra_holidays, cfg.calendar.extra_workdays)
    report = build_report(read_report_data(app.database(), app.registry, as_of), app.registry, cal)
    return console_lines(report, Labels(lang, app.registry, cfg.general.timezone))
