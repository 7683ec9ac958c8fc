"""The dashboard's pictures as plain numbers for the templates: the heatmap's cells and the arrears
trend as SVG coordinates (the template draws them with attributes and classes, no inline style)."""

from __future__ import annotations

from dataclasses import dataclass

from reconcile.reporting.heatmap import TrendPoint

WIDTH, HEIGHT, PAD_LEFT, PAD_BOTTOM, PAD_TOP = 640, 220, 90, 30, 10


@dataclass(frozen=True)
class Series:
    fund: str
    points: str  # "x,y x,y ..." for a polyline
    dots: tuple[tuple[int, int, int], ...]  # (x, y, fen)


@dataclass(frozen=True)
class Trend:
    width: int
    height: int
    series: tuple[Series, ...]
    months: tuple[tuple[int, str], ...]  # (x, label)
    top_fen: int
    axis_y: int
    axis_x: int


def trend_chart(points: list[TrendPoint], funds: list[str]) -> Trend | None:
    if not points:
        return None
    top = max([max(p.outstanding_fen.values(), default=0) for p in points] + [1])
    n = len(points)
    span_x = WIDTH - PAD_LEFT - 10
    span_y = HEIGHT - PAD_BOTTOM - PAD_TOP

    def x(i: int) -> int:
        return PAD_LEFT + (span_x * i // max(1, n - 1) if n > 1 else span_x // 2)

    def y(fen: int) -> int:
        return PAD_TOP + span_y - span_y * fen // top  # integers: no float near money

    series = []
    for fund in funds:
        dots = tuple((x(i), y(p.outstanding_fen.get(fund, 0)), p.outstanding_fen.get(fund, 0))
                     for i, p in enumerate(points))
        series.append(Series(fund, " ".join(f"{a},{b}" for a, b, _ in dots), dots))
    months = tuple((x(i), p.month) for i, p in enumerate(points))
    return Trend(WIDTH, HEIGHT, tuple(series), months, top, HEIGHT - PAD_BOTTOM, PAD_LEFT)
