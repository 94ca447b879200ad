"""The money after the award in the admin (SPEC 7): grant decisions, instalments, expense lines
and the ledger, as read-only lists. They change only through the application page's buttons
(the services); settlement accounts are masked for roles that may not see personal data."""

from django.contrib import admin
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.admin.columns import moment_short
from core.admin.exports import ExportMixin
from core.admin.mixins import OfficeRelatedFilter, OfficeWallMixin, ReadOnlyMixin
from core.audit import personal_shown
from core.numbers import account_mask
from core.personal import may_see_personal
from core.templatetags.golmok import won
from programmes.exports import (
    DISBURSEMENT_EXPORT,
    GRANT_EXPORT,
    LEDGER_EXPORT,
)
from programmes.models import Disbursement, ExpenseLine, Grant, LedgerEntry

# The banks a grant's settlement account is held at, as Korean district offices list them.
KOREAN_BANKS = (
    "KB국민은행",
    "신한은행",
    "우리은행",
    "하나은행",
    "NH농협은행",
    "지역농축협",
    "IBK기업은행",
    "광주은행",
    "전북은행",
    "부산은행",
    "경남은행",
    "대구은행(iM뱅크)",
    "제주은행",
    "SC제일은행",
    "한국씨티은행",
    "KDB산업은행",
    "수협은행",
    "새마을금고",
    "신협",
    "우체국",
    "카카오뱅크",
    "케이뱅크",
    "토스뱅크",
)
BANK_CHOICES = [("", "---------"), *((bank, bank) for bank in KOREAN_BANKS)]


class MoneyListMixin(OfficeWallMixin, ReadOnlyMixin):
    """A read-only list behind the office wall, showing no facet counts."""

    show_facets = admin.ShowFacets.NEVER
    list_per_page = 100


@admin.register(Grant)
class GrantAdmin(ExportMixin, MoneyListMixin, admin.ModelAdmin):
    export_spec = GRANT_EXPORT
    office_field = "application__programme__office"
    list_display = (
        "application_number",
        "trade_name",
        "amount_won",
        "bank",
        "account_shown",
        "scheduled_won",
        "accepted_won",
        "refund_due_won",
        "refund_returned_won",
    )
    list_filter = (("application__programme", OfficeRelatedFilter),)
    list_select_related = ("application__store", "application__programme")
    search_fields = ("=application__number", "application__store__trade_name")
    search_help_text = _("A tracking number (exact) or part of the trade name.")
    fields = (
        "application",
        "amount",
        "bank",
        "account_number",
        "account_holder",
        "decided_at",
        "decided_by",
        "scheduled",
        "accepted",
        "settled_at",
        "refund_due",
        "refund_returned",
        "refund_returned_at",
    )
    linked_fields = ("application",)

    @admin.display(description=_("tracking number"), ordering="application__number")
    def application_number(self, grant):
        return grant.application.number_display

    @admin.display(description=_("trade name"))
    def trade_name(self, grant):
        return grant.application.store.trade_name

    @admin.display(description=_("amount granted (won)"), ordering="amount")
    def amount_won(self, grant):
        return won(grant.amount)

    @admin.display(description=_("settlement account"))
    def account_shown(self, grant):
        # Replaced by the full account for roles that may see it (get_list_display).
        return account_mask(grant.account_number)

    @admin.display(description=_("settlement account"))
    def account_full(self, grant):
        return f"{grant.account_number} ({grant.account_holder})"

    @admin.display(description=_("in instalments (won)"))
    def scheduled_won(self, grant):
        return won(grant.scheduled)

    @admin.display(description=_("expenses accepted (won)"))
    def accepted_won(self, grant):
        return won(grant.accepted)

    @admin.display(description=_("refund due (won)"))
    def refund_due_won(self, grant):
        return won(grant.refund_due)

    @admin.display(description=_("refund returned (won)"))
    def refund_returned_won(self, grant):
        return won(grant.refund_returned)

    def get_list_display(self, request):
        if not may_see_personal(request.user):
            return self.list_display
        return [("account_full" if f == "account_shown" else f) for f in self.list_display]

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        changelist = getattr(response, "context_data", {}).get("cl")
        if changelist is not None:
            personal_shown(
                user=request.user,
                objects=changelist.result_list,
                face=gettext("list"),
                masked=not may_see_personal(request.user),
            )
        return response


@admin.register(Disbursement)
class DisbursementAdmin(ExportMixin, MoneyListMixin, admin.ModelAdmin):
    export_spec = DISBURSEMENT_EXPORT
    office_field = "grant__application__programme__office"
    list_display = (
        "application_number",
        "trade_name",
        "sequence",
        "amount_won",
        "status",
        "exported_short",
        "paid_short",
    )
    list_filter = ("status", ("grant__application__programme", OfficeRelatedFilter))
    list_select_related = ("grant__application__store",)
    search_fields = ("=grant__application__number", "grant__application__store__trade_name")
    search_help_text = _("A tracking number (exact) or part of the trade name.")
    fields = ("grant", "sequence", "amount", "status", "created_at", "exported_at", "paid_at")
    readonly_fields = ("created_at",)

    @admin.display(description=_("tracking number"), ordering="grant__application__number")
    def application_number(self, row):
        return row.grant.application.number_display

    @admin.display(description=_("trade name"))
    def trade_name(self, row):
        return row.grant.application.store.trade_name

    @admin.display(description=_("amount (won)"), ordering="amount")
    def amount_won(self, row):
        return won(row.amount)

    @admin.display(description=_("exported at"), ordering="exported_at")
    def exported_short(self, row):
        return moment_short(row.exported_at)

    @admin.display(description=_("paid at"), ordering="paid_at")
    def paid_short(self, row):
        return moment_short(row.paid_at)


@admin.register(ExpenseLine)
class ExpenseLineAdmin(MoneyListMixin, admin.ModelAdmin):
    office_field = "grant__application__programme__office"
    list_display = (
        "application_number",
        "item",
        "amount_won",
        "spent_on",
        "status",
        "decision_note",
    )
    list_filter = ("status", ("grant__application__programme", OfficeRelatedFilter))
    list_select_related = ("grant__application",)
    search_fields = ("=grant__application__number", "item")
    search_help_text = _("A tracking number (exact) or part of the item.")
    fields = (
        "grant",
        "item",
        "amount",
        "spent_on",
        "evidence_note",
        "status",
        "decided_at",
        "decided_by",
        "decision_note",
    )

    @admin.display(description=_("tracking number"), ordering="grant__application__number")
    def application_number(self, row):
        return row.grant.application.number_display

    @admin.display(description=_("amount (won)"), ordering="amount")
    def amount_won(self, row):
        return won(row.amount)


@admin.register(LedgerEntry)
class ProgrammeLedgerAdmin(ExportMixin, MoneyListMixin, admin.ModelAdmin):
    export_spec = LEDGER_EXPORT
    office_field = "programme__office"
    list_display = ("at_short", "programme", "application_number", "kind", "amount_won", "note")
    list_filter = (("programme", OfficeRelatedFilter), "kind")
    list_select_related = ("programme", "application")
    search_fields = ("=application__number",)
    search_help_text = _("A tracking number, exactly.")
    fields = ("programme", "application", "kind", "amount", "at", "actor", "note")
    ordering = ("-at", "-id")

    @admin.display(description=_("at"), ordering="at")
    def at_short(self, entry):
        return moment_short(entry.at)

    @admin.display(description=_("tracking number"))
    def application_number(self, entry):
        return entry.application.number_display

    @admin.display(description=_("amount (won)"), ordering="amount")
    def amount_won(self, entry):
        return won(entry.amount)
