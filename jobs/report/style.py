"""The report page's inline style sheet: screen and A4 print, Chinese-capable font stack, no web
fonts; and the status colours shared by the heatmap and its legend."""

from __future__ import annotations

STATUS_COLOURS: dict[str, tuple[str, str]] = {  # status -> (background, text)
    "ok": ("#cfe8cf", "#1e5b23"),
    "late": ("#ffe08a", "#5d4300"),
    "partial": ("#f7a072", "#5a1f00"),
    "missing": ("#d32f2f", "#ffffff"),
    "over": ("#a9cdf0", "#0d3b66"),
    "awaiting_statement": ("#e3e3e3", "#555555"),
    "none": ("#ffffff", "#999999"),
}
FUND_COLOURS = ("#1f4e79", "#c55a11", "#548235", "#7030a0")

CSS = """
@page { size: A4; margin: 14mm 12mm 16mm 12mm; }
@page wide { size: A4 landscape; margin: 12mm 12mm 14mm 12mm; }
* { box-sizing: border-box; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { margin: 0 auto; max-width: 1180px; padding: 24px 28px; color: #1a1a1a; background: #fff;
  font-family: "Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Micro Hei", "Microsoft YaHei",
  "PingFang SC", sans-serif; font-size: 13px; line-height: 1.5; }
header.cover { border-bottom: 3px double #8b0000; padding-bottom: 12px; margin-bottom: 18px; }
header.cover .org { font-size: 14px; color: #444; letter-spacing: 1px; }
h1 { font-size: 26px; margin: 6px 0 4px; color: #8b0000; letter-spacing: 2px; }
h2 { font-size: 18px; margin: 26px 0 10px; padding: 4px 0 4px 10px; border-left: 5px solid #1f4e79;
  background: #f2f5f9; color: #1f3864; }
h3 { font-size: 15px; margin: 18px 0 8px; color: #1f3864; }
.meta { color: #555; font-size: 12.5px; }
.meta span + span::before { content: " · "; color: #aaa; }
.cards { display: flex; gap: 10px; margin-top: 14px; flex-wrap: wrap; }
.card { flex: 1 1 150px; border: 1px solid #ccd6e0; border-radius: 4px; padding: 8px 12px; background: #fafcfe; }
.card .n { font-size: 22px; font-weight: 700; color: #1f3864; font-variant-numeric: tabular-nums; }
.card .l { font-size: 12px; color: #555; }
.card.bad .n { color: #b71c1c; }
.alert { border: 2px solid #b71c1c; border-radius: 4px; padding: 0 12px 12px; background: #fff8f8; }
.alert h2 { border-left-color: #b71c1c; background: transparent; color: #b71c1c; }
table { border-collapse: collapse; width: 100%; margin: 6px 0 12px; font-size: 11.5px; }
th, td { border: 1px solid #c9d1da; padding: 3px 5px; vertical-align: top; }
th { background: #dce6f1; color: #1f3864; font-weight: 700; text-align: center; }
tbody tr:nth-child(even) td { background: #f7f9fb; }
td.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
td.code, td.date { white-space: nowrap; }
td.wrap { overflow-wrap: anywhere; }
tr.total td { font-weight: 700; background: #eef2f7; }
.sev { display: inline-block; min-width: 2.6em; text-align: center; border-radius: 3px; padding: 0 4px; }
.sev-critical { background: #b71c1c; color: #fff; }
.sev-high { background: #f4c7c3; color: #7f0000; }
.sev-medium { background: #fde9b0; color: #5d4300; }
.sev-low { background: #e1ecf7; color: #0d3b66; }
.sev-info { background: #eee; color: #555; }
.new { color: #b71c1c; font-weight: 700; }
.grid3 { display: grid; grid-template-columns: 1.3fr 0.8fr 1fr; gap: 14px; }
.grid3 table { margin-top: 0; }
table.heat { width: auto; }
table.heat td { text-align: center; width: 62px; height: 26px; font-weight: 700; vertical-align: middle; }
table.heat td.county { text-align: left; min-width: 110px; font-weight: 400; white-space: nowrap; background: #fff; }
table.heat tbody tr:nth-child(even) td.county { background: #fff; }
.legend { display: flex; gap: 12px; flex-wrap: wrap; font-size: 12px; margin: 4px 0 10px; align-items: center; }
.legend i { display: inline-block; width: 14px; height: 14px; border: 1px solid #999; vertical-align: -2px;
  margin-right: 4px; }
.note { color: #666; font-size: 12px; }
svg text { font-family: inherit; }
a { color: #1f4e79; text-decoration: none; }
a:hover { text-decoration: underline; }
.lines-block { margin-bottom: 10px; }
.lines-block h3 { font-size: 13px; margin: 12px 0 4px; }
table.t-book-months { width: auto; }
table.t-book-months td { text-align: center; min-width: 44px; }
table.t-book td.ok, table.t-book-months td.ok { background: #cfe8cf; color: #1e5b23; }
table.t-book td.bad, table.t-book-months td.bad { background: #f4c7c3; color: #7f0000; font-weight: 700; }
table.t-book td.gap, table.t-book-months td.gap { background: #e3e3e3; color: #555; }
footer { margin-top: 24px; padding-top: 8px; border-top: 1px solid #ccc; color: #666; font-size: 11.5px; }
@media print {
  body { max-width: none; padding: 0; font-size: 10.5pt; }
  table { font-size: 8pt; }
  th, td { padding: 2px 3px; }
  section.page { break-before: page; }
  section.wide { page: wide; }
  h2, h3 { break-after: avoid; }
  tr, .card, .lines-block h3 { break-inside: avoid; }
  thead { display: table-header-group; }
  a { color: inherit; }
}
"""
