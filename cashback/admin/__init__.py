"""The cashback managers' admin: campaigns and their weeks, payments, the ledger, payouts.

Money columns are read-only everywhere: they move only through the services. The big tables
(payments, ledger) never run a full count and are searched by exact reference or customer id.
Importing the modules registers their model admins.
"""

from cashback.admin import campaigns, payments, payouts

__all__ = ["campaigns", "payments", "payouts"]
