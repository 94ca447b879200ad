"""What every programme service shares: the refusal of SPEC 7, the row locks, the timeline and
the ledger."""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db.models import F
from django.utils import timezone

from core.actors import Actor
from programmes.models import Application, Event, Grant, LedgerEntry, Programme


class Refusal(ValidationError):
    """An application refused for a rule of SPEC 7; `reason` is the rule's name as the API
    returns it (`outside_window`, `digit_day`, `not_registered`, `not_eligible:<rule>`,
    `duplicate`, `budget_exhausted`). Nothing was written."""

    def __init__(self, reason: str, message: str):
        super().__init__(message, code=reason.split(":", 1)[0])
        self.reason = reason


def actor_or_none(user: Actor | None):
    return user if getattr(user, "pk", None) else None


def programme_lock(programme: Programme) -> Programme:
    """Re-read the programme under a row lock: the one entry point for locking it. Taken first
    whenever a service also locks applications or grants of the programme."""
    return Programme.objects.select_for_update().get(pk=programme.pk)


def application_lock(application: Application) -> Application:
    """Re-read the application under a row lock (after its programme's, when both are taken)."""
    return (
        Application.objects.select_for_update(of=("self",))
        .select_related("programme", "store")
        .get(pk=application.pk)
    )


def grant_lock(grant: Grant) -> Grant:
    """Re-read the grant decision under a row lock (after its application's, when both)."""
    return Grant.objects.select_for_update().get(pk=grant.pk)


def event_add(
    application: Application,
    kind: str,
    *,
    actor: Actor | None,
    at: datetime | None = None,
    from_status: str = "",
    to_status: str = "",
    amount: int | None = None,
    note: str = "",
) -> Event:
    return Event.objects.create(
        application=application,
        at=at or timezone.now(),
        actor=actor_or_none(actor),
        kind=kind,
        from_status=from_status,
        to_status=to_status,
        amount=amount,
        note=note,
    )


def ledger_add(
    application: Application,
    kind: str,
    amount: int,
    *,
    actor: Actor | None,
    at: datetime | None = None,
    note: str = "",
) -> LedgerEntry:
    return LedgerEntry.objects.create(
        programme_id=application.programme_id,
        application=application,
        kind=kind,
        amount=amount,
        at=at or timezone.now(),
        actor=actor_or_none(actor),
        note=note,
    )


def budget_spend(programme_id: int, amount: int) -> bool:
    """Hold `amount` of the programme's budget, or nothing when less than that is left.

    One conditional statement: concurrent callers queue on the programme's row, and each
    re-checks the condition on the row as the one before it left it, so the awards never add
    up to more than the budget (and the constraint `awarded_within_budget` stands behind it).
    """
    return bool(
        Programme.objects.filter(pk=programme_id, awarded__lte=F("budget") - amount).update(
            awarded=F("awarded") + amount
        )
    )


def budget_release(programme_id: int, amount: int) -> None:
    """Give `amount` back to the programme's budget (an award lowered)."""
    Programme.objects.filter(pk=programme_id).update(awarded=F("awarded") - amount)
