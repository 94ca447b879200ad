"""Reviewers in the admin (SPEC 7): a queue of the applications under review in the programmes a
reviewer is assigned to, and one page per application to score it or declare a conflict.

A reviewer meets only their own reviews: the list of reviews shows them their own, and nothing
on these pages shows another reviewer's scores (the ranking shows them all, after the
selection, to the roles that read the whole programme). The scoring page shows the business,
the plan, the budget lines and the attachments, never the applicant's phone number; every
opening is written to the access log. The review itself goes through
`programmes.services.review_submit`, so a second review is refused here as in the API.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.admin.files import private_file_response
from core.admin.mixins import OfficeWallMixin
from core.audit import access_log
from core.choices import AccessAction
from core.forms import service_errors_to_form
from core.services import Conflict
from programmes import rules, services
from programmes.models import Application, Criterion, Review
from programmes.roles import sees_all_reviews


def review_queue(user):
    """The applications under review in the programmes `user` is assigned to, each with the
    user's own review (if any) as `mine`, oldest submission first."""
    return (
        Application.objects.filter(
            programme__reviewers__user=user,
            programme__office_id=user.office_id,
            status=rules.UNDER_REVIEW,
        )
        .select_related("programme", "store")
        .prefetch_related(
            Prefetch("reviews", queryset=Review.objects.filter(reviewer=user), to_attr="mine")
        )
        .order_by("programme__closes_at", "programme_id", "submitted_at", "pk")
    )


class ReviewForm(forms.Form):
    """One review: a conflict of interest with its comment, or points for every criterion."""

    conflict = forms.BooleanField(
        label=_("I have a conflict of interest with this applicant"),
        required=False,
        help_text=_(
            "For example a family tie, a shared business or a consulting contract. The "
            "declaration is recorded and you cannot score this application."
        ),
    )
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Your reasons in a few sentences; required with a conflict of interest."),
    )

    def __init__(self, *args, criteria: list[Criterion], **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        for criterion in criteria:
            self.fields[self.field_name(criterion)] = forms.IntegerField(
                label=criterion.name,
                required=False,
                min_value=0,
                max_value=criterion.max_points,
                help_text=gettext("0 to %(max)s points, counted %(weight)s times")
                % {"max": criterion.max_points, "weight": f"{criterion.weight.normalize():f}"},
                widget=forms.NumberInput(attrs={"min": 0, "max": criterion.max_points}),
            )

    @staticmethod
    def field_name(criterion: Criterion) -> str:
        return f"score_{criterion.key}"

    def score_fields(self):
        return [self[self.field_name(c)] for c in self.criteria]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("conflict"):
            if not (cleaned.get("comment") or "").strip():
                self.add_error("comment", gettext("Say what the conflict of interest is."))
            return cleaned
        for criterion in self.criteria:
            name = self.field_name(criterion)
            if name not in self.errors and cleaned.get(name) is None:
                self.add_error(
                    name,
                    gettext("Give 0 to %(max)d points for “%(name)s”.")
                    % {"max": criterion.max_points, "name": criterion.name},
                )
        return cleaned

    def scores(self) -> dict[str, int]:
        return {c.key: self.cleaned_data[self.field_name(c)] for c in self.criteria}


@admin.register(Review)
class ReviewAdmin(OfficeWallMixin, admin.ModelAdmin):
    """Reviews are written only through the scoring page; the list is for reading them."""

    office_field = "application__programme__office"
    list_display = ("application", "reviewer", "conflict", "total", "submitted_at")
    list_filter = ("conflict",)
    list_select_related = ("application__programme", "reviewer")
    search_fields = ("application__number", "application__store__trade_name")
    readonly_fields = ("application", "reviewer", "conflict", "total", "comment", "submitted_at")
    fields = readonly_fields

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if not sees_all_reviews(request.user):
            queryset = queryset.filter(reviewer=request.user)
        return queryset

    def has_add_permission(self, request):
        return False  # the scoring page adds reviews, through the service

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        if not sees_all_reviews(request.user):
            return redirect(self.queue_url())
        return super().changelist_view(request, extra_context)

    # --- the reviewer's pages ----------------------------------------------------------------

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("queue/", view(self.queue_view), name="programmes_review_queue"),
            path(
                "application/<int:application_id>/",
                view(self.score_view),
                name="programmes_review_score",
            ),
            path(
                "application/<int:application_id>/attachment/<int:attachment_id>/",
                view(self.attachment_view),
                name="programmes_review_attachment",
            ),
            *super().get_urls(),
        ]

    def queue_url(self) -> str:
        return reverse(f"{self.admin_site.name}:programmes_review_queue")

    def _context(self, request, **context) -> dict:
        return {**self.admin_site.each_context(request), "opts": self.opts, **context}

    def _reviewer_only(self, request) -> None:
        if not request.user.has_perm("programmes.add_review"):
            raise PermissionDenied

    def queue_view(self, request):
        """The reviewer's queue: what waits for their review, and what they have reviewed."""
        self._reviewer_only(request)
        applications = list(review_queue(request.user))
        for application in applications:
            application.my_review = application.mine[0] if application.mine else None
        return TemplateResponse(
            request,
            "admin/programmes/review/queue.html",
            self._context(
                request,
                title=gettext("Applications to review"),
                applications=applications,
                waiting=sum(1 for a in applications if a.my_review is None),
            ),
        )

    def _queued_application(self, request, application_id: int) -> Application:
        application = (
            review_queue(request.user)
            .select_related("store__dong")
            .prefetch_related("budget_lines", "attachments", "programme__criteria")
            .filter(pk=application_id)
            .first()
        )
        if application is None:
            raise Http404(gettext("No such application in your review queue."))
        return application

    def score_view(self, request, application_id: int):
        """One application as the reviewer scores it, with the form for the review."""
        self._reviewer_only(request)
        application = self._queued_application(request, application_id)
        mine = application.mine[0] if application.mine else None
        criteria = list(application.programme.criteria.all())
        form = None
        if mine is None:
            data = request.POST if request.method == "POST" else None
            form = ReviewForm(data, criteria=criteria)
            if form.is_bound and form.is_valid() and self._submit(request, application, form):
                return redirect(self.queue_url())
        elif request.method == "POST":
            # A second review, from a page left open: refused as the service refuses it.
            self.message_user(
                request, gettext("You have already reviewed this application."), messages.ERROR
            )
        if request.method == "GET":
            access_log(
                user=request.user,
                action=AccessAction.VIEW,
                obj=application,
                detail=gettext("review page"),
            )
        return TemplateResponse(
            request,
            "admin/programmes/review/score.html",
            self._context(
                request,
                title=gettext("Review %(number)s") % {"number": application.number_display},
                application=application,
                mine=mine,
                my_scores=list(mine.scores.select_related("criterion")) if mine else [],
                criteria=criteria,
                form=form,
                queue_url=self.queue_url(),
            ),
        )

    def _submit(self, request, application, form) -> bool:
        conflict = form.cleaned_data["conflict"]
        try:
            services.review_submit(
                application=application,
                reviewer=request.user,
                scores=None if conflict else form.scores(),
                conflict=conflict,
                comment=form.cleaned_data["comment"],
            )
        except ValidationError as error:
            service_errors_to_form(form, error)
            return False
        except Conflict as conflict_error:
            form.add_error(None, str(conflict_error))
            return False
        if conflict:
            done = gettext("Your conflict of interest with %(number)s was recorded.")
        else:
            done = gettext("Your review of %(number)s was recorded.")
        self.message_user(request, done % {"number": application.number_display})
        return True

    def attachment_view(self, request, application_id: int, attachment_id: int):
        """An attachment of an application in the reviewer's queue; the opening is logged."""
        self._reviewer_only(request)
        application = self._queued_application(request, application_id)
        return private_file_response(
            request=request,
            record=application,
            document=application.attachments.filter(pk=attachment_id).first(),
            detail=gettext("attachment %(id)s") % {"id": attachment_id},
            name_stem=application.number,
        )
