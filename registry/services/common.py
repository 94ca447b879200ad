"""Helpers the registry services share: row locks, history attribution, field updates."""

from typing import TypeVar

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _

M = TypeVar("M", bound=models.Model)


def lock[M: models.Model](instance: M) -> M:
    """Re-read `instance` under a row lock; the one entry point for locking registry rows.

    Callers that lock several rows lock them in primary-key order so two transactions never
    wait on each other in a circle.
    """
    return type(instance)._default_manager.select_for_update().get(pk=instance.pk)


def attribute(instance: models.Model, user, reason: str = "") -> None:
    """Make the next save's history row name the acting user and the reason."""
    instance._history_user = user if getattr(user, "pk", None) else None
    if reason:
        instance._change_reason = reason


def save_checked(instance: models.Model, *, exclude: list[str] | None = None) -> None:
    """Validate fields and constraints with friendly messages, then save."""
    instance.full_clean(exclude=exclude)
    instance.save()


def require_same_office(a_office_id: int, b_office_id: int, field: str) -> None:
    if a_office_id != b_office_id:
        raise ValidationError(
            {field: _("This record belongs to another office.")}, code="other_office"
        )


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
