"""Helpers every app's services share: refusals, row locks, history attribution, field updates."""

from typing import TypeVar

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext as _

from core.actors import Actor

M = TypeVar("M", bound=models.Model)


def lock[M: models.Model](instance: M) -> M:
    """Re-read `instance` under a row lock; the one entry point for locking registry rows.

    Callers that lock several rows lock them in primary-key order so two transactions never
    wait on each other in a circle.
    """
    return type(instance)._default_manager.select_for_update().get(pk=instance.pk)


def attribute(instance: models.Model, user: Actor | None, reason: str = "") -> None:
    """Make the next save's history row name the acting user and the reason."""
    instance._history_user = user if getattr(user, "pk", None) else None
    if reason:
        instance._change_reason = reason


def save_checked(instance: models.Model, *, exclude: list[str] | None = None) -> None:
    """Validate fields and constraints with friendly messages, then save.

    A concurrent transaction may commit a clashing row between the check and the insert; the
    database refuses it, and validating again then sees that row and names the field, so the
    caller gets a refusal instead of a server error.
    """
    instance.full_clean(exclude=exclude)
    try:
        with transaction.atomic():
            instance.save()
    except IntegrityError:
        instance.full_clean(exclude=exclude)
        raise


def require_same_office(a_office_id: int, b_office_id: int, field: str) -> None:
    if a_office_id != b_office_id:
        raise field_error(field, _("This record belongs to another office."), "other_office")


def apply_changes(instance: models.Model, changes: dict, allowed: set[str]) -> list[str]:
    """Set the allowed fields from `changes`; refuse unknown ones; return what changed."""
    unknown = set(changes) - allowed
    if unknown:
        raise ValidationError(
            _("These fields cannot be changed here: %(fields)s")
            % {"fields": ", ".join(sorted(unknown))},
            code="not_changeable",
        )
    changed = []
    for field, value in changes.items():
        if getattr(instance, field) != value:
            setattr(instance, field, value)
            changed.append(field)
    return changed


class Conflict(Exception):
    """A request that contradicts the record as it stands (a repeated reference with other
    content, a frozen week): nothing was written, and asking again will not help. The API
    answers 409 with the message; the admin shows it."""


def field_error(field: str, message: str, code: str) -> ValidationError:
    """A refusal tied to one input field, carrying a code the API and tests can rely on."""
    return ValidationError({field: ValidationError(message, code=code)})
