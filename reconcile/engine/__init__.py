"""The reconciliation engine: from stored lines, plans and the calendar, what was owed, when, what
arrived, and what is wrong. Pure: a `Snapshot` and an as-of date in, findings out. No clock, no
files, no logging. `reconcile.engine.run.reconcile` is the whole pipeline in one short function.
"""
