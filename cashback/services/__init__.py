"""Every write of cashback, one module per concept: campaigns, payments, payouts, the weeks'
tallies.

Callers import the use cases from here. The row-lock helpers every write goes through, one per
model, are in `cashback.services.common`.
"""

from cashback.services.campaigns import (
    DEFAULT_TERMS,
    TERMS,
    WeekOverride,
    campaign_budget_raise,
    campaign_create,
    campaign_update,
    campaign_weeks_plan,
)
from cashback.services.common import WeekFrozen
from cashback.services.payments import (
    PaymentConflict,
    PaymentInput,
    payment_assess,
    payment_cancel,
    payment_record,
)
from cashback.services.payouts import payout_confirm, payout_export, payout_prepare
from cashback.services.tallies import week_tallies_rebuild

__all__ = [
    "DEFAULT_TERMS",
    "TERMS",
    "PaymentConflict",
    "PaymentInput",
    "WeekFrozen",
    "WeekOverride",
    "campaign_budget_raise",
    "campaign_create",
    "campaign_update",
    "campaign_weeks_plan",
    "payment_assess",
    "payment_cancel",
    "payment_record",
    "payout_confirm",
    "payout_export",
    "payout_prepare",
    "week_tallies_rebuild",
]
