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

# A partitioned table (`lines` on PostgreSQL since migration 0013) is one row: its partitions summed
# (pg_partition_tree holds the table itself and every partition, at any depth; a plain table is its
# own tree of one), and each partition is listed in `partitions`.
SIZES = """
SELECT c.relname, coalesce(sum(greatest(p.reltuples, 0)) FILTER (WHERE p.relkind = 'r'), 0)::bigint,
       sum(pg_relation_size(p.oid)), sum(pg_indexes_size(p.oid)),
       sum(coalesce(pg_total_relation_size(p.reltoastrelid), 0)), sum(pg_total_relation_size(p.oid)),
       coalesce(json_object_agg(p.relname, pg_total_relation_size(p.oid)) FILTER (WHERE p.oid <> c.oid), '{}')
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
CROSS JOIN LATERAL (SELECT c.oid AS relid UNION SELECT relid FROM pg_partition_tree(c.oid)) t
JOIN pg_class p ON p.oid = t.relid
WHERE n.nspname = %s AND c.relkind IN ('r', 'p') AND NOT c.relispartition
GROUP BY c.oid, c.relname
ORDER BY sum(pg_total_relation_size(p.oid)) DESC
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
        for name, rows, heap, index, toast, size, parts in conn.execute(SIZES, (args.schema,)):
            total += int(size)
            print(json.dumps({"table": name, "rows": rows, "heap": int(heap), "indexes": int(index),
                              "toast": int(toast), "total": int(size), **({"partitions": parts} if parts else {})}))
        print(json.dumps({"schema": args.schema, "lines": n_lines, "total_bytes": total,
                          "bytes_per_line": round(total / n_lines) if n_lines else None}))


if __name__ == "__main__":
    main()
