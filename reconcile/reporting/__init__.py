"""The exception report's content, as plain tables: pure row builders (no database, no files, no
clock). `store.reporting` loads the records; `jobs.report` writes the tables out."""
