"""Programme applications in the clerks' admin (SPEC 7): the list with masked applicants, the
page with budget lines, attachments, reviews and the timeline, every step after it behind a
button that calls one service, and applications entered from paper."""

import re
from functools import partial

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import AdminSplitDateTime
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import FileResponse, Http404
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext, ngettext_lazy
from django.utils.translation import gettext_lazy as _

from core.admin.columns import moment_short
from core.admin.exports import ExportMixin
from core.admin.history import HistoryAdmin
from core.admin.mixins import OfficeRelatedFilter, OfficeWallMixin
from core.admin.related import ObjectFilter, RelatedPanel, register_panel
from core.audit import access_log, personal_shown
from core.choices import AccessAction
from core.forms import service_errors_to_form
from core.numbers import account_mask, brn_format, brn_valid, is_row_id, phone_format
from core.personal import NAME, PHONE, mask, may_see_personal
from core.templatetags.golmok import won
from core.walls import office_wall
from programmes import rules, services
from programmes.admin.money import BANK_CHOICES
from programmes.choices import (
    ApplicationStatus,
    DisbursementStatus,
    ExpenseStatus,
    ProgrammeKind,
    reason_label,
)
from programmes.exports import APPLICATION_EXPORT
from programmes.models import Application, Event, Programme
from programmes.roles import sees_all_reviews
from programmes.selectors import store_support_history
from registry.models import Store
from registry.rules import tracking_number_normalize

ATTACHMENT_PERMISSION = "programmes.view_attachment"

# --- forms behind the buttons ------------------------------------------------------------------


def _note_field(label, required=False, **kwargs):
    return forms.CharField(
        label=label,
        required=required,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        **kwargs,
    )


class TransitionForm(forms.Form):
    to = forms.ChoiceField(label=_("move to"))
    note = _note_field(_("note"), help_text=_("Required when the application is withdrawn."))

    def __init__(self, *args, application: Application, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to"].choices = [
            (to, ApplicationStatus(to).label) for to in rules.moves_from(application.status)
        ]


class NoteForm(forms.Form):
    note = _note_field(_("note"))


class AwardLowerForm(forms.Form):
    amount = forms.IntegerField(label=_("new award (won)"), min_value=1)
    reason = _note_field(_("the committee's reason"))


class GrantForm(forms.Form):
    bank = forms.ChoiceField(label=_("settlement bank"), choices=BANK_CHOICES, required=False)
    account_number = forms.CharField(
        label=_("settlement account"),
        max_length=40,
        required=False,
        help_text=_("Digits with or without hyphens, e.g. 1107-020-123456."),
    )
    account_holder = forms.CharField(label=_("account holder"), max_length=50, required=False)


class AmountForm(forms.Form):
    amount = forms.IntegerField(label=_("amount (won)"), min_value=1)


class MarkPaidForm(forms.Form):
    disbursement = forms.ModelChoiceField(label=_("instalment"), queryset=None)

    def __init__(self, *args, grant, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["disbursement"].queryset = grant.disbursements.filter(
            status=DisbursementStatus.EXPORTED
        )
        self.fields["disbursement"].label_from_instance = lambda d: (
            gettext("Instalment %(n)s: %(amount)s") % {"n": d.sequence, "amount": won(d.amount)}
        )


class ExpenseDecideForm(forms.Form):
    line = forms.ModelChoiceField(label=_("expense line"), queryset=None)
    decision = forms.ChoiceField(
        label=_("decision"),
        choices=[("accept", _("Accept")), ("reject", _("Reject"))],
        widget=forms.RadioSelect,
    )
    note = _note_field(_("reason"), help_text=_("Required when the line is rejected."))

    def __init__(self, *args, grant, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["line"].queryset = grant.expenses.filter(status=ExpenseStatus.PENDING)
        self.fields["line"].label_from_instance = lambda line: f"{line.item} · {won(line.amount)}"


class ConfirmForm(forms.Form):
    """A step with nothing to type: the page says what will happen and asks."""


class PaperApplicationForm(forms.Form):
    """An application a clerk enters from paper; the services check every field."""

    programme = forms.ModelChoiceField(label=_("programme"), queryset=Programme.objects.none())
    business_number = forms.CharField(
        label=_("business registration number"),
        max_length=20,
        required=False,
        help_text=_("Ten digits, with or without hyphens: 220-81-62517."),
    )
    annual_sales = forms.CharField(label=_("annual sales declared (won)"), required=False)
    requested = forms.CharField(
        label=_("requested (won)"),
        required=False,
        help_text=_("Competitive programmes: the amount asked for."),
    )
    plan = _note_field(_("plan"), help_text=_("Competitive programmes: what the money is for."))
    budget_lines = _note_field(
        _("budget lines"),
        help_text=_(
            "Competitive programmes: one line each, the item and the amount in won, e.g. "
            "플랫폼 개발, 12000000. They add up to the amount requested."
        ),
    )
    applicant = forms.CharField(label=_("applicant"), max_length=50, required=False)
    phone = forms.CharField(label=_("phone"), max_length=20, required=False)
    submitted_at = forms.SplitDateTimeField(
        label=_("submitted at"),
        required=False,
        widget=AdminSplitDateTime,
        help_text=_("When the paper application arrived; empty for now."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = office_wall(Programme.objects.all(), user)

    def clean_budget_lines(self) -> list[dict]:
        lines = []
        for number, line in enumerate(self.cleaned_data["budget_lines"].splitlines(), start=1):
            if not line.strip():
                continue
            item, _sep, amount = line.rpartition(",")
            amount = re.sub(r"[\s,원]", "", amount)
            if not item.strip() or not amount.isdigit():
                raise ValidationError(
                    gettext("Line %(n)s: write the item, a comma and the amount in won.")
                    % {"n": number}
                )
            lines.append({"item": item.strip(), "amount": int(amount)})
        return lines


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
class ApplicationAdmin(ExportMixin, OfficeWallMixin, HistoryAdmin):
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
        # Reviewers do not see each other's scores: their own review is on their scoring page.
        return [(name, opts) for name, opts in fieldsets if "reviews_table" not in opts["fields"]]

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
                "expenses": list(grant.expenses.all()),
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
        ]
        return extra + super().get_urls()

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
        if attachment is None:
            raise Http404(gettext("No such document."))
        try:
            handle = attachment.file.open("rb")
        except FileNotFoundError as missing:
            raise Http404(gettext("The file is missing from storage.")) from missing
        access_log(
            user=request.user,
            action=AccessAction.VIEW,
            obj=application,
            detail=gettext("attachment %(id)s: %(name)s")
            % {"id": attachment.pk, "name": attachment.original_name},
        )
        extension = attachment.file.name.rsplit(".", 1)[-1]
        response = FileResponse(
            handle,
            content_type=attachment.content_type,
            filename=f"{application.number}-{attachment.pk}.{extension}",
        )
        response.headers["Cache-Control"] = "private, no-store"
        return response

    # --- buttons -----------------------------------------------------------------------------

    def has_delete_permission(self, request, obj=None):
        return False  # applications are withdrawn or decided, never deleted: the timeline stays

    def object_buttons(self, request, obj):
        if not self.has_change_permission(request, obj):
            return []
        url = partial(self.object_url, obj)
        buttons = []
        if obj.programme.is_competitive and rules.moves_from(obj.status):
            buttons.append({"url": url("move"), "label": gettext("Change status")})
        buttons.append({"url": url("note"), "label": gettext("Add note")})
        grant = self._grant(obj)
        if obj.status == rules.SELECTED and grant is None:
            buttons.append({"url": url("lower"), "label": gettext("Lower the award")})
        if obj.status in rules.AWARD_STATUSES and grant is None:
            buttons.append({"url": url("grant"), "label": gettext("Grant decision")})
        if grant is not None:
            if grant.scheduled < grant.amount:
                buttons.append({"url": url("instalment"), "label": gettext("Add instalment")})
            if grant.disbursements.filter(status=DisbursementStatus.EXPORTED).exists():
                buttons.append({"url": url("paid"), "label": gettext("Mark instalment paid")})
            if not grant.settled_at and obj.programme.is_competitive:
                if grant.expenses.filter(status=ExpenseStatus.PENDING).exists():
                    buttons.append({"url": url("expense"), "label": gettext("Decide expenses")})
                buttons.append({"url": url("settle"), "label": gettext("Close settlement")})
            if grant.refund_outstanding > 0:
                buttons.append({"url": url("refund"), "label": gettext("Record refund")})
        return buttons

    def _decide(self, request, object_id, **kwargs):
        return self.decision_view(request, object_id, lines=False, **kwargs)

    def move_view(self, request, object_id):
        application = self.get_object_in_office(request, object_id)
        return self._decide(
            request,
            object_id,
            form_class=partial(TransitionForm, application=application),
            title=gettext("Change status: %(number)s") % {"number": application.number_display},
            submit=gettext("Change status"),
            done=lambda a: (
                gettext("%(number)s: the status was changed.") % {"number": a.number_display}
            ),
            call=lambda a, data: services.application_transition(
                application=a, to=data["to"], note=data["note"], actor=request.user
            ),
        )

    def note_view(self, request, object_id):
        return self._decide(
            request,
            object_id,
            form_class=NoteForm,
            title=gettext("Add note"),
            submit=gettext("Add note"),
            done=lambda a: (
                gettext("The note was added to %(number)s.") % {"number": a.number_display}
            ),
            call=lambda a, data: services.application_note(
                application=a, note=data["note"], actor=request.user
            ),
        )

    def lower_view(self, request, object_id):
        return self._decide(
            request,
            object_id,
            form_class=AwardLowerForm,
            title=gettext("Lower the award"),
            submit=gettext("Lower the award"),
            done=lambda a: (
                gettext("The award of %(number)s was lowered.") % {"number": a.number_display}
            ),
            call=lambda a, data: services.award_lower(
                application=a, amount=data["amount"], reason=data["reason"], actor=request.user
            ),
        )

    def grant_view(self, request, object_id):
        return self._decide(
            request,
            object_id,
            form_class=GrantForm,
            title=gettext("Grant decision"),
            submit=gettext("Decide the grant"),
            done=lambda a: (
                gettext("The grant of %(number)s was decided.") % {"number": a.number_display}
            ),
            call=lambda a, data: services.grant_decide(
                application=a,
                bank=data["bank"],
                account_number=data["account_number"],
                account_holder=data["account_holder"],
                actor=request.user,
            ),
        )

    def _granted(self, request, object_id):
        application = self.get_object_in_office(request, object_id)
        grant = self._grant(application)
        if grant is None:
            self.message_user(request, gettext("No grant decision yet."), messages.ERROR)
        return application, grant

    def instalment_view(self, request, object_id):
        application, grant = self._granted(request, object_id)
        if grant is None:
            return redirect(self.change_url(application))
        return self._decide(
            request,
            object_id,
            form_class=AmountForm,
            title=gettext("Add instalment"),
            submit=gettext("Add instalment"),
            done=lambda a: (
                gettext("The instalment was added to %(number)s.") % {"number": a.number_display}
            ),
            call=lambda a, data: services.disbursement_add(
                grant=grant, amount=data["amount"], actor=request.user
            ),
        )

    def paid_view(self, request, object_id):
        application, grant = self._granted(request, object_id)
        if grant is None:
            return redirect(self.change_url(application))
        return self._decide(
            request,
            object_id,
            form_class=partial(MarkPaidForm, grant=grant),
            title=gettext("Mark instalment paid"),
            submit=gettext("Mark paid"),
            done=lambda a: (
                gettext("The instalment of %(number)s was marked paid.")
                % {"number": a.number_display}
            ),
            call=lambda a, data: services.disbursement_mark_paid(
                disbursement=data["disbursement"], actor=request.user
            ),
        )

    def expense_view(self, request, object_id):
        application, grant = self._granted(request, object_id)
        if grant is None:
            return redirect(self.change_url(application))
        return self._decide(
            request,
            object_id,
            form_class=partial(ExpenseDecideForm, grant=grant),
            title=gettext("Decide expenses"),
            submit=gettext("Decide"),
            done=lambda a: (
                gettext("The expense line of %(number)s was decided.")
                % {"number": a.number_display}
            ),
            call=lambda a, data: services.expense_decide(
                line=data["line"],
                accept=data["decision"] == "accept",
                note=data["note"],
                actor=request.user,
            ),
        )

    def settle_view(self, request, object_id):
        application, grant = self._granted(request, object_id)
        if grant is None:
            return redirect(self.change_url(application))
        return self._decide(
            request,
            object_id,
            form_class=ConfirmForm,
            title=gettext("Close settlement"),
            submit=gettext("Close settlement"),
            done=lambda a: (
                gettext("The settlement of %(number)s was closed.") % {"number": a.number_display}
            ),
            call=lambda a, data: services.settlement_close(grant=grant, actor=request.user),
        )

    def refund_view(self, request, object_id):
        application, grant = self._granted(request, object_id)
        if grant is None:
            return redirect(self.change_url(application))
        return self._decide(
            request,
            object_id,
            form_class=AmountForm,
            title=gettext("Record refund"),
            submit=gettext("Record refund"),
            done=lambda a: (
                gettext("The refund of %(number)s was recorded.") % {"number": a.number_display}
            ),
            call=lambda a, data: services.refund_record(
                grant=grant, amount=data["amount"], actor=request.user
            ),
        )

    # --- applications entered from paper ------------------------------------------------------

    def add_view(self, request, form_url="", extra_context=None):
        """A clerk enters a paper application: the same parsing and rules as the public page,
        with the clerk as the one who entered it; a refusal names its rule on the form."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = PaperApplicationForm(request.POST or None, user=request.user)
        if request.method == "POST" and form.is_valid():
            application = self._paper_submit(request, form)
            if application is not None:
                self.message_user(
                    request,
                    gettext("Application %(number)s was recorded: %(status)s.")
                    % {
                        "number": application.number_display,
                        "status": application.get_status_display(),
                    },
                    messages.SUCCESS,
                )
                return redirect(self.change_url(application))
        return TemplateResponse(
            request,
            "admin/programmes/application/paper_add.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "title": gettext("Enter a paper application"),
                "form": form,
                "media": self.media + form.media,
                "submit_label": gettext("Record the application"),
                "change_url": reverse(f"{self.admin_site.name}:programmes_application_changelist"),
            },
        )

    def _paper_submit(self, request, form):
        data = form.cleaned_data
        programme = data["programme"]
        try:
            parsed = services.application_input_parse(
                programme=programme,
                business_number=data["business_number"],
                annual_sales=data["annual_sales"],
                requested=data["requested"] or None,
                plan=data["plan"],
                budget_lines=data["budget_lines"],
                applicant=data["applicant"],
                phone=data["phone"],
                submitted_at=data["submitted_at"],
            )
            return services.application_submit(programme=programme, data=parsed, actor=request.user)
        except services.Refusal as refusal:
            form.add_error(
                None,
                gettext("Refused (%(rule)s): %(message)s")
                % {"rule": refusal.reason, "message": " ".join(refusal.messages)},
            )
        except ValidationError as error:
            service_errors_to_form(form, error)
        return None


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
