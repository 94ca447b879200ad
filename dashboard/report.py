"""The weekly report of an office (A4, Korean): what happened in one week, Monday to Sunday in
Seoul, beside the dashboard's figures and charts as they stand.

`week_activity` counts the week's events from the apps' rows, each as a line with its
definition; the report page and its PDF render it with the dashboard of the same viewer.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from cashback.selectors import WeekFigures
from core.clock import local_midnight, local_today
from core.walls import for_user
from hotline.models import Case
from registry.models import District, MerchantApplication, Office, Store, User

from .figures import REGISTRY_READ


@dataclass(frozen=True)
class ActivityLine:
    key: str
    label: str
    value: int


@dataclass(frozen=True)
class WeekActivity:
    monday: date
    sunday: date
    lines: list[ActivityLine]
    campaign_weeks: list[WeekFigures]

    @property
    def previous_monday(self) -> date:
        return self.monday - timedelta(weeks=1)

    @property
    def next_monday(self) -> date | None:
        following = self.monday + timedelta(weeks=1)
        return following if following <= _this_monday() else None


def _this_monday(today: date | None = None) -> date:
    today = today or local_today()
    return today - timedelta(days=today.weekday())


# No office kept records in Golmok before this; earlier weeks would only run off the calendar.
EARLIEST_MONDAY = date(2000, 1, 3)


def report_monday(value: str = "", *, today: date | None = None) -> date:
    """The Monday of the week asked for (any day of it, as YYYY-MM-DD), else of last week.

    Raises ValueError for a date that cannot be read or a week that has not begun."""
    today = today or local_today()
    day = date.fromisoformat(value) if value else today - timedelta(days=7)
    monday = day - timedelta(days=day.weekday())
    if monday > _this_monday(today):
        raise ValueError("the week has not begun")
    if monday < EARLIEST_MONDAY:
        raise ValueError("the week is before any record")
    return monday


def week_activity(
    *, viewer: User, office: Office, monday: date, weeks: list[WeekFigures]
) -> WeekActivity:
    """The week's events the viewer may see, and the campaign weeks that overlap it."""
    sunday = monday + timedelta(days=6)
    start, end = local_midnight(monday), local_midnight(sunday + timedelta(days=1))

    def walled(queryset: QuerySet) -> QuerySet:
        return for_user(queryset, viewer).filter(office=office)

    lines = []
    if viewer.has_perms((REGISTRY_READ, "registry.view_district")):
        districts = walled(District.objects.all())
        lines += [
            ActivityLine(
                "districts_applied",
                _("Designation applications received"),
                districts.filter(applied_on__range=(monday, sunday)).count(),
            ),
            ActivityLine(
                "districts_designated",
                _("Districts designated"),
                districts.filter(designated_on__range=(monday, sunday)).count(),
            ),
        ]
    if viewer.has_perms((REGISTRY_READ, "registry.view_store")):
        stores = walled(Store.objects.all())
        lines += [
            ActivityLine(
                "stores_registered",
                _("Stores registered"),
                stores.filter(created_at__gte=start, created_at__lt=end).count(),
            ),
            ActivityLine(
                "stores_closed",
                _("Stores closed"),
                stores.filter(closed_on__range=(monday, sunday)).count(),
            ),
        ]
    if viewer.has_perm("registry.view_merchantapplication"):
        applications = walled(MerchantApplication.objects.all())
        lines += [
            ActivityLine(
                "applications_received",
                _("Merchant applications received"),
                applications.filter(created_at__gte=start, created_at__lt=end).count(),
            ),
            ActivityLine(
                "applications_decided",
                _("Merchant applications decided"),
                applications.filter(decided_at__gte=start, decided_at__lt=end).count(),
            ),
        ]
    if viewer.has_perm("hotline.view_case"):
        cases = walled(Case.objects.all())
        lines += [
            ActivityLine(
                "cases_received",
                _("Hotline cases received"),
                cases.filter(received_at__gte=start, received_at__lt=end).count(),
            ),
            ActivityLine(
                "cases_resolved",
                _("Hotline cases resolved"),
                cases.filter(resolved_at__gte=start, resolved_at__lt=end).count(),
            ),
        ]
    overlapping = [w for w in weeks if w.starts_on <= sunday and w.ends_on >= monday]
    return WeekActivity(monday=monday, sunday=sunday, lines=lines, campaign_weeks=overlapping)
