"""The dashboard's support programmes part (SPEC 6 with SPEC 7): each programme of the office
that is open or closed within the last year, with its budget, awarded, paid, remaining and its
applications by status, each number linked to the admin list behind it; and the programmes'
share of the viewer's pending work (a reviewer's applications to score, a clerk's applications
waiting for screening).

The links go to the application changelist (`admin:programmes_application_changelist`) with the
admin's own filters; a build of the admin without that list shows the numbers unlinked.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

import django_filters
from django.contrib import admin
from django.urls import NoReverseMatch
from django.utils.translation import gettext_lazy as _
from django_filters import FilterSet

from core.walls import for_user
from dashboard.figures import FigureSpec, admin_list
from programmes import rules
from programmes.choices import ApplicationStatus
from programmes.models import Application, Programme
from programmes.roles import sees_all_reviews
from programmes.selectors import applications_awaiting_review, office_programme_figures
from registry.models import Office, User

PROGRAMMES_PERMISSION = "programmes.view_programme"
APPLICATIONS_LIST = "admin:programmes_application_changelist"
# A programme stays on the dashboard for a year after it closes.
RECENT = timedelta(days=365)
# The statuses shown as columns, in the order an application moves through them.
STATUS_ORDER = [
    rules.SUBMITTED,
    rules.SCREENING,
    rules.CHANGES_REQUESTED,
    rules.UNDER_REVIEW,
    rules.SELECTED,
    rules.AWARDED,
    rules.NOT_SELECTED,
    rules.WITHDRAWN,
]


@dataclass(frozen=True)
class StatusCount:
    status: str
    label: str
    count: int
    list: str | None


@dataclass(frozen=True)
class ProgrammeRow:
    code: str
    name: str
    kind: str
    kind_label: str
    opens_at: datetime
    closes_at: datetime
    budget: int
    awarded: int
    paid: int
    remaining: int
    applications: list[StatusCount]
    list: str | None  # every application of the programme
    awarded_list: str | None  # the selected or awarded ones

    @property
    def total_applications(self) -> int:
        return sum(s.count for s in self.applications)


def _applications_list(viewer: User, office: Office, **filters) -> str | None:
    try:
        return admin_list(APPLICATIONS_LIST, viewer, office.code, **filters)
    except NoReverseMatch:
        return None


def programme_rows(*, viewer: User, office: Office, now: datetime) -> list[ProgrammeRow] | None:
    """The office's open and recent programmes, or None for a role that may not see them."""
    if not viewer.has_perm(PROGRAMMES_PERMISSION):
        return None
    programmes = (
        for_user(Programme.objects.all(), viewer)
        .filter(office=office, opens_at__lte=now, closes_at__gte=now - RECENT)
        .order_by("-opens_at", "pk")
    )
    if not sees_all_reviews(viewer):
        programmes = programmes.filter(reviewers__user=viewer)  # a reviewer: their own
    rows = []
    for figures in office_programme_figures(programmes):
        programme = figures.programme
        awarded_status = rules.SELECTED if programme.is_competitive else rules.AWARDED
        rows.append(
            ProgrammeRow(
                code=programme.code,
                name=programme.name,
                kind=programme.kind,
                kind_label=str(programme.get_kind_display()),
                opens_at=programme.opens_at,
                closes_at=programme.closes_at,
                budget=programme.budget,
                awarded=programme.awarded,
                paid=figures.paid,
                remaining=figures.remaining,
                applications=[
                    StatusCount(
                        status,
                        str(ApplicationStatus(status).label),
                        figures.applications.get(status, 0),
                        _applications_list(
                            viewer,
                            office,
                            programme__id__exact=programme.pk,
                            status__exact=status,
                        ),
                    )
                    for status in STATUS_ORDER
                    if status in figures.applications or _status_of_kind(status, programme)
                ],
                list=_applications_list(viewer, office, programme__id__exact=programme.pk),
                awarded_list=_applications_list(
                    viewer, office, programme__id__exact=programme.pk, status__exact=awarded_status
                ),
            )
        )
    return rows


def _status_of_kind(status: str, programme: Programme) -> bool:
    """Whether a programme of this kind has applications in `status` at all (entitlement
    applications are decided at once, so they show only their outcome)."""
    if programme.is_competitive:
        return status != rules.AWARDED
    return status == rules.AWARDED


class PendingApplicationFilterSet(FilterSet):
    """The programme applications of the viewer's pending work: by status, or those waiting
    for the viewer's own review."""

    status = django_filters.ChoiceFilter(choices=ApplicationStatus.choices)
    awaiting_my_review = django_filters.BooleanFilter(method="filter_awaiting_my_review")

    class Meta:
        model = Application
        fields = ["status"]

    def filter_awaiting_my_review(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(pk__in=applications_awaiting_review(self.request.user).values("pk"))


REVIEWS_PENDING = FigureSpec(
    key="pending_programme_reviews",
    label=_("Applications to review"),
    definition=_("Applications under review in your programmes that you have not reviewed."),
    permissions=("programmes.add_review",),
    filterset=PendingApplicationFilterSet,
    rows=Application.objects.all,
    office_path="programme__office",
    filters={"awaiting_my_review": "true"},
    admin_list="admin:programmes_review_queue",
    admin_filters={},
)

SCREENING_PENDING = FigureSpec(
    key="pending_programme_screening",
    label=_("Programme applications to screen"),
    definition=_("Applications to support programmes submitted and waiting for screening."),
    permissions=("programmes.change_application",),
    filterset=PendingApplicationFilterSet,
    rows=Application.objects.all,
    office_path="programme__office",
    filters={"status": rules.SUBMITTED},
    admin_list=APPLICATIONS_LIST,
    admin_filters={"status__exact": rules.SUBMITTED},
)


def programme_pending() -> list[FigureSpec]:
    """The programmes' pending-work specs; the screening one once its list is in the admin."""
    specs = [REVIEWS_PENDING]
    if admin.site.is_registered(Application):
        specs.append(SCREENING_PENDING)
    return specs
