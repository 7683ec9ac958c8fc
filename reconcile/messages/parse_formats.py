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
