"""Reads of the hotline that carry meaning: the office's calendar, overdue flags, queues."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.contrib.auth.models import Permission
from django.db.models import (
    Aggregate,
    Avg,
    BooleanField,
    Count,
    ExpressionWrapper,
    F,
    FloatField,
    Prefetch,
    Q,
    QuerySet,
)
from django.db.models.functions import TruncWeek
from django.utils import timezone

from core.clock import SEOUL, local_date, local_midnight
from core.walls import for_user
from hotline import rules
from hotline.choices import CaseStatus, Category
from hotline.models import Case, ClosedDay, HotlineSettings, TimelineEntry
from registry.models import Membership, Office, Store, User
from registry.selectors import store_search

# --- The office's promises ----------------------------------------------------------------------


def hotline_settings_for(office: Office | int) -> HotlineSettings:
    """The office's settings, or the defaults (unsaved) when it has not set its own."""
    office_id = office if isinstance(office, int) else office.pk
    found = HotlineSettings.objects.filter(office_id=office_id).first()
    return found or HotlineSettings(office_id=office_id)


def work_calendar(office: Office | int, settings: HotlineSettings | None = None):
    """The office's working calendar: Korean working days without its closed days, or clock
    hours when it counts them."""
    settings = settings or hotline_settings_for(office)
    if settings.clock_hours:
        return rules.CLOCK_HOURS
    office_id = office if isinstance(office, int) else office.pk
    closed = ClosedDay.objects.filter(office_id=office_id).values_list("day", flat=True)
    return rules.WorkCalendar(closed_days=frozenset(closed))


# --- Overdue, in SQL -------------------------------------------------------------------------


def overdue_q(now: datetime | None = None) -> Q:
    """`rules.is_overdue` as a condition the database evaluates over any number of cases.

    Open cases past the first-response deadline before the first response, or past the result
    deadline; a case waiting for the caller is judged at the moment its wait began.
    """
    now = now or timezone.now()
    running = Q(status__in=[s for s in rules.OPEN_STATUSES if s != rules.WAITING_CALLER]) & (
        Q(responded_at__isnull=True, response_due__lt=now) | Q(resolution_due__lt=now)
    )
    waiting = Q(status=rules.WAITING_CALLER) & (
        Q(responded_at__isnull=True, response_due__lt=F("waiting_since"))
        | Q(resolution_due__lt=F("waiting_since"))
    )
    return running | waiting


def with_overdue(queryset: QuerySet[Case], now: datetime | None = None) -> QuerySet[Case]:
    """The cases with an `overdue` column computed by the database."""
    return queryset.annotate(overdue=ExpressionWrapper(overdue_q(now), output_field=BooleanField()))


def cases_overdue(queryset: QuerySet[Case], now: datetime | None = None) -> QuerySet[Case]:
    return queryset.filter(overdue_q(now))


def case_overdue(case: Case, now: datetime | None = None) -> bool:
    """One case's flag: the annotation when the list computed it, else the same rule."""
    flag = getattr(case, "overdue", None)
    if flag is not None:
        return bool(flag)
    return rules.is_overdue(
        status=case.status,
        now=now or timezone.now(),
        response_due=case.response_due,
        responded_at=case.responded_at,
        resolution_due=case.resolution_due,
        waiting_since=case.waiting_since,
    )


# --- Lists -------------------------------------------------------------------------------------


def cases_for(user, queryset: QuerySet[Case] | None = None) -> QuerySet[Case]:
    """The cases behind the user's office wall, with what their rows show."""
    queryset = Case.objects.all() if queryset is None else queryset
    return for_user(queryset, user).select_related("office", "assignee", "store", "district")


def case_with_timeline(queryset: QuerySet[Case]) -> QuerySet[Case]:
    return queryset.prefetch_related(
        Prefetch(
            "timeline",
            queryset=TimelineEntry.objects.select_related("assignee").order_by("at", "id"),
        )
    )


QUEUES = ("mine", "unassigned", "open", "overdue")


def case_queue(user, queue: str = "mine", now: datetime | None = None) -> QuerySet[Case]:
    """An operator's queue, overdue cases first, then by the nearest result deadline.

    `mine`: open cases assigned to the user; `unassigned`: cases nobody has taken yet;
    `open`: every open case of the office; `overdue`: open cases past a deadline.
    """
    now = now or timezone.now()
    cases = with_overdue(cases_for(user).filter(status__in=rules.OPEN_STATUSES), now)
    if queue == "mine":
        cases = cases.filter(assignee=user)
    elif queue == "unassigned":
        cases = cases.filter(assignee__isnull=True)
    elif queue == "overdue":
        cases = cases.filter(overdue_q(now))
    return cases.order_by("-overdue", "resolution_due", "id")


def queue_counts(user, now: datetime | None = None) -> dict[str, int]:
    """How many cases each queue holds, in one query."""
    now = now or timezone.now()
    open_cases = cases_for(user).filter(status__in=rules.OPEN_STATUSES)
    return open_cases.aggregate(
        mine=Count("pk", filter=Q(assignee=user)),
        unassigned=Count("pk", filter=Q(assignee__isnull=True)),
        open=Count("pk"),
        overdue=Count("pk", filter=overdue_q(now)),
    )


def assignable_users(office: Office | int) -> QuerySet[User]:
    """Active staff of the office who may work on cases (hold `hotline.change_case`)."""
    office_id = office if isinstance(office, int) else office.pk
    permission = Permission.objects.filter(
        content_type__app_label="hotline", codename="change_case"
    ).first()
    holders = Q(is_superuser=True)
    if permission is not None:
        holders |= Q(groups__permissions=permission) | Q(user_permissions=permission)
    return (
        User.objects.filter(office_id=office_id, is_active=True, is_staff=True)
        .filter(pk__in=User.objects.filter(holders).values("pk"))
        .order_by("first_name", "username")
    )


def user_label(user: User | None) -> str:
    if user is None:
        return ""
    full = user.get_full_name().strip()
    return f"{full} ({user.username})" if full else user.username


# --- The intake's store search --------------------------------------------------------------


def store_lookup(user, q: str, limit: int = 8) -> list[Store]:
    """Stores of the user's office matching a piece of the trade name, the business number or
    the phone, as the operator types; each with its current district (`current_district`)."""
    q = (q or "").strip()
    if len(q) < 2:
        return []
    current = Membership.objects.filter(left_on__isnull=True).select_related("district")
    stores = store_search(for_user(Store.objects.all(), user), q, user=user)
    return list(
        stores.select_related("dong")
        .prefetch_related(Prefetch("memberships", queryset=current, to_attr="current_memberships"))
        .order_by("status", "trade_name", "id")[:limit]
    )


def store_current_district(store: Store):
    current = getattr(store, "current_memberships", None)
    if current is None:
        membership = store.memberships.filter(left_on__isnull=True).select_related("district")
        current = list(membership[:1])
    return current[0].district if current else None


# --- Figures for the dashboard -------------------------------------------------------------


def hotline_figures(queryset: QuerySet[Case], now: datetime | None = None) -> dict:
    """Open and overdue cases, open cases by category, and the average working hours cases
    took to resolve (SPEC 6), in two queries."""
    now = now or timezone.now()
    totals = queryset.aggregate(
        open=Count("pk", filter=Q(status__in=rules.OPEN_STATUSES)),
        overdue=Count("pk", filter=overdue_q(now)),
        resolved=Count("pk", filter=Q(work_minutes_to_resolve__isnull=False)),
        minutes=Avg("work_minutes_to_resolve"),
    )
    by_category = dict(
        queryset.filter(status__in=rules.OPEN_STATUSES)
        .order_by()
        .values_list("category")
        .annotate(n=Count("pk"))
        .values_list("category", "n")
    )
    minutes = totals.pop("minutes")
    return {
        **totals,
        "open_by_category": by_category,
        "average_hours_to_resolve": round(minutes / 60, 1) if minutes is not None else None,
    }


class _Median(Aggregate):
    """PostgreSQL's exact median (`percentile_cont(0.5)`) of an expression."""

    function = "percentile_cont"
    template = "percentile_cont(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()


@dataclass(frozen=True)
class CategoryFigures:
    category: str
    label: str
    received: int
    open: int


@dataclass(frozen=True)
class WeekReceived:
    week_starts_on: date
    received: int


@dataclass(frozen=True)
class HotlineDashboard:
    """The hotline's part of the dashboard (SPEC 6), over the cases received since `since`."""

    since: datetime
    by_category: list[CategoryFigures]
    resolution_hours_median: float | None
    received_by_week: list[WeekReceived]


def hotline_dashboard(
    queryset: QuerySet[Case], *, days: int = 90, weeks: int = 13, now: datetime | None = None
) -> HotlineDashboard:
    """Cases received in the last `days`, by category (received, still open); the median
    working hours to resolve of the cases resolved in that time; and how many were received in
    each of the last `weeks` weeks (Monday to Sunday, Seoul time). Three queries."""
    now = now or timezone.now()
    since = now - timedelta(days=days)
    recent = queryset.filter(received_at__gte=since)
    counted = {
        row["category"]: row
        for row in recent.order_by()
        .values("category")
        .annotate(received=Count("pk"), open=Count("pk", filter=Q(status__in=rules.OPEN_STATUSES)))
    }
    by_category = [
        CategoryFigures(
            category=value,
            label=str(label),
            received=counted.get(value, {}).get("received", 0),
            open=counted.get(value, {}).get("open", 0),
        )
        for value, label in Category.choices
    ]
    minutes = queryset.filter(
        resolved_at__gte=since, work_minutes_to_resolve__isnull=False
    ).aggregate(median=_Median("work_minutes_to_resolve"))["median"]
    this_monday = local_date(now) - timedelta(days=local_date(now).weekday())
    first_monday = this_monday - timedelta(weeks=weeks - 1)
    per_week = dict(
        queryset.filter(received_at__gte=local_midnight(first_monday))
        .annotate(week=TruncWeek("received_at", tzinfo=SEOUL))
        .order_by()
        .values_list("week")
        .annotate(n=Count("pk"))
        .values_list("week", "n")
    )
    received_by_week = [
        WeekReceived(monday, per_week.get(local_midnight(monday), 0))
        for monday in (first_monday + timedelta(weeks=i) for i in range(weeks))
    ]
    return HotlineDashboard(
        since=since,
        by_category=by_category,
        resolution_hours_median=round(minutes / 60, 1) if minutes is not None else None,
        received_by_week=received_by_week,
    )


def status_label(value: str) -> str:
    return str(CaseStatus(value).label)
