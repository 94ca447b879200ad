"""Payout lists in the admin: downloaded as CSV for the operator (which exports a draft), then
confirmed, which freezes the week."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.http import StreamingHttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext, pgettext
from django.utils.translation import gettext_lazy as _

from cashback import services
from cashback.choices import PayoutStatus
from cashback.exports import PAYOUT_BATCH_EXPORT
from cashback.models import PayoutBatch
from cashback.selectors import payout_csv_lines
from core.admin.exports import ExportMixin
from core.admin.mixins import OfficeWallMixin
from core.templatetags.golmok import won


@admin.register(PayoutBatch)
class PayoutBatchAdmin(ExportMixin, OfficeWallMixin, admin.ModelAdmin):
    office_field = "week__campaign__office"
    list_display = ["week", "status", "total_won", "customers", "exported_at", "confirmed_at"]
    list_filter = ["status", "week__campaign"]
    list_select_related = ["week__campaign"]
    readonly_fields = [
        "week",
        "status",
        "total_won",
        "customers",
        "created_by",
        "created_at",
        "exported_at",
        "confirmed_at",
        "confirmed_by",
    ]
    fields = readonly_fields
    object_views = (("download", "download_view"), ("confirm", "confirm_view"))
    export_spec = PAYOUT_BATCH_EXPORT

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("total (won)"), ordering="total")
    def total_won(self, batch):
        return won(batch.total)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        # Nothing on the page is edited; the list moves on only through its buttons.
        extra_context = {
            **(extra_context or {}),
            "show_save": False,
            "show_save_and_continue": False,
        }
        return super().change_view(request, object_id, form_url, extra_context)

    def object_buttons(self, request, obj):
        buttons = [{"url": self.object_url(obj, "download"), "label": gettext("Download CSV")}]
        if obj.status == PayoutStatus.EXPORTED and self.has_change_permission(request, obj):
            buttons.append(
                {"url": self.object_url(obj, "confirm"), "label": gettext("Confirm payout")}
            )
        return buttons

    def download_view(self, request, object_id):
        """The list for the operator; downloading a draft marks it exported."""
        batch = self.get_object_in_office(request, object_id)
        self.object_view_allowed(request, batch, "view")
        if batch.status == PayoutStatus.DRAFT:
            self.object_view_allowed(request, batch)
            batch = services.payout_export(batch=batch, user=request.user)
        response = StreamingHttpResponse(payout_csv_lines(batch), content_type="text/csv")
        name = f"payout-{batch.week.campaign.code}-week{batch.week.number:02d}.csv"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response

    def confirm_view(self, request, object_id):
        """Confirming freezes the week for good: first a page that says so and asks, as
        Django's delete confirmation does; only its "yes" confirms."""
        batch = self.get_object_in_office(request, object_id)
        self.object_view_allowed(request, batch)
        if batch.status != PayoutStatus.EXPORTED:
            self.message_user(
                request,
                gettext("Only a downloaded (exported) payout list can be confirmed."),
                messages.WARNING,
            )
            return redirect(self.change_url(batch))
        if not self.confirmed(request):
            return self._confirmation(request, batch)
        try:
            services.payout_confirm(batch=batch, user=request.user)
            self.message_user(
                request, gettext("The payout was confirmed; the week is frozen."), messages.SUCCESS
            )
        except ValidationError as error:
            self.refusal_message(request, error)
        return redirect(self.change_url(batch))

    def _confirmation(self, request, batch: PayoutBatch):
        week = batch.week
        return self.render_confirmation(
            request,
            batch,
            title=gettext("Confirm payout"),
            question=gettext(
                "Are you sure the operator has credited this list, and that you want to confirm it?"
            ),
            facts=[
                (gettext("Campaign"), week.campaign.name),
                (
                    pgettext("payout", "Week"),
                    gettext("Week %(week)s (%(first)s to %(last)s)")
                    % {"week": week.number, "first": week.starts_on, "last": week.ends_on},
                ),
                (gettext("Customers"), f"{batch.customers:,}"),
                (pgettext("payout", "Total"), won(batch.total)),
            ],
            warning=gettext(
                "Once confirmed, the week is frozen for good: it takes no more payments or "
                "cancellations, its budget can no longer change, and the confirmation cannot be "
                "undone."
            ),
            confirm_label=gettext("Yes, confirm the payout"),
        )
