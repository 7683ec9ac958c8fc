# ruff: noqa: E501  (one message per line reads better than wrapped strings)
"""The inbox: what ingest says, and the reason file beside a rejected file."""

MESSAGES: dict[str, tuple[str, str]] = {
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
    "reject.reader_memory": ("读取此文件需要的内存超过上限 {mb} MB（limits.reader_memory_bytes），已停止读取", "reading this file needs more memory than the limit of {mb} MB (limits.reader_memory_bytes); reading was stopped"),
    "reject.reader_time": ("读取此文件超过时间上限 {seconds} 秒（limits.reader_seconds），已停止读取", "reading this file took longer than the limit of {seconds} s (limits.reader_seconds); reading was stopped"),
    "reject.reader_died": ("读取程序在此文件上异常终止（{detail}；上限：内存 {mb} MB，时间 {seconds} 秒）", "the reader stopped abnormally on this file ({detail}; limits: {mb} MB of memory, {seconds} s)"),
    "ingest.no_child": ("无法启动读取子进程（{error}）：本次在主进程内读取文件，不受内存与时间上限（limits.reader_*）保护", "cannot start a reader child process ({error}): files are read in the main process this time, without the memory and time limits (limits.reader_*)"),
    "parse.not_regular": ("不是普通文件（管道、设备或目录），不读取", "not a regular file (a pipe, a device or a folder): not read"),
    "ingest.reading": ("读取 {name}（{size} 字节）", "reading {name} ({size} bytes)"),
}
