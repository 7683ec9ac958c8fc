"""PostgreSQL: that a line names its statement (and the statement's own file) is checked once per
INSERT or COPY, set-wise, instead of once per line by a foreign key. The same guarantees, both
ways; SQLite: nothing (its foreign keys are checked in C, cheaply).

PostgreSQL checks a foreign key by a trigger a row, each a query of its own. Migration 0019 left one
such key on lines, `(statement_id, file_id) REFERENCES statements (id, file_id)`; on the ingest of a
province month (1,868 files, 425,941 lines, each file's lines one COPY) it still cost the server
about 3 of its 7.5 CPU seconds, and the ingest's wall was the tool's writer and the server in
turn (bench/RESULTS.md, "The line's statement checked once a COPY"). So the key becomes triggers:

- `lines_name_their_statements`: after each INSERT or COPY into lines (statement level, with the
  statement's new rows as a transition table), the statements its lines name are locked FOR KEY
  SHARE, as a foreign key locks them, and a line whose (statement_id, file_id) names no statement
  refuses the whole statement with SQLSTATE 23503 (foreign_key_violation) and the message
  PostgreSQL's own key gives, under the old key's name;
- `lines_keep_their_statements`: an UPDATE of a line's statement_id or file_id (the app never makes
  one) is checked the same way, row by row;
- `statements_keep_their_lines`: a statement that lines name cannot be deleted, nor its id or
  file_id changed; `statements_not_truncated`: nor can statements be truncated while lines exist.

A year's partition attached again after an archive (docs/SCALE.md) is not checked by the attach, as
a foreign key would check it: its lines were checked when they were stored, and docs/SCALE.md gives
the query that checks a restored year before it is attached.

Downgrade: the foreign key of migration 0019 again (checked over every line), the triggers dropped.

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-07
"""

from __future__ import annotations

from alembic import op
from sqlalchemy import text

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None

_REFUSE = """
    RAISE EXCEPTION USING ERRCODE = 'foreign_key_violation', CONSTRAINT = 'fk_lines_statement_file',
      MESSAGE = verb || ' on table "' || tab || '" violates foreign key constraint "fk_lines_statement_file"',
      DETAIL = 'Key (statement_id, file_id)=(' || sid || ', ' || fid || ') ' || what;"""

UPGRADE = (
    "ALTER TABLE lines DROP CONSTRAINT fk_lines_statement_file",
    # The functions keep the schema they were made in: a deployment's session finds its own tables.
    f"""CREATE FUNCTION lines_name_their_statements() RETURNS trigger LANGUAGE plpgsql
    SET search_path FROM CURRENT AS $$
DECLARE
  wanted bigint; held bigint; sid bigint; fid bigint;
  verb text := 'insert or update'; tab text := 'lines'; what text := 'is not present in table "statements".';
BEGIN
  SELECT count(*) INTO wanted FROM (SELECT DISTINCT statement_id, file_id FROM new_lines) AS named;
  PERFORM 1 FROM statements s
    WHERE (s.id, s.file_id) IN (SELECT statement_id, file_id FROM new_lines) FOR KEY SHARE OF s;
  GET DIAGNOSTICS held = ROW_COUNT;
  IF held < wanted THEN
    SELECT n.statement_id, n.file_id INTO sid, fid FROM new_lines n
      WHERE NOT EXISTS (SELECT 1 FROM statements s WHERE s.id = n.statement_id AND s.file_id = n.file_id)
      ORDER BY n.statement_id, n.file_id LIMIT 1;{_REFUSE}
  END IF;
  RETURN NULL;
END $$""",
    "CREATE TRIGGER lines_name_their_statements AFTER INSERT ON lines REFERENCING NEW TABLE AS new_lines "
    "FOR EACH STATEMENT EXECUTE FUNCTION lines_name_their_statements()",
    f"""CREATE FUNCTION lines_keep_their_statements() RETURNS trigger LANGUAGE plpgsql
    SET search_path FROM CURRENT AS $$
DECLARE
  sid bigint := NEW.statement_id; fid bigint := NEW.file_id;
  verb text := 'insert or update'; tab text := 'lines'; what text := 'is not present in table "statements".';
BEGIN
  PERFORM 1 FROM statements s WHERE s.id = sid AND s.file_id = fid FOR KEY SHARE OF s;
  IF NOT FOUND THEN{_REFUSE}
  END IF;
  RETURN NEW;
END $$""",
    "CREATE TRIGGER lines_keep_their_statements BEFORE UPDATE OF statement_id, file_id ON lines "
    "FOR EACH ROW EXECUTE FUNCTION lines_keep_their_statements()",
    f"""CREATE FUNCTION statements_keep_their_lines() RETURNS trigger LANGUAGE plpgsql
    SET search_path FROM CURRENT AS $$
DECLARE
  sid bigint := OLD.id; fid bigint := OLD.file_id;
  verb text := lower(TG_OP); tab text := 'statements'; what text := 'is still referenced from table "lines".';
BEGIN
  IF TG_OP = 'UPDATE' AND NEW.id = OLD.id AND NEW.file_id = OLD.file_id THEN
    RETURN NEW;
  END IF;
  IF EXISTS (SELECT 1 FROM lines l WHERE l.file_id = fid AND l.statement_id = sid) THEN{_REFUSE}
  END IF;
  IF TG_OP = 'DELETE' THEN
    RETURN OLD;
  END IF;
  RETURN NEW;
END $$""",
    "CREATE TRIGGER statements_keep_their_lines BEFORE DELETE OR UPDATE OF id, file_id ON statements "
    "FOR EACH ROW EXECUTE FUNCTION statements_keep_their_lines()",
    """CREATE FUNCTION statements_not_truncated() RETURNS trigger LANGUAGE plpgsql
    SET search_path FROM CURRENT AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM lines) THEN
    RAISE EXCEPTION USING ERRCODE = 'feature_not_supported', CONSTRAINT = 'fk_lines_statement_file',
      MESSAGE = 'cannot truncate a table referenced in a foreign key constraint',
      DETAIL = 'Table "lines" references "statements" (fk_lines_statement_file).';
  END IF;
  RETURN NULL;
END $$""",
    "CREATE TRIGGER statements_not_truncated BEFORE TRUNCATE ON statements "
    "FOR EACH STATEMENT EXECUTE FUNCTION statements_not_truncated()",
)
DOWNGRADE = (
    "DROP TRIGGER statements_not_truncated ON statements",
    "DROP TRIGGER statements_keep_their_lines ON statements",
    "DROP TRIGGER lines_keep_their_statements ON lines",
    "DROP TRIGGER lines_name_their_statements ON lines",
    "DROP FUNCTION statements_not_truncated()",
    "DROP FUNCTION statements_keep_their_lines()",
    "DROP FUNCTION lines_keep_their_statements()",
    "DROP FUNCTION lines_name_their_statements()",
    "ALTER TABLE lines ADD CONSTRAINT fk_lines_statement_file FOREIGN KEY (statement_id, file_id) "
    "REFERENCES statements (id, file_id)",
)


def upgrade() -> None:
    _run(UPGRADE)


def downgrade() -> None:
    _run(DOWNGRADE)


def _run(statements: tuple[str, ...]) -> None:
    conn = op.get_bind()
    if conn.dialect.name != "postgresql":
        return
    for sql in statements:
        conn.execute(text(sql))
