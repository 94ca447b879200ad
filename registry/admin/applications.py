"""Merchant applications (SPEC 2.5): the clerks' queue per office, the checks beside the
documents, and decisions singly and in bulk, each through one service."""

import functools

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import FileResponse, Http404
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from core.admin.mixins import BulkActionMixin, OfficeRelatedFilter, OfficeWallMixin
from core.audit import access_log, access_log_many
from core.choices import AccessAction
from core.clock import local_date, local_today
from core.numbers import brn_format, name_mask, phone_mask
from registry import services
from registry.choices import ApplicationStatus, CertificateType
from registry.exports import CONTACT_PERMISSION
from registry.models import MerchantApplication
from registry.rules import APPLICATION_OPEN_STATUSES as OPEN_STATUSES
from registry.rules import tracking_number_normalize
from registry.selectors import (
    application_checks,
    applications_by_age,
    designated_districts,
)

from .stores import phone_display

DOCUMENT_PERMISSION = "registry.view_applicationdocument"
_CONTACT_FIELDS = {"representative", "phone", "email"}


def email_mask(email: str) -> str:
    """h****@example.com: enough to recognise, not enough to write to."""
    local, _at, domain = (email or "").partition("@")
    if not domain:
        return "*" * len(local)
    return f"{local[:1]}{'*' * max(len(local) - 1, 1)}@{domain}"


def _status_url(request) -> str:
    return request.build_absolute_uri(reverse("register:status"))


# --- filters ------------------------------------------------------------------------------


class QueueStatusFilter(admin.SimpleListFilter):
    """The queue opens on the applications still to decide; every status is one click away."""

    title = _("status")
    parameter_name = "status"
    OPEN = "open"
    ALL = "all"

    def lookups(self, request, model_admin):
        return [
            (self.OPEN, _("Open (to decide)")),
            *ApplicationStatus.choices,
            (self.ALL, _("All")),
        ]

    def choices(self, changelist):
        current = self.value() or self.OPEN
        for lookup, title in self.lookup_choices:
            yield {
                "selected": current == str(lookup),
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": title,
            }

    def queryset(self, request, queryset):
        value = self.value() or self.OPEN
        if value == self.OPEN:
            return queryset.filter(status__in=OPEN_STATUSES)
        if value in ApplicationStatus.values:
            return queryset.filter(status=value)
        return queryset


class AgeFilter(admin.SimpleListFilter):
    """How long ago the application was (last) sent."""

    title = _("age")
    parameter_name = "age"
    RANGES = {"0-2": (0, 2), "3-7": (3, 7), "8-14": (8, 14), "15-": (15, None)}

    def lookups(self, request, model_admin):
        return [
            ("0-2", _("Under 3 days")),
            ("3-7", _("3 to 7 days")),
            ("8-14", _("8 to 14 days")),
            ("15-", _("Over 14 days")),
        ]

    def queryset(self, request, queryset):
        if self.value() not in self.RANGES:
            return queryset
        low, high = self.RANGES[self.value()]
        return applications_by_age(queryset, min_days=low, max_days=high)


class RequestedTypeFilter(admin.SimpleListFilter):
    title = _("Onnuri types requested")
    parameter_name = "wants"

    def lookups(self, request, model_admin):
        return [*CertificateType.choices, ("none", _("None"))]

    def queryset(self, request, queryset):
        value = self.value()
        if value in CertificateType.values:
            return queryset.filter(**{f"wants_{value}": True})
        if value == "none":
            return queryset.filter(wants_paper=False, wants_card=False, wants_mobile=False)
        return queryset


# --- decision forms -----------------------------------------------------------------------


class MessageForm(forms.Form):
    """A decision's message; the service says when it is required (rejections, requests)."""

    message = forms.CharField(
        label=_("message to the merchant"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "cols": 60}),
        help_text=_("The merchant reads this on the status page."),
    )


class ApproveForm(MessageForm):
    """Approval: the clerk settles what the merchant left open, then one service does the rest."""

    dong = forms.ModelChoiceField(label=_("dong"), queryset=None, required=False)
    district = forms.ModelChoiceField(label=_("district"), queryset=None, required=False)
    ksic_code = forms.CharField(
        label=_("KSIC code"),
        max_length=5,
        required=False,
        help_text=_("Five digits, for example 56111."),
    )
    business_type = forms.CharField(label=_("business type"), max_length=100, required=False)

    field_order = ["dong", "district", "ksic_code", "business_type", "message"]

    def __init__(self, *args, application: MerchantApplication, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["dong"].queryset = application.office.dongs.order_by("name")
        self.fields["district"].queryset = designated_districts(application.office)


def _approve_initial(application: MerchantApplication) -> dict:
    return {
        "dong": application.dong_id,
        "district": application.district_id,
        "ksic_code": application.ksic_code,
        "business_type": application.business_type,
    }


# --- the admin ----------------------------------------------------------------------------


@admin.register(MerchantApplication)
class MerchantApplicationAdmin(OfficeWallMixin, BulkActionMixin, SimpleHistoryAdmin):
    list_display = (
        "tracking_column", "trade_name", "brn_column", "representative_masked", "dong",
        "district", "types_column", "status", "submitted_at", "age_column",
    )  # fmt: skip
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
    actions = ["approve_selected", "reject_selected"]
    object_views = (
        ("review", "review_view"),
        ("approve", "approve_view"),
        ("request-changes", "request_changes_view"),
        ("reject", "reject_view"),
    )
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
        condition = Q(trade_name__icontains=term) | Q(representative__icontains=term)
        if digits.isascii() and digits.isdigit():
            condition = Q(business_number__contains=digits)
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
        return request.user.has_perm(CONTACT_PERMISSION)

    # --- columns ---------------------------------------------------------------------------

    @admin.display(description=_("tracking number"), ordering="tracking_number")
    def tracking_column(self, obj):
        return format_html(
            '<span style="white-space:nowrap">{}</span>', obj.tracking_number_display
        )

    @admin.display(description=_("business registration number"), ordering="business_number")
    def brn_column(self, obj):
        return format_html(
            '<span style="white-space:nowrap">{}</span>', brn_format(obj.business_number)
        )

    @admin.display(description=_("representative"))
    def representative_masked(self, obj):
        return name_mask(obj.representative)

    @admin.display(description=_("phone"))
    def phone_masked(self, obj):
        return phone_mask(obj.phone)

    @admin.display(description=_("phone"))
    def phone_column(self, obj):
        return phone_display(obj.phone)

    @admin.display(description=_("email"))
    def email_masked(self, obj):
        return email_mask(obj.email) or "-"

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

    @admin.display(description=_("checks and documents"))
    def review(self, obj):
        documents = list(obj.documents.all())
        items = format_html_join(
            "",
            '<li><a href="{}" target="_blank" rel="noopener">{} · {} · {} KB</a>{}</li>',
            (
                (
                    self.document_url(obj, d),
                    d.get_kind_display(),
                    d.get_content_type_display(),
                    f"{-(-d.size // 1024):,}",
                    format_html(
                        '<br><img src="{}" alt="{}" style="max-width:100%;max-height:360px;'
                        'margin-top:4px;border:1px solid var(--border-color)">',
                        self.document_url(obj, d),
                        d.get_kind_display(),
                    )
                    if d.is_image
                    else "",
                )
                for d in documents
            ),
        )
        checks = render_to_string(
            "admin/core/includes/check_lines.html", {"lines": application_checks(obj)}
        )
        return format_html(
            '<div style="display:flex;flex-wrap:wrap;gap:1.5em;">'
            '<div style="flex:1 1 20em"><strong>{}</strong><ul>{}</ul></div>'
            '<div style="flex:1 1 20em"><strong>{}</strong>{}</div></div>',
            gettext("Documents"),
            items or format_html("<li>{}</li>", gettext("No documents.")),
            gettext("Checks"),
            checks,
        )

    def get_list_display(self, request):
        if not self.can_see_contacts(request):
            return self.list_display
        return [
            "representative" if name == "representative_masked" else name
            for name in self.list_display
        ]

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

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if change and obj is not None:
            context.update(
                show_save=False, show_save_and_continue=False, show_save_and_add_another=False
            )
            if request.method == "GET":
                access_log(user=request.user, action=AccessAction.VIEW, obj=obj)
        return super().render_change_form(request, context, add, change, form_url, obj)

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        changelist = getattr(response, "context_data", {}).get("cl")
        if changelist is not None and self.can_see_contacts(request):
            access_log_many(
                user=request.user,
                action=AccessAction.VIEW,
                objects=changelist.result_list,
                detail=gettext("list, contacts unmasked"),
            )
        return response

    def history_view(self, request, object_id, extra_context=None):
        response = super().history_view(request, object_id, extra_context)
        application = self.get_object(request, object_id)
        if application is not None:
            access_log(
                user=request.user,
                action=AccessAction.VIEW,
                obj=application,
                detail=gettext("history"),
            )
        return response

    def set_history_delta_changes(self, request, historical_records, foreign_keys_are_objs=True):
        """The history's list of changes, leaving out contacts the reader may not see."""
        if self.can_see_contacts(request):
            return super().set_history_delta_changes(
                request, historical_records, foreign_keys_are_objs
            )
        previous = None
        for current in historical_records:
            if previous is not None:
                delta = previous.diff_against(
                    current,
                    excluded_fields=sorted(_CONTACT_FIELDS),
                    foreign_keys_are_objs=foreign_keys_are_objs,
                )
                helper = self.get_historical_record_context_helper(request, previous)
                previous.history_delta_changes = helper.context_for_delta_changes(delta)
            previous = current
        return None

    # --- documents: staff of the office only, every opening logged -------------------------

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        documents = [
            path(
                "<path:object_id>/documents/<int:document_id>/",
                self.admin_site.admin_view(self.document_view),
                name="{}_{}_document".format(*info),
            )
        ]
        return documents + super().get_urls()

    def document_url(self, application, document) -> str:
        info = self.opts.app_label, self.opts.model_name
        return reverse(
            "{}:{}_{}_document".format(self.admin_site.name, *info),
            args=[application.pk, document.pk],
        )

    def document_view(self, request, object_id, document_id):
        """Show one document to staff of the application's office, and log the access."""
        application = self.get_object_in_office(request, object_id)
        if not (
            self.has_view_permission(request, application)
            and request.user.has_perm(DOCUMENT_PERMISSION)
        ):
            raise PermissionDenied
        document = application.documents.filter(pk=document_id).first()
        if document is None:
            raise Http404(gettext("No such document."))
        try:
            handle = document.file.open("rb")
        except FileNotFoundError as missing:
            raise Http404(gettext("The file is missing from storage.")) from missing
        access_log(
            user=request.user,
            action=AccessAction.VIEW,
            obj=application,
            detail=gettext("document %(id)s: %(kind)s")
            % {"id": document.pk, "kind": document.get_kind_display()},
        )
        extension = document.file.name.rsplit(".", 1)[-1]
        response = FileResponse(
            handle,
            content_type=document.content_type,
            filename=f"{application.tracking_number}-{document.pk}.{extension}",
        )
        response.headers["Cache-Control"] = "private, no-store"
        return response

    # --- decisions -------------------------------------------------------------------------

    decision_check_title = _("Checks")

    def decision_check_lines(self, application):
        return application_checks(application)

    def object_buttons(self, request, obj):
        if not self.has_change_permission(request, obj):
            return []
        buttons = []
        if obj.status == ApplicationStatus.SUBMITTED:
            review = self.object_url(obj, "review")
            buttons.append({"url": review, "label": gettext("Start review"), "post": True})
        if obj.status in (ApplicationStatus.SUBMITTED, ApplicationStatus.IN_REVIEW):
            buttons += [
                {"url": self.object_url(obj, "approve"), "label": gettext("Approve")},
                {
                    "url": self.object_url(obj, "request-changes"),
                    "label": gettext("Ask for changes"),
                },
            ]
        if obj.is_open:
            buttons.append(
                {"url": self.object_url(obj, "reject"), "label": gettext("Reject"), "danger": True}
            )
        return buttons

    def _logged(self, request, application: MerchantApplication, what: str) -> None:
        access_log(user=request.user, action=AccessAction.CHANGE, obj=application, detail=what)

    def review_view(self, request, object_id):
        application = self.get_object_in_office(request, object_id)
        self.object_view_allowed(request, application)
        if request.method == "POST":
            try:
                services.application_review_start(application=application, user=request.user)
            except ValidationError as error:
                self.refusal_message(request, error)
            else:
                self.message_user(
                    request,
                    gettext("%(record)s is now in review.") % {"record": application},
                    messages.SUCCESS,
                )
        return redirect(self.change_url(application))

    def approve_view(self, request, object_id):
        application = self.get_object_in_office(request, object_id)

        def approve(obj, data):
            services.application_approve(
                application=obj,
                user=request.user,
                message=data["message"],
                dong=data["dong"],
                district=data["district"],
                ksic_code=data["ksic_code"],
                business_type=data["business_type"],
                status_url=_status_url(request),
            )
            self._logged(request, obj, gettext("approved"))

        return self.decision_view(
            request,
            object_id,
            form_class=functools.partial(ApproveForm, application=application),
            title=gettext("Approve the application"),
            submit=gettext("Approve"),
            lines=True,
            initial=_approve_initial,
            done=lambda a: (
                gettext(
                    "%(record)s was approved: the store, its membership and its Onnuri "
                    "applications are registered."
                )
                % {"record": a}
            ),
            call=approve,
        )

    def request_changes_view(self, request, object_id):
        def ask(obj, data):
            services.application_request_changes(
                application=obj,
                user=request.user,
                message=data["message"],
                status_url=_status_url(request),
            )
            self._logged(request, obj, gettext("changes requested"))

        return self.decision_view(
            request,
            object_id,
            form_class=MessageForm,
            title=gettext("Ask the merchant for changes"),
            submit=gettext("Ask for changes"),
            lines=True,
            done=lambda a: (
                gettext("The merchant of %(record)s was asked for changes.") % {"record": a}
            ),
            call=ask,
        )

    def reject_view(self, request, object_id):
        def reject(obj, data):
            services.application_reject(
                application=obj,
                user=request.user,
                message=data["message"],
                status_url=_status_url(request),
            )
            self._logged(request, obj, gettext("rejected"))

        return self.decision_view(
            request,
            object_id,
            form_class=MessageForm,
            title=gettext("Reject the application"),
            submit=gettext("Reject"),
            lines=True,
            done=lambda a: gettext("%(record)s was rejected.") % {"record": a},
            call=reject,
        )

    @admin.action(description=_("Approve selected applications"), permissions=["change"])
    def approve_selected(self, request, queryset):
        def approve(application, data):
            services.application_approve(
                application=application,
                user=request.user,
                message=data["message"],
                status_url=_status_url(request),
            )
            self._logged(request, application, gettext("approved"))

        return self.bulk_action(
            request,
            queryset.select_related("office", "dong", "district"),
            title=gettext("Approve selected applications"),
            form_class=MessageForm,
            done_message=gettext("%(count)s applications were approved."),
            call=approve,
        )

    @admin.action(description=_("Reject selected applications"), permissions=["change"])
    def reject_selected(self, request, queryset):
        def reject(application, data):
            services.application_reject(
                application=application,
                user=request.user,
                message=data["message"],
                status_url=_status_url(request),
            )
            self._logged(request, application, gettext("rejected"))

        return self.bulk_action(
            request,
            queryset,
            title=gettext("Reject selected applications"),
            form_class=MessageForm,
            done_message=gettext("%(count)s applications were rejected."),
            call=reject,
        )
