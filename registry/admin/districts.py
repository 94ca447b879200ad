"""Districts (SPEC 2.2): applications, the criteria check, decisions and certificates."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, OuterRef, Prefetch, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.admin.columns import overdue_badge
from core.admin.exports import ExportMixin
from core.admin.history import HistoryAdmin
from core.admin.mixins import BulkActionMixin, OfficeRelatedFilter, OfficeWallMixin, ServiceRefused
from core.audit import personal_shown
from core.personal import may_see_personal, shown
from registry import services
from registry.choices import DistrictStatus
from registry.exports import DISTRICT_EXPORT
from registry.models import District, DistrictAttachment, Dong, Membership, User
from registry.selectors import (
    district_checks,
    district_due_on,
    district_overdue,
    districts_overdue,
)
from registry.services.districts import APPLICATION_FIELDS, DESIGNATED_FIELDS

from .forms import DesignateForm, PrivateFileInput, RevokeForm
from .rejections import RejectionMixin

CLOSED_STATUSES = (DistrictStatus.REJECTED, DistrictStatus.REVOKED)
# The decision fields worth showing at each stage; the rest would only be empty lines.
DECISION_SHOWN = {
    DistrictStatus.APPLIED: {"applied_on", "due_on"},
    DistrictStatus.DESIGNATED: {
        "applied_on",
        "designation_no",
        "designated_on",
        "decided_by",
        "decided_at",
        "override_reason",
        "certificate_issued_at",
    },
    DistrictStatus.REJECTED: {"applied_on", "decided_by", "decided_at", "rejection_reason"},
    DistrictStatus.REVOKED: {
        "applied_on",
        "designation_no",
        "designated_on",
        "override_reason",
        "revoked_on",
        "revocation_ground",
        "revocation_reason",
        "decided_by",
        "decided_at",
        "certificate_issued_at",
    },
}
DECISION_FIELDS = (
    "status",
    "due_on",
    "designation_no",
    "designated_on",
    "decided_by",
    "decided_at",
    "override_reason",
    "rejection_reason",
    "revoked_on",
    "revocation_ground",
    "revocation_reason",
    "certificate_issued_at",
)
# The application's facts, on the change page and on the form that files it.
CRITERIA_FIELDS = (
    "area_m2",
    "excluded_area_m2",
    "in_commercial_zone",
    "store_count",
    "small_business_store_count",
)
ORGANISATION_FIELDS = (
    "association_name",
    "representative",
    "association_phone",
    "applied_by_representative",
    "merchant_count",
    "consenting_merchants",
    "owner_count",
    "consenting_owners",
)


class OverdueFilter(admin.SimpleListFilter):
    """Open applications past the 14-day due date (SPEC 2.2)."""

    title = _("overdue")
    parameter_name = "overdue"

    def lookups(self, request, model_admin):
        return [("yes", _("Overdue")), ("no", _("Not overdue"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return districts_overdue(queryset)
        if self.value() == "no":
            return queryset.exclude(pk__in=districts_overdue(District.objects.all()).values("pk"))
        return queryset


class CertificateFilter(admin.SimpleListFilter):
    """Designated districts still waiting for their designation certificate (SPEC 2.2)."""

    title = _("designation certificate")
    parameter_name = "certificate"

    def lookups(self, request, model_admin):
        return [("due", _("Not issued yet")), ("issued", _("Issued"))]

    def queryset(self, request, queryset):
        if self.value() == "due":
            return queryset.filter(
                status=DistrictStatus.DESIGNATED, certificate_issued_at__isnull=True
            )
        if self.value() == "issued":
            return queryset.filter(certificate_issued_at__isnull=False)
        return queryset


class DistrictAttachmentInline(admin.TabularInline):
    """The application's documents; files are served only through the office-checked view."""

    model = DistrictAttachment
    extra = 1
    fields = ("kind", "file", "download", "uploaded_at", "uploaded_by")
    readonly_fields = ("download", "uploaded_at", "uploaded_by")
    formfield_overrides = {models.FileField: {"widget": PrivateFileInput}}

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("uploaded_by")

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        writable = self.has_add_permission(request, obj) or self.has_change_permission(request, obj)
        # A read-only file cell would link to the storage URL: show the download link only.
        return fields if writable else [f for f in fields if f != "file"]

    def _parent_open(self, obj) -> bool:
        return obj is None or obj.status not in CLOSED_STATUSES

    def has_add_permission(self, request, obj):
        return super().has_add_permission(request, obj) and self._parent_open(obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._parent_open(obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._parent_open(obj)

    @admin.display(description=_("download"))
    def download(self, obj):
        if not obj.pk:
            return ""
        return format_html(
            '<a href="{}">{}</a>',
            reverse("registry:attachment_download", args=[obj.pk]),
            obj.file.name.rsplit("/", 1)[-1],
        )


@admin.register(District)
class DistrictAdmin(ExportMixin, RejectionMixin, OfficeWallMixin, BulkActionMixin, HistoryAdmin):
    # The status and the deadline first; it fits a 1366-pixel screen beside the menu and the
    # filters (the counted area is on the page, with the criteria it is judged by).
    list_display = (
        "name",
        "status",
        "overdue",
        "designation_no",
        "applied_on",
        "dong_names",
        "store_count",
        "member_count",
    )
    list_filter = ("status", ("dongs", OfficeRelatedFilter), OverdueFilter, CertificateFilter)
    search_fields = ("name", "designation_no")
    search_help_text = _("Name or designation number.")
    filter_horizontal = ("dongs",)
    inlines = [DistrictAttachmentInline]
    actions = ["reject_selected"]
    export_spec = DISTRICT_EXPORT
    list_per_page = 50
    object_views = (
        ("designate", "designate_view"),
        ("reject", "reject_view"),
        ("revoke", "revoke_view"),
        ("certificate", "certificate_view"),
    )
    fieldsets = [
        (None, {"fields": ["name", "status", "dongs", "location"]}),
        (_("Application and decision"), {"fields": ["applied_on", *DECISION_FIELDS[1:]]}),
        (_("Designation criteria"), {"fields": ["criteria", *CRITERIA_FIELDS]}),
        (_("Merchants' organisation and consent"), {"fields": ORGANISATION_FIELDS}),
    ]
    add_fieldsets = [
        (None, {"fields": ["name", "dongs", "location", "applied_on"]}),
        (_("Designation criteria"), {"fields": CRITERIA_FIELDS}),
        (_("Merchants' organisation and consent"), {"fields": ORGANISATION_FIELDS}),
    ]

    # --- queries ---------------------------------------------------------------------------

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("office", "decided_by")

    def changelist_queryset(self, request, queryset):
        current = (
            Membership.objects.filter(district=OuterRef("pk"), left_on__isnull=True)
            .order_by()
            .values("district")
            .annotate(n=Count("pk"))
            .values("n")
        )
        return queryset.annotate(current_members=Coalesce(Subquery(current), 0)).prefetch_related(
            Prefetch("dongs", queryset=Dong.objects.order_by("name"))
        )

    # --- list columns ------------------------------------------------------------------------

    @admin.display(description=_("dongs"))
    def dong_names(self, obj):
        return ", ".join(d.name for d in obj.dongs.all())

    @admin.display(description=_("counted area (m²)"))
    def counted_area(self, obj):
        return f"{obj.counted_area_m2:,}"

    @admin.display(description=_("current members"), ordering="current_members")
    def member_count(self, obj):
        return getattr(obj, "current_members", None)

    @admin.display(description=_("overdue"))
    def overdue(self, obj):
        return overdue_badge(district_overdue(obj))

    # --- change page -------------------------------------------------------------------------

    @admin.display(description=_("criteria"))
    def criteria(self, obj):
        if obj is None or not obj.pk:
            return gettext("Shown once the application is saved.")
        return render_to_string(
            "admin/core/includes/check_lines.html", {"lines": district_checks(obj)}
        )

    @admin.display(description=_("decision due on"))
    def due_on(self, obj):
        due = district_due_on(obj) if obj else None
        if due is None:
            return "-"
        if self.overdue(obj):
            return format_html(
                '<span class="golmok-overdue">{} ({})</span>', due, gettext("overdue")
            )
        return due

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None:
            return fieldsets
        shown = set(DECISION_SHOWN.get(obj.status, DECISION_FIELDS))
        if not obj.override_reason:
            shown.discard("override_reason")
        decision = set(DECISION_FIELDS[1:]) | {"applied_on"}
        return [
            (
                title,
                {**opts, "fields": [f for f in opts["fields"] if f not in decision or f in shown]},
            )
            for title, opts in fieldsets
        ]

    def get_readonly_fields(self, request, obj=None):
        readonly = ["criteria", *DECISION_FIELDS]
        if obj is not None and obj.status == DistrictStatus.DESIGNATED:
            readonly += sorted(APPLICATION_FIELDS - DESIGNATED_FIELDS)
        return (*super().get_readonly_fields(request, obj), *readonly)

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.status in CLOSED_STATUSES:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False  # districts end by rejection or revocation, which the history keeps

    def object_buttons(self, request, obj):
        if not self.has_change_permission(request, obj):
            return []
        if obj.status == DistrictStatus.APPLIED:
            return [
                {"url": self.object_url(obj, "designate"), "label": gettext("Designate")},
                {"url": self.object_url(obj, "reject"), "label": gettext("Reject"), "danger": True},
            ]
        if obj.status == DistrictStatus.DESIGNATED:
            return [
                {"url": self.object_url(obj, "certificate"), "label": gettext("Print certificate")},
                {"url": self.object_url(obj, "revoke"), "label": gettext("Revoke"), "danger": True},
            ]
        return []

    # --- saves through the services ---------------------------------------------------------

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        try:
            if change:
                changes = {
                    f: data[f]
                    for f in form.changed_data
                    if f in APPLICATION_FIELDS | DESIGNATED_FIELDS
                }
                dongs = list(data["dongs"]) if "dongs" in form.changed_data else None
                saved = services.district_update(
                    district=obj, user=request.user, dongs=dongs, **changes
                )
            else:
                details = {f: data[f] for f in APPLICATION_FIELDS - {"name"} if f in data}
                saved = services.district_apply(
                    office=self.office_for(request, form),
                    user=request.user,
                    name=data["name"],
                    dongs=list(data.get("dongs") or []),
                    **details,
                )
        except ValidationError as error:
            raise ServiceRefused(error) from error
        self.adopt(obj, saved)

    def save_related(self, request, form, formsets, change):
        # Dongs were set by the service; only the documents are saved here.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def save_formset(self, request, form, formset, change):
        instances = formset.save(commit=False)
        for gone in formset.deleted_objects:
            gone.delete()
        for attachment in instances:
            if attachment.pk is None:
                attachment.uploaded_by = request.user
            attachment.save()

    # --- decisions ---------------------------------------------------------------------------

    decision_check_title = _("Designation criteria")

    def reject_record(self, district: District, *, user: User, reason: str) -> None:
        services.district_reject(district=district, user=user, reason=reason)

    def rejected_message(self, district: District) -> str:
        message = gettext("The application of %(district)s was rejected.")
        return message % {"district": district.name}

    def decision_check_lines(self, district):
        return district_checks(district)

    def designate_view(self, request, object_id):
        return self.decision_view(
            request,
            object_id,
            form_class=DesignateForm,
            title=gettext("Designate the district"),
            submit=gettext("Designate"),
            lines=True,
            done=lambda d: gettext("%(district)s was designated.") % {"district": d.name},
            call=lambda district, data: services.district_designate(
                district=district,
                user=request.user,
                designation_no=data["designation_no"],
                designated_on=data["designated_on"],
                override_reason=data["override_reason"],
            ),
        )

    def revoke_view(self, request, object_id):
        return self.decision_view(
            request,
            object_id,
            form_class=RevokeForm,
            title=gettext("Revoke the designation"),
            submit=gettext("Revoke"),
            lines=False,
            done=lambda d: (
                gettext("The designation of %(district)s was revoked.") % {"district": d.name}
            ),
            call=lambda district, data: services.district_revoke(
                district=district,
                user=request.user,
                ground=data["revocation_ground"],
                reason=data["revocation_reason"],
                revoked_on=data["revoked_on"],
            ),
        )

    def certificate_view(self, request, object_id):
        """The printable designation certificate; the first printing is recorded as the issue."""
        district = self.get_object_in_office(request, object_id)
        self.object_view_allowed(request, district, "view")
        if district.status != DistrictStatus.DESIGNATED:
            self.message_user(
                request, gettext("Only a designated district has a certificate."), messages.ERROR
            )
            return redirect(self.change_url(district))
        if request.method == "POST":
            self.object_view_allowed(request, district)
            try:
                services.district_certificate_issue(district=district, user=request.user)
            except ValidationError as error:
                self.refusal_message(request, error)
                return redirect(self.change_url(district))
            return redirect(self.object_url(district, "certificate") + "?print=1")
        # The representative is printed as the reader's role may see it, and the look logged.
        personal_shown(
            user=request.user,
            objects=[district],
            face=gettext("designation certificate"),
            masked=not may_see_personal(request.user),
            single=True,
        )
        return TemplateResponse(
            request,
            "admin/registry/district/certificate.html",
            {
                "district": district,
                "representative": shown(request.user, district, "representative"),
                "office": district.office,
                "dongs": district.dongs.order_by("name"),
                "change_url": self.change_url(district),
            },
        )
