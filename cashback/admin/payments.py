"""Payments and the ledger in the admin: read-only, searched by exact reference or customer id,
never counted in full; payments are cancelled through the service."""

from django.contrib import admin, messages
from django.utils.translation import gettext, ngettext_lazy
from django.utils.translation import gettext_lazy as _

from cashback import services
from cashback.choices import PaymentStatus
from cashback.exports import PAYMENT_EXPORT
from cashback.models import CampaignWeek, LedgerEntry, Payment
from core.admin.columns import moment_short
from core.admin.exports import ExportMixin
from core.admin.mixins import OfficeWallMixin, ReadOnlyMixin
from core.admin.related import ObjectFilter, RelatedPanel, register_panel
from core.clock import local_date
from core.templatetags.golmok import brn, won
from core.walls import office_wall
from registry.models import Store


class WeekNumberFilter(admin.SimpleListFilter):
    title = _("week")
    parameter_name = "week"

    def lookups(self, request, model_admin):
        # The week numbers the office's campaigns have, not a fixed range.
        weeks = office_wall(CampaignWeek.objects.all(), request.user, "campaign__office")
        numbers = weeks.order_by("number").values_list("number", flat=True).distinct()
        return [(str(n), str(n)) for n in numbers]

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        if not (self.value().isascii() and self.value().isdigit() and len(self.value()) <= 4):
            return queryset.none()
        return queryset.filter(week__number=int(self.value()))


class StoreFilter(ObjectFilter):
    """The payments of one store (`?store=<id>`), as the store's page links to them."""

    title = _("store")
    parameter_name = "store"
    field_name = "store"


@admin.register(Payment)
class PaymentAdmin(ExportMixin, OfficeWallMixin, ReadOnlyMixin, admin.ModelAdmin):
    office_field = "campaign__office"
    # The payment and what it earned first; it fits a 1366-pixel screen beside the menu and
    # the filters (the customer id, long and opaque, is on the page and found by the search).
    list_display = [
        "ref",
        "paid_short",
        "amount_won",
        "cashback_won",
        "reason",
        "status",
        "week_number",
        "method",
        "store_number",
    ]
    list_filter = ["campaign", WeekNumberFilter, "reason", "status", "method", StoreFilter]
    search_fields = ["=ref", "=customer"]
    search_help_text = _("An exact reference or customer id.")
    list_select_related = ["week"]
    show_facets = admin.ShowFacets.NEVER
    actions = ["cancel_selected"]
    ordering = ["-id"]
    export_spec = PAYMENT_EXPORT

    @admin.display(description=_("business registration number"))
    def store_number(self, payment):
        return brn(payment.business_number)

    @admin.display(description=_("amount (won)"), ordering="amount")
    def amount_won(self, payment):
        return won(payment.amount)

    @admin.display(description=_("paid at"), ordering="paid_at")
    def paid_short(self, payment):
        return moment_short(payment.paid_at)

    @admin.display(description=_("cashback (won)"), ordering="cashback")
    def cashback_won(self, payment):
        return won(payment.cashback)

    @admin.display(description=_("week"), ordering="week__number")
    def week_number(self, payment):
        return payment.week.number if payment.week else "—"

    def has_cancel_permission(self, request):
        return request.user.has_perm("cashback.change_payment")

    @admin.action(description=_("Cancel selected payments"), permissions=["cancel"])
    def cancel_selected(self, request, queryset):
        done, refused = 0, []
        for payment in queryset.select_related("campaign"):
            try:
                _payment, changed = services.payment_cancel(
                    campaign=payment.campaign, ref=payment.ref
                )
                done += changed
            except services.WeekFrozen as frozen:
                refused.append(f"{payment.ref}: {frozen}")
        self.message_user(
            request,
            gettext("%(count)s payments were cancelled.") % {"count": done},
            messages.SUCCESS,
        )
        for message in refused:
            self.message_user(request, message, messages.ERROR)


@admin.register(LedgerEntry)
class LedgerEntryAdmin(OfficeWallMixin, ReadOnlyMixin, admin.ModelAdmin):
    office_field = "week__campaign__office"
    list_display = ["created_at", "week", "payment_ref", "customer", "kind", "amount_won"]
    list_filter = ["kind", "week__campaign"]
    search_fields = ["=customer", "=payment__ref"]
    search_help_text = _("An exact reference or customer id.")
    list_select_related = ["week__campaign", "payment"]
    show_facets = admin.ShowFacets.NEVER

    @admin.display(description=_("reference"))
    def payment_ref(self, entry):
        return entry.payment.ref

    @admin.display(description=_("amount (won)"), ordering="amount")
    def amount_won(self, entry):
        return won(entry.amount)


def payment_line(payment: Payment) -> str:
    """One payment in a store's panel: its reference, day, amount and cashback."""
    line = gettext("%(ref)s · %(paid_on)s · %(amount)s, cashback %(cashback)s") % {
        "ref": payment.ref,
        "paid_on": local_date(payment.paid_at),
        "amount": won(payment.amount),
        "cashback": won(payment.cashback),
    }
    if payment.status == PaymentStatus.CANCELLED:
        line = f"{line} · {payment.get_status_display()}"
    return line


# A store's page shows its latest payments to those who may see payments, and links to the
# payment list filtered to it.
register_panel(
    Store,
    RelatedPanel(
        key="payments",
        title=_("Cashback payments"),
        model=Payment,
        list_filter=StoreFilter,
        # Not the list's "-id": the store's few payments are found by its index, then sorted.
        order_by=("-paid_at", "-id"),
        describe=payment_line,
        permission="cashback.view_payment",
        count_text=ngettext_lazy("%(shown)s payment in all", "%(shown)s payments in all", "count"),
    ),
)
