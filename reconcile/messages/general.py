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
    "error.schema_none": ("数据库中还没有表结构（需要版本 {want}）：请先运行 `recon init` 创建", "the database holds no schema yet (version {want} is needed): run `recon init` first to create it"),
    "error.schema_old": ("数据库结构版本为 {have}，本程序需要 {want}：请先运行 `recon init` 升级（升级前请备份）", "the database schema is at {have}, this version needs {want}: run `recon init` first to upgrade it (back it up before)"),
    "init.created": ("首次使用：已创建内嵌数据库 {url}", "first use: the embedded database {url} was created"),
    "run.died": ("上次运行 #{id} 未正常结束，已标记为失败：{error}", "the earlier run #{id} did not finish and is marked failed: {error}"),
    "run.died_reading": ("运行在步骤 {step} 读取文件 {name} 时中断（进程被终止）", "the run stopped in step {step} while reading the file {name} (the process was ended)"),
    "run.died_in_step": ("运行在步骤 {step} 中断（进程被终止）", "the run stopped in step {step} (the process was ended)"),
    "run.died_unknown": ("运行中断（进程被终止）", "the run stopped (the process was ended)"),
    "run.failed": ("运行 #{id} 失败（截至 {as_of}）：{error}", "Run #{id} failed (as of {as_of}): {error}"),
    "error.locked": ("另一个对账任务正在运行：{error}", "another run is in progress: {error}"),
    "init.done": ("数据库已就绪（结构版本 {revision}）：{url}", "database ready (schema {revision}): {url}"),
}
