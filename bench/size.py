"""How much a deployment's PostgreSQL schema holds, table by table (docs/SCALE.md, issue 18).

    .venv/bin/python bench/size.py --schema SCHEMA [--url postgresql://postgres@127.0.0.1:5432/test]

Prints one JSON line per table (rows, heap, indexes, TOAST, total bytes) and a last line with the
totals and the bytes per stored statement line. Run `ANALYZE` first (or after an ingest) so the row
estimates of large tables are current; `lines` is counted exactly.
"""

from __future__ import annotations

import argparse
import json

import psycopg

SIZES = """
SELECT c.relname, c.reltuples::bigint, pg_relation_size(c.oid), pg_indexes_size(c.oid),
       coalesce(pg_total_relation_size(c.reltoastrelid), 0), pg_total_relation_size(c.oid)
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = %s AND c.relkind IN ('r', 'p')
ORDER BY pg_total_relation_size(c.oid) DESC
"""


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--schema", required=True)
    ap.add_argument("--url", default="postgresql://postgres@127.0.0.1:5432/test")
    args = ap.parse_args()
    with psycopg.connect(args.url, autocommit=True) as conn:
        conn.execute(f'ANALYZE "{args.schema}".lines')
        lines = conn.execute(f'SELECT count(*) FROM "{args.schema}".lines').fetchone()
        n_lines = int(lines[0]) if lines else 0
        total = 0
        for name, rows, heap, index, toast, size in conn.execute(SIZES, (args.schema,)):
            total += size
            print(json.dumps({"table": name, "rows": rows, "heap": heap, "indexes": index, "toast": toast,
                              "total": size}))
        print(json.dumps({"schema": args.schema, "lines": n_lines, "total_bytes": total,
                          "bytes_per_line": round(total / n_lines) if n_lines else None}))


if __name__ == "__main__":
    main()
