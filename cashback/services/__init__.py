"""Every write of cashback, one module per concept: campaigns, payments, payouts.

Callers import from here; the names below are the package's public ones.
"""

from cashback.services.campaigns import (
    DEFAULT_TERMS,
    TERMS,
    WeekOverride,
    campaign_budget_raise,
    campaign_create,
    campaign_has_payments,
    campaign_update,
    campaign_weeks_plan,
)
from cashback.services.common import WeekFrozen
from cashback.services.payments import (
    PaymentConflict,
    PaymentInput,
    customer_week_hold,
    payment_assess,
    payment_cancel,
    payment_record,
)
from cashback.services.payouts import payout_confirm, payout_export, payout_prepare

__all__ = [
    "DEFAULT_TERMS",
    "TERMS",
    "PaymentConflict",
    "PaymentInput",
    "WeekFrozen",
    "WeekOverride",
    "campaign_budget_raise",
    "campaign_create",
    "campaign_has_payments",
    "campaign_update",
    "campaign_weeks_plan",
    "customer_week_hold",
    "payment_assess",
    "payment_cancel",
    "payment_record",
    "payout_confirm",
    "payout_export",
    "payout_prepare",
]
