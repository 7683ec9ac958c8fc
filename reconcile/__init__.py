"""The core of the pooled-fund reconciler: domain records, money, configuration, rules and the store.

Nothing here imports `parsers` or `jobs`; the parser registry is handed in by the shell.
"""
