"""Settling a whole file of payments (SPEC 3.4) with exactly the live path's decisions.

The file is read once, row by row (`reading`): each row is checked and copied into a temporary
table (`staging`), and a malformed row stops the run before anything is written. The rows are
then decided in `(paid_at, ref)` order with `cashback.rules` — the same functions the live API
calls — against counters held in memory, seeded from what is already recorded, while the
campaign's weeks are locked so no live payment can interleave (`run`). Payments are decided
week by week, so memory holds one week's customers at a time. Only the decisions go back to the
database: each batch's week, store, cashback and reason are copied into a temporary table, and
one INSERT … SELECT makes the payments and their ledger entries from the rows already staged,
all in one transaction.
"""

from cashback.settlement.reading import COLUMNS, read_rows
from cashback.settlement.run import (
    Settlement,
    SettlementRefused,
    WeekSummary,
    settle_payments,
    summary_lines,
)

__all__ = [
    "COLUMNS",
    "Settlement",
    "SettlementRefused",
    "WeekSummary",
    "read_rows",
    "settle_payments",
    "summary_lines",
]
