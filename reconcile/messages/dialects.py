# ruff: noqa: E501  (one message per line reads better than wrapped strings)
"""Dialects: how a file departs from its format's standard while it is still read to the fen
(reconcile/departures.py), the strict mode's refusal, and where the warnings are shown."""

MESSAGES: dict[str, tuple[str, str]] = {
    "dialect.line": ("方言：{what}（首见于 {where}）", "dialect: {what} (first at {where})"),
    "dialect.strict": ("{file}：配置 ingest.strict = true，拒收任何偏离格式标准的文件：{first}", "{file}: ingest.strict = true refuses every departure from the format's standard: {first}"),
    "dialect.strict_more": ("（另有 {more} 项偏离）", " ({more} more)"),
    "dialect.title": ("读取提示（文件偏离格式标准，但金额、方向和日期均无歧义）", "Dialect warnings (the file departs from its format's standard; every amount, sign and date is unambiguous)"),
    "dialect.none": ("无", "none"),
    "dialect.col.file": ("文件", "File"),
    "dialect.col.account": ("账号", "Account"),
    "dialect.col.warning": ("提示", "Warning"),
    "report.col.warning": ("读取提示", "Dialect warning"),
    "dialect.status.more": ("（仅列出最近 {shown} 项，共 {total} 项）", "(the latest {shown} of {total})"),
    "dialect.ingested": ("{name}：{text}", "{name}: {text}"),
    # MT940 / MT942
    "dialect.mt940.decimal_point": ("以小数点代替 SWIFT 规定的小数逗号，共 {n} 个金额", "decimal point instead of comma, {n} amount{s}"),
    "dialect.mt940.bare_zero": ("金额 0 未写小数逗号（应为 '0,'），共 {n} 个", "amount 0 without the decimal comma ('0,'), {n} amount{s}"),
    "dialect.mt940.nonswift_tag": ("银行自定义字段 {detail}（非 SWIFT 字段）已跳过，共 {n} 处", "the bank's own field {detail} (not SWIFT) skipped, {n} time{s}"),
    "dialect.mt940.no_closing": ("报文以 '-' 结束但缺少期末余额 :62F:/:62M:", "no closing balance :62F:/:62M: before the message's end '-'"),
    "dialect.mt940.blank_number": (":28C: 对账单编号为空（{detail}）", ":28C: statement number left blank ({detail})"),
    "dialect.mt940.no_type_code": (":61: 缺少交易类型代码（N/F/S 加 3 个字符），共 {n} 笔", ":61: without the transaction type (N, F or S and 3 characters), {n} line{s}"),
    "dialect.mt940.encoding": ("文本不是 UTF-8，按 {detail} 解码（户名等文字可能显示有误；金额、日期和字段标记均为 ASCII，不受影响）", "not UTF-8: decoded as {detail} (names may show wrong letters; amounts, dates and tags are ASCII)"),
    "dialect.mt940.outside_text": ("报文之外的文字（银行的传输信封或前言）已跳过，共 {n} 行", "text outside the messages (a bank's envelope or preamble) skipped, {n} line{s}"),
    # camt.052 / 053 / 054
    "dialect.camt.balance_sign_zero": ("余额 {detail} 缺少 CdtDbtInd；金额为零，按 ISO 20022 用法规则视为贷方", "balance {detail} without CdtDbtInd; it is zero, a credit by the ISO 20022 usage rule"),
    "dialect.camt.balance_sign_missing": ("余额 {detail} 缺少 CdtDbtInd 且不为零：方向不明，未采用该余额", "balance {detail} without CdtDbtInd and not zero: its sign is unknown, the balance is not used"),
    "dialect.camt.date_from_message": ("{n} 笔分录没有 BookgDt 和 ValDt：按通知本身的日期 {detail}（CreDtTm）记账", "{n} entr{ies} without BookgDt or ValDt: dated by the notification's own date {detail} (CreDtTm)"),
    "dialect.camt.date_from_period": ("{n} 笔分录没有 BookgDt 和 ValDt：按对账单所覆盖的唯一一天 {detail}（FrToDt）记账", "{n} entr{ies} without BookgDt or ValDt: dated by the one day the statement covers, {detail} (FrToDt)"),
    "dialect.camt.date_from_settlement": ("{n} 笔非入账（PDNG/INFO）分录没有 BookgDt 和 ValDt：按银行间结算日（RltdDts/IntrBkSttlmDt）", "{n} entr{ies} not booked (PDNG/INFO) without BookgDt or ValDt: dated by their interbank settlement date (RltdDts/IntrBkSttlmDt)"),
    "dialect.camt.date_from_statement": ("{n} 笔非入账（PDNG/INFO）分录没有 BookgDt 和 ValDt：按对账单日期 {detail}", "{n} entr{ies} not booked (PDNG/INFO) without BookgDt or ValDt: dated by the statement's date {detail}"),
    "dialect.camt.extra_decimals": ("金额的小数位多于两位（超出部分均为 0），共 {n} 个", "amounts with more than two decimals (only zeros beyond the fen), {n} amount{s}"),
    # every format (parsers/ranges.py)
    "dialect.range.outside_period": ("{n} 笔入账分录的记账日期在对账单期间 {detail} 之外（超出在途期，但未超过一年）：已读取", "{n} booked line{s} dated outside the statement's period {detail} by more than the transit window (within a year): read"),
    # OFX
    "dialect.ofx.no_fitid": ("{n} 笔交易缺少 OFX 规定必填的 FITID（已读取，无银行流水号）", "{n} transaction{s} without the FITID OFX requires (read, without a bank reference)"),
    "dialect.ofx.charset": ("文件头声明 {detail}，但内容是 UTF-8：按 UTF-8 读取", "the header declares {detail} but the bytes are UTF-8: read as UTF-8"),
    # CSV / TSV
    "dialect.csv.stray_quote": ("未加引号的单元格中含有引号，按文字保留，共 {n} 个单元格", "a quote inside a cell that is not quoted, kept as text, {n} cell{s}"),
    "dialect.csv.space_after_quote": ("引号结束后、分隔符之前有空格或制表符，共 {n} 个单元格", "spaces or tabs after a closing quote, before the delimiter, {n} cell{s}"),
}
