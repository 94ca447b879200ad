"""The office's hotline settings: deadlines per priority, clock or working hours, and its own
closed days. Cases already received keep the deadlines they were promised."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core.services import field_error
from hotline import rules
from hotline.models import ClosedDay, HotlineSettings
from registry.models import Office, User

SETTINGS_FIELDS = {
    f"{priority}_{kind}_hours"
    for priority in rules.PRIORITIES
    for kind in ("response", "resolution")
} | {"clock_hours"}


@transaction.atomic
def hotline_settings_save(*, office: Office, user: User, **values) -> HotlineSettings:
    """Set the office's deadlines per priority and whether clock hours count.

    Cases already received keep the deadlines they were promised; new cases get the new ones.
    """
    unknown = set(values) - SETTINGS_FIELDS
    if unknown:
        raise ValidationError(
            _("These fields cannot be changed here: %(fields)s")
            % {"fields": ", ".join(sorted(unknown))},
            code="not_changeable",
        )
    settings = HotlineSettings.objects.select_for_update().filter(
        office=office
    ).first() or HotlineSettings(office=office)
    for field, value in values.items():
        setattr(settings, field, value)
    settings.full_clean()
    settings.save()
    return settings


@transaction.atomic
def closed_day_save(
    *,
    office: Office,
    user: User,
    day: date,
    name: str = "",
    closed_day: ClosedDay | None = None,
) -> ClosedDay:
    """Add a day the office is closed (or correct one); deadlines computed from now on skip it."""
    closed_day = closed_day or ClosedDay(office=office)
    if closed_day.office_id != office.pk:
        raise field_error("day", _("This closed day belongs to another office."), "other_office")
    closed_day.day, closed_day.name = day, (name or "").strip()
    closed_day.full_clean()
    closed_day.save()
    return closed_day
