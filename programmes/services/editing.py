"""Changing a programme after it was created, as the clerk's admin does (SPEC 7): its terms and
eligibility, its review criteria until the first review, its digit days, and its reviewers.

`programme_create` (setup) makes a programme; these keep the same rules for the changes that
follow, so that a criterion cannot change under a reviewer's scores and a budget cannot fall
below what has been awarded.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core.actors import Actor
from core.clock import local_date
from core.services import apply_changes, attribute, save_checked
from programmes import rules
from programmes.models import Criterion, DigitDay, Programme, Review, Reviewer
from programmes.services.common import programme_lock
from programmes.services.setup import CriterionInput, DigitDayInput, _criteria_check
from registry.models import Dong

# What a clerk may change on a programme; the code and the kind are fixed once it exists.
PROGRAMME_FIELDS = {
    "name",
    "description",
    "opens_at",
    "closes_at",
    "budget",
    "max_award",
    "amount",
    "annual_sales_min_exclusive",
    "annual_sales_max",
    "opened_before",
    "enterprise_types",
    "pass_mark",
    "trimmed_mean",
}


@transaction.atomic
def programme_update(
    *,
    programme: Programme,
    changes: dict,
    dongs: list[Dong] | None = None,
    actor: Actor | None,
) -> Programme:
    """Change the programme's terms and eligibility under its row lock: the budget never falls
    below what is awarded (the constraint names it), and the terms of a competitive programme
    stay fixed once its selection has run."""
    locked = programme_lock(programme)
    if locked.selected_at is not None and {"max_award", "pass_mark", "trimmed_mean"} & set(changes):
        raise ValidationError(
            _("The selection has run: the largest award and the pass mark can no longer change."),
            code="selected",
        )
    if locked.awarded and "amount" in changes and changes["amount"] != locked.amount:
        raise ValidationError(
            {
                "amount": ValidationError(
                    _("Awards have been made: the amount per business can no longer change."),
                    code="awarded",
                )
            }
        )
    changed = apply_changes(locked, changes, PROGRAMME_FIELDS)
    if dongs is not None:
        foreign = [d.name for d in dongs if d.office_id != locked.office_id]
        if foreign:
            raise ValidationError(
                {
                    "dongs": ValidationError(
                        _("These are not dongs of the office: %(names)s")
                        % {"names": ", ".join(foreign)},
                        code="unknown_dong",
                    )
                }
            )
    if changed:
        attribute(locked, actor, _("Programme changed"))
        save_checked(locked)
    if dongs is not None:
        locked.dongs.set(dongs)
    return locked


@transaction.atomic
def programme_criteria_set(
    *, programme: Programme, criteria: list[CriterionInput], actor: Actor | None
) -> None:
    """Replace the programme's review criteria, in the order given, while nobody has reviewed
    any of its applications yet: afterwards the scores given hold them fixed."""
    locked = programme_lock(programme)
    current = [CriterionInput(c.key, c.name, c.weight, c.max_points) for c in locked.criteria.all()]
    if current == list(criteria):
        return
    _criteria_check(locked.kind, list(criteria))
    if Review.objects.filter(application__programme=locked).exists():
        raise ValidationError(
            {
                "criteria": ValidationError(
                    _("Reviews have been given: the criteria can no longer change."),
                    code="reviewed",
                )
            }
        )
    locked.criteria.all().delete()
    for position, c in enumerate(criteria):
        save_checked(
            Criterion(
                programme=locked,
                key=c.key,
                name=c.name,
                weight=c.weight,
                max_points=c.max_points,
                position=position,
            )
        )


@transaction.atomic
def programme_digit_days_set(
    *, programme: Programme, digit_days: list[DigitDayInput], actor: Actor | None
) -> None:
    """Replace the digit days (5부제) of an entitlement programme; each falls in the window."""
    locked = programme_lock(programme)
    if digit_days and locked.kind != rules.ENTITLEMENT:
        raise ValidationError(
            {
                "digit_days": ValidationError(
                    _("Digit days are for entitlement programmes."), code="kind"
                )
            }
        )
    days = [d.day for d in digit_days]
    if len(days) != len(set(days)):
        raise ValidationError(
            {"digit_days": ValidationError(_("This day already has its digits."), code="duplicate")}
        )
    locked.digit_days.all().delete()
    for d in digit_days:
        if not local_date(locked.opens_at) <= d.day <= local_date(locked.closes_at):
            raise ValidationError(
                {
                    "digit_days": ValidationError(
                        _("A digit day must fall within the application window."), code="range"
                    )
                }
            )
        save_checked(DigitDay(programme=locked, day=d.day, digits=d.digits))


@transaction.atomic
def reviewer_remove(*, reviewer: Reviewer, actor: Actor | None) -> None:
    """Take a reviewer off the programme, unless they have already reviewed one of its
    applications (their review stays counted, so they stay assigned)."""
    if Review.objects.filter(
        application__programme_id=reviewer.programme_id, reviewer_id=reviewer.user_id
    ).exists():
        raise ValidationError(
            _("%(reviewer)s has already reviewed applications and stays assigned.")
            % {"reviewer": reviewer},
            code="reviewed",
        )
    reviewer.delete()
