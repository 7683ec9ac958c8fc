# ruff: noqa: E501  (one message per line reads better than wrapped strings)
"""Errors, and what the commands say when they finish."""

MESSAGES: dict[str, tuple[str, str]] = {
    "error.config": ("配置错误：{error}", "configuration error: {error}"),
    "error.store": ("数据库错误：{error}", "database error: {error}"),
    "error.failed": ("运行失败：{error}（详见日志 {logs}）", "the work failed: {error} (see the log in {logs})"),
    "reconcile.done": ("对账完成（截至 {as_of}）：发现 {found} 项，新增 {opened} 项，已关闭 {closed} 项，变化 {changed} 项；中等及以上严重程度未结 {serious} 项。",
                       "Reconciled as of {as_of}: {found} findings, {opened} new, {closed} closed, {changed} changed; {serious} of medium severity or above open."),
    "calendar.fallback": ("注意：{years} 年没有官方节假日数据，按周一至周五及配置中的 [calendar] 计算工作日。",
                          "Note: no official holiday data for {years}; working days are Monday to Friday plus [calendar] in config."),
    "email.subject": ("【社保基金对账】{as_of} 新发现严重问题 {n} 项", "[Pooled fund reconciliation] {as_of}: {n} new serious findings"),
    "email.intro": ("截至 {as_of} 的夜间对账发现 {n} 项新的高或严重级别问题，按类别：", "The nightly reconciliation as of {as_of} found {n} new findings of high or critical severity, by kind:"),
    "email.worst": ("最严重的几项：", "The worst items:"),
    "email.report": ("完整报告（含 Excel 附件）：{path}", "The full report (the Excel file is attached): {path}"),
    "simulate.done": ("已模拟 {files} 个文件、{lines} 笔明细，写入 {out}；答案（{findings} 项预期问题）：{answer}", "Simulated {files} files, {lines} lines into {out}; answer key ({findings} expected findings): {answer}"),
    "run.done": ("运行 #{id} 完成（截至 {as_of}）。", "Run #{id} done (as of {as_of})."),
    "run.failed": ("运行 #{id} 失败（截至 {as_of}）：{error}", "Run #{id} failed (as of {as_of}): {error}"),
    "cli.as_of_range": ("日期 {date} 超出可用范围：只能是 {first} 年至 {last} 年之间的日期。",
                        "the date {date} is out of range: only days from {first} to {last} are supported."),
    "error.locked": ("另一个对账任务正在运行：{error}", "another run is in progress: {error}"),
    "init.done": ("数据库已就绪（结构版本 {revision}）：{url}", "database ready (schema {revision}): {url}"),
}
