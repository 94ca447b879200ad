"""Intake (SPEC 4): a case logged with the office's next number for the year, its deadlines
counted from the receipt.

Numbers come from a per-office, per-year counter row moved inside the database under its row
lock, so concurrent intakes never collide and a failed intake leaves no gap.
"""

from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.clock import as_aware, local_date
from hotline import rules
from hotline.choices import CallerType, Category, Channel, EntryKind, Priority
from hotline.models import Case, CaseCounter
from hotline.selectors import hotline_settings_for, work_calendar
from registry.models import District, Office, Store, User

from .common import (
    assignee_check,
    choice_check,
    district_for,
    phone_check,
    store_and_number,
    timeline_entry,
)
from .moves import move

# How far ahead of the server's clock a reported receipt time may be (clocks drift).
_CLOCK_SKEW = timedelta(minutes=5)


def _next_serial(office_id: int, year: int) -> int:
    """Take the office's next serial for the year inside the database.

    The upsert locks the counter row until the calling transaction ends: concurrent intakes
    queue behind it and get consecutive numbers, and a rolled-back intake returns its number.
    """
    table = connection.ops.quote_name(CaseCounter._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (office_id, year, last_serial) VALUES (%s, %s, 1) "
            f"ON CONFLICT (office_id, year) DO UPDATE SET last_serial = {table}.last_serial + 1 "
            "RETURNING last_serial",
            [office_id, year],
        )
        return cursor.fetchone()[0]


@transaction.atomic
def case_intake(
    *,
    office: Office,
    user: User,
    channel: str,
    caller_type: str,
    category: str,
    description: str,
    priority: str = Priority.NORMAL,
    caller_name: str = "",
    caller_phone: str = "",
    store: Store | None = None,
    business_number: str = "",
    district: District | None = None,
    received_at: datetime | None = None,
    assignee: User | None = None,
    at: datetime | None = None,
) -> Case:
    """Log a case and give it the office's next number for the year it was received (SPEC 4).

    Its deadlines are the office's hours for the priority from the receipt, in working time
    (or clock hours). A known business number finds the store, and the store its current
    district. With an assignee the case is assigned at once. `at` is when this happens (now).
    """
    now = at or timezone.now()
    errors: dict[str, ValidationError] = {}
    choice_check(errors, "channel", channel, Channel)
    choice_check(errors, "caller_type", caller_type, CallerType)
    choice_check(errors, "category", category, Category)
    choice_check(errors, "priority", priority, Priority)
    description = (description or "").strip()
    if not description:
        errors["description"] = ValidationError(
            _("Write down what the caller asks or proposes."), code="required"
        )
    caller_name = (caller_name or "").strip()
    if len(caller_name) > 50:
        errors["caller_name"] = ValidationError(
            _("A name has at most 50 characters."), code="max_length"
        )
    phone = phone_check(errors, caller_phone)
    store, digits = store_and_number(errors, office, store, business_number)
    district = district_for(errors, office, district, store)
    received_at = as_aware(received_at) if received_at else now
    if received_at > now + _CLOCK_SKEW:
        errors["received_at"] = ValidationError(
            _("A case cannot be received in the future."), code="in_future"
        )
    if errors:
        raise ValidationError(errors)
    assignee_check(office.pk, assignee)

    # Everything is decided before the number is taken: the counter's lock is held briefly.
    settings = hotline_settings_for(office)
    calendar = work_calendar(office, settings)
    response_hours, resolution_hours = settings.hours(priority)
    year = local_date(received_at).year
    serial = _next_serial(office.pk, year)
    case = Case.objects.create(
        office=office,
        number=rules.case_number(year, serial),
        year=year,
        serial=serial,
        channel=channel,
        caller_type=caller_type,
        caller_name=caller_name,
        caller_phone=phone,
        business_number=digits,
        store=store,
        district=district,
        category=category,
        priority=priority,
        description=description,
        received_at=received_at,
        response_due=rules.deadline(received_at, response_hours, calendar),
        resolution_due=rules.deadline(received_at, resolution_hours, calendar),
        created_by=user if getattr(user, "pk", None) else None,
    )
    timeline_entry(case, user, now, EntryKind.INTAKE, to_status=case.status)
    if assignee is not None:
        move(case, user, rules.ASSIGNED, now=now, assignee=assignee)
    return case
