# ruff: noqa: E501  (one message per line reads better than wrapped strings)
"""Every user-facing label and message, in Chinese and English: one catalogue.

`t(key, lang, **values)`; Chinese is the default. Reports use the same catalogue.
"""

from __future__ import annotations

CATALOGUE: dict[str, tuple[str, str]] = {
    # ingest
    "ingest.done": ("入库完成：{ingested} 个文件已入库，{duplicate} 个重复，{rejected} 个被拒收，{waiting} 个等待中；新增明细 {added} 笔，跳过已有明细 {skipped} 笔。",
                    "Ingest done: {ingested} files ingested, {duplicate} duplicates, {rejected} rejected, {waiting} waiting; {added} new lines, {skipped} lines already held."),
    "ingest.rejected": ("拒收 {name}：{reason}", "rejected {name}: {reason}"),
    "ingest.duplicate": ("重复文件 {name}（与 {first} 内容相同），未作任何改动", "duplicate {name} (same bytes as {first}); nothing changed"),
    "ingest.ingested": ("已入库 {name}：账户 {account}，新增 {added} 笔，已有 {skipped} 笔", "ingested {name}: account {account}, {added} new lines, {skipped} already held"),
    "ingest.schedule": ("已入库 {name}：{kind}，{rows} 行", "ingested {name}: {kind}, {rows} rows"),
    "ingest.progress": ("入库", "ingest"),
    "reason.header": ("此文件无法入库，已移至拒收目录，原文件保留未改动。", "This file could not be ingested. It was moved here unchanged."),
    "reason.file": ("文件", "File"),
    "reason.reason": ("原因", "Reason"),
    "reason.time": ("时间", "Time"),
    "reason.sha256": ("SHA-256", "SHA-256"),
    "reject.too_large": ("文件大小 {size} 字节，超过上限 {limit} 字节（limits.max_file_bytes）", "file is {size} bytes, above the limit of {limit} bytes (limits.max_file_bytes)"),
    "reject.no_account": ("{where}：文件中没有本方账号，也没有匹配的文件名规则（ingest.filename_rules）", "{where}: the file names no own account and no file-name rule (ingest.filename_rules) matches"),
    "reject.unknown_account": ("{where}：账号 {account} 不在账户登记表 mappings/accounts.toml 中", "{where}: account {account} is not in the registry mappings/accounts.toml"),
    "reject.currency": ("{where}：币种 {currency}，而账户 {account} 为人民币（CNY）账户", "{where}: currency {currency}, but account {account} is a CNY account"),
    "reject.unreadable": ("无法读取：{error}", "cannot be read: {error}"),
    "reject.empty": ("空文件（0 字节）", "empty file (0 bytes)"),
    # status
    "status.account": ("账号", "Account"),
    "status.entity": ("单位", "Entity"),
    "status.fund": ("险种", "Fund"),
    "status.role": ("账户性质", "Role"),
    "status.statements": ("对账单数", "Statements"),
    "status.lines": ("明细笔数", "Lines"),
    "status.first": ("最早覆盖日", "First day"),
    "status.last": ("最晚覆盖日", "Last day"),
    "status.gaps": ("缺失区间", "Gaps"),
    "status.balance": ("最新余额", "Last balance"),
    "status.breaks": ("余额不符", "Balance breaks"),
    "status.files": ("文件：已入库 {ingested}，重复 {duplicate}，拒收 {rejected}", "Files: {ingested} ingested, {duplicate} duplicates, {rejected} rejected"),
    "role.income": ("收入户", "income"),
    "role.expense": ("支出户", "expense"),
    "role.fiscal": ("财政专户", "fiscal"),
    "role.legacy_fiscal": ("原县级财政专户", "legacy fiscal"),
    "fund.pension": ("养老", "pension"),
    "fund.unemployment": ("失业", "unemployment"),
    # errors
    "error.config": ("配置错误：{error}", "configuration error: {error}"),
    "error.store": ("数据库错误：{error}", "database error: {error}"),
    "error.failed": ("运行失败：{error}（详见日志 {logs}）", "the work failed: {error} (see the log in {logs})"),
    "reconcile.done": ("对账完成（截至 {as_of}）：发现 {found} 项，新增 {opened} 项，已关闭 {closed} 项，变化 {changed} 项；中等及以上严重程度未结 {serious} 项。",
                       "Reconciled as of {as_of}: {found} findings, {opened} new, {closed} closed, {changed} changed; {serious} of medium severity or above open."),
    "calendar.fallback": ("注意：{years} 年没有官方节假日数据，按周一至周五及配置中的 [calendar] 计算工作日。",
                          "Note: no official holiday data for {years}; working days are Monday to Friday plus [calendar] in config."),
    "review.done": ("已记录：问题 #{id}（{kind}）状态为 {state}，审核人 {by}", "recorded: finding #{id} ({kind}) is {state}, by {by}"),
    "init.done": ("数据库已就绪（结构版本 {revision}）：{url}", "database ready (schema {revision}): {url}"),
}


def t(key: str, lang: str = "zh", **values: object) -> str:
    zh, en = CATALOGUE[key]
    text = en if lang == "en" else zh
    return text.format(**values) if values else text
