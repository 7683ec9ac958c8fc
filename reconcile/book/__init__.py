"""Book against bank (银行存款余额调节表, docs/DOMAIN.md: *Book against bank*): the agencies' bank journals
(银行存款日记账) matched with the bank's lines, the monthly statement of each account with both
adjusted balances and every item not yet on the other side, and the findings `book_unreconciled`
and `stale_outstanding`.

Pure like the engine: records in, statements and findings out; no clock, no files, no database.
Modules: `records` (what a journal says; what the matcher reads and returns), `binding` (which
registry account a journal belongs to), `match` (entries to bank lines), `statement` (the 调节表 of
one account and month), `explain` (why an item stayed unmatched), `run` (one account's book,
whole, with its findings).
"""
