"""Cashback lists as people take them away (core.exports): payments and payout batches.

Neither holds personal data (customers are the payment app's opaque ids, SPEC 5), so their
exports are not written to the access log. Money is whole won, in number cells.
"""

from cashback.models import Payment, PayoutBatch
from core.exports import ExportSpec, field_column
from core.numbers import brn_format

PAYMENT_EXPORT = ExportSpec(
    columns=(
        field_column(Payment, "campaign"),
        field_column(Payment, "ref"),
        field_column(Payment, "customer"),
        field_column(Payment, "business_number", show=brn_format),
        field_column(Payment, "store__trade_name"),
        field_column(Payment, "amount"),
        field_column(Payment, "method"),
        field_column(Payment, "paid_at"),
        field_column(Payment, "week__number"),
        field_column(Payment, "cashback"),
        field_column(Payment, "reason"),
        field_column(Payment, "status"),
        field_column(Payment, "recorded_at"),
        field_column(Payment, "cancelled_at"),
    ),
    prepare=lambda queryset: queryset.select_related("campaign", "week", "store"),
)

PAYOUT_BATCH_EXPORT = ExportSpec(
    columns=(
        field_column(PayoutBatch, "week__campaign"),
        field_column(PayoutBatch, "week__number"),
        field_column(PayoutBatch, "week__starts_on"),
        field_column(PayoutBatch, "week__ends_on"),
        field_column(PayoutBatch, "status"),
        field_column(PayoutBatch, "total"),
        field_column(PayoutBatch, "customers"),
        field_column(PayoutBatch, "created_at"),
        field_column(PayoutBatch, "exported_at"),
        field_column(PayoutBatch, "confirmed_at"),
        field_column(PayoutBatch, "confirmed_by"),
    ),
    prepare=lambda queryset: queryset.select_related("week__campaign", "confirmed_by"),
)
