"""Streaming camt.052 / 053 / 054 reader: one `Statement` per Stmt / Rpt / Ntfctn.

lxml's iterparse builds the tree as it reads; only the elements in `STREAM_TAGS` are reported
(the tag filter runs in C). Each Ntry and TxDtls is mapped the moment it ends, then cleared and
its earlier siblings deleted, so a statement with a million entries holds one entry's subtree at a
time plus the `Line` objects. The document is detected by its camt namespace and the message
element (BkToCstmrStmt, BkToCstmrAcctRpt[V01], BkToCstmrDbtCdtNtfctn), never by the file name.
"""

from __future__ import annotations

from typing import Any

from parsers import xmlsafe
from parsers.base import ReadContext
from parsers.camt.entry import Dating, Details, EntryReader, read_details
from parsers.camt.header import Header
from parsers.camt.schema import (
    EXPECTED_MESSAGES,
    MESSAGES,
    NS_RE,
    STATEMENT_NAMES,
    STREAM_TAGS,
    Tags,
    local_of,
    namespace_of,
)
from parsers.camt.values import Values, text
from reconcile.errors import ParseError
from reconcile.model import Line, Statement


def read(data: bytes, ctx: ReadContext) -> list[Statement]:
    try:
        return _Reader(ctx).run(data)
    except ParseError as exc:
        raise exc.located(ctx.file_name) from None


def stated_date(header: Header, message_el: Any, t: Tags) -> Dating:
    """The dates the file states for a statement's whole message. A camt.054 notification is a
    message about its entries, dated by its own CreDtTm (else the group header's); a statement or
    report covering a single day (FrToDt) dates its entries by that day. Nothing else qualifies."""
    fallback = header.period_end or header.created
    if header.message.kind == "054":
        created = header.created
        if created is None:
            grp = message_el.find(f"{t.prefix}GrpHdr/{t.prefix}CreDtTm")
            if grp is not None and text(grp):
                created = header.v.day(text(grp), "GrpHdr/CreDtTm")
        if created is not None:
            return Dating(fallback, created, "camt.date_from_message")
    if header.period_start is not None and header.period_start == header.period_end:
        return Dating(fallback, header.period_start, "camt.date_from_period")
    return Dating(fallback)


def _drop_previous(el: Any) -> None:
    """Delete the siblings before `el` (already mapped and cleared, or header elements read)."""
    parent = el.getparent()
    if parent is not None:
        del parent[: parent.index(el)]


# Cleared elements are ~100 bytes of empty nodes; deleting them in batches rather than one by one
# saves a third of the reader's per-entry bookkeeping and keeps at most this many around.
DROP_EVERY = 512


class _Reader:
    def __init__(self, ctx: ReadContext) -> None:
        self.ctx = ctx
        self.v = Values()
        self.t: Tags | None = None
        self.statements: list[Statement] = []
        self.counts: dict[str, int] = {}
        self._reset()

    def _reset(self) -> None:
        self.stmt_el: Any = None
        self.header: Header | None = None
        self.entries: EntryReader | None = None
        self.lines: list[Line] = []
        self.entry_ccy = ""
        self.details: Details | None = None
        self.n_details = 0

    def run(self, data: bytes) -> list[Statement]:
        events = xmlsafe.iterparse(data, tag=STREAM_TAGS, max_bytes=self.ctx.limits.max_xml_bytes)
        with events.errors():
            for _event, el in events:
                tag = el.tag
                t = self.t
                if t is None or not tag.startswith(t.prefix):
                    t = self._adopt(tag)
                    if t is None:
                        continue  # Stmt/Ntry/... of some other vocabulary (e.g. inside SplmtryData)
                local = tag[len(t.prefix) :]
                if local == "Ntry":
                    self._ntry(el)
                elif local == "TxDtls":
                    self._txdtls(el, t)
                else:
                    self._statement_end(el)
        events.finish()
        if not self.statements:
            raise self._nothing_found(events.root)
        return self.statements

    def _adopt(self, tag: str) -> Tags | None:
        """Fix the document's camt namespace from the first camt element seen."""
        ns = namespace_of(tag)
        if self.t is None and NS_RE.fullmatch(ns):
            self.t = Tags(ns)
            return self.t
        return None

    # -- TxDtls: keep the first one's details and the count; drop the subtree right away, so a
    #    batch booking with 100k TxDtls costs no more memory than one with a single payment.
    def _txdtls(self, el: Any, t: Tags) -> None:
        self.n_details += 1
        if self.n_details == 1:
            self.details = read_details(el, t)
        el.clear()
        if self.n_details % DROP_EVERY == 0:
            _drop_previous(el)

    def _ntry(self, el: Any) -> None:
        parent = el.getparent()
        if parent is not self.stmt_el and not self._begin(parent):
            self.details, self.n_details = None, 0
            return
        assert self.entries is not None and self.header is not None
        source = f"{self.header.label}/Ntry[{len(self.lines) + 1}]"
        amt_tag = self.entries.t.Amt
        for amt in el:  # Amt comes first or second: a walk, not find() (its path machinery costs more)
            if amt.tag == amt_tag:
                break
        else:
            amt = None
        ccy = (amt.get("Ccy") or "").strip() if amt is not None else ""
        # An entry's amount is in the account's currency (a foreign amount goes in TxDtls/AmtDtls):
        # an entry in another currency would be booked as the account's, so it refuses the file.
        expected = self.header.account_ccy or self.header.balance_ccy or self.entry_ccy
        if ccy and expected and ccy != expected:
            raise ParseError(key="currency.entry", values={"found": ccy, "expected": expected},
                             where=f"{source}/Amt/@Ccy")
        self.entry_ccy = self.entry_ccy or ccy
        self.lines.append(self.entries.line(el, source, self.details, self.n_details))
        self.details, self.n_details = None, 0
        el.clear()
        if len(self.lines) % DROP_EVERY == 1:  # the first entry drops the header elements too
            _drop_previous(el)

    def _begin(self, stmt_el: Any) -> bool:
        """Start a statement at `stmt_el` if it is a camt Stmt/Rpt/Ntfctn under its message
        element; read its header from the children before the first Ntry."""
        t = self.t
        if t is None or stmt_el is None:
            return False
        parent = stmt_el.getparent()
        local = local_of(stmt_el.tag)
        if parent is None or not stmt_el.tag.startswith(t.prefix) or not parent.tag.startswith(t.prefix):
            return False
        message = MESSAGES.get(local_of(parent.tag))
        if message is None or local not in STATEMENT_NAMES:
            return False
        if message.statement != local:
            raise ParseError(key="camt.statement_name", where=local,
                             values={"expected": message.statement, "parent": local_of(parent.tag), "found": local})
        kind = NS_RE.fullmatch(t.ns)
        if kind is not None and kind.group(1) != message.kind:
            raise ParseError(key="camt.kind", where=local,
                             values={"kind": message.kind, "element": message.element, "ns": t.ns})
        self.counts[local] = self.counts.get(local, 0) + 1
        label = f"{local}[{self.counts[local]}]"
        self.stmt_el = stmt_el
        self.header = Header(t, self.v, message, label, t.ns.rpartition(":")[2])
        self.v.notes = self.header.notes
        for ch in stmt_el:
            if ch.tag == t.Ntry:
                break
            self.header.absorb(ch)
        if not self.header.account:
            self.header.statement([], "")  # raises: no account, named before any entry is read
        self.entries = EntryReader(t, self.v, self.header.account, stated_date(self.header, parent, t),
                                   self.header.notes)
        return True

    def _statement_end(self, el: Any) -> None:
        if el is self.stmt_el:
            assert self.header is not None and self.t is not None
            for ch in el:  # header elements a non-conformant file put after its entries
                if ch.tag != self.t.Ntry:
                    self.header.absorb(ch)
        elif not self._begin(el):
            return
        assert self.header is not None
        self.statements.append(self.header.statement(self.lines, self.entry_ccy))
        self._reset()
        el.clear()
        _drop_previous(el)

    def _nothing_found(self, root: Any) -> ParseError:
        if root is None:
            return ParseError(key="camt.no_xml", values={"expected": EXPECTED_MESSAGES})
        ns = namespace_of(root.tag)
        if not NS_RE.fullmatch(ns):
            return ParseError(key="camt.namespace", values={"root": local_of(root.tag), "ns": ns or "(none)"})
        found = [local_of(ch.tag) for ch in root if isinstance(ch.tag, str)]
        msgs = [m for m in found if m in MESSAGES]
        if msgs:
            m = MESSAGES[msgs[0]]
            return ParseError(key="camt.no_statement",
                              values={"statement": m.statement, "message": msgs[0], "version": ns.rpartition(":")[2]})
        inside = ", ".join(f"<{f}>" for f in found[:5]) or "nothing"
        return ParseError(key="camt.no_message",
                          values={"expected": EXPECTED_MESSAGES, "root": local_of(root.tag), "found": inside})
