"""Stores and memberships (SPEC 2.3): fast lists at 100,000 rows, masked contacts, logged access."""

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import Exists, Max, OuterRef, Prefetch, Subquery
from django.http import StreamingHttpResponse
from django.utils.translation import gettext, ngettext_lazy
from django.utils.translation import gettext_lazy as _

from core.admin.exports import ExportMixin
from core.admin.history import HistoryAdmin
from core.admin.mixins import (
    BulkActionMixin,
    OfficeRelatedFilter,
    OfficeWallMixin,
    ReadOnlyMixin,
    ServiceRefused,
)
from core.admin.related import RelatedPanel, register_panel
from core.audit import personal_shown
from core.numbers import brn_format, is_row_id
from core.personal import mask, may_see_personal
from core.templatetags.golmok import won
from core.walls import office_wall
from registry import services
from registry.choices import AffiliateStatus, CertificateType
from registry.exports import STORE_EXPORT, stores_csv_lines
from registry.models import AffiliateRegistration, District, Membership, Store
from registry.selectors import affiliations_digital, memberships_current, store_search
from registry.services.stores import STORE_FIELDS

from .forms import (
    CloseStoresForm,
    JoinDistrictForm,
    StoreAddForm,
    StoreChangeForm,
    designated_districts_for,
)


def phone_display(digits: str) -> str:
    """Digits as Koreans write them: 02-123-4567, 062-123-4567, 010-1234-5678."""
    if not digits or not digits.isdigit():
        return digits or ""
    head = 2 if digits.startswith("02") else 3
    rest = digits[head:]
    return f"{digits[:head]}-{rest[:-4]}-{rest[-4:]}" if len(rest) > 4 else digits


def can_see_contacts(request) -> bool:
    return may_see_personal(request.user)


def _current_membership():
    return Membership.objects.filter(store=OuterRef("pk"), left_on__isnull=True)


class CurrentDistrictFilter(admin.SimpleListFilter):
    title = _("current district")
    parameter_name = "district"

    def lookups(self, request, model_admin):
        districts = designated_districts_for(request.user).values_list("pk", "name")
        return [
            ("any", _("Member of a designated district")),
            ("none", _("Not a member")),
            *((str(pk), name) for pk, name in districts),
        ]

    def queryset(self, request, queryset):
        value = self.value()
        return self.narrow(queryset, value) if value else queryset

    @classmethod
    def narrow(cls, queryset, value: str):
        """Stores now in district `value` (its id), in any designated one for "any", or in none
        for "none"; a bad id: none."""
        if value == "any":
            return queryset.filter(Exists(memberships_current().filter(store=OuterRef("pk"))))
        if value == "none":
            return queryset.filter(~Exists(_current_membership()))
        if not is_row_id(value):
            return queryset.none()
        return queryset.filter(Exists(_current_membership().filter(district_id=int(value))))


class AffiliateTypeFilter(admin.SimpleListFilter):
    title = _("Onnuri affiliate type")
    parameter_name = "affiliate"

    def lookups(self, request, model_admin):
        return [
            *CertificateType.choices,
            ("digital", _("Card or mobile")),
            ("none", _("None")),
        ]

    def queryset(self, request, queryset):
        value = self.value()
        if value == "digital":
            return queryset.filter(Exists(affiliations_digital().filter(store=OuterRef("pk"))))
        approved = AffiliateRegistration.objects.filter(
            store=OuterRef("pk"), status=AffiliateStatus.APPROVED
        )
        if value == "none":
            return queryset.filter(~Exists(approved))
        if value in CertificateType.values:
            return queryset.filter(Exists(approved.filter(certificate_type=value)))
        return queryset


class BusinessTypeFilter(admin.SimpleListFilter):
    title = _("business type (KSIC)")
    parameter_name = "ksic"

    def lookups(self, request, model_admin):
        codes = (
            office_wall(Store.objects.all(), request.user)
            .order_by("ksic_code")
            .values("ksic_code")
            .annotate(name=Max("business_type"))
        )
        return [(row["ksic_code"], f"{row['ksic_code']} {row['name']}") for row in codes]

    def queryset(self, request, queryset):
        return queryset.filter(ksic_code=self.value()) if self.value() else queryset


class MembershipInline(admin.TabularInline):
    model = Membership
    fields = ("district", "joined_on", "left_on")
    readonly_fields = fields
    ordering = ("-joined_on",)
    extra = 0
    can_delete = False
    show_change_link = True
    verbose_name_plural = _("membership history")

    def get_queryset(self, request):
        # The row's name (store → district) and its district's link, without a query per row.
        return super().get_queryset(request).select_related("store", "district")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class AffiliationInline(admin.TabularInline):
    model = AffiliateRegistration
    fields = ("certificate_type", "status", "affiliate_number", "approved_on", "valid_until")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True
    verbose_name_plural = _("Onnuri affiliate registrations")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("store")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Store)
class StoreAdmin(ExportMixin, OfficeWallMixin, BulkActionMixin, HistoryAdmin):
    # The store, its standing and its district first; it fits a 1366-pixel screen beside the
    # menu and the filters (the dong and the business type are on the page, and their filters
    # stay).
    list_display = (
        "trade_name",
        "brn_display",
        "status",
        "current_district",
        "affiliate_types",
        "representative_masked",
        "phone_masked",
    )
    list_filter = (
        ("dong", OfficeRelatedFilter),
        CurrentDistrictFilter,
        "status",
        AffiliateTypeFilter,
        BusinessTypeFilter,
        "is_small_business",
        "enterprise_type",
    )
    list_select_related = ("dong",)
    search_fields = ("trade_name",)  # the search itself is store_search's, below
    search_help_text = _(
        "Part of the trade name, the business number (with or without hyphens) or phone digits."
    )
    list_per_page = 50
    show_facets = admin.ShowFacets.NEVER  # facet counts would scan 100,000 stores
    inlines = [MembershipInline, AffiliationInline]
    actions = ["close_selected", "join_district", "export_csv"]
    export_spec = STORE_EXPORT
    add_fieldsets = [
        (
            None,
            {
                "fields": [
                    "business_number",
                    "trade_name",
                    "representative",
                    "phone",
                    "road_address",
                    "dong",
                ]
            },
        ),
        (
            _("Business"),
            {
                "fields": [
                    "ksic_code",
                    "business_type",
                    "is_small_business",
                    "in_traditional_market",
                    "annual_sales",
                    "opened_on",
                    "enterprise_type",
                ]
            },
        ),
    ]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "brn_display",
                    "trade_name",
                    "representative",
                    "phone",
                    "road_address",
                    "dong",
                ]
            },
        ),
        add_fieldsets[1],
        (_("Status"), {"fields": ["status", "closed_on", "current_district", "created_at"]}),
    ]

    # --- queries ---------------------------------------------------------------------------

    def changelist_queryset(self, request, queryset):
        return queryset.annotate(
            current_district_name=Subquery(_current_membership().values("district__name")[:1])
        ).prefetch_related(
            Prefetch(
                "affiliations",
                queryset=AffiliateRegistration.objects.filter(status=AffiliateStatus.APPROVED).only(
                    "id", "store_id", "certificate_type"
                ),
                to_attr="approved_affiliations",
            )
        )

    def get_search_results(self, request, queryset, search_term):
        # store_search keeps to the trigram-indexed columns: name, number, phone digits; a
        # role that may not see phones finds a phone only by all its digits.
        return store_search(queryset, search_term, user=request.user), False

    # --- columns -----------------------------------------------------------------------------

    def get_list_display(self, request):
        if not can_see_contacts(request):
            return self.list_display
        swap = {"representative_masked": "representative", "phone_masked": "phone_column"}
        return [swap.get(name, name) for name in self.list_display]

    @admin.display(description=_("business registration number"), ordering="business_number")
    def brn_display(self, obj):
        return brn_format(obj.business_number)

    @admin.display(description=_("representative"))
    def representative_masked(self, obj):
        return mask("name", obj.representative)

    @admin.display(description=_("phone"))
    def phone_masked(self, obj):
        return mask("phone", obj.phone)

    @admin.display(description=_("phone"))
    def phone_column(self, obj):
        return phone_display(obj.phone)

    @admin.display(description=_("current district"))
    def current_district(self, obj):
        if hasattr(obj, "current_district_name"):
            return obj.current_district_name or "-"
        membership = obj.memberships.filter(left_on__isnull=True).select_related("district")
        current = membership.first()
        return current.district.name if current else "-"

    @admin.display(description=_("Onnuri types held"))
    def affiliate_types(self, obj):
        held = getattr(obj, "approved_affiliations", None)
        if held is None:
            return ""
        return ", ".join(sorted(str(a.get_certificate_type_display()) for a in held))

    @admin.display(description=_("annual sales"))
    def annual_sales_won(self, obj):
        return won(obj.annual_sales) or "-"

    # --- change page -------------------------------------------------------------------------

    def get_form(self, request, obj=None, change=False, **kwargs):
        kwargs["form"] = StoreChangeForm if obj is not None else StoreAddForm
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None:
            return fieldsets
        swap = {}
        if not self.has_change_permission(request, obj):
            swap["annual_sales"] = "annual_sales_won"
        return [
            (title, {**options, "fields": [swap.get(f, f) for f in options["fields"]]})
            for title, options in fieldsets
        ]

    def get_readonly_fields(self, request, obj=None):
        readonly = (
            "brn_display",
            "status",
            "closed_on",
            "current_district",
            "created_at",
            "annual_sales_won",
        )
        return (*super().get_readonly_fields(request, obj), *readonly)

    def has_delete_permission(self, request, obj=None):
        return False  # stores are closed, never deleted: their history stays

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        changelist = getattr(response, "context_data", {}).get("cl")
        if changelist is not None:
            personal_shown(
                user=request.user,
                objects=changelist.result_list,
                face=gettext("list"),
                masked=not can_see_contacts(request),
            )
        return response

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        try:
            if change:
                changes = {f: data[f] for f in form.changed_data if f in STORE_FIELDS}
                saved = services.store_update(store=obj, user=request.user, **changes)
            else:
                required = {"trade_name", "representative", "phone", "dong", "ksic_code"}
                details = {f: data[f] for f in STORE_FIELDS - required if f in data}
                saved = services.store_register(
                    office=self.office_for(request, form),
                    user=request.user,
                    business_number=data["business_number"],
                    trade_name=data["trade_name"],
                    representative=data["representative"],
                    phone=data.get("phone") or "",
                    dong=data["dong"],
                    ksic_code=data["ksic_code"],
                    **details,
                )
        except ValidationError as error:
            raise ServiceRefused(error) from error
        self.adopt(obj, saved)

    def save_related(self, request, form, formsets, change):
        # The inlines are read-only: memberships and affiliations change through their
        # services. Saving the empty formsets only gives the admin's change message its lists.
        for formset in formsets:
            formset.save()

    # --- actions -----------------------------------------------------------------------------

    @admin.action(description=_("Close selected stores"), permissions=["change"])
    def close_selected(self, request, queryset):
        return self.bulk_action(
            request,
            queryset,
            title=gettext("Close selected stores"),
            form_class=CloseStoresForm,
            done_message=gettext("%(count)s stores were closed."),
            call=lambda store, data: services.store_close(
                store=store, user=request.user, closed_on=data["closed_on"]
            ),
        )

    @admin.action(description=_("Join selected stores to a district"), permissions=["change"])
    def join_district(self, request, queryset):
        return self.bulk_action(
            request,
            queryset,
            title=gettext("Join selected stores to a district"),
            form_class=JoinDistrictForm,
            form_kwargs={"user": request.user},
            done_message=gettext("%(count)s stores joined the district."),
            call=lambda store, data: services.membership_join(
                store=store,
                district=data["district"],
                user=request.user,
                joined_on=data["joined_on"],
            ),
        )

    @admin.action(description=_("Export selected stores as CSV"), permissions=["view"])
    def export_csv(self, request, queryset):
        stores = self.get_queryset(request).filter(pk__in=queryset.values("pk"))
        response = StreamingHttpResponse(
            stores_csv_lines(stores, user=request.user), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = 'attachment; filename="stores.csv"'
        return response


# A district's page lists its current members, as the store list filtered to it does.
register_panel(
    District,
    RelatedPanel(
        key="stores",
        title=_("Current member stores"),
        model=Store,
        list_filter=CurrentDistrictFilter,
        order_by=("trade_name", "id"),
        shown=10,
        count_text=ngettext_lazy("%(shown)s store in all", "%(shown)s stores in all", "count"),
    ),
)


class CurrentMembershipFilter(admin.SimpleListFilter):
    title = _("current or past")
    parameter_name = "current"

    def lookups(self, request, model_admin):
        return [("yes", _("Current")), ("no", _("Past"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(left_on__isnull=True)
        if self.value() == "no":
            return queryset.filter(left_on__isnull=False)
        return queryset


@admin.register(Membership)
class MembershipAdmin(OfficeWallMixin, ReadOnlyMixin, admin.ModelAdmin):
    """Memberships for reference; they change only when stores join, leave or close."""

    office_field = "store__office"
    list_display = ("store", "district", "joined_on", "left_on", "is_current")
    list_filter = (("district", OfficeRelatedFilter), CurrentMembershipFilter)
    list_select_related = ("store", "district")
    search_fields = ("store__trade_name", "district__name")
    list_per_page = 100
    show_facets = admin.ShowFacets.NEVER

    @admin.display(description=_("current"), boolean=True)
    def is_current(self, obj):
        return obj.left_on is None
