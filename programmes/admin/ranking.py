"""The ranking and decision record of a competitive programme (SPEC 7: "the ranking with every
score is kept and printable"), for the clerks, supervisors and auditors of its office.

One page, `admin:programmes_programme_ranking` (/admin/programmes/programme/<id>/ranking/):
every scored application with each reviewer's total and each criterion's points, the mean
(trimmed where it applies), rank, award, status and reason, the budget and its totals, when the
selection ran and who ran it, and lines for the signatures; it prints on A4 as it stands.

The URL joins the admin site's own (the programme's admin belongs to another module), placed
before the site's so that the programme admin's catch-all object URL does not take it.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext

from core.audit import access_log
from core.choices import AccessAction
from programmes import rules
from programmes.choices import ApplicationStatus, reason_label
from programmes.models import Application, Criterion, Programme, Review
from programmes.roles import sees_all_reviews
from programmes.selectors import ranking

URL_NAME = "programmes_programme_ranking"


@dataclass(frozen=True)
class RankingRow:
    application: Application
    reviews: list  # one cell per reviewer: the Review, or None when they did not review
    points: list  # per criterion: [points or None for each reviewer]
    trimmed: bool
    status: str
    reason: str


def ranking_rows(programme: Programme) -> tuple[list, list[Criterion], list[RankingRow]]:
    """The reviewers (as columns), the criteria and one row per ranked application."""
    applications = ranking(programme)
    criteria = list(programme.criteria.all())
    reviewers = {r.user_id: r.user for r in programme.reviewers.select_related("user")}
    for application in applications:
        for review in application.reviews.all():
            reviewers.setdefault(review.reviewer_id, review.reviewer)
    columns = sorted(reviewers.values(), key=lambda u: (u.get_username(), u.pk))
    rows = []
    for application in applications:
        by_reviewer: dict[int, Review] = {r.reviewer_id: r for r in application.reviews.all()}
        cells = [by_reviewer.get(user.pk) for user in columns]
        points = [
            [
                next(
                    (s.points for s in r.scores.all() if s.criterion_id == criterion.pk),
                    None,
                )
                if r is not None and not r.conflict
                else None
                for r in cells
            ]
            for criterion in criteria
        ]
        scored = sum(1 for r in cells if r is not None and not r.conflict)
        rows.append(
            RankingRow(
                application=application,
                reviews=cells,
                points=list(zip(criteria, points, strict=True)),
                trimmed=programme.trimmed_mean and scored >= 5,
                status=str(ApplicationStatus(application.status).label),
                reason=reason_label(application.reason),
            )
        )
    return columns, criteria, rows


def ranking_view(request, programme_id: int):
    """The printable ranking of one programme of the viewer's office."""
    user = request.user
    if not (user.has_perm("programmes.view_programme") and sees_all_reviews(user)):
        raise PermissionDenied
    programme = (
        Programme.objects.filter(pk=programme_id, kind=rules.COMPETITIVE)
        .select_related("office", "selected_by")
        .first()
    )
    if programme is None or not (user.is_superuser or programme.office_id == user.office_id):
        raise Http404(gettext("No such programme in your office."))
    columns, criteria, rows = ranking_rows(programme)
    access_log(user=user, action=AccessAction.VIEW, obj=programme, detail=gettext("ranking page"))
    awarded = sum(row.application.award or 0 for row in rows)
    return TemplateResponse(
        request,
        "admin/programmes/ranking/ranking.html",
        {
            **admin.site.each_context(request),
            "opts": Programme._meta,
            "title": gettext("Ranking and decision record: %(name)s") % {"name": programme.name},
            "programme": programme,
            "reviewers": columns,
            "criteria": criteria,
            "rows": rows,
            "requested_total": sum(row.application.requested or 0 for row in rows),
            "awarded_total": awarded,
            "remaining": programme.budget - programme.awarded,
            "best_total": sum((c.weight * c.max_points for c in criteria), Decimal(0)).normalize(),
            "selected_count": sum(1 for row in rows if row.application.award),
        },
    )


def _with_ranking(get_urls):
    def urls():
        return [
            path(
                "programmes/programme/<int:programme_id>/ranking/",
                admin.site.admin_view(ranking_view),
                name=URL_NAME,
            ),
            *get_urls(),
        ]

    return urls


admin.site.get_urls = _with_ranking(admin.site.get_urls)
