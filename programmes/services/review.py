"""Reviewers and their reviews (SPEC 7): assignment, conflict declarations and scores."""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.actors import Actor
from core.services import Conflict
from programmes import rules
from programmes.choices import EventKind
from programmes.models import Application, Programme, Review, Reviewer, Score
from programmes.services.common import actor_or_none, application_lock, event_add
from registry.roles import PROGRAMME_REVIEWER


def reviewer_can_be_assigned(programme: Programme, user) -> bool:
    return bool(
        user.is_active
        and user.is_staff
        and getattr(user, "office_id", None) == programme.office_id
        and user.groups.filter(name=PROGRAMME_REVIEWER).exists()
    )


@transaction.atomic
def reviewer_assign(*, programme: Programme, username: str, actor: Actor | None) -> Reviewer:
    """Assign a staff member of the programme's office who holds the reviewer role; anyone
    else is refused, and so is an assignment made twice."""
    user = get_user_model().objects.filter(username=username).first()
    if user is None or not reviewer_can_be_assigned(programme, user):
        raise ValidationError(
            {
                "username": ValidationError(
                    _("Only active staff of the office with the reviewer role can be assigned."),
                    code="not_a_reviewer",
                )
            }
        )
    try:
        with transaction.atomic():
            return Reviewer.objects.create(
                programme=programme, user=user, assigned_by=actor_or_none(actor)
            )
    except IntegrityError:
        raise ValidationError(
            {
                "username": ValidationError(
                    _("This reviewer is already assigned to the programme."), code="duplicate"
                )
            }
        ) from None


def reviewer_assigned(programme: Programme, user) -> bool:
    return Reviewer.objects.filter(programme=programme, user_id=user.pk).exists()


def _points(programme: Programme, scores) -> dict[str, int]:
    criteria = {c.key: c for c in programme.criteria.all()}
    if not isinstance(scores, dict):
        raise ValidationError(
            {"scores": ValidationError(_("Give one score per criterion."), code="invalid")}
        )
    errors = {}
    for key in sorted(set(scores) - set(criteria)):
        errors[key] = _("There is no criterion “%(key)s”.") % {"key": key}
    points = {}
    for key, criterion in criteria.items():
        value = scores.get(key)
        if value is None:
            errors[key] = _("Score “%(name)s”.") % {"name": criterion.name}
        elif isinstance(value, bool) or not isinstance(value, int):
            errors[key] = _("Give whole points.")
        elif not 0 <= value <= criterion.max_points:
            errors[key] = _("Give 0 to %(max)d points for “%(name)s”.") % {
                "max": criterion.max_points,
                "name": criterion.name,
            }
        else:
            points[key] = value
    if errors:
        raise ValidationError(
            {"scores": [ValidationError(m, code="invalid_scores") for m in errors.values()]}
        )
    return points


@transaction.atomic
def review_submit(
    *,
    application: Application,
    reviewer: Actor,
    scores: dict | None = None,
    conflict: bool = False,
    comment: str = "",
) -> Review:
    """Record a reviewer's review of an application under review.

    Only a reviewer assigned to the programme may review (else PermissionDenied); one review
    each (again: Conflict). A conflict of interest is recorded without scores and is not
    counted; otherwise every criterion gets 0 to its maximum and the weighted total is kept.
    """
    application = application_lock(application)
    programme = application.programme
    if not reviewer_assigned(programme, reviewer):
        raise PermissionDenied(_("You are not a reviewer of this programme."))
    if application.status != rules.UNDER_REVIEW:
        raise ValidationError(
            _("Only applications under review can be reviewed."), code="not_under_review"
        )
    if Review.objects.filter(application=application, reviewer_id=reviewer.pk).exists():
        raise Conflict(_("You have already reviewed this application."))
    total, points = None, {}
    if not conflict:
        points = _points(programme, scores or {})
        weights = {c.key: c.weight for c in programme.criteria.all()}
        total = rules.review_total(points, weights)
    try:
        with transaction.atomic():
            review = Review.objects.create(
                application=application,
                reviewer=reviewer,
                conflict=conflict,
                total=total,
                comment=comment.strip(),
                submitted_at=timezone.now(),
            )
    except IntegrityError:
        raise Conflict(_("You have already reviewed this application.")) from None
    criteria = {c.key: c for c in programme.criteria.all()}
    Score.objects.bulk_create(
        Score(review=review, criterion=criteria[key], points=value) for key, value in points.items()
    )
    event_add(
        application,
        EventKind.CONFLICT if conflict else EventKind.REVIEW,
        actor=reviewer,
        note=comment.strip() if conflict else "",
    )
    return review
