"""What every hotline service shares: the case's row lock, the timeline entry (and access-log
row) each change writes, and the checks of what callers type (choices, phone, store and number,
district, assignee)."""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from core.audit import change_log
from core.numbers import brn_normalize, phone_digits, phone_valid
from core.services import field_error
from hotline.choices import EntryKind
from hotline.models import Case, TimelineEntry
from hotline.selectors import assignable_users
from registry.models import District, Office, Store, User
from registry.selectors import store_current_membership


def case_lock(case: Case) -> Case:
    """Re-read the case under a row lock until the transaction ends."""
    return Case.objects.select_for_update().get(pk=case.pk)


def timeline_entry(
    case: Case, user: User, at: datetime, kind: str, *, held_contact: bool = False, **fields
) -> TimelineEntry:
    """Record one change on the case's timeline; a case holding a caller's contact, or that
    held one before this change (`held_contact`: the contact was just erased), also gets its
    access-log row (SPEC 5), in the same transaction."""
    if case.has_contact or held_contact:
        label = str(EntryKind(kind).label)
        change_log(user=user, obj=case, reason=label, added=kind == EntryKind.INTAKE)
    return TimelineEntry.objects.create(
        case=case,
        at=at,
        user=user if getattr(user, "pk", None) else None,
        username=getattr(user, "username", "") or "system",
        kind=kind,
        **fields,
    )


def choice_check(errors: dict, field: str, value: str, choices) -> None:
    if value not in choices.values:
        errors[field] = ValidationError(
            _("Choose one of: %(values)s.") % {"values": ", ".join(choices.values)},
            code="invalid_choice",
        )


def phone_check(errors: dict, value: str) -> str:
    digits = phone_digits(value)
    if (value or "").strip() and not phone_valid(digits):
        errors["caller_phone"] = ValidationError(
            _("Enter a phone number such as 010-1234-5678 or 062-123-4567."),
            code="invalid_phone",
        )
    return digits


def store_and_number(
    errors: dict, office: Office, store: Store | None, business_number: str
) -> tuple[Store | None, str]:
    """The related store and the number as the caller gave it; a known number finds its store."""
    digits = ""
    if (business_number or "").strip():
        try:
            digits = brn_normalize(business_number)
        except ValidationError as exc:
            errors["business_number"] = ValidationError(exc.messages[0], code=exc.code)
            return store, ""
    if store is not None:
        if store.office_id != office.pk:
            errors["store"] = ValidationError(
                _("This store belongs to another office."), code="other_office"
            )
        elif digits and digits != store.business_number:
            errors["business_number"] = ValidationError(
                _("The business number is not the chosen store's."), code="store_mismatch"
            )
        return store, digits or store.business_number
    if digits:
        store = Store.objects.filter(office=office, business_number=digits).first()
    return store, digits


def district_for(errors: dict, office: Office, district: District | None, store: Store | None):
    if district is not None:
        if district.office_id != office.pk:
            errors["district"] = ValidationError(
                _("This district belongs to another office."), code="other_office"
            )
        return district
    if store is not None:
        membership = store_current_membership(store)
        return membership.district if membership else None
    return None


def assignee_check(office_id: int, assignee: User | None) -> None:
    if assignee is None:
        return
    if not assignable_users(office_id).filter(pk=assignee.pk).exists():
        raise field_error(
            "assignee",
            _("%(user)s cannot take cases of this office.") % {"user": assignee.username},
            "not_assignable",
        )
