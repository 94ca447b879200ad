"""The selection of a competitive programme, run once, and the committee lowering an award."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.actors import Actor
from core.services import Conflict, attribute
from programmes import rules
from programmes.choices import EntryKind, EventKind
from programmes.models import Application, Programme
from programmes.selectors import application_scores
from programmes.services.common import (
    actor_or_none,
    application_lock,
    budget_release,
    budget_spend,
    event_add,
    ledger_add,
    programme_lock,
)
from programmes.services.notices import application_notify


@dataclass(frozen=True)
class Selected:
    application: Application
    outcome: rules.Outcome


@transaction.atomic
def programme_select(*, programme: Programme, actor: Actor | None) -> list[Selected]:
    """Run the selection of SPEC 7 once: rank the scored applications under review, award in
    rank order within what is left of the budget, decide each one and notify its applicant.

    The programme's row is locked for the run, so two clicks cannot both select; a second run
    is a Conflict. Applications without any score stay under review for the clerk to settle.
    """
    programme = programme_lock(programme)
    if not programme.is_competitive:
        raise ValidationError(_("Only competitive programmes have a selection."), code="kind")
    if programme.selected_at is not None:
        raise Conflict(_("The selection of this programme has already been run."))
    now = timezone.now()
    if now < programme.closes_at:
        raise ValidationError(
            _("The selection can run only after applications close."), code="window_open"
        )
    # The applications under review are locked before their scores are read, so a withdrawal
    # or a review committing meanwhile waits for the selection instead of being overwritten or
    # left out of the mean (programme, then applications: the order every service keeps).
    list(
        Application.objects.select_for_update()
        .filter(programme=programme, status=rules.UNDER_REVIEW)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    scores = application_scores(programme)
    applications = {a.pk: a for a in scores.applications}
    outcomes = rules.select(
        [
            rules.Candidate(pk, score, applications[pk].submitted_at, applications[pk].requested)
            for pk, score in scores.scores.items()
            if score is not None
        ],
        pass_mark=programme.pass_mark,
        max_award=programme.max_award,
        budget_left=programme.remaining,
    )
    total = sum(o.award for o in outcomes)
    if total and not budget_spend(programme.pk, total):  # the lock makes this impossible
        raise ValidationError(_("The awards exceed the budget."), code="budget_exhausted")
    selected = []
    for outcome in outcomes:
        application = _decide(applications[outcome.key], outcome, actor, now)
        selected.append(Selected(application, outcome))
    programme.selected_at, programme.selected_by = now, actor_or_none(actor)
    attribute(programme, actor, _("Selection run"))
    programme.save(update_fields=["selected_at", "selected_by"])
    return selected


def _decide(application: Application, outcome: rules.Outcome, actor, now) -> Application:
    before = application.status
    application.status = outcome.status
    application.score = rules.score_display(outcome.score)
    application.rank = outcome.rank
    application.award = outcome.award
    application.reason = outcome.reason or ""
    attribute(application, actor, _("Selection run"))
    application.save(update_fields=["status", "score", "rank", "award", "reason", "updated_at"])
    event_add(
        application,
        EventKind.STATUS,
        actor=actor,
        at=now,
        from_status=before,
        to_status=outcome.status,
        amount=outcome.award or None,
        note=outcome.reason or "",
    )
    if outcome.award:
        ledger_add(application, EntryKind.AWARD, outcome.award, actor=actor, at=now)
    application_notify(application)
    return application


@transaction.atomic
def award_lower(
    *, application: Application, amount: int, reason: str, actor: Actor | None
) -> Application:
    """Lower a selected application's award to `amount` (the committee may lower, never
    raise), before its grant decision; the difference goes back to the budget."""
    programme_lock(application.programme)
    application = application_lock(application)
    if application.status != rules.SELECTED:
        raise ValidationError(
            _("Only a selected application's award can be lowered."), code="status"
        )
    if hasattr(application, "grant"):
        raise ValidationError(
            _("The grant has been decided; the award can no longer be changed."), code="granted"
        )
    if (
        isinstance(amount, bool)
        or not isinstance(amount, int)
        or not 1 <= amount < application.award
    ):
        raise ValidationError(
            {
                "amount": ValidationError(
                    _("Enter an amount from 1 won to less than the award of %(award)s won.")
                    % {"award": f"{application.award:,}"},
                    code="not_lower",
                )
            }
        )
    if not reason.strip():
        raise ValidationError(
            {"reason": ValidationError(_("Give the committee's reason."), code="required")}
        )
    difference = application.award - amount
    budget_release(application.programme_id, difference)
    application.award = amount
    attribute(application, actor, reason)
    application.save(update_fields=["award", "updated_at"])
    event_add(application, EventKind.AWARD_LOWERED, actor=actor, amount=amount, note=reason)
    ledger_add(application, EntryKind.AWARD_LOWERED, -difference, actor=actor, note=reason)
    return application
