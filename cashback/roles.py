"""The cashback app's share of the office roles (registry.roles gathers every app's share)."""

from registry.roles import AUDITOR, CASHBACK_MANAGER, PAYMENT_OPERATOR, SUPERVISOR

ROLE_PERMISSIONS: dict[str, list[str]] = {
    SUPERVISOR: [
        "cashback.view_campaign",
        "cashback.view_payment",
    ],
    CASHBACK_MANAGER: [
        "cashback.add_campaign",
        "cashback.change_campaign",
        "cashback.view_campaign",
        "cashback.view_payment",
        "cashback.view_ledgerentry",
        "cashback.view_campaignweek",
        "cashback.change_campaignweek",
        "cashback.add_payoutbatch",
        "cashback.change_payoutbatch",
        "cashback.view_payoutbatch",
    ],
    PAYMENT_OPERATOR: [
        "cashback.view_campaign",
        "cashback.add_payment",
        "cashback.change_payment",
        "cashback.view_payment",
    ],
    AUDITOR: [
        "cashback.view_campaign",
        "cashback.view_payment",
    ],
}
