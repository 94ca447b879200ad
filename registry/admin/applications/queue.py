"""The clerks' queue of merchant applications: the list, its search and columns, and the
change page, with contacts masked unless the role may see them and every look at them logged."""

from django.contrib import admin
from django.db.models import Q
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.admin.exports import ExportMixin
from core.admin.history import HistoryAdmin
from core.admin.mixins import BulkActionMixin, OfficeRelatedFilter, OfficeWallMixin
from core.audit import personal_search_log, personal_shown
from core.clock import local_date, local_today
from core.numbers import brn_format
from core.personal import EMAIL, NAME, PHONE, mask, personal_match
from registry.choices import CertificateType
from registry.exports import APPLICATION_EXPORT
from registry.models import MerchantApplication
from registry.rules import tracking_number_normalize

from ..stores import phone_display
from .decisions import ApplicationDecisionsMixin
from .documents import ApplicationDocumentsMixin
from .filters import AgeFilter, QueueStatusFilter, RequestedTypeFilter


@admin.register(MerchantApplication)
class MerchantApplicationAdmin(
    ExportMixin,
    ApplicationDecisionsMixin,
    ApplicationDocumentsMixin,
    OfficeWallMixin,
    BulkActionMixin,
    HistoryAdmin,
):
    """The queue and the change page. The decisions behind the page's buttons and the bulk
    actions are in decisions.py; the documents and the `review` field in documents.py."""

    # What a clerk picks an application by comes first, and the list fits a 1366-pixel screen
    # beside the menu and the filters: the dong, the Onnuri types asked for and the time sent
    # are on the page (the days waiting stand for the time sent; the dong and type filters stay).
    list_display = (
        "tracking_column",
        "trade_name",
        "brn_column",
        "status",
        "age_column",
        "district",
        "representative_masked",
    )

    def get_list_display(self, request):
        if not self.can_see_contacts(request):
            return self.list_display
        return [
            "representative" if name == "representative_masked" else name
            for name in self.list_display
        ]

    list_display_links = ("tracking_column", "trade_name")
    list_filter = (
        QueueStatusFilter,
        ("dong", OfficeRelatedFilter),
        ("district", OfficeRelatedFilter),
        RequestedTypeFilter,
        AgeFilter,
    )
    list_select_related = ("dong", "district")
    search_fields = ("trade_name",)  # the search itself is below
    search_help_text = _(
        "Tracking number, business registration number, trade name or representative."
    )
    list_per_page = 50
    show_facets = admin.ShowFacets.NEVER
    decisions_only = True
    export_spec = APPLICATION_EXPORT
    fieldsets = [
        (None, {"fields": ["tracking_column", "status", "submitted_at", "age_column"]}),
        (
            _("Store"),
            {
                "fields": [
                    "brn_column",
                    "trade_name",
                    "representative_masked",
                    "phone_masked",
                    "email_masked",
                    "road_address",
                    "dong",
                    "district",
                    "business_column",
                    "types_column",
                ]
            },
        ),
        (_("Checks and documents"), {"fields": ["review"]}),
        (
            _("Decision"),
            {
                "fields": [
                    "clerk_message",
                    "merchant_note",
                    "decided_by",
                    "decided_at",
                    "store_link",
                    "consented_at",
                    "created_at",
                    "language",
                ]
            },
        ),
    ]

    # --- queries and permissions ---------------------------------------------------------

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("office", "dong", "district")

    def get_search_results(self, request, queryset, search_term):
        term = (search_term or "").strip()
        if not term:
            return queryset, False
        digits = term.replace("-", "").replace(" ", "")
        # The representative is personal data: a role that may not see it finds it only by the
        # whole name, and that search is logged (core.personal).
        condition = Q(trade_name__icontains=term) | personal_match(
            request.user, "representative", NAME, term
        )
        if digits.isascii() and digits.isdigit():
            condition = Q(business_number__contains=digits)
        elif not self.can_see_contacts(request):
            personal_search_log(
                user=request.user, model=self.model._meta.label, kinds=[NAME], term=term
            )
        number = tracking_number_normalize(term)
        if number:
            condition |= Q(tracking_number=number)
        return queryset.filter(condition), False

    def has_add_permission(self, request):
        return False  # applications come from merchants, on the public form

    def has_delete_permission(self, request, obj=None):
        return False  # decided applications stay, with their history

    def get_readonly_fields(self, request, obj=None):
        return [f for _title, opts in self.get_fieldsets(request, obj) for f in opts["fields"]]

    def can_see_contacts(self, request) -> bool:
        return self.personal_visible(request)

    # --- columns ---------------------------------------------------------------------------

    @admin.display(description=_("tracking number"), ordering="tracking_number")
    def tracking_column(self, obj):
        return format_html('<span class="golmok-nowrap">{}</span>', obj.tracking_number_display)

    @admin.display(description=_("business registration number"), ordering="business_number")
    def brn_column(self, obj):
        return format_html('<span class="golmok-nowrap">{}</span>', brn_format(obj.business_number))

    @admin.display(description=_("representative"))
    def representative_masked(self, obj):
        return mask(NAME, obj.representative)

    @admin.display(description=_("phone"))
    def phone_masked(self, obj):
        return mask(PHONE, obj.phone)

    @admin.display(description=_("phone"))
    def phone_column(self, obj):
        return phone_display(obj.phone)

    @admin.display(description=_("email"))
    def email_masked(self, obj):
        return mask(EMAIL, obj.email) or "-"

    @admin.display(description=_("Onnuri types"))
    def types_column(self, obj):
        return ", ".join(str(CertificateType(t).label) for t in obj.certificate_types) or "-"

    @admin.display(description=_("business type"))
    def business_column(self, obj):
        return " ".join(p for p in (obj.ksic_code, obj.business_type) if p) or "-"

    @admin.display(description=_("days waiting"), ordering="submitted_at")
    def age_column(self, obj):
        return (local_today() - local_date(obj.submitted_at)).days

    @admin.display(description=_("store"))
    def store_link(self, obj):
        if obj.store_id is None:
            return "-"
        url = reverse("admin:registry_store_change", args=[obj.store_id])
        return format_html('<a href="{}">{}</a>', url, obj.store)

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if not self.can_see_contacts(request):
            return fieldsets
        swap = {
            "representative_masked": "representative",
            "phone_masked": "phone_column",
            "email_masked": "email",
        }
        return [
            (title, {**opts, "fields": [swap.get(f, f) for f in opts["fields"]]})
            for title, opts in fieldsets
        ]

    # --- pages -----------------------------------------------------------------------------

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        changelist = getattr(response, "context_data", {}).get("cl")
        if changelist is not None:
            personal_shown(
                user=request.user,
                objects=changelist.result_list,
                face=gettext("list"),
                masked=not self.can_see_contacts(request),
            )
        return response
