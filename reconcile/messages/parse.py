# ruff: noqa: E501  (one message per line reads better than wrapped strings)
"""Why a file cannot be read (reconcile.errors.ParseError), and places in a file (reconcile.places).

The English of each `parse.*` key is the parser's own wording (what `str()` of the error says)."""

MESSAGES: dict[str, tuple[str, str]] = {
    "parse.with_detail": ("{text}：{detail}", "{text}: {detail}"),
    # recon parse FILE (what the tool reads from a file)
    "parse.head": ("[{i}] {format} 账号 {account} 户名 {name} 币种 {currency} 期间 {start} 至 {end} 期初余额 {opening} 期末余额 {closing} 明细 {n} 笔", "[{i}] {format} {account} {name} {currency} {start}..{end} opening {opening} closing {closing} lines {n}"),
    "parse.no_statements": ("{file}：没有对账单", "{file}: no statements"),
    "parse.col.date": ("日期", "date"),
    "parse.col.amount": ("金额", "amount"),
    "parse.col.cp_account": ("对方账号", "cp account"),
    "parse.col.cp_name": ("对方户名", "cp name"),
    "parse.col.text": ("摘要", "text"),
    "parse.col.remark": ("用途", "remark"),
    "parse.col.ref": ("流水号", "ref"),
    "parse.col.status": ("状态", "status"),
    "parse.col.source": ("位置", "source"),
    "parse.status.BOOK": ("已入账", "BOOK"),
    "parse.status.PDNG": ("未入账（PDNG）", "PDNG"),
    "parse.status.INFO": ("仅供参考（INFO）", "INFO"),
    # places
    "place.line": ("第 {n} 行", "line {n}"),
    "place.row": ("第 {n} 行", "row {n}"),
    "place.sheet_row": ("工作表 {sheet} 第 {n} 行", "sheet {sheet} row {n}"),
    "place.column": ("第 {n} 列", "column {n}"),
    "place.byte": ("第 {n} 字节", "byte {n}"),
    "place.offset": ("第 {n} 个字符处", "offset {n}"),
    "place.member": ("ZIP 压缩包内的文件 {name}", "ZIP member {name}"),
    # any format
    "parse.not_statement": ("不是银行对账单：应为 camt XML、OFX、MT940、CSV/TSV 或 Excel 表格", "not a statement: expected camt XML, OFX, MT940, CSV/TSV or an Excel sheet"),
    "parse.not_statement_member": ("不是银行对账单（ZIP 压缩包内的文件 {member}）：应为 camt XML、OFX、MT940、CSV/TSV 或 Excel 表格", "not a statement (ZIP member {member}): expected camt XML, OFX, MT940, CSV/TSV or an Excel sheet"),
    "parse.empty": ("空文件：应为银行流水表", "empty file: expected a statement table"),
    "parse.too_large": ("文件大于 {limit} 字节", "file larger than {limit} bytes"),
    "parse.text_encoding": ("不是 UTF-8、UTF-16 或 GB18030 编码的文本（第 {byte} 字节）", "not text in UTF-8, UTF-16 or GB18030 (byte {byte})"),
    "parse.excel_unreadable": ("不是可读取的 Excel 工作簿", "not a readable Excel workbook"),
    "parse.excel_reader_failed": ("不是可读取的 Excel 工作簿：读取程序出错（{error}）", "not a readable Excel workbook: the reader failed on it ({error})"),
    "parse.sheet_unreadable": ("无法读取工作表 {name!r}", "sheet {name!r} cannot be read"),
    "parse.html_unreadable": ("不是可读取的 HTML 表格", "not a readable HTML table"),
    # values (amounts, dates) and tabular rows
    "parse.amount.expected": ("应为金额，实为 {found!r}", "expected an amount, found {found!r}"),
    "parse.amount.beyond_fen": ("金额 {found!r} 的小数超出分（0.01）：拒收而不四舍五入", "amount {found!r} has digits beyond the fen (0.01); refused rather than rounded"),
    "parse.date.expected": ("应为日期，实为 {found!r}", "expected a date, found {found!r}"),
    "parse.tabular.flag": ("应为 {expected} 之一，实为 {found!r}", "expected one of {expected}, found {found!r}"),
    "parse.tabular.no_amount": ("{debit} 或 {credit} 中应有金额，两者均为空", "expected an amount in {debit} or {credit}, found neither"),
    "parse.tabular.truncated": ("该行只有 {cells} 个单元格，而 {label} 在第 {column} 列：行被截断？", "the row has {cells} cells but {label} is column {column}: truncated line?"),
    # XML (camt)
    "parse.xml.utf32": ("应为 UTF-8 或 UTF-16 编码的 XML，实为 UTF-32（银行对账单不用此编码）", "expected UTF-8 or UTF-16 XML, found UTF-32 (not used for bank statements)"),
    "parse.xml.dtd_decl": ("拒收：文件声明了 DTD（对账单文件中的实体和 DTD 一律不读）；应为普通 XML 文档", "refused: the document declares a DOCTYPE/DTD (entities and DTDs are never read from statement files); expected a plain XML document"),
    "parse.xml.markup_decl": ("拒收：文件含标记声明（对账单文件中的实体和 DTD 一律不读）；应为普通 XML 文档", "refused: the document declares a markup declaration (entities and DTDs are never read from statement files); expected a plain XML document"),
    "parse.xml.markup": ("应为 XML 标记，实为 {found!r}", "expected XML markup, found {found!r}"),
    "parse.xml.long_prolog": ("拒收：根元素之前的 XML 序言超过 {limit} 个字符", "refused: XML prolog longer than {limit} characters before the root element"),
    "parse.xml.no_root": ("应有 XML 根元素，未找到", "expected an XML root element, found none"),
    "parse.xml.not_well_formed": ("XML 格式不正确", "not well-formed XML"),
    "parse.xml.dtd": ("拒收：文件声明了 DTD", "refused: the document declares a DTD"),
    "parse.xml.too_large": ("拒收：XML 文件 {size} 字节，超过上限 {limit} 字节", "refused: XML document of {size} bytes is above the limit of {limit} bytes"),
    # ZIP
    "parse.zip.unreadable": ("应为可读取的 ZIP 压缩包", "expected a readable ZIP archive"),
    "parse.zip.no_name": ("拒收：ZIP 压缩包内有文件没有名称", "refused: a ZIP member has no name"),
    "parse.zip.empty": ("ZIP 压缩包内应有对账单文件，未找到", "expected statement files in the ZIP archive, found none"),
    "parse.zip.encrypted": ("拒收：ZIP 压缩包内的文件已加密（请索取未加密的文件）", "refused: encrypted ZIP member (ask for the file unencrypted)"),
    "parse.zip.too_large": ("拒收：ZIP 压缩包解压后超过 {limit} 字节", "refused: ZIP archive unpacks to more than {limit} bytes"),
    "parse.zip.nested": ("拒收：ZIP 压缩包内又有 ZIP 压缩包", "refused: a ZIP archive inside a ZIP archive"),
    "parse.zip.member_unreadable": ("应为可读取的 ZIP 压缩包成员", "expected a readable ZIP member"),
    # OFX
    "parse.ofx.too_large": ("文件 {size} 字节，超过上限 {limit} 字节", "file of {size} bytes is above the limit of {limit}"),
    "parse.ofx.investment": ("投资账户对账单（INVSTMTRS）：应为银行 STMTRS 或信用卡 CCSTMTRS", "an investment statement (INVSTMTRS): expected a bank STMTRS or card CCSTMTRS"),
    "parse.ofx.no_statement": ("OFX 文件中应有银行 STMTRS 或信用卡 CCSTMTRS，未找到", "expected a bank STMTRS or card CCSTMTRS in the OFX file, found none"),
    "parse.ofx.not_well_formed": ("补全标签后 OFX 仍然格式不正确", "OFX is not well-formed even after closing its tags"),
    "parse.ofx.doctype": ("拒收：OFX 文件含 DOCTYPE 或 ENTITY 声明（一律不允许）", "OFX file carries a DOCTYPE or ENTITY declaration: refused (none is allowed)"),
    "parse.ofx.no_root": ("应有 <OFX> 根元素，未找到", "expected the <OFX> root element, found none"),
    "parse.ofx.encoding": ("OFX 文本在第 {byte} 字节处不是有效的 {codec} 编码", "OFX text is not valid {codec} at byte {byte}"),
}
