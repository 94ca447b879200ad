"""Reads about districts: the designation criteria as a clerk sees them, due dates, and the
districts a merchant may choose."""

from datetime import date, timedelta

from django.db.models import QuerySet

from core.clock import local_today
from registry.choices import DistrictStatus
from registry.constants import CERTIFICATE_DUE_DAYS
from registry.models import District, Office
from registry.rules import CheckLine, designation_checks


def district_checks(district: District) -> list[CheckLine]:
    """The office's designation criteria as pass/fail lines for this district."""
    return designation_checks(district.office.criteria_settings(), district.facts())


def district_due_on(district: District) -> date | None:
    return (
        district.applied_on + timedelta(days=CERTIFICATE_DUE_DAYS) if district.applied_on else None
    )


def district_overdue(district: District, today: date | None = None) -> bool:
    """Whether this open application is past its 14-day due date (`districts_overdue`, one row)."""
    due = district_due_on(district)
    return (
        district.status == DistrictStatus.APPLIED
        and due is not None
        and due < (today or local_today())
    )


def districts_overdue(queryset: QuerySet[District], today: date | None = None) -> QuerySet:
    """Open applications past their 14-day due date."""
    today = today or local_today()
    return queryset.filter(
        status=DistrictStatus.APPLIED,
        applied_on__lt=today - timedelta(days=CERTIFICATE_DUE_DAYS),
    )


def designated_districts(office: Office) -> QuerySet[District]:
    """The districts a merchant may choose: the office's designated ones, with their dongs."""
    return (
        District.objects.filter(office=office, status=DistrictStatus.DESIGNATED)
        .prefetch_related("dongs")
        .order_by("name")
    )
