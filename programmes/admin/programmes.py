"""Support programmes in the clerks' admin (SPEC 7): the list with the money, the form with its
criteria, digit days and reviewers, the figures and the review progress on the change page, the
selection behind a confirmation page, and the draft instalments downloaded for the finance
system."""

from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from core.admin.columns import moment_short
from core.admin.history import HistoryAdmin
from core.admin.mixins import OfficeWallMixin, ServiceRefused
from core.audit import access_log_many
from core.choices import AccessAction
from core.services import Conflict
from core.templatetags.golmok import won
from programmes import rules, services
from programmes.choices import ApplicationStatus, DisbursementStatus
from programmes.models import (
    Application,
    Criterion,
    DigitDay,
    Disbursement,
    Grant,
    Programme,
    Reviewer,
)
from programmes.roles import sees_all_reviews
from programmes.selectors import application_scores, programme_figures, review_progress
from programmes.services.editing import (
    PROGRAMME_FIELDS,
    programme_criteria_set,
    programme_digit_days_set,
    programme_update,
    reviewer_remove,
)
from registry.choices import EnterpriseType
from registry.roles import PROGRAMME_REVIEWER


class ProgrammeForm(forms.ModelForm):
    enterprise_types = forms.MultipleChoiceField(
        label=_("social-economy types"),
        choices=EnterpriseType.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Leave empty to take every business."),
    )

    class Meta:
        model = Programme
        fields = [
            "office",
            "code",
            "name",
            "kind",
            "description",
            "opens_at",
            "closes_at",
            "budget",
            "max_award",
            "amount",
            "pass_mark",
            "trimmed_mean",
            "annual_sales_min_exclusive",
            "annual_sales_max",
            "opened_before",
            "enterprise_types",
            "dongs",
        ]
        help_texts = {
            "annual_sales_max": _(
                "Declared sales must be at most this amount; leave empty for no upper limit."
            ),
            "budget": _("All awards together never exceed the budget."),
            "kind": _(
                "Competitive: a committee scores the applications and the selection awards them. "
                "Entitlement: every eligible applicant is awarded the amount at once."
            ),
        }


# Stacked, not tabular: each input carries its own label, which screen readers need.
class CriterionInline(admin.StackedInline):
    model = Criterion
    fields = ("key", "name", "weight", "max_points")
    extra = 0
    verbose_name_plural = _("review criteria (competitive programmes)")


class DigitDayInline(admin.StackedInline):
    model = DigitDay
    fields = ("day", "digits")
    extra = 0
    verbose_name_plural = _("digit days (entitlement programmes)")


class ReviewerInline(admin.StackedInline):
    """Reviewers are added through `reviewer_assign`; only staff of the office holding the
    reviewer role can be chosen."""

    model = Reviewer
    fields = ("user", "assigned_by", "assigned_at")
    readonly_fields = ("assigned_by", "assigned_at")
    extra = 0

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "user":
            office_id = getattr(self._programme, "office_id", None) or getattr(
                request.user, "office_id", None
            )
            kwargs["queryset"] = (
                get_user_model()
                .objects.filter(
                    is_active=True,
                    is_staff=True,
                    office_id=office_id,
                    groups__name=PROGRAMME_REVIEWER,
                )
                .order_by("username")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    _programme = None

    def get_formset(self, request, obj=None, **kwargs):
        self._programme = obj
        return super().get_formset(request, obj, **kwargs)


@admin.register(Programme)
class ProgrammeAdmin(OfficeWallMixin, HistoryAdmin):
    form = ProgrammeForm
    list_display = (
        "name",
        "kind",
        "window",
        "budget_won",
        "awarded_won",
        "remaining_won",
    )
    list_filter = ("kind",)
    search_fields = ("code", "name")
    search_help_text = _("Part of the programme's code or name.")
    show_facets = admin.ShowFacets.NEVER
    object_views = (("select", "select_view"), ("instalments", "instalments_view"))
    fieldsets = [
        (None, {"fields": ["code", "name", "kind", "description"]}),
        (
            _("Window and money"),
            {
                "fields": [
                    "opens_at",
                    "closes_at",
                    "budget",
                    "max_award",
                    "amount",
                    "pass_mark",
                    "trimmed_mean",
                ]
            },
        ),
        (
            pgettext_lazy("programme", "Eligibility"),
            {
                "fields": [
                    "annual_sales_min_exclusive",
                    "annual_sales_max",
                    "opened_before",
                    "enterprise_types",
                    "dongs",
                ],
                "description": _(
                    "Every rule left empty takes every business. The office's restricted "
                    "business types are always refused."
                ),
            },
        ),
    ]

    class Media:
        css = {"all": ["programmes/admin.css"]}

    # --- list --------------------------------------------------------------------------------

    @admin.display(description=_("application window"), ordering="opens_at")
    def window(self, programme):
        return format_html(
            "{} ~ {}",
            moment_short(programme.opens_at, "Y-m-d"),
            moment_short(programme.closes_at, "Y-m-d H:i"),
        )

    @admin.display(description=_("budget (won)"), ordering="budget")
    def budget_won(self, programme):
        return won(programme.budget)

    @admin.display(description=_("awarded (won)"), ordering="awarded")
    def awarded_won(self, programme):
        return won(programme.awarded)

    @admin.display(description=_("remaining (won)"))
    def remaining_won(self, programme):
        return won(programme.remaining)

    # --- change page -------------------------------------------------------------------------

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if sees_all_reviews(request.user):
            return queryset
        # A reviewer sees only the programmes they are assigned to.
        return queryset.filter(reviewers__user=request.user)

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None:
            return fieldsets
        extra = [(_("Figures"), {"fields": ["figures"]})]
        if obj.is_competitive:
            extra.append((_("Review progress"), {"fields": ["progress"]}))
            extra.append((_("Selection"), {"fields": ["selected_at", "selected_by"]}))
        return [*fieldsets, *extra]

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if obj is not None:
            readonly += ["code", "kind", "figures", "progress", "selected_at", "selected_by"]
        return readonly

    def get_inlines(self, request, obj):
        if obj is None:
            return [CriterionInline, DigitDayInline]
        if obj.is_competitive:
            return [CriterionInline, ReviewerInline]
        return [DigitDayInline]

    @admin.display(description=_("figures"))
    def figures(self, programme):
        figures = programme_figures(programme)
        rows = [
            (gettext("Budget"), won(figures.budget)),
            (gettext("Awarded"), won(figures.awarded)),
            (gettext("Paid"), won(figures.paid)),
            (gettext("Expenses accepted"), won(figures.accepted)),
            (gettext("Refunds due"), won(figures.refunds_due)),
            (gettext("Refunds returned"), won(figures.refunds_returned)),
            (gettext("Remaining"), won(figures.remaining)),
        ]
        statuses = [
            (label, f"{figures.applications.get(value, 0):,}")
            for value, label in ApplicationStatus.choices
            if figures.applications.get(value)
        ]
        return render_to_string(
            "admin/programmes/includes/figures.html", {"rows": rows, "statuses": statuses}
        )

    @admin.display(description=_("review progress"))
    def progress(self, programme):
        return render_to_string(
            "admin/programmes/includes/review_progress.html",
            {"progress": review_progress(programme)},
        )

    def object_buttons(self, request, obj):
        if not self.has_change_permission(request, obj):
            return []
        buttons = []
        if obj.is_competitive and obj.selected_at is None:
            buttons.append(
                {"url": self.object_url(obj, "select"), "label": gettext("Run the selection")}
            )
        buttons.append(
            {
                "url": self.object_url(obj, "instalments"),
                "label": gettext("Download draft instalments (CSV)"),
                "post": True,
            }
        )
        return buttons

    # --- saving through the services ---------------------------------------------------------

    def save_model(self, request, obj, form, change):
        if not change:
            return  # created with its criteria and digit days in save_related
        data = form.cleaned_data
        changes = {f: data[f] for f in form.changed_data if f in PROGRAMME_FIELDS}
        dongs = list(data["dongs"]) if "dongs" in form.changed_data else None
        try:
            saved = programme_update(
                programme=obj, changes=changes, dongs=dongs, actor=request.user
            )
        except ValidationError as error:
            raise ServiceRefused(error) from error
        self.adopt(obj, saved)

    def save_related(self, request, form, formsets, change):
        by_model = {formset.model: formset for formset in formsets}
        for formset in formsets:
            formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        try:
            if not change:
                self._create(request, form, by_model)
                return
            programme = form.instance
            if Criterion in by_model and by_model[Criterion].has_changed():
                programme_criteria_set(
                    programme=programme,
                    criteria=_criteria(by_model[Criterion]),
                    actor=request.user,
                )
            if DigitDay in by_model and by_model[DigitDay].has_changed():
                programme_digit_days_set(
                    programme=programme,
                    digit_days=_digit_days(by_model[DigitDay]),
                    actor=request.user,
                )
            if Reviewer in by_model:
                self._reviewers(request, programme, by_model[Reviewer])
        except ValidationError as error:
            raise ServiceRefused(error) from error

    def _create(self, request, form, by_model) -> None:
        data = form.cleaned_data
        fields = {f: data[f] for f in (*PROGRAMME_FIELDS, "code", "kind") if f in data}
        saved = services.programme_create(
            office=self.office_for(request, form),
            fields=fields,
            criteria=_criteria(by_model[Criterion]) if Criterion in by_model else [],
            digit_days=_digit_days(by_model[DigitDay]) if DigitDay in by_model else [],
            dong_names=[d.name for d in data.get("dongs") or []],
            actor=request.user,
        )
        self.adopt(form.instance, saved)

    @staticmethod
    def _reviewers(request, programme, formset) -> None:
        for reviewer_form in formset.forms:
            if not reviewer_form.has_changed() and not formset._should_delete_form(reviewer_form):
                continue
            instance = reviewer_form.instance
            if instance.pk and formset._should_delete_form(reviewer_form):
                reviewer_remove(reviewer=instance, actor=request.user)
            elif not instance.pk and reviewer_form.cleaned_data.get("user"):
                services.reviewer_assign(
                    programme=programme,
                    username=reviewer_form.cleaned_data["user"].username,
                    actor=request.user,
                )

    # --- the selection -----------------------------------------------------------------------

    def select_view(self, request, object_id):
        """The selection runs once and cannot be undone: first a page that says how many
        applications nobody has scored, then the service."""
        programme = self.get_object_in_office(request, object_id)
        self.object_view_allowed(request, programme)
        if programme.selected_at is not None:
            self.message_user(
                request,
                gettext("The selection of this programme has already been run."),
                messages.ERROR,
            )
            return redirect(self.change_url(programme))
        if not self.confirmed(request):
            return self._select_confirmation(request, programme)
        try:
            selected = services.programme_select(programme=programme, actor=request.user)
        except Conflict as conflict:
            self.message_user(request, str(conflict), messages.ERROR)
        except ValidationError as error:
            self.refusal_message(request, error)
        else:
            chosen = sum(1 for s in selected if s.outcome.award)
            self.message_user(
                request,
                gettext(
                    "The selection was run: %(selected)s of %(scored)s scored applications "
                    "were selected."
                )
                % {"selected": f"{chosen:,}", "scored": f"{len(selected):,}"},
                messages.SUCCESS,
            )
        return redirect(self.change_url(programme))

    def _select_confirmation(self, request, programme):
        scores = application_scores(programme)
        unscored = sum(1 for score in scores.scores.values() if score is None)
        warning = gettext(
            "The selection runs once and cannot be undone: every scored application is "
            "selected or not, awards are taken from the budget and the applicants are told."
        )
        if unscored:
            warning += " " + ngettext(
                "%(count)s application under review has no score yet: it is left out of the "
                "selection.",
                "%(count)s applications under review have no score yet: they are left out of "
                "the selection.",
                unscored,
            ) % {"count": f"{unscored:,}"}
        waiting = Application.objects.filter(
            programme=programme,
            status__in=(rules.SUBMITTED, rules.SCREENING, rules.CHANGES_REQUESTED),
        ).count()
        if waiting:
            warning += " " + ngettext(
                "%(count)s application has not reached review yet (submitted, in screening or "
                "waiting for changes): it takes no part in the selection.",
                "%(count)s applications have not reached review yet (submitted, in screening or "
                "waiting for changes): they take no part in the selection.",
                waiting,
            ) % {"count": f"{waiting:,}"}
        return self.render_confirmation(
            request,
            programme,
            title=gettext("Run the selection"),
            question=gettext("Are you sure you want to run the selection of this programme?"),
            facts=[
                (gettext("Programme"), programme.name),
                (gettext("Applications under review"), f"{len(scores.applications):,}"),
                (gettext("Not scored yet"), f"{unscored:,}"),
                (gettext("Not yet under review"), f"{waiting:,}"),
                (gettext("Pass mark"), programme.pass_mark),
                (gettext("Largest award"), won(programme.max_award)),
                (gettext("Budget remaining"), won(programme.remaining)),
            ],
            warning=warning,
            confirm_label=gettext("Yes, run the selection"),
        )

    # --- the instalments' file ---------------------------------------------------------------

    def instalments_view(self, request, object_id):
        """The draft instalments as CSV for the finance system, with full account numbers:
        marked exported, and each grant in it written to the access log as an export."""
        programme = self.get_object_in_office(request, object_id)
        self.object_view_allowed(request, programme)
        if request.method != "POST":
            return redirect(self.change_url(programme))
        with transaction.atomic():
            grants = list(
                Grant.objects.filter(
                    pk__in=Disbursement.objects.filter(
                        grant__application__programme=programme, status=DisbursementStatus.DRAFT
                    ).values("grant_id")
                )
            )
            text, count = services.disbursements_export(programme=programme, actor=request.user)
            access_log_many(
                user=request.user,
                action=AccessAction.EXPORT,
                objects=grants,
                detail=gettext("instalments CSV for the finance system, %(count)s rows")
                % {"count": count},
            )
        if not count:
            self.message_user(
                request, gettext("There are no draft instalments to export."), messages.WARNING
            )
            return redirect(self.change_url(programme))
        response = HttpResponse(text, content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="instalments-{programme.code}.csv"'
        response["Cache-Control"] = "private, no-store"
        return response


def _criteria(formset) -> list[services.CriterionInput]:
    return [
        services.CriterionInput(
            key=f.cleaned_data["key"],
            name=f.cleaned_data["name"],
            weight=f.cleaned_data["weight"],
            max_points=f.cleaned_data["max_points"],
        )
        for f in formset.forms
        if f.cleaned_data and not formset._should_delete_form(f)
    ]


def _digit_days(formset) -> list[services.DigitDayInput]:
    return [
        services.DigitDayInput(day=f.cleaned_data["day"], digits=f.cleaned_data["digits"])
        for f in formset.forms
        if f.cleaned_data and not formset._should_delete_form(f)
    ]
