"""Correcting a case's details while it is open; a new priority recomputes its deadlines."""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hotline import rules
from hotline.choices import CallerType, Category, Channel, EntryKind, Priority
from hotline.models import Case
from hotline.selectors import hotline_settings_for, work_calendar
from registry.models import User

from .common import (
    case_lock,
    choice_check,
    district_for,
    phone_check,
    store_and_number,
    timeline_entry,
)

UPDATABLE = {
    "channel",
    "caller_type",
    "caller_name",
    "caller_phone",
    "business_number",
    "store",
    "district",
    "category",
    "priority",
    "description",
}


@transaction.atomic
def case_update(*, case: Case, user: User, at: datetime | None = None, **changes) -> Case:
    """Correct a case's details while it is not closed; the timeline names what changed.

    A new priority recomputes the deadlines from the receipt (from the last reopening for the
    result) with the office's current hours, still not counting the waits for the caller.
    """
    case = case_lock(case)
    if case.status == rules.CLOSED:
        raise ValidationError(_("A closed case cannot be changed."), code="closed")
    changes = _details_checked(case, changes)
    changed = [f for f, v in changes.items() if getattr(case, f) != v]
    if not changed:
        return case
    held_contact = case.has_contact
    for field in changed:
        setattr(case, field, changes[field])
    if "priority" in changed:
        _deadlines_recompute(case)
    case.save()
    labels = ", ".join(str(Case._meta.get_field(f).verbose_name) for f in sorted(changed))
    timeline_entry(
        case, user, at or timezone.now(), EntryKind.UPDATE, held_contact=held_contact, text=labels
    )
    return case


def _details_checked(case: Case, changes: dict) -> dict:
    """The corrections as the case will hold them, or a refusal naming every bad field."""
    unknown = set(changes) - UPDATABLE
    if unknown:
        raise ValidationError(
            _("These fields cannot be changed here: %(fields)s")
            % {"fields": ", ".join(sorted(unknown))},
            code="not_changeable",
        )
    errors: dict[str, ValidationError] = {}
    for field, choices in (
        ("channel", Channel),
        ("caller_type", CallerType),
        ("category", Category),
        ("priority", Priority),
    ):
        if field in changes:
            choice_check(errors, field, changes[field], choices)
    if "caller_phone" in changes:
        changes["caller_phone"] = phone_check(errors, changes["caller_phone"])
    if "caller_name" in changes:
        changes["caller_name"] = (changes["caller_name"] or "").strip()[:50]
    if "description" in changes:
        changes["description"] = (changes["description"] or "").strip()
        if not changes["description"]:
            errors["description"] = ValidationError(_("Write the description."), code="required")
    if "store" in changes or "business_number" in changes:
        # A new number finds its store; a new store brings its number and, unless a district
        # is given, its district; number and store must agree.
        store, digits = store_and_number(
            errors, case.office, changes.get("store"), changes.get("business_number", "")
        )
        changes["store"], changes["business_number"] = store, digits
        changes.setdefault("district", None)
    if "district" in changes:
        changes["district"] = district_for(
            errors, case.office, changes["district"], changes.get("store", case.store)
        )
    if errors:
        raise ValidationError(errors)
    return changes


def _deadlines_recompute(case: Case) -> None:
    settings = hotline_settings_for(case.office_id)
    calendar = work_calendar(case.office_id, settings)
    response_hours, resolution_hours = settings.hours(case.priority)
    waits = case_waits(case)
    case.response_due = rules.deadline(case.received_at, response_hours, calendar, waits)
    case.resolution_due = rules.deadline(
        case.reopened_at or case.received_at, resolution_hours, calendar, waits
    )


def case_waits(case: Case) -> list[tuple[datetime, datetime]]:
    """The finished waits for the caller, from the timeline's status changes."""
    waits, started = [], None
    for from_status, to_status, at in case.timeline.filter(kind=EntryKind.STATUS).values_list(
        "from_status", "to_status", "at"
    ):
        if to_status == rules.WAITING_CALLER:
            started = at
        elif from_status == rules.WAITING_CALLER and started is not None:
            waits.append((started, at))
            started = None
    return waits
