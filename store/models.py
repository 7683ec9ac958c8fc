"""SQLAlchemy 2.0 typed models. Money columns are declared once (`Fen`): 64-bit integer fen.

`*Row` classes stay inside `store`; the rest of the tool sees domain records.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from sqlalchemy import (
    BigInteger,
    Boolean,
    Constraint,
    Date,
    DateTime,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy import text as sql_text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

Fen = Annotated[int, mapped_column(BigInteger)]
FenOrNone = Annotated[int | None, mapped_column(BigInteger, nullable=True)]
AccountNo = Annotated[str, mapped_column(String(64))]


class Base(DeclarativeBase):
    pass


class FileRow(Base):
    """Every file the inbox ever held, once per arrival: ingested, duplicate or rejected."""

    __tablename__ = "files"
    # The rare statuses a night asks for, partial (migration 0021): not an index the planner could
    # take for the common `ingested`.
    __table_args__ = (
        Index("ix_files_rejected", "id", sqlite_where=sql_text("status = 'rejected'"),
              postgresql_where=sql_text("status = 'rejected'")),
        Index("ix_files_changed", "id", sqlite_where=sql_text("status = 'changed'"),
              postgresql_where=sql_text("status = 'changed'")),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    name: Mapped[str] = mapped_column(String(512))
    size: Mapped[int] = mapped_column(BigInteger)
    format: Mapped[str] = mapped_column(String(64), default="")
    status: Mapped[str] = mapped_column(String(16))  # ingested | duplicate | rejected
    reason: Mapped[str] = mapped_column(Text, default="")
    account: Mapped[str] = mapped_column(String(64), default="")
    archive_path: Mapped[str] = mapped_column(Text, default="")
    lines_added: Mapped[int] = mapped_column(Integer, default=0)
    lines_skipped: Mapped[int] = mapped_column(Integer, default=0)
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    processed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class StatementRow(Base):
    """One statement of a file, as declared: its period and balances, and whether it adds up."""

    __tablename__ = "statements"
    # PostgreSQL: what a line's (statement_id, file_id) names (migrations 0019, 0020).
    __table_args__ = (
        UniqueConstraint("id", "file_id", name="uq_statements_id_file").ddl_if(dialect="postgresql"),
        Index("ix_statements_account_end", "account", "period_end"),  # the statements near a day (0021)
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    file_id: Mapped[int] = mapped_column(ForeignKey("files.id"), index=True)
    index_in_file: Mapped[int] = mapped_column(Integer)
    account: Mapped[str] = mapped_column(String(64), index=True)
    format: Mapped[str] = mapped_column(String(64))
    currency: Mapped[str] = mapped_column(String(8))
    intraday: Mapped[bool] = mapped_column(Boolean, default=False)
    period_start: Mapped[date | None] = mapped_column(Date, nullable=True)
    period_end: Mapped[date | None] = mapped_column(Date, nullable=True)
    opening_fen: Mapped[FenOrNone]
    closing_fen: Mapped[FenOrNone]
    lines_sum_fen: Mapped[Fen]
    line_count: Mapped[int] = mapped_column(Integer)
    running_break: Mapped[str] = mapped_column(Text, default="")  # first line whose running balance breaks


class StatementWarningRow(Base):
    """A dialect departure of a stored statement (reconcile/departures.py): code, first place, count.
    Kept as codes, so `recon status` and the report can say it in either language."""

    __tablename__ = "statement_warnings"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    statement_id: Mapped[int] = mapped_column(ForeignKey("statements.id"), index=True)
    file_id: Mapped[int] = mapped_column(ForeignKey("files.id"), index=True)
    account: Mapped[str] = mapped_column(String(64))
    code: Mapped[str] = mapped_column(String(64))
    place: Mapped[str] = mapped_column(String(256))
    count: Mapped[int] = mapped_column(Integer)
    detail: Mapped[str] = mapped_column(Text)


class LineRow(Base):
    """A booked statement line, held once per account whatever files repeat it.

    On PostgreSQL the table is partitioned by booking year (migration 0013, store/partitions.py),
    and a key of a partitioned table must hold the partition key: there the primary key is
    (id, booking_date). The dedup key (account, booking_date, fingerprint) refuses what
    (account, fingerprint) refuses since a fingerprint hashes the booking date. `id` stays the
    mapper's identity: one sequence gives every partition its ids. What one dialect has and the
    other not is marked with `ddl_if`; `metadata_for` gives the schema as one dialect has it."""

    __tablename__ = "lines"
    __table_args__ = (
        # Keyed by date first (SQLite: migration 0015; PostgreSQL: 0019), so that a statement's new
        # lines go to the pages of its own days, not to random places among all the account's lines.
        UniqueConstraint("account", "booking_date", "fingerprint", name="uq_lines_account_date_fingerprint"),
        # The index by account and date holds each day's lines in the order stored: SQLite's range
        # reads ORDER BY (booking_date, id) take them as they are (through the key they needed a
        # sort), and PostgreSQL's go through the table's pages in order (through the key, a page a
        # line: bench/RESULTS.md, i18pgyear).
        Index("ix_lines_account_date", "account", "booking_date"),
        # A line's statement and file. SQLite: two foreign keys. PostgreSQL checks a foreign key by
        # a query a row; there triggers check (statement_id, file_id) against statements (id,
        # file_id) once per INSERT or COPY, both ways, as a key would (migration 0020).
        ForeignKeyConstraint(["file_id"], ["files.id"], name="fk_lines_file").ddl_if(dialect="sqlite"),
        ForeignKeyConstraint(["statement_id"], ["statements.id"], name="fk_lines_statement").ddl_if(dialect="sqlite"),
    )
    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    account: Mapped[AccountNo]
    booking_date: Mapped[date] = mapped_column(Date)
    value_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    amount_fen: Mapped[Fen]
    counterparty_account: Mapped[str] = mapped_column(String(64), default="")
    counterparty_name: Mapped[str] = mapped_column(Text, default="")
    text: Mapped[str] = mapped_column(Text, default="")
    remark: Mapped[str] = mapped_column(Text, default="")
    bank_ref: Mapped[str] = mapped_column(String(128), default="")
    balance_fen: Mapped[FenOrNone]
    reversal: Mapped[bool] = mapped_column(Boolean, default=False)
    type_code: Mapped[str] = mapped_column(String(64), default="")
    fingerprint: Mapped[str] = mapped_column(String(40))
    match_key: Mapped[str] = mapped_column(String(40))  # date, amount, counterparty account, occurrence
    format: Mapped[str] = mapped_column(String(64))
    intraday: Mapped[bool] = mapped_column(Boolean, default=False)
    superseded_by: Mapped[int | None] = mapped_column(ForeignKey("files.id"), nullable=True)
    file_id: Mapped[int] = mapped_column(Integer, index=True)
    statement_id: Mapped[int] = mapped_column(Integer)
    source: Mapped[str] = mapped_column(String(256), default="")


class PaymentPlanRow(Base):
    """A payment plan line (用款计划) as read from a plan file."""

    __tablename__ = "plans"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    file_id: Mapped[int] = mapped_column(ForeignKey("files.id"), index=True)
    month: Mapped[str] = mapped_column(String(7))
    entity: Mapped[str] = mapped_column(String(32))
    fund: Mapped[str] = mapped_column(String(32))
    amount_fen: Mapped[Fen]
    submitted: Mapped[date] = mapped_column(Date)
    approved: Mapped[date | None] = mapped_column(Date, nullable=True)
    version: Mapped[int | None] = mapped_column(Integer, nullable=True)
    source: Mapped[str] = mapped_column(String(256), default="")


class SurplusItemRow(Base):
    """An item of the surplus schedule (历年滚存结余上划)."""

    __tablename__ = "surplus_items"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    file_id: Mapped[int] = mapped_column(ForeignKey("files.id"), index=True)
    entity: Mapped[str] = mapped_column(String(32))
    fund: Mapped[str] = mapped_column(String(32))
    amount_fen: Mapped[Fen]
    due: Mapped[date] = mapped_column(Date)
    account: Mapped[str] = mapped_column(String(64))
    source: Mapped[str] = mapped_column(String(256), default="")


class TargetRow(Base):
    """A collection target (扩面征缴目标) of a county, fund and year."""

    __tablename__ = "targets"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    file_id: Mapped[int] = mapped_column(ForeignKey("files.id"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    entity: Mapped[str] = mapped_column(String(32))
    fund: Mapped[str] = mapped_column(String(32))
    amount_fen: Mapped[Fen]
    source: Mapped[str] = mapped_column(String(256), default="")


class FindingRow(Base):
    """A finding with a stable identity (`key`), its engine state and its review state."""

    __tablename__ = "findings"
    __table_args__ = (
        # The desk's queue: its filters and facets are answered from this index alone.
        Index("ix_findings_queue", "state", "period", "kind", "entity", "fund", "severity", "review_state",
              "assignee"),
        Index("ix_findings_facets", "kind", "entity", "fund", "severity", "review_state", "state", "period",
              "assignee"),  # the facets' counts over all the years, grouped in index order
        Index("ix_findings_amount", "amount_fen", "id"),  # the queue sorted by amount, paged
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(400), unique=True)
    kind: Mapped[str] = mapped_column(String(32), index=True)
    rule: Mapped[str | None] = mapped_column(String(16), nullable=True)
    entity: Mapped[str | None] = mapped_column(String(32), nullable=True, index=True)
    fund: Mapped[str | None] = mapped_column(String(32), nullable=True)
    account: Mapped[str | None] = mapped_column(String(64), nullable=True)
    period: Mapped[str | None] = mapped_column(String(7), nullable=True)
    amount_fen: Mapped[FenOrNone]
    days_late: Mapped[int | None] = mapped_column(Integer, nullable=True)
    severity: Mapped[str] = mapped_column(String(16))
    detail: Mapped[str] = mapped_column(Text, default="{}")  # JSON
    lines: Mapped[str] = mapped_column(Text, default="[]")  # JSON: "file:line" of the lines behind it
    state: Mapped[str] = mapped_column(String(8), index=True)  # open | closed
    as_of: Mapped[date] = mapped_column(Date)
    first_seen_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    last_seen_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    review_state: Mapped[str] = mapped_column(String(16), default="none")  # none | acknowledged | resolved
    review_note: Mapped[str] = mapped_column(Text, default="")
    review_by: Mapped[str] = mapped_column(String(64), default="")
    review_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    reviewed_amount_fen: Mapped[FenOrNone]
    assignee: Mapped[str] = mapped_column(String(64), default="", index=True)  # the desk: assigned to
    explanation: Mapped[str] = mapped_column(Text, default="")  # the county's latest 情况说明


class FindingLineRow(Base):
    __tablename__ = "finding_lines"
    finding_id: Mapped[int] = mapped_column(ForeignKey("findings.id"), primary_key=True)
    line_id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)


class FindingEventRow(Base):
    """The engine's history of a finding: opened, changed kind or amount, closed, reopened."""

    __tablename__ = "finding_events"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    finding_id: Mapped[int] = mapped_column(ForeignKey("findings.id"), index=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    as_of: Mapped[date] = mapped_column(Date)
    event: Mapped[str] = mapped_column(String(16))
    kind: Mapped[str] = mapped_column(String(32))
    amount_fen: Mapped[FenOrNone]


class AuditRow(Base):
    """The append-only audit log (every review, explanation, assignment, sign-off, user change,
    login): who, when, from which address, what, before and after, note; each row carries the hash
    of the previous one (reconcile.desk.chain). Ids are given by the store, one after another."""

    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    actor: Mapped[str] = mapped_column(String(64), index=True)
    address: Mapped[str] = mapped_column(String(64), default="")
    action: Mapped[str] = mapped_column(String(32))
    target: Mapped[str] = mapped_column(String(128))
    finding_id: Mapped[int | None] = mapped_column(Integer, nullable=True, index=True)
    before: Mapped[str] = mapped_column(Text, default="{}")
    after: Mapped[str] = mapped_column(Text, default="{}")
    note: Mapped[str] = mapped_column(Text, default="")
    prev_hash: Mapped[str] = mapped_column(String(64), unique=True)  # one successor per row: the chain stays a line
    hash: Mapped[str] = mapped_column(String(64))


class AuditHeadRow(Base):
    """The last row of the audit log (one row, id 1). Every append locks and moves it first, so
    appends are one at a time on both databases, and a log cut short no longer reaches it."""

    __tablename__ = "audit_head"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    seq: Mapped[int] = mapped_column(Integer)
    hash: Mapped[str] = mapped_column(String(64))


class UserRow(Base):
    """A desk user. The password is an argon2 hash; the plain text is never stored."""

    __tablename__ = "users"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(128), default="")
    role: Mapped[str] = mapped_column(String(16))  # county | city | supervisor | auditor | admin
    entity: Mapped[str | None] = mapped_column(String(32), nullable=True)
    password_hash: Mapped[str] = mapped_column(String(256))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    last_login_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    last_login_from: Mapped[str] = mapped_column(String(64), default="")
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class WebSessionRow(Base):
    """A signed-in browser: the cookie holds a random token, the table only its SHA-256; idle
    sessions are removed, and so are all of a user's when the password changes or the user is
    disabled."""

    __tablename__ = "web_sessions"
    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    last_seen_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    address: Mapped[str] = mapped_column(String(64), default="")
    csrf: Mapped[str] = mapped_column(String(64))


class SignOffRow(Base):
    """A (fund, month) sign-off: prepared by one person, approved by another; revoked by itself
    when a finding of the month changes afterwards."""

    __tablename__ = "signoffs"
    fund: Mapped[str] = mapped_column(String(32), primary_key=True)
    period: Mapped[str] = mapped_column(String(7), primary_key=True)
    state: Mapped[str] = mapped_column(String(16))  # open | prepared | approved | revoked
    prepared_by: Mapped[str] = mapped_column(String(64), default="")
    prepared_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    approved_by: Mapped[str] = mapped_column(String(64), default="")
    approved_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    note: Mapped[str] = mapped_column(Text, default="")
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    revoke_reason: Mapped[str] = mapped_column(Text, default="")


class RunRow(Base):
    """One run of the nightly cycle (or one of its steps by hand)."""

    __tablename__ = "runs"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))  # nightly | ingest | reconcile | report
    as_of: Mapped[date | None] = mapped_column(Date, nullable=True)
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    status: Mapped[str] = mapped_column(String(16))  # running | done | failed
    steps: Mapped[str] = mapped_column(Text, default="[]")  # JSON
    counts: Mapped[str] = mapped_column(Text, default="{}")  # JSON
    error: Mapped[str] = mapped_column(Text, default="")


class ObligationRow(Base):
    """Every obligation's standing at the last reconciliation (replaced by each run): the rows of
    the late-remittance list and the heatmap."""

    __tablename__ = "obligations"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    as_of: Mapped[date] = mapped_column(Date)
    rule: Mapped[str] = mapped_column(String(16))
    entity: Mapped[str] = mapped_column(String(32))
    fund: Mapped[str] = mapped_column(String(32))
    period: Mapped[str] = mapped_column(String(7))
    account: Mapped[str] = mapped_column(String(64))
    deadline: Mapped[date] = mapped_column(Date)
    due_fen: Mapped[Fen]
    on_time_fen: Mapped[Fen]
    late_fen: Mapped[Fen]
    late_payments: Mapped[str] = mapped_column(Text, default="[]")  # JSON [[date, fen], ...]
    outstanding_fen: Mapped[Fen]
    excess_fen: Mapped[Fen]
    days_overdue: Mapped[int | None] = mapped_column(Integer, nullable=True)
    fen_days: Mapped[Fen]
    status: Mapped[str] = mapped_column(String(24))
    plan_version: Mapped[int | None] = mapped_column(Integer, nullable=True)


# An obligation's identity, one row each: what a run's standings are matched by (store.standings)
# and the order the engine hands them in (reconcile.engine.run), which the readers keep.
OBLIGATION_IDENTITY = ("rule", "entity", "fund", "period", "account")


class ReportRow(Base):
    """A report written: its as-of date and the findings open in it (to say what is new next time)."""

    __tablename__ = "reports"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    as_of: Mapped[date] = mapped_column(Date)
    generated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    path: Mapped[str] = mapped_column(Text)
    open_keys: Mapped[str] = mapped_column(Text, default="[]")  # JSON


class ContributionRow(Base):
    """What each county income account collected in a year up to the last reconcile's as-of date
    (progress against collection targets); replaced by each reconcile."""

    __tablename__ = "contributions"
    account: Mapped[str] = mapped_column(String(64), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    as_of: Mapped[date] = mapped_column(Date)
    amount_fen: Mapped[Fen]


class JournalRow(Base):
    """One journal of a book file (银行存款日记账 export), as declared: 科目, period, opening balance."""

    __tablename__ = "journals"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    file_id: Mapped[int] = mapped_column(ForeignKey("files.id"), index=True)
    index_in_file: Mapped[int] = mapped_column(Integer)
    account: Mapped[str] = mapped_column(String(64), index=True)
    format: Mapped[str] = mapped_column(String(64))
    subject: Mapped[str] = mapped_column(Text, default="")
    unit: Mapped[str] = mapped_column(Text, default="")
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    opening_fen: Mapped[FenOrNone]
    closing_fen: Mapped[FenOrNone]
    entry_count: Mapped[int] = mapped_column(Integer)


class JournalEntryRow(Base):
    """A journal entry, held once per account whatever exports repeat it."""

    __tablename__ = "journal_entries"
    __table_args__ = (
        UniqueConstraint("account", "fingerprint", name="uq_journal_entries_account_fingerprint"),
        Index("ix_journal_entries_account_date", "account", "entry_date"),
    )
    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    account: Mapped[AccountNo]
    entry_date: Mapped[date] = mapped_column(Date)
    amount_fen: Mapped[Fen]
    voucher: Mapped[str] = mapped_column(String(64), default="")
    text: Mapped[str] = mapped_column(Text, default="")
    counterparty: Mapped[str] = mapped_column(Text, default="")
    settlement_ref: Mapped[str] = mapped_column(String(128), default="")
    balance_fen: Mapped[FenOrNone]
    fingerprint: Mapped[str] = mapped_column(String(40))
    file_id: Mapped[int] = mapped_column(ForeignKey("files.id"), index=True)
    journal_id: Mapped[int] = mapped_column(ForeignKey("journals.id"))
    source: Mapped[str] = mapped_column(String(256), default="")


class BookStatementRow(Base):
    """The 银行存款余额调节表 of one account and month at the last reconciliation (replaced by each)."""

    __tablename__ = "book_statements"
    __table_args__ = (UniqueConstraint("account", "month", name="uq_book_statements_account_month"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    as_of: Mapped[date] = mapped_column(Date)
    account: Mapped[str] = mapped_column(String(64))
    month: Mapped[str] = mapped_column(String(7))
    month_end: Mapped[date] = mapped_column(Date)
    state: Mapped[str] = mapped_column(String(16))  # balanced | difference | no_statement | no_journal | ...
    bank_balance_fen: Mapped[FenOrNone]
    book_balance_fen: Mapped[FenOrNone]
    book_in_fen: Mapped[Fen]
    book_out_fen: Mapped[Fen]
    bank_in_fen: Mapped[Fen]
    bank_out_fen: Mapped[Fen]
    difference_fen: Mapped[FenOrNone]
    matched: Mapped[int] = mapped_column(Integer)
    # store.books.statement_digest of the row and its items: the report's cache key of the month (0018)
    digest: Mapped[str | None] = mapped_column(String(64), nullable=True)


class BookItemRow(Base):
    """An item outstanding (未达账项) at a month end, or at the as-of date (`month` empty)."""

    __tablename__ = "book_items"
    __table_args__ = (Index("ix_book_items_account_month", "account", "month"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    account: Mapped[str] = mapped_column(String(64), index=True)
    month: Mapped[str] = mapped_column(String(7))  # YYYY-MM, or "" for the as-of date
    side: Mapped[str] = mapped_column(String(8))  # book_in | book_out | bank_in | bank_out
    day: Mapped[date] = mapped_column(Date)
    amount_fen: Mapped[Fen]
    ref: Mapped[str] = mapped_column(String(128), default="")
    text: Mapped[str] = mapped_column(Text, default="")
    counterparty: Mapped[str] = mapped_column(Text, default="")
    age_days: Mapped[int] = mapped_column(Integer)
    fingerprint: Mapped[str] = mapped_column(String(40))
    record_id: Mapped[int] = mapped_column(BigInteger)
    source: Mapped[str] = mapped_column(Text, default="")


class BudgetLineRow(Base):
    """A budget line (预算) as read from a budget file: a year's budget, or one month of it."""

    __tablename__ = "budgets"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    file_id: Mapped[int] = mapped_column(ForeignKey("files.id"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    entity: Mapped[str] = mapped_column(String(32))
    fund: Mapped[str] = mapped_column(String(32))
    month: Mapped[int | None] = mapped_column(Integer, nullable=True)
    income_fen: Mapped[Fen]
    expense_fen: Mapped[Fen]
    version: Mapped[int | None] = mapped_column(Integer, nullable=True)
    approved: Mapped[date | None] = mapped_column(Date, nullable=True)
    source: Mapped[str] = mapped_column(String(256), default="")


class ActualRow(Base):
    """What each entity's income account collected (contributions, interest) and its expense account
    disbursed per fund and booking month, up to the last reconcile's as-of date; replaced by each."""

    __tablename__ = "actuals"
    entity: Mapped[str] = mapped_column(String(32), primary_key=True)
    fund: Mapped[str] = mapped_column(String(32), primary_key=True)
    month: Mapped[str] = mapped_column(String(7), primary_key=True)
    as_of: Mapped[date] = mapped_column(Date)
    contributions_fen: Mapped[Fen]
    interest_fen: Mapped[Fen]
    disbursed_fen: Mapped[Fen]
class EngineInputRow(Base):
    """What the engine reads of one account in one month (store.inputs): its whole lines and its
    plain income credits summed per day, as JSON; of the whole month, or of its days through
    `through` (the month not closed when it was kept)."""

    __tablename__ = "engine_inputs"
    account: Mapped[str] = mapped_column(String(64), primary_key=True)
    month: Mapped[str] = mapped_column(String(7), primary_key=True)
    refunded: Mapped[str] = mapped_column(String(64))
    line_count: Mapped[int] = mapped_column(Integer)
    payload: Mapped[str] = mapped_column(Text)
    through: Mapped[date | None] = mapped_column(Date, nullable=True)  # the last day held; NULL: the whole month


class EngineInputMarkRow(Base):
    """How far engine_inputs has read the ledger (one row)."""

    __tablename__ = "engine_input_marks"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    last_line_id: Mapped[int] = mapped_column(BigInteger)
    last_file_id: Mapped[int] = mapped_column(Integer)
    config: Mapped[str] = mapped_column(String(64))
    accounts: Mapped[str] = mapped_column(Text)  # JSON list


class EngineCarryRow(Base):
    """What the engine decided before a restart day, for the next night (store.carry; one row)."""

    __tablename__ = "engine_carry"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    config: Mapped[str] = mapped_column(String(64))  # digest of the rules, calendar, registry and codes
    cut: Mapped[date] = mapped_column(Date)  # the restart day
    as_of: Mapped[date] = mapped_column(Date)  # the as-of date of the run that kept it
    last_line_id: Mapped[int] = mapped_column(BigInteger)  # lines above it are new to the kept state
    last_file_id: Mapped[int] = mapped_column(Integer)  # files above it are new to the kept state
    payload: Mapped[str] = mapped_column(Text)  # JSON: per expense account (reconcile.engine.carry)


class BookKeptRow(Base):
    """What the book side decided for one account in one closed month (store.bookkept): the matches
    made on a record of the month, and the month's records left unmatched, as JSON."""

    __tablename__ = "book_kept"
    __table_args__ = (  # the months a night's restarts read, and those with records left unmatched (0021)
        Index("ix_book_kept_month", "month"),
        Index("ix_book_kept_unmatched", "month", sqlite_where=sql_text("unmatched_count > 0"),
              postgresql_where=sql_text("unmatched_count > 0")),
    )
    account: Mapped[str] = mapped_column(String(64), primary_key=True)
    month: Mapped[str] = mapped_column(String(7), primary_key=True)
    matches: Mapped[str] = mapped_column(Text)
    unmatched: Mapped[str] = mapped_column(Text)
    unmatched_count: Mapped[int] = mapped_column(Integer)


class BookKeptAccountRow(Base):
    """Which months of one account book_kept holds, and a digest per month of the statements and
    journals that began in it (a change draws the account up again from that month)."""

    __tablename__ = "book_kept_accounts"
    account: Mapped[str] = mapped_column(String(64), primary_key=True)
    first_month: Mapped[str] = mapped_column(String(7))
    through: Mapped[str] = mapped_column(String(7))  # the last month kept
    sources: Mapped[str] = mapped_column(Text)  # JSON: month -> digest


class BookKeptMarkRow(Base):
    """How far book_kept has read the ledger (one row)."""

    __tablename__ = "book_kept_marks"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    last_entry_id: Mapped[int] = mapped_column(BigInteger)
    last_line_id: Mapped[int] = mapped_column(BigInteger)
    as_of: Mapped[date] = mapped_column(Date)
    config: Mapped[str] = mapped_column(String(64))


def metadata_for(dialect: str) -> MetaData:
    """The models' schema as `dialect` has it: a copy without the constraints and indexes marked
    (`ddl_if`) for another dialect. Alembic's comparison does not read `ddl_if`; this does."""
    out = MetaData()
    for table in Base.metadata.sorted_tables:
        items: list[Constraint | Index] = [*table.constraints, *table.indexes]
        other = {item.name for item in items
                 if (cond := getattr(item, "_ddl_if", None)) is not None and cond.dialect not in (None, dialect)}
        copy = table.to_metadata(out)
        for c in [c for c in copy.constraints if c.name in other]:
            copy.constraints.discard(c)
        for ix in [ix for ix in copy.indexes if ix.name in other]:
            copy.indexes.discard(ix)
    return out
