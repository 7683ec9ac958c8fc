"""The page's two pictures, inline: the county x month heatmap (a coloured table, with legend) and
the arrears trend (an SVG bar chart of remit arrears at each month end, one bar per fund)."""

from __future__ import annotations

from jobs.report.cells import Labels
from jobs.report.style import FUND_COLOURS, STATUS_COLOURS
from reconcile.money import format_yuan
from reconcile.reporting.heatmap import Heatmap, TrendPoint
from reconcile.sinks import for_html

LATE = ("late", "partial", "missing")


def heatmap_html(hm: Heatmap, labels: Labels) -> str:
    head = "".join(f"<th>{for_html(m)}</th>" for m in hm.months)
    body = []
    for entity, cells in hm.rows:
        tds = []
        for month, cell in zip(hm.months, cells, strict=True):
            bg, fg = STATUS_COLOURS.get(cell.status, STATUS_COLOURS["none"])
            mark = {"ok": "✓", "over": "+", "awaiting_statement": "…"}.get(cell.status, "")
            if cell.status in LATE:
                mark = str(cell.days_overdue or 0)
            tip = f"{labels.code('entity', entity)} {month} {labels.code('status', cell.status)}"
            if cell.outstanding_fen:
                tip += f" {labels.t('report.col.outstanding')} {format_yuan(cell.outstanding_fen)}"
            tds.append(f'<td class="st-{cell.status}" style="background:{bg};color:{fg}" '
                       f'title="{for_html(tip)}">{for_html(mark)}</td>')
        body.append(f'<tr><td class="county">{for_html(labels.code("entity", entity))}</td>{"".join(tds)}</tr>')
    return (f'<table class="heat" data-fund="{for_html(hm.fund)}"><thead><tr>'
            f'<th>{for_html(labels.t("report.heatmap.county"))}</th>{head}</tr></thead>'
            f'<tbody>{"".join(body)}</tbody></table>')


def legend_html(labels: Labels) -> str:
    items = "".join(
        f'<span><i style="background:{bg}"></i>{for_html(labels.code("status", s))}</span>'
        for s, (bg, _fg) in STATUS_COLOURS.items())
    return f'<div class="legend"><b>{for_html(labels.t("report.heatmap.legend"))}</b>{items}</div>'


def nice_step(top_yuan: int, ticks: int = 4) -> int:
    """A 1, 2 or 5 x 10^k step (yuan) so that `ticks` steps cover `top_yuan`; integers only."""
    raw = max(1, -(-top_yuan // ticks))
    k = 1
    while k * 10 <= raw:
        k *= 10
    for m in (1, 2, 5, 10):
        if m * k >= raw:
            return m * k
    return 10 * k  # pragma: no cover


def y_axis(left: int, right_x: int, top: int, plot_h: int, step: int, label: str) -> list[str]:
    """Five grid lines with their values (0 to 4 steps) and the rotated axis label, as SVG."""
    parts = []
    for i in range(5):
        y = top + plot_h - plot_h * i // 4
        parts.append(f'<line x1="{left}" y1="{y}" x2="{right_x}" y2="{y}" stroke="#dde3ea"/>')
        parts.append(f'<text x="{left - 6}" y="{y + 4}" font-size="11" text-anchor="end" fill="#555">'
                     f'{step * i:,}</text>')
    parts.append(f'<text x="14" y="{top + plot_h // 2}" font-size="11" fill="#555" text-anchor="middle" '
                 f'transform="rotate(-90 14 {top + plot_h // 2})">{for_html(label)}</text>')
    return parts


def trend_svg(points: list[TrendPoint], labels: Labels, funds: list[str]) -> str:
    """Grouped bars: one group per month end, one bar per fund. Heights in integer pixels from fen."""
    width, height, left, right, top, bottom = 1080, 300, 96, 16, 20, 44
    plot_w, plot_h = width - left - right, height - top - bottom
    peak = max((p.outstanding_fen.get(f, 0) for p in points for f in funds), default=0)
    step = nice_step(max(1, -(-peak // 100)))
    top_fen = step * 4 * 100
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" '
             f'role="img" aria-label="{for_html(labels.t("report.section.trend"))}" class="trend">']
    parts += y_axis(left, width - right, top, plot_h, step, labels.t("report.trend.axis"))
    n = max(1, len(points))
    group = plot_w // n
    bar = max(4, min(34, (group - 16) // max(1, len(funds))))
    for gi, p in enumerate(points):
        x0 = left + gi * group + (group - bar * len(funds)) // 2
        for fi, fund in enumerate(funds):
            fen = p.outstanding_fen.get(fund, 0)
            h = plot_h * fen // top_fen if top_fen else 0
            x, y = x0 + fi * bar, top + plot_h - h
            colour = FUND_COLOURS[fi % len(FUND_COLOURS)]
            tip = f"{p.month} {labels.code('fund', fund)} {format_yuan(fen)}"
            parts.append(f'<rect x="{x}" y="{y}" width="{bar - 2}" height="{h}" fill="{colour}">'
                         f'<title>{for_html(tip)}</title></rect>')
            if fen:
                parts.append(f'<text x="{x + bar // 2}" y="{y - 3}" font-size="9.5" text-anchor="middle" '
                             f'fill="#333">{fen // 100:,}</text>')
        parts.append(f'<text x="{left + gi * group + group // 2}" y="{top + plot_h + 16}" font-size="11.5" '
                     f'text-anchor="middle" fill="#333">{for_html(p.month)}</text>')
    parts.append(f'<line x1="{left}" y1="{top + plot_h}" x2="{width - right}" y2="{top + plot_h}" stroke="#777"/>')
    lx = left
    for fi, fund in enumerate(funds):
        parts.append(f'<rect x="{lx}" y="{height - 16}" width="12" height="12" '
                     f'fill="{FUND_COLOURS[fi % len(FUND_COLOURS)]}"/>')
        parts.append(f'<text x="{lx + 17}" y="{height - 6}" font-size="12" fill="#333">'
                     f'{for_html(labels.code("fund", fund))}</text>')
        lx += 110
    parts.append("</svg>")
    return "".join(parts)
