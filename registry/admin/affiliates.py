"""Onnuri affiliate registrations (SPEC 2.4): eligibility shown before every decision."""

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef
from django.template.loader import render_to_string
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.admin.exports import ExportMixin
from core.admin.history import HistoryAdmin
from core.admin.mixins import (
    MASKED_PREFIX,
    BulkActionMixin,
    OfficeRelatedFilter,
    OfficeWallMixin,
    ServiceRefused,
)
from core.numbers import is_row_id
from registry import services
from registry.choices import AffiliateStatus
from registry.exports import AFFILIATION_EXPORT
from registry.models import AffiliateRegistration, Membership, Store, User
from registry.selectors import affiliate_eligibility, store_search

from .forms import ApproveForm, RenewForm, SettlementForm, StrikeOffForm, designated_districts_for
from .rejections import RejectionMixin

_DECISION = {"affiliate_number", "approved_on", "valid_until"}
_SETTLEMENT = {"settlement_bank", "settlement_account", "settlement_holder"}
_STRIKE_OFF = {"revoked_on", "strike_off_reason", "strike_off_note"}
_DECIDED = {"decided_by", "decided_at"}
# Fields that would only be empty lines at each stage of a registration.
HIDDEN_BY_STATUS = {
    AffiliateStatus.APPLIED: _DECISION
    | _SETTLEMENT
    | _STRIKE_OFF
    | _DECIDED
    | {"rejection_reason"},
    AffiliateStatus.APPROVED: _STRIKE_OFF | {"rejection_reason"},
    AffiliateStatus.REJECTED: _DECISION | _SETTLEMENT | _STRIKE_OFF,
    AffiliateStatus.REVOKED: {"rejection_reason"},
}


class StoreDistrictFilter(admin.SimpleListFilter):
    """The district the store is a member of now."""

    title = _("current district")
    parameter_name = "district"

    def lookups(self, request, model_admin):
        districts = designated_districts_for(request.user).values_list("pk", "name")
        return [(str(pk), name) for pk, name in districts]

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        if not is_row_id(self.value()):
            return queryset.none()
        current = Membership.objects.filter(
            store=OuterRef("store"), left_on__isnull=True, district_id=int(self.value())
        )
        return queryset.filter(Exists(current))


@admin.register(AffiliateRegistration)
class AffiliateRegistrationAdmin(
    ExportMixin, RejectionMixin, OfficeWallMixin, BulkActionMixin, HistoryAdmin
):
    office_field = "store__office"
    # Fits a 1366-pixel screen beside the menu and the filters; the approval date is on the
    # page, the renewal date (valid until) stays in view.
    list_display = (
        "store",
        "certificate_type",
        "status",
        "valid_until",
        "affiliate_number",
    )
    list_filter = (
        "status",
        "certificate_type",
        ("store__dong", OfficeRelatedFilter),
        StoreDistrictFilter,
    )
    list_select_related = ("store",)
    search_fields = ("store__trade_name",)  # served by store_search, below
    search_help_text = _("Part of the store's trade name or business number.")
    autocomplete_fields = ("store",)
    list_per_page = 50
    show_facets = admin.ShowFacets.NEVER  # facet counts would scan the whole table
    decisions_only = True
    actions = ["reject_selected"]
    export_spec = AFFILIATION_EXPORT
    object_views = (
        ("approve", "approve_view"),
        ("reject", "reject_view"),
        ("strike-off", "strike_off_view"),
        ("renew", "renew_view"),
        ("settlement", "settlement_view"),
    )
    add_fieldsets = [(None, {"fields": ["store", "certificate_type", "applied_on"]})]
    fieldsets = [
        (None, {"fields": ["store", "certificate_type", "status", "applied_on"]}),
        (_("Eligibility"), {"fields": ["eligibility"]}),
        (
            _("Decision"),
            {
                "fields": [
                    "affiliate_number",
                    "approved_on",
                    "valid_until",
                    "decided_by",
                    "decided_at",
                    "rejection_reason",
                ]
            },
        ),
        (
            _("Settlement account"),
            {"fields": ["settlement_bank", "settlement_account", "settlement_holder"]},
        ),
        (_("Strike-off"), {"fields": ["revoked_on", "strike_off_reason", "strike_off_note"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("store", "store__office", "decided_by")

    def get_search_results(self, request, queryset, search_term):
        if not search_term.strip():
            return queryset, False
        stores = store_search(Store.objects.all(), search_term, user=request.user).values("pk")
        return queryset.filter(store__in=stores), False

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return super().get_readonly_fields(request, obj)
        # Every change after the application goes through a decision button.
        names = [f for _title, opts in self.fieldsets for f in opts["fields"]]
        return (*super().get_readonly_fields(request, obj), *names)

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("eligibility"))
    def eligibility(self, obj):
        return render_to_string(
            "admin/core/includes/check_lines.html",
            {"lines": affiliate_eligibility(obj.store)},
        )

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None:
            return fieldsets
        # The account and its holder come masked from the kit (core.personal) for roles that
        # may not see them: hide what this stage leaves empty, masked or not.
        hidden = HIDDEN_BY_STATUS.get(obj.status, set())
        hidden |= {MASKED_PREFIX + f for f in hidden}
        shown = [
            (title, {**opts, "fields": [f for f in opts["fields"] if f not in hidden]})
            for title, opts in fieldsets
        ]
        return [(title, opts) for title, opts in shown if opts["fields"]]

    def object_buttons(self, request, obj):
        if not self.has_change_permission(request, obj):
            return []
        if obj.status == AffiliateStatus.APPLIED:
            return [
                {"url": self.object_url(obj, "approve"), "label": gettext("Approve")},
                {"url": self.object_url(obj, "reject"), "label": gettext("Reject"), "danger": True},
            ]
        if obj.status == AffiliateStatus.APPROVED:
            return [
                {"url": self.object_url(obj, "renew"), "label": gettext("Renew")},
                {"url": self.object_url(obj, "settlement"), "label": gettext("Change account")},
                {
                    "url": self.object_url(obj, "strike-off"),
                    "label": gettext("Strike off"),
                    "danger": True,
                },
            ]
        return []

    def save_model(self, request, obj, form, change):
        if change:
            return  # nothing is editable on the page itself
        data = form.cleaned_data
        try:
            saved = services.affiliate_apply(
                store=data["store"],
                certificate_type=data["certificate_type"],
                user=request.user,
                applied_on=data.get("applied_on"),
            )
        except ValidationError as error:
            raise ServiceRefused(error) from error
        self.adopt(obj, saved)

    # --- decisions ---------------------------------------------------------------------------

    decision_check_title = _("Eligibility")
    rejection_title = _("Reject the registration")

    def reject_record(
        self, registration: AffiliateRegistration, *, user: User, reason: str
    ) -> None:
        services.affiliate_reject(registration=registration, user=user, reason=reason)

    def rejected_message(self, registration: AffiliateRegistration) -> str:
        return gettext("%(record)s was rejected.") % {"record": registration}

    def decision_check_lines(self, registration):
        return affiliate_eligibility(registration.store)

    def approve_view(self, request, object_id):
        return self.decision_view(
            request,
            object_id,
            form_class=ApproveForm,
            title=gettext("Approve the registration"),
            submit=gettext("Approve"),
            lines=True,
            done=lambda r: gettext("%(record)s was approved.") % {"record": r},
            call=lambda registration, data: services.affiliate_approve(
                registration=registration,
                user=request.user,
                affiliate_number=data["affiliate_number"],
                approved_on=data["approved_on"],
                valid_until=data["valid_until"],
                settlement_bank=data["settlement_bank"],
                settlement_account=data["settlement_account"],
                settlement_holder=data["settlement_holder"],
            ),
        )

    def strike_off_view(self, request, object_id):
        return self.decision_view(
            request,
            object_id,
            form_class=StrikeOffForm,
            title=gettext("Strike off the affiliate"),
            submit=gettext("Strike off"),
            lines=False,
            done=lambda r: gettext("%(record)s was struck off.") % {"record": r},
            call=lambda registration, data: services.affiliate_strike_off(
                registration=registration,
                user=request.user,
                reason=data["strike_off_reason"],
                note=data["strike_off_note"],
                revoked_on=data["revoked_on"],
            ),
        )

    def renew_view(self, request, object_id):
        return self.decision_view(
            request,
            object_id,
            form_class=RenewForm,
            title=gettext("Renew the registration"),
            submit=gettext("Renew"),
            lines=True,
            done=lambda r: gettext("%(record)s was renewed.") % {"record": r},
            call=lambda registration, data: services.affiliate_renew(
                registration=registration, user=request.user, valid_until=data["valid_until"]
            ),
        )

    def settlement_view(self, request, object_id):
        return self.decision_view(
            request,
            object_id,
            form_class=SettlementForm,
            title=gettext("Change the settlement account"),
            submit=gettext("Save"),
            lines=False,
            done=lambda r: (
                gettext("The settlement account of %(record)s was changed.") % {"record": r}
            ),
            initial=lambda r: {
                "settlement_bank": r.settlement_bank,
                "settlement_account": r.settlement_account,
                "settlement_holder": r.settlement_holder,
            },
            call=lambda registration, data: services.affiliate_change(
                registration=registration,
                user=request.user,
                settlement_bank=data["settlement_bank"],
                settlement_account=data["settlement_account"],
                settlement_holder=data["settlement_holder"],
            ),
        )
