"""MT940/MT942 reader: SWIFT text to `Statement`s, by the field order SWIFT prescribes.

A file holds one or more messages, each optionally wrapped in SWIFT blocks
`{1:...}{2:...}{3:...}{4:` ... `-}` or ended by a line '-'; a message holds one or more
statements, each opened by :20:. Per statement SWIFT prescribes the sequence

    MT940: :20: [:21:] :25: :28C: :60F|M: (:61: [:86:])* :62F|M: [:64:] [:65:]* [:86:]
    MT942: :20: [:21:] :25: :28C: :34F: [:34F:] :13D: (:61: [:86:])* [:90D:] [:90C:] [:86:]

and this reader enforces it: a field out of place (`:28C:` where :25: is due, a :25: between
statement lines), an unknown tag (`:12:`), or a statement cut off before its closing balance
:62F:/:62M: (by a '-', the next message header, the next :20: or the end of the file) is a
`ParseError` naming the line and what was expected. Being lenient where nothing can be misread,
and saying so (a departure noted on the statement, see reconcile/departures.py): :28C: may be
missing or blank ('/1'), :86: fields may repeat, several :86: may follow :60F: (statement
information, kept in `extra["info"]`), text before the first :20: and between messages (bank
preambles such as ':940:', 'ABNANL2A', '940 00', a free-text header) is skipped, a bank's own
letter tags (`:NS:`, never a SWIFT tag, which is two digits) are skipped with their text, and the
amount dialects of `fields.Amounts` ('.' for the decimal comma throughout, a bare `0`) are read.

SWIFT forbids ':' and '-' as the first character of a continuation line, so a line starting
with ':' is always a field tag and a line starting with '-' always ends the message.
Balance checks (opening + lines = closing) are not the parser's business; reconcile does them.
"""

from __future__ import annotations

import re
from dataclasses import replace

from parsers.mt940 import details, fields
from parsers.mt940.building import (
    AFTER20,
    AFTER25,
    AFTER28,
    AFTER34,
    BODY,
    CLOSED,
    EXPECTED,
    OpenStatement,
    finish,
    flush_line,
)
from parsers.mt940.fields import Amounts, statement_line
from parsers.mt940.text import decode_named
from reconcile.departures import Departures
from reconcile.errors import ParseError
from reconcile.model import Statement

_TAG = re.compile(r":(\d\d[A-Z]?):")
# A bank's own field: letters where SWIFT has two digits (':NS:', 'non-SWIFT', in Polish and other
# exports). SWIFT forbids ':' at the start of a continuation line, so it cannot be text of a field.
_OWN_TAG = re.compile(r":([A-Z]{2}):")
_TOKEN = re.compile(r"\n[:{\-]")
_LEGACY = frozenset({":940:", ":942:"})  # Rabobank-style first line of a message
_MSGTYPE = re.compile(r"\{2:[IO](\d{3})")
_NUMBER = re.compile(r"\d{1,5}(?:/\d{1,5})?")  # :28C: statement number 5n[/sequence 5n]


class Reader:
    """One pass over the lines of a decoded file."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.out: list[Statement] = []
        self.cur: OpenStatement | None = None
        self.kind = "940"  # from the {2:} block or a ':942:' preamble
        self.seen20 = False
        self.amounts = Amounts()  # the file's amount dialect
        self.file_notes = Departures()  # departures of the file as a whole (encoding, outside text)

    def run(self) -> list[Statement]:
        # Tokens are the lines that start with ':' (a field), '-' (end of message) or '{' (a
        # SWIFT block); every other line continues the token before it. Finding them with one
        # regex pass keeps the Python work per field, not per line.
        text = "\n" + self.text  # so that the first line is found like any other
        starts = [m.start() + 1 for m in _TOKEN.finditer(text)]
        self.outside(text, 1, starts[0] - 1 if starts else len(text), 0)
        starts.append(len(text) + 1)
        tag_match = _TAG.match
        no = 0
        last = 0
        for i in range(len(starts) - 1):
            pos = starts[i]
            end = starts[i + 1] - 1
            no += text.count("\n", last, pos)
            last = pos
            c = text[pos]
            if c == ":":
                m = tag_match(text, pos)
                if m is None:
                    self.not_a_tag(text[pos:end].split("\n", 1)[0], no)
                    continue
                tag = m.group(1)
                cur = self.cur
                # Hot paths, the same as f86 and f61: a statement line and its details.
                if tag == "86" and cur is not None and cur.pending is not None:
                    if cur.pending86 is None:
                        cur.pending86 = text[m.end() : end]
                    else:  # several :86: fields for one line (Rabobank)
                        cur.pending86 += "\n" + text[m.end() : end]
                    continue
                if tag == "61" and cur is not None and cur.state == BODY and cur.kind == "940":
                    if cur.pending is not None:
                        flush_line(cur)
                    first, _, more = text[m.end() : end].partition("\n")
                    src = f"line {no}"
                    entry = statement_line(first, src, self.amounts)
                    if not entry[4]:
                        cur.notes.note("mt940.no_type_code", src)
                    cur.pending = (src, entry, more)
                    continue
                self.field(tag, no, text[m.end() : end])
                continue
            line = text[pos:end].split("\n", 1)[0]
            if c == "-":
                self.end_message(no, "end_message", terminator=True)
                line = line[1:].lstrip("}")
            body = self.header(line, no) if "{" in line else ""
            if body:  # a field right after '{4:' on the same line
                m = tag_match(body)
                if m is None:
                    raise ParseError(key="mt940.block4_tag", values={"found": body[:20]}, where=f"line {no}")
                rest = text[pos:end].partition("\n")[2]
                self.field(m.group(1), no, body[m.end() :] + ("\n" + rest if rest else ""))
            else:  # other lines after '-' or a header: bank preambles and trailers, skipped
                self.outside(text, pos, end, no)
        self.end_message(0, "end_file")
        if not self.seen20:
            raise ParseError(key="mt940.no_20")
        if self.file_notes:
            file_wide = self.file_notes.records()
            self.out = [replace(st, warnings=(*st.warnings, *file_wide)) for st in self.out]
        return self.out

    def outside(self, text: str, pos: int, end: int, no: int) -> None:
        """Note the non-blank lines of text[pos:end] after its first line (the first is the token's
        own: a '-' or a SWIFT block); `no` is the first line's number (0: text before any token,
        whose every line counts)."""
        lines = text[pos:end].split("\n")
        if no:
            lines = lines[1:]
        skipped = [i for i, ln in enumerate(lines) if ln.strip()]
        if skipped:
            first = (no + 1 if no else 1) + skipped[0]
            self.file_notes.note("mt940.outside_text", f"line {first}", count=len(skipped))

    # -- message framing ------------------------------------------------------------------

    def header(self, line: str, no: int) -> str:
        """SWIFT blocks {1:}{2:}{3:}{4:. A header while a statement is open means the previous
        message was cut off. Returns any text after '{4:' on the same line."""
        if "{1:" in line or "{2:" in line or "{4:" in line:
            self.end_message(no, "next_header")
        m = _MSGTYPE.search(line)
        if m:
            mt = m.group(1)
            if mt not in ("940", "942", "950"):
                raise ParseError(key="mt940.not_statement", values={"mt": mt}, where=f"line {no}")
            self.kind = "942" if mt == "942" else "940"
        return line.partition("{4:")[2].strip() if "{4:" in line else ""

    def end_message(self, no: int, what: str, terminator: bool = False) -> None:
        """Close the open statement. Its closing balance may be missing only where the message
        is properly ended by '-' (SNS leaves :62F: out of some messages); before a new header,
        a new :20: or the end of the file it means the message was cut off. `what` ended it:
        end_message, end_file, next_header or next_20 (the refusal's catalogue key says which)."""
        cur = self.cur
        if cur is None:
            return
        if terminator and cur.kind == "940" and cur.state == BODY:
            cur.extra["closing_missing"] = "no :62F:/:62M: before the end of the message"
            cur.notes.note("mt940.no_closing", f"line {no}")
        elif not cur.complete():
            where = f"line {no}" if no else f"line {cur.start}"
            raise ParseError(key=f"mt940.truncated.{cur.kind}.{what}", values={"start": cur.start}, where=where)
        self.out.append(finish(cur))
        self.cur = None

    def not_a_tag(self, line: str, no: int) -> None:
        head = line.split()[0] if line.split() else line
        if head in _LEGACY and self.cur is None:
            self.kind = "942" if head == ":942:" else "940"
            self.file_notes.note("mt940.outside_text", f"line {no}")  # Rabobank's legacy message header
            return
        own = _OWN_TAG.match(line)
        if own is not None:  # a bank's own field: skipped with its continuation lines, and said
            notes = self.cur.notes if self.cur is not None else self.file_notes
            notes.note("mt940.nonswift_tag", f"line {no}", detail=own.group(0))
            return
        raise ParseError(key="mt940.not_a_tag_legacy" if self.cur is None else "mt940.not_a_tag",
                         values={"found": head[:12]}, where=f"line {no}")

    # -- fields ---------------------------------------------------------------------------

    def field(self, tag: str, no: int, buf: str) -> None:
        where = f"line {no}"
        cur = self.cur
        if tag == "20":
            self.seen20 = True
            if cur is not None:
                self.end_message(no, "next_20")
            cur = self.cur = OpenStatement(no, self.kind)
            self.amounts.notes = cur.notes
            cur.extra["reference"] = self.single(tag, buf, where)
            return
        if cur is None:
            if tag not in _HANDLERS:
                raise ParseError(key="mt940.unknown_tag", values={"tag": tag}, where=where)
            raise ParseError(key="mt940.outside", values={"tag": tag}, where=where)
        handler = _HANDLERS.get(tag)
        if handler is None:
            raise ParseError(key="mt940.unknown_tag", values={"tag": tag}, where=where)
        handler(self, cur, tag, no, buf)

    def single(self, tag: str, buf: str, where: str) -> str:
        """The value of a one-line field; text on further lines is a misplaced line."""
        if "\n" in buf:
            first, more = buf.split("\n", 1)
            if more.strip():
                raise ParseError(key="mt940.one_line", values={"found": more.strip()[:30], "tag": tag}, where=where)
            return first.strip()
        return buf.strip()

    def out_of_place(self, cur: OpenStatement, tag: str, no: int) -> ParseError:
        expected = "body942" if cur.kind == "942" and cur.state == BODY else EXPECTED[cur.state]
        return ParseError(key=f"mt940.unexpected.{expected}", values={"tag": tag}, where=f"line {no}")

    def f21(self, cur: OpenStatement, tag: str, no: int, buf: str) -> None:
        if cur.state != AFTER20 or "related_reference" in cur.extra:
            raise self.out_of_place(cur, tag, no)
        cur.extra["related_reference"] = self.single(tag, buf, f"line {no}")

    def f25(self, cur: OpenStatement, tag: str, no: int, buf: str) -> None:
        if cur.state != AFTER20:
            raise self.out_of_place(cur, tag, no)
        cur.account = self.single(tag, buf, f"line {no}")
        if not cur.account:
            raise ParseError(key="mt940.no_account", where=f"line {no}")
        cur.state = AFTER25

    def f28(self, cur: OpenStatement, tag: str, no: int, buf: str) -> None:
        if cur.state != AFTER25:
            raise self.out_of_place(cur, tag, no)
        number = cur.extra["statement_number"] = self.single(tag, buf, f"line {no}")
        if not _NUMBER.fullmatch(number):  # 5n[/5n]; Zenith Bank writes ' /1'
            cur.notes.note("mt940.blank_number", f"line {no}", detail=repr(number))
        cur.state = AFTER28

    def f60(self, cur: OpenStatement, tag: str, no: int, buf: str) -> None:
        if cur.state not in (AFTER25, AFTER28) or cur.kind == "942":
            raise self.out_of_place(cur, tag, no)
        cur.opening = fields.balance(self.single(tag, buf, f"line {no}"), f"line {no}", tag, self.amounts)
        cur.currency = cur.opening.currency
        cur.extra["opening_type"] = tag[-1]
        cur.state = BODY

    def f34(self, cur: OpenStatement, tag: str, no: int, buf: str) -> None:
        # MT942 field 34F (floor limit) in place of :60F: marks an interim transaction report.
        if cur.state in (AFTER25, AFTER28):
            cur.kind = "942"
            cur.extra["message"] = "942"
            cur.currency = fields.floor_limit(self.single(tag, buf, f"line {no}"), f"line {no}", self.amounts)
            cur.state = AFTER34
        elif cur.state == AFTER34 and "floor_limit_2" not in cur.extra:
            fields.floor_limit(self.single(tag, buf, f"line {no}"), f"line {no}", self.amounts)
            cur.extra["floor_limit_2"] = buf.strip()
        else:
            raise self.out_of_place(cur, tag, no)
        cur.extra.setdefault("floor_limit", buf.strip())

    def f13(self, cur: OpenStatement, tag: str, no: int, buf: str) -> None:
        if cur.state != AFTER34:
            raise self.out_of_place(cur, tag, no)
        value = self.single(tag, buf, f"line {no}")
        if not re.fullmatch(r"\d{10}(?:[+-]\d{4})?", value):
            raise ParseError(key="mt940.datetime", values={"found": value}, where=f"line {no}")
        fields.swift_date(value[:6], f"line {no}")
        cur.extra["datetime"] = value
        cur.state = BODY

    def f61(self, cur: OpenStatement, tag: str, no: int, buf: str) -> None:
        if cur.state != BODY or "debits" in cur.extra or "credits" in cur.extra:
            raise self.out_of_place(cur, tag, no)
        if cur.pending is not None:
            flush_line(cur)
        first, _, more = buf.partition("\n")
        src = f"line {no}"
        entry = fields.statement_line(first, src, self.amounts)
        if not entry[4]:
            cur.notes.note("mt940.no_type_code", src)
        cur.pending = (src, entry, more)

    def f86(self, cur: OpenStatement, tag: str, no: int, buf: str) -> None:
        if cur.pending is not None:
            # several :86: fields for one line (Rabobank) are joined as lines of one
            cur.pending86 = buf if cur.pending86 is None else f"{cur.pending86}\n{buf}"
        elif cur.state in (BODY, CLOSED):
            cur.info.append(details.join_free(buf.split("\n")))  # information to the account owner
        else:
            raise self.out_of_place(cur, tag, no)

    def f62(self, cur: OpenStatement, tag: str, no: int, buf: str) -> None:
        if cur.state != BODY or cur.kind == "942":
            raise self.out_of_place(cur, tag, no)
        flush_line(cur)
        cur.closing = fields.balance(self.single(tag, buf, f"line {no}"), f"line {no}", tag, self.amounts)
        _same_currency(cur.currency, cur.closing.currency, tag, no)
        cur.extra["closing_type"] = tag[-1]
        cur.state = CLOSED

    def f64(self, cur: OpenStatement, tag: str, no: int, buf: str) -> None:
        if cur.state != CLOSED or (tag == "64" and "closing_available" in cur.extra):
            raise self.out_of_place(cur, tag, no)
        value = self.single(tag, buf, f"line {no}")
        _same_currency(cur.currency, fields.balance(value, f"line {no}", tag, self.amounts).currency, tag, no)
        key = "closing_available" if tag == "64" else "forward_available"
        cur.extra[key] = f"{cur.extra[key]};{value}" if key in cur.extra else value

    def f90(self, cur: OpenStatement, tag: str, no: int, buf: str) -> None:
        key = "debits" if tag == "90D" else "credits"
        if cur.kind != "942" or cur.state != BODY or key in cur.extra:
            raise self.out_of_place(cur, tag, no)
        flush_line(cur)
        value = self.single(tag, buf, f"line {no}")
        fields.count_sum(value, f"line {no}", tag, self.amounts)
        cur.extra[key] = value

    # -- building the result --------------------------------------------------------------


def _same_currency(statement: str, balance: str, tag: str, no: int) -> None:
    """Every balance of a statement is in the currency of its opening balance (:60F: or :34F:)."""
    if statement and balance and balance != statement:
        raise ParseError(key="currency.balance", values={"found": balance, "expected": statement},
                         subject=f":{tag}:", where=f"line {no}")


_HANDLERS = {
    "21": Reader.f21,
    "25": Reader.f25,
    "25P": Reader.f25,
    "28": Reader.f28,
    "28C": Reader.f28,
    "60F": Reader.f60,
    "60M": Reader.f60,
    "34F": Reader.f34,
    "13D": Reader.f13,
    "61": Reader.f61,
    "86": Reader.f86,
    "62F": Reader.f62,
    "62M": Reader.f62,
    "64": Reader.f64,
    "65": Reader.f64,
    "90D": Reader.f90,
    "90C": Reader.f90,
}


def read(data: bytes) -> list[Statement]:
    """Every statement in an MT940/MT942 file, in file order."""
    text, codec = decode_named(data)
    reader = Reader(text)
    if codec != "utf-8":
        reader.file_notes.note("mt940.encoding", "line 1", detail=codec)
    return reader.run()
