"""The programmes' lists as people take them away (core.exports): applications, grant decisions
(교부결정), instalments and the ledger, each with the columns its admin list exports.

Applicants' names and phones and the settlement accounts are masked as the lists mask them unless
the role may see them, and every exported row holding them is written to the access log
(SPEC 5). The ledger holds no personal data, so its exports are not logged. Money is whole won,
in number cells.
"""

from django.utils.translation import gettext_lazy as _

from core.exports import Column, ExportSpec, field_column
from core.numbers import brn_format, phone_format
from core.personal import field_mask, holds_personal
from programmes.choices import reason_label
from programmes.models import Application, Disbursement, Grant, LedgerEntry

# --- applications ------------------------------------------------------------------------------


APPLICATION_EXPORT = ExportSpec(
    columns=(
        Column(_("tracking number"), lambda a: a.number_display),
        field_column(Application, "programme__name", header=_("programme")),
        field_column(Application, "programme__kind"),
        field_column(Application, "status"),
        Column(_("reason"), lambda a: reason_label(a.reason) or None),
        field_column(Application, "business_number", show=brn_format),
        field_column(Application, "store__trade_name"),
        field_column(Application, "store__enterprise_type"),
        field_column(Application, "applicant"),
        field_column(Application, "phone", show=phone_format),
        field_column(Application, "annual_sales"),
        field_column(Application, "requested"),
        field_column(Application, "score"),
        field_column(Application, "rank"),
        field_column(Application, "award"),
        field_column(Application, "submitted_at"),
        field_column(Application, "entered_by"),
    ),
    prepare=lambda queryset: queryset.select_related("programme", "store", "entered_by"),
    personal=holds_personal,
)


# --- grant decisions ---------------------------------------------------------------------------


GRANT_EXPORT = ExportSpec(
    columns=(
        Column(_("tracking number"), lambda g: g.application.number_display),
        field_column(Grant, "application__programme__name", header=_("programme")),
        field_column(Grant, "application__business_number", show=brn_format),
        field_column(Grant, "application__store__trade_name"),
        field_column(Grant, "amount"),
        field_column(Grant, "bank"),
        field_column(Grant, "account_number"),
        field_column(Grant, "account_holder"),
        field_column(Grant, "decided_at"),
        field_column(Grant, "decided_by"),
        field_column(Grant, "scheduled"),
        field_column(Grant, "accepted"),
        field_column(Grant, "settled_at"),
        field_column(Grant, "refund_due"),
        field_column(Grant, "refund_returned"),
        field_column(Grant, "refund_returned_at"),
    ),
    prepare=lambda queryset: queryset.select_related(
        "application__programme", "application__store", "decided_by"
    ),
    personal=holds_personal,
)


# --- instalments -------------------------------------------------------------------------------


DISBURSEMENT_EXPORT = ExportSpec(
    columns=(
        Column(_("tracking number"), lambda d: d.grant.application.number_display),
        field_column(Disbursement, "grant__application__programme__name", header=_("programme")),
        field_column(Disbursement, "grant__application__business_number", show=brn_format),
        field_column(Disbursement, "grant__application__store__trade_name"),
        field_column(Disbursement, "sequence"),
        field_column(Disbursement, "amount"),
        field_column(Disbursement, "status"),
        field_column(Disbursement, "grant__bank"),
        # The instalment is paid into the grant's account: masked as the grant's list masks it.
        field_column(
            Disbursement, "grant__account_number", mask=field_mask(Grant, "account_number")
        ),
        field_column(
            Disbursement, "grant__account_holder", mask=field_mask(Grant, "account_holder")
        ),
        field_column(Disbursement, "created_at"),
        field_column(Disbursement, "exported_at"),
        field_column(Disbursement, "paid_at"),
    ),
    prepare=lambda queryset: queryset.select_related(
        "grant__application__programme", "grant__application__store"
    ),
    personal=lambda disbursement: holds_personal(disbursement.grant),
)


# --- the ledger --------------------------------------------------------------------------------


LEDGER_EXPORT = ExportSpec(
    columns=(
        field_column(LedgerEntry, "at"),
        field_column(LedgerEntry, "programme__name", header=_("programme")),
        Column(_("tracking number"), lambda e: e.application.number_display),
        field_column(LedgerEntry, "application__store__trade_name"),
        field_column(LedgerEntry, "kind"),
        field_column(LedgerEntry, "amount"),
        field_column(LedgerEntry, "actor"),
        field_column(LedgerEntry, "note"),
    ),
    prepare=lambda queryset: queryset.select_related("programme", "application__store", "actor"),
)
