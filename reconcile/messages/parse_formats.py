# ruff: noqa: E501  (one message per line reads better than wrapped strings)
"""Why a file of one format cannot be read: camt, MT940, OFX, tables and schedules (reconcile.errors.ParseError).

The English of each `parse.*` key is the parser's own wording (what `str()` of the error says)."""

MESSAGES: dict[str, tuple[str, str]] = {
    # camt (ISO 20022 XML)
    "parse.camt.date": ("应为日期 YYYY-MM-DD，实为 {found!r}", "expected a date YYYY-MM-DD, found {found!r}"),
    "parse.camt.amount": ("应为非负的十进制金额，实为 {found!r}", "expected a non-negative decimal amount, found {found!r}"),
    "parse.camt.sign": ("借贷标识 CdtDbtInd 应为 CRDT 或 DBIT，实为 {found!r}", "expected CdtDbtInd CRDT or DBIT, found {found!r}"),
    "parse.camt.no_xml": ("应为包含 {expected} 的 camt 文件，未找到任何 XML 元素", "expected a camt document with {expected}; found no XML element"),
    "parse.camt.namespace": ("应为 ISO 20022 camt.052/053/054 文件（命名空间 urn:iso:std:iso:20022:tech:xsd:camt.05x.001.nn），实为命名空间 {ns!r} 中的 <{root}>", "expected an ISO 20022 camt.052/053/054 document (namespace urn:iso:std:iso:20022:tech:xsd:camt.05x.001.nn); found <{root}> in namespace {ns!r}"),
    "parse.camt.no_statement": ("<{message}>（{version}）下应至少有一个 <{statement}>，该报文一个也没有", "expected at least one <{statement}> under <{message}> ({version}); the message has none"),
    "parse.camt.no_message": ("<{root}> 下应有 {expected}，实为 {found}", "expected {expected} under <{root}>; found {found}"),
    "parse.camt.statement_name": ("<{parent}> 下应为 <{expected}>，实为 <{found}>", "expected <{expected}> under <{parent}>, found <{found}>"),
    "parse.camt.kind": ("<{element}> 应使用 camt.{kind} 命名空间，实为 {ns}", "expected a camt.{kind} namespace for <{element}>, found {ns}"),
    "parse.camt.balance_amount": ("余额中应有 <Amt>，未找到", "expected <Amt> in the balance"),
    "parse.camt.no_account": ("应写明 {statement} 的账号：Acct/Id/IBAN、Acct/Id/Othr/Id 或 Acct/Id/PrtryAcct/Id", "expected the account of the {statement}: Acct/Id/IBAN, Acct/Id/Othr/Id or Acct/Id/PrtryAcct/Id"),
    "parse.camt.entry_amount": ("分录中应有 <Amt>，未找到", "expected <Amt> in the entry"),
    "parse.camt.entry_status": ("分录中应有状态 <Sts>（BOOK、PDNG 或 INFO），未找到", "expected <Sts> (BOOK, PDNG or INFO) in the entry"),
    "parse.camt.entry_status_code": ("分录状态应为 BOOK、PDNG 或 INFO，实为 {found!r}", "expected entry status BOOK, PDNG or INFO, found {found!r}"),
    "parse.camt.undated": ("分录中应有含 <Dt> 或 <DtTm> 的 <BookgDt> 或 <ValDt>：已入账的分录须有自己的日期，除非文件为整份报文写明了日期（camt.054 的 CreDtTm，或只覆盖一天的对账单）", "expected <BookgDt> or <ValDt> with <Dt> or <DtTm> in the entry: a booked entry needs its own date unless the file states one for its whole message (a camt.054's CreDtTm, or a statement covering one day)"),
}
MESSAGES.update({
    # MT940 / MT942
    "parse.mt940.date.date": ("日期应为 YYMMDD，实为 {found!r}", "expected the date as YYMMDD, found {found!r}"),
    "parse.mt940.date.value_date": ("起息日期应为 YYMMDD，实为 {found!r}", "expected the value date as YYMMDD, found {found!r}"),
    "parse.mt940.not_calendar.date": ("日期 {found!r} 不是有效的日历日期（YYMMDD）", "date {found!r} is not a calendar date (YYMMDD)"),
    "parse.mt940.not_calendar.value_date": ("起息日期 {found!r} 不是有效的日历日期（YYMMDD）", "value date {found!r} is not a calendar date (YYMMDD)"),
    "parse.mt940.entry_date": ("记账日期 {found!r} 不是有效的日历日期（MMDD）", "entry date {found!r} is not a calendar date (MMDD)"),
    "parse.mt940.mixed_point": ("金额 {found!r} 使用小数逗号，而 {first} 处的金额使用 '.'：同一文件中两种符号并存，任一都可能是千位分隔符，金额含义不明", "amount {found!r} uses the decimal comma while the amount at {first} uses '.': with both marks in one file either could be a thousands separator, so the amounts are ambiguous"),
    "parse.mt940.mixed_comma": ("金额 {found!r} 使用 '.'，而 {first} 处的金额使用小数逗号：同一文件中两种符号并存，任一都可能是千位分隔符，金额含义不明", "amount {found!r} uses '.' while the amount at {first} uses the decimal comma: with both marks in one file either could be a thousands separator, so the amounts are ambiguous"),
    "parse.mt940.amount_thousands": ("{field}金额 {found!r} 的 '.' 之后有三位或更多数字：SWIFT 金额须用小数逗号，此处的 '.' 可能是千位分隔符，金额含义不明", "{field}amount {found!r} uses '.' with three or more digits after it: SWIFT amounts require a decimal comma, and here '.' may be a thousands separator, so the amount is ambiguous"),
    "parse.mt940.amount_point": ("{field}金额 {found!r} 以 '.' 作小数点；SWIFT 金额须用小数逗号", "{field}amount {found!r} uses '.' as decimal mark; SWIFT amounts require a decimal comma"),
    "parse.mt940.amount_no_comma": ("{field}金额 {found!r} 缺少必需的小数逗号（SWIFT 15d，如 '{found},'）：没有小数符号，数量级不明", "{field}amount {found!r} lacks the mandatory decimal comma (SWIFT 15d, e.g. '{found},'): without a decimal mark its scale is ambiguous"),
    "parse.mt940.amount": ("{field}应为带小数逗号的金额，实为 {found!r}", "{field}expected an amount with a decimal comma, found {found!r}"),
    "parse.mt940.balance": (":{tag}: 应为借贷标记 C 或 D、日期 YYMMDD、币种和金额（如 'C240131CNY1234,56'），实为 {found!r}", ":{tag}: expected mark C or D, date YYMMDD, currency and amount (e.g. 'C240131CNY1234,56'), found {found!r}"),
    "parse.mt940.type": (":61: 金额之后应为交易类型（N、F 或 S 加 3 个字符，如 'NTRF'），实为 {found!r}", ":61: expected the transaction type (N, F or S and 3 characters, e.g. 'NTRF') after the amount, found {found!r}"),
    "parse.mt940.line61_date": (":61: 开头应为起息日期 YYMMDD，实为 {found!r}", ":61: expected the value date YYMMDD first, found {found!r}"),
    "parse.mt940.line61_mark": (":61: 日期之后应为借贷标记 C、D、RC 或 RD，实为 {found!r}", ":61: expected the mark C, D, RC or RD after the dates, found {found!r}"),
    "parse.mt940.count_sum": (":{tag}: 应为笔数、币种和金额，实为 {found!r}", ":{tag}: expected count, currency and amount, found {found!r}"),
    "parse.mt940.floor_limit": (":34F: 应为币种和金额，实为 {found!r}", ":34F: expected currency and amount, found {found!r}"),
})
MESSAGES.update({
    "parse.mt940.block4_tag": ("'{{4:' 之后应为字段标签，实为 {found!r}", "expected a field tag after '{{4:', found {found!r}"),
    "parse.mt940.no_20": ("不是 MT940/MT942 对账单：未找到交易参考号字段 ':20:'", "not an MT940/MT942 statement: no ':20:' transaction reference field found"),
    "parse.mt940.not_statement": ("SWIFT MT{mt} 不是对账单报文（应为 MT940 或 MT942）", "SWIFT MT{mt} is not a statement message (expected MT940 or MT942)"),
    "parse.mt940.not_a_tag": ("{found!r} 不是 MT940 字段标签：以 ':' 开头的行必须是标签 ':nn:' 或 ':nna:'", "{found!r} is not an MT940 field tag: a line starting with ':' must be a tag ':nn:' or ':nna:'"),
    "parse.mt940.not_a_tag_legacy": ("{found!r} 不是 MT940 字段标签：以 ':' 开头的行必须是标签 ':nn:' 或 ':nna:'（旧式报文头为 ':940:'）", "{found!r} is not an MT940 field tag: a line starting with ':' must be a tag ':nn:' or ':nna:' (the legacy message header is ':940:')"),
    "parse.mt940.unknown_tag": ("未知字段标签 ':{tag}:'（MT940 字段 20、21、25、28C、60F/M、61、86、62F/M、64、65；MT942 字段 34F、13D、90D/C）", "unknown field tag ':{tag}:' (MT940 fields 20, 21, 25, 28C, 60F/M, 61, 86, 62F/M, 64, 65; MT942 fields 34F, 13D, 90D/C)"),
    "parse.mt940.outside": ("字段 :{tag}: 在对账单之外：应为开始一份对账单的交易参考号 :20:", "field :{tag}: outside a statement: expected the transaction reference :20: that opens a statement"),
    "parse.mt940.one_line": (":{tag}: 之后有多余文字 {found!r}（该字段只有一行）", "unexpected text {found!r} after :{tag}: (a one-line field)"),
    "parse.mt940.no_account": (":25: 账号标识为空", ":25: account identification is empty"),
    "parse.mt940.datetime": (":13D: 应为 YYMMDDhhmm+hhmm，实为 {found!r}", ":13D: expected YYMMDDhhmm+hhmm, found {found!r}"),
    # a field out of place: what the statement expected at that point
    "parse.mt940.unexpected.head": ("此处不应有 :{tag}:：应为开始一份对账单的交易参考号 :20:", "unexpected :{tag}: here: expected the transaction reference :20: that opens a statement"),
    "parse.mt940.unexpected.after20": ("此处不应有 :{tag}:：应为账号标识 :25:（或 :21:）", "unexpected :{tag}: here: expected the account identification :25: (or :21:)"),
    "parse.mt940.unexpected.after25": ("此处不应有 :{tag}:：应为对账单编号 :28C: 或期初余额 :60F:/:60M:", "unexpected :{tag}: here: expected the statement number :28C: or the opening balance :60F:/:60M:"),
    "parse.mt940.unexpected.after28": ("此处不应有 :{tag}:：应为期初余额 :60F:/:60M:（MT942：起点金额 :34F:）", "unexpected :{tag}: here: expected the opening balance :60F:/:60M: (MT942: the floor limit :34F:)"),
    "parse.mt940.unexpected.after34": ("此处不应有 :{tag}:：应为日期时间 :13D:（或第二个 :34F:）", "unexpected :{tag}: here: expected the date/time indication :13D: (or a second :34F:)"),
    "parse.mt940.unexpected.body": ("此处不应有 :{tag}:：应为明细行 :61:、其附言 :86: 或期末余额 :62F:/:62M:", "unexpected :{tag}: here: expected a statement line :61:, its details :86: or the closing balance :62F:/:62M:"),
    "parse.mt940.unexpected.body942": ("此处不应有 :{tag}:：应为明细行 :61:、其附言 :86: 或合计 :90D:/:90C:", "unexpected :{tag}: here: expected a statement line :61:, its details :86: or the sums :90D:/:90C:"),
    "parse.mt940.unexpected.closed": ("此处不应有 :{tag}:：应为 :64:、:65:、:86:、报文结束符 '-' 或下一个 :20:", "unexpected :{tag}: here: expected :64:, :65:, :86:, the end of the message '-' or the next :20:"),
    # a statement cut off: what came before the field it needed
    "parse.mt940.truncated.940.end_message": ("第 {start} 行 :20: 开始的对账单被截断：报文结束符 '-' 出现在期末余额 :62F:/:62M: 之前", "statement opened by :20: at line {start} is truncated: the end of the message '-' comes before the closing balance :62F:/:62M:"),
    "parse.mt940.truncated.940.end_file": ("第 {start} 行 :20: 开始的对账单被截断：文件在期末余额 :62F:/:62M: 之前结束", "statement opened by :20: at line {start} is truncated: the end of the file comes before the closing balance :62F:/:62M:"),
    "parse.mt940.truncated.940.next_header": ("第 {start} 行 :20: 开始的对账单被截断：下一个报文头 '{{1:' 出现在期末余额 :62F:/:62M: 之前", "statement opened by :20: at line {start} is truncated: the next message header '{{1:' comes before the closing balance :62F:/:62M:"),
    "parse.mt940.truncated.940.next_20": ("第 {start} 行 :20: 开始的对账单被截断：下一份对账单的 :20: 出现在期末余额 :62F:/:62M: 之前", "statement opened by :20: at line {start} is truncated: the next statement's :20: comes before the closing balance :62F:/:62M:"),
    "parse.mt940.truncated.942.end_message": ("第 {start} 行 :20: 开始的对账单被截断：报文结束符 '-' 出现在日期时间 :13D: 之前", "statement opened by :20: at line {start} is truncated: the end of the message '-' comes before the date/time :13D:"),
    "parse.mt940.truncated.942.end_file": ("第 {start} 行 :20: 开始的对账单被截断：文件在日期时间 :13D: 之前结束", "statement opened by :20: at line {start} is truncated: the end of the file comes before the date/time :13D:"),
    "parse.mt940.truncated.942.next_header": ("第 {start} 行 :20: 开始的对账单被截断：下一个报文头 '{{1:' 出现在日期时间 :13D: 之前", "statement opened by :20: at line {start} is truncated: the next message header '{{1:' comes before the date/time :13D:"),
    "parse.mt940.truncated.942.next_20": ("第 {start} 行 :20: 开始的对账单被截断：下一份对账单的 :20: 出现在日期时间 :13D: 之前", "statement opened by :20: at line {start} is truncated: the next statement's :20: comes before the date/time :13D:"),
})
MESSAGES.update({
    # OFX
    "parse.ofx.date": ("应为 OFX 日期 YYYYMMDD[HHMMSS[.XXX]][[tz]]，实为 {found!r}", "expected an OFX date YYYYMMDD[HHMMSS[.XXX]][[tz]], found {found!r}"),
    "parse.ofx.not_calendar": ("{found!r} 不是有效的日历日期", "{found!r} is not a calendar date"),
    "parse.ofx.no_amount": ("STMTTRN 中应有 TRNAMT（金额），未找到", "expected TRNAMT (the amount) in STMTTRN, found none"),
    "parse.ofx.no_date": ("STMTTRN 中应有 DTPOSTED（记账日期），未找到", "expected DTPOSTED (the booking date) in STMTTRN, found none"),
    "parse.ofx.count": ("只读出 {read} 笔交易，而文件中有 {in_file} 个 <STMTTRN>：拒收，不做部分读取", "read {read} transactions but the file has {in_file} <STMTTRN>: refused rather than read in part"),
    "parse.ofx.bank_error": ("银行返回的是错误而不是对账单：STATUS CODE {code} SEVERITY ERROR：{text}", "the bank answered with an error, not a statement: STATUS CODE {code} SEVERITY ERROR: {text}"),
    "parse.ofx.charset": ("OFX 声明的字符集 {declared!r} 无法识别，且内容不是 UTF-8（第 {byte} 字节）", "OFX declares the character set {declared!r}, which is unknown; and the bytes are not UTF-8 (byte {byte})"),
    "parse.ofx.unreadable": ("ofxparse 无法读取该文件", "ofxparse could not read the file"),
    "parse.ofx.library": ("OFX 读取库报错：{message}", "{message}"),
    "parse.ofx.expected.TRNAMT": ("应有 TRNAMT（金额）；ofxparse：{message}", "expected TRNAMT (the amount); ofxparse: {message}"),
    "parse.ofx.expected.DTPOSTED": ("应有 DTPOSTED（记账日期）；ofxparse：{message}", "expected DTPOSTED (the booking date); ofxparse: {message}"),
    "parse.ofx.expected.DTUSER": ("应有 DTUSER（日期）；ofxparse：{message}", "expected DTUSER (a date); ofxparse: {message}"),
    "parse.ofx.expected.FITID": ("应有 FITID；ofxparse：{message}", "expected FITID; ofxparse: {message}"),
    "parse.ofx.expected.TRNTYPE": ("应有 TRNTYPE；ofxparse：{message}", "expected TRNTYPE; ofxparse: {message}"),
    "parse.ofx.expected.LEDGERBAL": ("应有 LEDGERBAL/BALAMT 或 AVAILBAL/BALAMT（金额）；ofxparse：{message}", "expected LEDGERBAL/BALAMT or AVAILBAL/BALAMT (an amount); ofxparse: {message}"),
    "parse.ofx.expected.BALAMT": ("应有 BALAMT（金额）；ofxparse：{message}", "expected BALAMT (an amount); ofxparse: {message}"),
})
MESSAGES.update({
    # payment plans, surplus schedules, collection targets and budgets (parsers/schedules.py)
    "parse.schedule.no_sheet": ("应有一张含支付计划、结余划转计划、征收目标或预算的工作表，未找到", "expected a sheet with a payment plan, surplus schedule, collection targets or a budget"),
    "parse.schedule.no_header": ("应有支付计划、结余划转计划、征收目标或预算的表头，未找到", "expected a payment plan, surplus schedule, collection target or budget header"),
    "parse.schedule.need.entity": ("单位：应为单位代码或名称（{codes}），实为 {found!r}", "entity: expected an entity code or name ({codes}), found {found!r}"),
    "parse.schedule.need.fund": ("险种：应为险种代码或名称（pension/养老、unemployment/失业），实为 {found!r}", "fund: expected a fund code or name (pension/养老, unemployment/失业), found {found!r}"),
    "parse.schedule.need.month": ("月份：应为待遇所属月份 YYYY-MM，实为 {found!r}", "month: expected a benefit month YYYY-MM, found {found!r}"),
    "parse.schedule.need.submitted": ("报送日期：应为日期 YYYY-MM-DD，实为 {found!r}", "submitted: expected a date YYYY-MM-DD, found {found!r}"),
    "parse.schedule.need.approved": ("批准日期：应为日期 YYYY-MM-DD，实为 {found!r}", "approved: expected a date YYYY-MM-DD, found {found!r}"),
    "parse.schedule.need.due": ("应划转日期：应为日期 YYYY-MM-DD，实为 {found!r}", "due: expected a date YYYY-MM-DD, found {found!r}"),
    "parse.schedule.need.account": ("账号：应为已登记的账号，实为 {found!r}", "account: expected a registered account number, found {found!r}"),
    "parse.schedule.need.year": ("年度：应为年份 YYYY，实为 {found!r}", "year: expected a year YYYY, found {found!r}"),
    "parse.schedule.version": ("版本：应为整数，实为 {found!r}", "version: expected a whole number, found {found!r}"),
    "parse.schedule.budget_month": ("月份：应为 {year} 年的月份（1-12 或 {year}-MM），实为 {found!r}", "month: expected a month of {year} (1-12 or {year}-MM), found {found!r}"),
    "parse.schedule.negative.income_budget": ("收入预算：应为 0 或以上的金额，实为 {found!r}", "income_budget: expected an amount of 0 or more, found {found!r}"),
    "parse.schedule.negative.expense_budget": ("支出预算：应为 0 或以上的金额，实为 {found!r}", "expense_budget: expected an amount of 0 or more, found {found!r}"),
    "parse.schedule.budget_twice": ("{year} 年 {entity} {fund} 的预算重复给出（首次在 {first_zh}）", "the budget of {year} {entity} {fund} is given twice (first at {first})"),
    "parse.schedule.budget_month_twice": ("{year} 年 {entity} {fund} {month} 月的预算重复给出（首次在 {first_zh}）", "the budget of {year} {entity} {fund} month {month} is given twice (first at {first})"),
    "parse.schedule.budget_shape": ("{year} 年 {entity} {fund} 的预算既有全年行又有分月行（另一行在 {other_zh}）：应只用其中一种", "the budget of {year} {entity} {fund} has both a yearly row and monthly rows (the other at {other}); expected one or the other"),
})
MESSAGES.update({
    # ZIP limits
    "parse.zip.too_many": ("拒收：ZIP 压缩包内有 {n} 个文件，超过上限 {limit}", "refused: ZIP archive has {n} members, above the limit of {limit}"),
    "parse.zip.member_too_large": ("拒收：ZIP 压缩包内的文件解压后 {size} 字节，超过上限 {limit}", "refused: ZIP member unpacks to {size} bytes, above the limit of {limit}"),
    "parse.zip.ratio": ("拒收：ZIP 压缩包内的文件压缩比 {ratio}:1 超过 {limit}:1（疑似压缩炸弹）", "refused: ZIP member compression ratio {ratio}:1 is above {limit}:1 (a zip bomb?)"),
    "parse.zip.past_size": ("拒收：ZIP 压缩包内的文件解压后超出其声明的大小或上限（{cap} 字节）", "refused: ZIP member unpacks past its declared size or the limits ({cap} bytes)"),
    # tables (CSV/TSV/Excel/HTML)
    # {zh}/{en}: the inner refusal, said in each language
    "parse.tabular.preamble": ("表头区 {name}：{zh}", "preamble {name}: {en}"),
    "parse.tabular.csv_quoting": ("CSV 引号不配对（{error}）：有引号字段未闭合；文件被截断？", "broken CSV quoting ({error}): a quoted field is not closed; truncated file?"),
    "parse.tabular.flag_contradicts": ("{flag} {found!r} 与 {side} 中的金额方向矛盾", "{flag} {found!r} contradicts the amount in {side}"),
    "parse.tabular.unknown_profile": ("未知的银行格式 {name!r}：应为 {known} 之一", "unknown bank profile {name!r}: expected one of {known}"),
    "parse.draft.nothing": ("没有表头行，也没有含日期和金额的行：无从起草", "no header row and no row with a date and an amount: nothing to draft from"),
    "parse.draft.no_dates": ("没有一列是日期：格式需要一列记账日期才能起草", "no column holds dates: a profile needs a booking date column to draft from"),
    "parse.draft.no_amounts": ("没有一列是金额：格式需要一列金额（或借方和贷方）才能起草", "no column holds amounts: a profile needs an amount (or debit and credit) to draft from"),
})
MESSAGES.update({
    # cash journals (日记账, parsers/books)
    "parse.books.no_header": ("日记账标题下没有日记账表头：应为 {expected}", "no journal header under a 日记账 title: expected {expected}"),
    "parse.books.money": ("{what}：{zh}", "{what}: {en}"),
    "parse.books.no_year": ("日期没有年份：标题区应有期间或年度，或使用完整日期", "the date has no year: expected a 期间 or 年度 in the title block, or full dates"),
    "parse.books.date": ("日期：应为 2008-01-05 或 01-05 这样的日期，实为 {found!r}", "日期: expected a date such as 2008-01-05 or 01-05, found {found!r}"),
    "parse.books.month_day": ("月/日：应为两个数字，实为 {month!r} 和 {day!r}", "月/日: expected two numbers, found {month!r} and {day!r}"),
    "parse.books.not_a_date": ("日期：{month} 月 {day} 日不是有效日期", "日期: month {month} day {day} is not a date"),
    "parse.books.both_sides": ("借方或贷方应只有一方有金额，实为两方都有（{debit} 和 {credit}）", "expected an amount in 借方 or in 贷方, found both ({debit} and {credit})"),
    "parse.books.direction": ("收支：应为 {expected} 之一，实为 {found!r}", "收支: expected one of {expected}, found {found!r}"),
    "parse.books.no_opening": ("期初余额：应有余额，未找到", "期初余额: expected a balance"),
    "parse.books.first_undated": ("日期：第一笔分录应有日期", "日期: expected a date on the first entry"),
    "parse.books.outside": ("日期 {day} 不在标题区的期间 {start} 至 {end} 之内", "日期 {day} lies outside the period {start} to {end} of the title block"),
    "parse.books.no_amount": ("借方/收入或贷方/支出中应有金额（或为本月合计这样的汇总行）", "expected an amount in 借方/收入 or 贷方/支出 (or a summary row such as 本月合计)"),
    "parse.books.no_balance": ("应有期初余额行或余额列：账面余额不明", "expected a 期初余额 row or a 余额 column: the book balance is unknown"),
    "parse.books.balance": ("余额 {found} 与上面各行推算的不符（应为 {expected}）：日记账不平", "余额 {found} does not follow from the rows above (expected {expected}): the journal does not add up"),
    "parse.books.totals": ("{label}：借方 {debit}，贷方 {credit}，但上面各笔合计为借方 {sum_debit}，贷方 {sum_credit}", "{label}: 借方 {debit}, 贷方 {credit}, but the entries above sum to 借方 {sum_debit}, 贷方 {sum_credit}"),
})
