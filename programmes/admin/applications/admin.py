"""Programme applications in the clerks' admin (SPEC 7): the list with masked applicants, the
page with budget lines, attachments, reviews and the timeline, every step after it behind a
button that calls one service, and applications entered from paper."""

import re

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext, ngettext_lazy
from django.utils.translation import gettext_lazy as _

from core.admin.columns import moment_short
from core.admin.exports import ExportMixin
from core.admin.files import private_file_response
from core.admin.history import HistoryAdmin
from core.admin.mixins import OfficeRelatedFilter, OfficeWallMixin
from core.admin.related import ObjectFilter, RelatedPanel, register_panel
from core.audit import personal_shown
from core.numbers import account_mask, brn_format, brn_valid, is_row_id, phone_format
from core.personal import NAME, PHONE, mask, may_see_personal
from core.templatetags.golmok import won
from programmes import services
from programmes.admin.applications.steps import ApplicationStepsMixin
from programmes.choices import (
    ApplicationStatus,
    ProgrammeKind,
    reason_label,
)
from programmes.exports import APPLICATION_EXPORT
from programmes.models import Application, Event
from programmes.roles import sees_all_reviews
from programmes.selectors import store_support_history
from registry.models import Store
from registry.rules import tracking_number_normalize

ATTACHMENT_PERMISSION = "programmes.view_attachment"

# --- lists and panels --------------------------------------------------------------------------


class KindFilter(admin.SimpleListFilter):
    title = _("kind")
    parameter_name = "kind"

    def lookups(self, request, model_admin):
        return ProgrammeKind.choices

    def queryset(self, request, queryset):
        if self.value() in ProgrammeKind.values:
            return queryset.filter(programme__kind=self.value())
        return queryset


class StoreFilter(ObjectFilter):
    """The applications of one business in its support history (`?store=<id>`), as the store's
    page links to them."""

    title = _("business")
    parameter_name = "store"
    field_name = "store"

    @classmethod
    def narrow(cls, queryset, value: str):
        if not is_row_id(value):
            return queryset.none()
        history = store_support_history(int(value))
        return history.filter(pk__in=queryset.values("pk"))


def timeline_row(event: Event) -> dict:
    labels = dict(ApplicationStatus.choices)
    move = ""
    if event.to_status:
        move = str(labels.get(event.to_status, event.to_status))
        if event.from_status:
            move = f"{labels.get(event.from_status, event.from_status)} → {move}"
    return {
        "at": moment_short(event.at),
        "actor": event.actor.get_full_name() or event.actor.username if event.actor else "",
        "kind": event.get_kind_display(),
        "move": move,
        "amount": event.amount,
        "note": event.note,
    }


@admin.register(Application)
class ApplicationAdmin(ApplicationStepsMixin, ExportMixin, OfficeWallMixin, HistoryAdmin):
    office_field = "programme__office"
    # The application, its business and where it stands first; the applicant's contacts last,
    # masked for roles that do not call applicants.
    list_display = (
        "number_column",
        "trade_name",
        "brn_column",
        "programme",
        "status",
        "award_won",
        "submitted_short",
        "applicant_masked",
        "phone_masked",
    )
    list_filter = (("programme", OfficeRelatedFilter), "status", KindFilter, StoreFilter)
    list_select_related = ("programme", "store")
    search_fields = ("store__trade_name",)  # the search itself is get_search_results'
    search_help_text = _(
        "A tracking number, a business registration number, or part of the trade name."
    )
    list_per_page = 50
    show_facets = admin.ShowFacets.NEVER
    ordering = ("-submitted_at", "-id")
    linked_fields = ("programme", "store")
    decisions_only = True
    export_spec = APPLICATION_EXPORT

    class Media:
        css = {"all": ["programmes/admin.css"]}

    object_views = (
        ("move", "move_view"),
        ("note", "note_view"),
        ("lower", "lower_view"),
        ("grant", "grant_view"),
        ("instalment", "instalment_view"),
        ("paid", "paid_view"),
        ("expense_add", "expense_add_view"),
        ("expense", "expense_view"),
        ("settle", "settle_view"),
        ("refund", "refund_view"),
    )
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "number_column",
                    "programme",
                    "status",
                    "reason_shown",
                    "brn_column",
                    "applicant",
                    "phone",
                    "annual_sales_won",
                    "requested_won",
                    "plan",
                    "budget_table",
                    "submitted_at",
                    "entered_by",
                ]
            },
        ),
        (_("Decision"), {"fields": ["score", "rank", "award_won"]}),
        (_("Attachments"), {"fields": ["attachments_list"]}),
        (_("Reviews"), {"fields": ["reviews_table"]}),
        (_("Grant and payments"), {"fields": ["money_summary"]}),
        (_("Timeline"), {"fields": ["timeline_table"]}),
    ]
    readonly_fields = (
        "number_column",
        "programme",
        "status",
        "reason_shown",
        "brn_column",
        "applicant",
        "phone",
        "annual_sales_won",
        "requested_won",
        "plan",
        "submitted_at",
        "entered_by",
        "score",
        "rank",
        "award_won",
        "attachments_list",
        "reviews_table",
        "money_summary",
        "budget_table",
        "timeline_table",
    )

    # --- queries and search ------------------------------------------------------------------

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if sees_all_reviews(request.user):
            return queryset
        # A reviewer: only the programmes they are assigned to (their queue is the way in).
        return queryset.filter(programme__reviewers__user=request.user)

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if sees_all_reviews(request.user):
            return fieldsets
        # Reviewers do not see each other's scores, nor the timeline that names who reviewed and
        # who declared a conflict: their own review is on their scoring page.
        hidden = {"reviews_table", "timeline_table"}
        return [(name, opts) for name, opts in fieldsets if not hidden & set(opts["fields"])]

    def get_search_results(self, request, queryset, search_term):
        term = search_term.strip()
        if not term:
            return queryset, False
        condition = Q(store__trade_name__icontains=term)
        number = tracking_number_normalize(term)
        if number:
            condition |= Q(number=number)
        digits = re.sub(r"[\s\-]", "", term)
        if digits.isdigit() and brn_valid(digits):
            condition |= Q(business_number=digits)
        return queryset.filter(condition), False

    # --- columns -----------------------------------------------------------------------------

    def get_list_display(self, request):
        if not may_see_personal(request.user):
            return self.list_display
        swap = {"applicant_masked": "applicant", "phone_masked": "phone_column"}
        return [swap.get(name, name) for name in self.list_display]

    @admin.display(description=_("tracking number"), ordering="number")
    def number_column(self, application):
        return format_html('<span class="golmok-nowrap">{}</span>', application.number_display)

    @admin.display(description=_("trade name"), ordering="store__trade_name")
    def trade_name(self, application):
        return application.store.trade_name

    @admin.display(description=_("business registration number"), ordering="business_number")
    def brn_column(self, application):
        return format_html(
            '<span class="golmok-nowrap">{}</span>', brn_format(application.business_number)
        )

    @admin.display(description=_("award (won)"), ordering="award")
    def award_won(self, application):
        return won(application.award) or "-"

    @admin.display(description=_("submitted at"), ordering="submitted_at")
    def submitted_short(self, application):
        return moment_short(application.submitted_at)

    @admin.display(description=_("applicant"))
    def applicant_masked(self, application):
        return mask(NAME, application.applicant) or "-"

    @admin.display(description=_("phone"))
    def phone_masked(self, application):
        return mask(PHONE, application.phone) or "-"

    @admin.display(description=_("phone"))
    def phone_column(self, application):
        return phone_format(application.phone) or "-"

    @admin.display(description=_("reason"))
    def reason_shown(self, application):
        return reason_label(application.reason) or "-"

    @admin.display(description=_("annual sales declared (won)"))
    def annual_sales_won(self, application):
        return won(application.annual_sales)

    @admin.display(description=_("requested (won)"))
    def requested_won(self, application):
        return won(application.requested) or "-"

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

    # --- the change page's parts -------------------------------------------------------------

    @admin.display(description=_("attachments"))
    def attachments_list(self, application):
        items = format_html_join(
            "",
            '<li><a href="{}" target="_blank" rel="noopener">{} · {} · {} KB</a></li>',
            (
                (
                    self.attachment_url(application, a),
                    a.original_name or gettext("attachment %(id)s") % {"id": a.pk},
                    a.get_content_type_display(),
                    f"{-(-a.size // 1024):,}",
                )
                for a in application.attachments.all()
            ),
        )
        return format_html("<ul>{}</ul>", items) if items else gettext("No attachments.")

    @admin.display(description=_("budget lines"))
    def budget_table(self, application):
        return render_to_string(
            "admin/programmes/includes/budget_lines.html",
            {"lines": list(application.budget_lines.all())},
        )

    @admin.display(description=_("timeline"))
    def timeline_table(self, application):
        """The append-only timeline, oldest first: read here, written only by the services."""
        events = application.events.select_related("actor").order_by("at", "id")
        return render_to_string(
            "admin/programmes/includes/timeline.html",
            {"rows": [timeline_row(event) for event in events]},
        )

    @admin.display(description=_("reviews"))
    def reviews_table(self, application):
        reviews = list(
            application.reviews.select_related("reviewer").prefetch_related("scores__criterion")
        )
        criteria = list(application.programme.criteria.all())
        rows = []
        for review in reviews:
            points = {s.criterion_id: s.points for s in review.scores.all()}
            rows.append(
                {
                    "review": review,
                    "points": [points.get(c.pk, "-") for c in criteria],
                }
            )
        return render_to_string(
            "admin/programmes/includes/reviews.html", {"criteria": criteria, "rows": rows}
        )

    def _grant(self, application):
        return getattr(application, "grant", None) if application.pk else None

    @admin.display(description=_("grant and payments"))
    def money_summary(self, application):
        grant = self._grant(application)
        if grant is None:
            return gettext("No grant decision yet.")
        visible = getattr(application, "_personal_visible", False)
        return render_to_string(
            "admin/programmes/includes/money.html",
            {
                "grant": grant,
                "account": (
                    f"{grant.account_number} ({grant.account_holder})"
                    if visible
                    else f"{account_mask(grant.account_number)} "
                    f"({mask(NAME, grant.account_holder)})"
                ),
                "amounts": [
                    (gettext("Amount granted"), won(grant.amount)),
                    (gettext("In instalments"), won(grant.scheduled)),
                    (gettext("Paid"), won(services.grant_paid(grant))),
                    (gettext("Expenses accepted"), won(grant.accepted)),
                    (gettext("Refund due"), won(grant.refund_due)),
                    (gettext("Refund returned"), won(grant.refund_returned)),
                ],
                "disbursements": list(grant.disbursements.all()),
                "expenses": [
                    (line, self.evidence_url(application, line) if line.evidence else "")
                    for line in grant.expenses.all()
                ],
            },
        )

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            # The money summary shows the account masked or not by the viewer's role.
            obj._personal_visible = may_see_personal(request.user)
        if obj is not None and request.method == "GET":
            grant = self._grant(obj)
            if grant is not None:
                personal_shown(
                    user=request.user,
                    objects=[grant],
                    face=gettext("application page"),
                    masked=not may_see_personal(request.user),
                    single=True,
                )
        return super().render_change_form(request, context, add, change, form_url, obj)

    # --- attachments, opened through the admin and logged -------------------------------------

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        extra = [
            path(
                "<path:object_id>/attachments/<int:attachment_id>/",
                self.admin_site.admin_view(self.attachment_view),
                name="{}_{}_attachment".format(*info),
            ),
            path(
                "<path:object_id>/evidence/<int:line_id>/",
                self.admin_site.admin_view(self.evidence_view),
                name="{}_{}_evidence".format(*info),
            ),
        ]
        return extra + super().get_urls()

    def evidence_url(self, application, line) -> str:
        info = self.opts.app_label, self.opts.model_name
        return reverse(
            "{}:{}_{}_evidence".format(self.admin_site.name, *info),
            args=[application.pk, line.pk],
        )

    def evidence_view(self, request, object_id, line_id):
        """Show the evidence of one expense line to staff of the office, and log the access."""
        application = self.get_object_in_office(request, object_id)
        if not self.has_view_permission(request, application) or not sees_all_reviews(request.user):
            raise PermissionDenied
        grant = self._grant(application)
        line = grant.expenses.filter(pk=line_id).first() if grant else None
        return private_file_response(
            request=request,
            record=application,
            document=line,
            file_field="evidence",
            detail=gettext("evidence of expense line %(id)s") % {"id": line_id},
            name_stem=f"{application.number}-evidence",
        )

    def attachment_url(self, application, attachment) -> str:
        info = self.opts.app_label, self.opts.model_name
        return reverse(
            "{}:{}_{}_attachment".format(self.admin_site.name, *info),
            args=[application.pk, attachment.pk],
        )

    def attachment_view(self, request, object_id, attachment_id):
        """Show one attachment to staff of the application's office, and log the access."""
        application = self.get_object_in_office(request, object_id)
        if not (
            self.has_view_permission(request, application)
            and request.user.has_perm(ATTACHMENT_PERMISSION)
        ):
            raise PermissionDenied
        attachment = application.attachments.filter(pk=attachment_id).first()
        return private_file_response(
            request=request,
            record=application,
            document=attachment,
            detail=gettext("attachment %(id)s: %(name)s")
            % {"id": attachment_id, "name": attachment.original_name if attachment else ""},
            name_stem=application.number,
        )

    # --- buttons -----------------------------------------------------------------------------

    def has_delete_permission(self, request, obj=None):
        return False  # applications are withdrawn or decided, never deleted: the timeline stays


def support_line(application: Application) -> str:
    """One application in a store's support history: the programme, where it stands, the
    award, what was paid and any refund. No applicant's contacts, so showing it logs nothing."""
    parts = [
        application.programme.name,
        application.get_status_display(),
        gettext("award %(amount)s") % {"amount": won(application.award) or "-"},
        gettext("paid %(amount)s") % {"amount": won(getattr(application, "paid", 0) or 0)},
    ]
    grant = getattr(application, "grant", None)
    if grant is not None and grant.refund_due:
        parts.append(
            gettext("refund due %(due)s, returned %(returned)s")
            % {"due": won(grant.refund_due), "returned": won(grant.refund_returned)}
        )
    return " · ".join(parts)


# A store's page shows its support history (five years, SPEC 7) and links to its applications.
register_panel(
    Store,
    RelatedPanel(
        key="programmes",
        title=_("Support history"),
        model=Application,
        list_filter=StoreFilter,
        order_by=("-submitted_at", "-pk"),
        describe=support_line,
        permission="programmes.view_application",
        shown=50,
        count_text=ngettext_lazy(
            "%(shown)s application in all", "%(shown)s applications in all", "count"
        ),
    ),
)
