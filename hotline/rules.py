"""Pure hotline rules: the case state machine and deadline arithmetic in Korean working time.

Plain functions of plain values, no database: the services gather the facts (the office's
settings, its closed days, the case's status) and these decide.

Working time (SPEC 4) is weekdays 09:00–12:00 and 13:00–18:00 in Asia/Seoul, eight hours a day,
without Korean public and substitute holidays (the `holidays` package's calendar, which follows
the government's announcements, temporary holidays and election days included) and without the
office's own closed days. An office may choose clock hours instead: every hour then counts.
A deadline of N working hours is the moment when N hours of working time have passed since the
case was received; a case received outside working time starts at the next working minute.
Time waiting for the caller does not count: leaving the wait pushes the deadlines forward by the
working time spent waiting, unless the deadline had already passed when the wait began.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache

import holidays
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from core.clock import SEOUL, as_aware

# --- Statuses and the moves between them (SPEC 4) -------------------------------------------

RECEIVED = "received"
ASSIGNED = "assigned"
IN_PROGRESS = "in_progress"
WAITING_CALLER = "waiting_caller"
RESOLVED = "resolved"
CLOSED = "closed"

STATUSES = (RECEIVED, ASSIGNED, IN_PROGRESS, WAITING_CALLER, RESOLVED, CLOSED)
# Open: the office still owes the caller something, so its deadlines run.
OPEN_STATUSES = (RECEIVED, ASSIGNED, IN_PROGRESS, WAITING_CALLER)

TRANSITIONS: dict[str, tuple[str, ...]] = {
    RECEIVED: (ASSIGNED, CLOSED),
    ASSIGNED: (IN_PROGRESS, CLOSED),
    IN_PROGRESS: (WAITING_CALLER, RESOLVED, CLOSED),
    WAITING_CALLER: (IN_PROGRESS, CLOSED),
    RESOLVED: (IN_PROGRESS, CLOSED),  # back to in_progress is a reopening
    CLOSED: (),
}
# Moves after which the case is still open, so it may change hands on the way.
ASSIGNEE_MOVES = (ASSIGNED, IN_PROGRESS, WAITING_CALLER)

# Why a case was closed.
CLOSE_RESOLVED = "resolved"
CLOSE_DUPLICATE = "duplicate"
CLOSE_WITHDRAWN = "withdrawn"
CLOSE_UNREACHABLE = "unreachable"
CLOSE_OTHER = "other"
CLOSE_REASONS = (CLOSE_RESOLVED, CLOSE_DUPLICATE, CLOSE_WITHDRAWN, CLOSE_UNREACHABLE, CLOSE_OTHER)

# Priorities and the default deadlines in working hours: (first response, result).
URGENT, HIGH, NORMAL, LOW = "urgent", "high", "normal", "low"
PRIORITIES = (URGENT, HIGH, NORMAL, LOW)
DEFAULT_HOURS: dict[str, tuple[int, int]] = {
    URGENT: (3, 8),
    HIGH: (4, 16),
    NORMAL: (8, 16),  # the 48-hour promise: two working days
    LOW: (16, 40),
}


def allowed_moves(status: str) -> tuple[str, ...]:
    """Where a case in `status` may go next (empty for a closed case or an unknown status)."""
    return TRANSITIONS.get(status, ())


def is_reopening(current: str, to: str) -> bool:
    return current == RESOLVED and to == IN_PROGRESS


class TransitionRefused(ValidationError):
    """A move the state machine does not allow; `allowed` lists the moves that are."""

    def __init__(self, current: str, to: str, labels: Mapping[str, str] | None = None):
        self.current, self.to = current, to
        self.allowed = allowed_moves(current)
        message = transition_refused_message(current, to, labels)
        super().__init__({"to": ValidationError(message, code="invalid_move")})


def transition_refused_message(
    current: str, to: str, labels: Mapping[str, str] | None = None
) -> str:
    """The refusal in words; `labels` names the statuses (the choices' labels), else values."""

    def label(value: str) -> str:
        return str((labels or {}).get(value, value))

    allowed = allowed_moves(current)
    if not allowed:
        return _("A %(status)s case cannot move any more (to %(to)s); no move is allowed.") % {
            "status": label(current),
            "to": label(to),
        }
    return _("A %(status)s case cannot move to %(to)s. Allowed: %(allowed)s.") % {
        "status": label(current),
        "to": label(to),
        "allowed": ", ".join(f"{label(a)} ({a})" for a in allowed),
    }


def move_check(
    current: str,
    to: str,
    *,
    assignee_given: bool,
    note: str = "",
    reason: str = "",
    reply_recorded: bool = False,
    labels: Mapping[str, str] | None = None,
) -> None:
    """Refuse a move that the state machine or its conditions do not allow (`labels` name the
    statuses in the refusal).

    - only the moves of TRANSITIONS (a refusal names the allowed ones);
    - assigning needs an assignee; an assignee may only be given on moves that keep the case
      open (assigned, in_progress, waiting_caller);
    - resolving needs the reply sent to the caller: the note, or one recorded before;
    - closing needs a reason; `resolved` only for a resolved case, `other` with a note.
    """
    if to not in allowed_moves(current):
        raise TransitionRefused(current, to, labels)
    errors: dict[str, ValidationError] = {}
    if to == ASSIGNED and not assignee_given:
        errors["assignee"] = ValidationError(
            _("Choose who takes the case."), code="assignee_required"
        )
    if assignee_given and to not in ASSIGNEE_MOVES:
        errors["assignee"] = ValidationError(
            _("An assignee can only be given on a move that keeps the case open."),
            code="not_accepted",
        )
    if to == RESOLVED and not (note or "").strip() and not reply_recorded:
        errors["note"] = ValidationError(
            _("Write the reply given to the caller: resolving records the result."),
            code="reply_required",
        )
    if to == CLOSED:
        errors.update(_close_reason_errors(current, reason, note))
    elif reason:
        errors["reason"] = ValidationError(
            _("A reason is only given when closing a case."), code="not_accepted"
        )
    if errors:
        raise ValidationError(errors)


def _close_reason_errors(current: str, reason: str, note: str) -> dict[str, ValidationError]:
    if not reason:
        if current == RESOLVED:
            return {}  # closing a resolved case: the reason is that it was resolved
        return {
            "reason": ValidationError(
                _("Give the reason for closing: duplicate, withdrawn, unreachable or other."),
                code="reason_required",
            )
        }
    if reason not in CLOSE_REASONS:
        return {
            "reason": ValidationError(
                _("Choose one of: %(reasons)s.") % {"reasons": ", ".join(CLOSE_REASONS)},
                code="invalid_reason",
            )
        }
    if reason == CLOSE_RESOLVED and current != RESOLVED:
        return {
            "reason": ValidationError(
                _("Only a resolved case closes as resolved; resolve it first."),
                code="not_resolved",
            )
        }
    if reason == CLOSE_OTHER and not (note or "").strip():
        return {
            "note": ValidationError(
                _("Explain in the note why the case is closed."), code="note_required"
            )
        }
    return {}


def close_reason_for(current: str, reason: str) -> str:
    """The reason a closed case keeps: as given, or `resolved` when a resolved case closes."""
    return reason or (CLOSE_RESOLVED if current == RESOLVED else "")


# --- Working time ------------------------------------------------------------------------------

WORK_PERIODS: tuple[tuple[time, time], ...] = ((time(9), time(12)), (time(13), time(18)))
WORK_HOURS_PER_DAY = 8
# No office closes for two years on end; a calendar that would is a mistake, not a deadline.
_MAX_DAYS = 800


@lru_cache(maxsize=32)
def korean_holidays(year: int) -> frozenset[date]:
    """Korean public and substitute holidays of one year, as the `holidays` package has them."""
    return frozenset(holidays.country_holidays("KR", years=year))


@dataclass(frozen=True)
class WorkCalendar:
    """When an office works: Korean working days minus its own closed days, or clock hours."""

    closed_days: frozenset[date] = frozenset()
    clock_hours: bool = False

    def is_working_day(self, day: date) -> bool:
        return (
            day.weekday() < 5
            and day not in korean_holidays(day.year)
            and day not in self.closed_days
        )

    def periods(self, day: date) -> list[tuple[datetime, datetime]]:
        """The day's working periods as aware instants in Seoul (none on a day off)."""
        if not self.is_working_day(day):
            return []
        return [
            (datetime.combine(day, begin, SEOUL), datetime.combine(day, end, SEOUL))
            for begin, end in WORK_PERIODS
        ]


CLOCK_HOURS = WorkCalendar(clock_hours=True)


def _duration(work: timedelta | int) -> timedelta:
    duration = work if isinstance(work, timedelta) else timedelta(minutes=work)
    if duration < timedelta(0):
        raise ValueError("working time cannot be negative")
    return duration


def add_working_time(start: datetime, minutes: timedelta | int, calendar: WorkCalendar) -> datetime:
    """The instant when `minutes` of working time (an int, or a timedelta) have passed since
    `start`; starting outside working time counts from the next working minute.

    A deadline that fills a period exactly falls on its end (12:00, 18:00), not on the start of
    the next one. With clock hours every minute counts.
    """
    work = _duration(minutes)
    start = as_aware(start)
    if calendar.clock_hours:
        return start + work
    cursor = start.astimezone(SEOUL)
    day = cursor.date()
    for _day in range(_MAX_DAYS):
        for begin, end in calendar.periods(day):
            if cursor >= end:
                continue
            begin = max(begin, cursor)
            available = end - begin
            if work <= available:
                return begin + work
            work -= available
        day += timedelta(days=1)
    raise ValueError("the calendar has no working time in the next two years")


def working_time_between(a: datetime, b: datetime, calendar: WorkCalendar) -> timedelta:
    """How much working time lies between two instants (zero when `b` is not after `a`)."""
    a, b = as_aware(a), as_aware(b)
    if b <= a:
        return timedelta(0)
    if calendar.clock_hours:
        return b - a
    a, b = a.astimezone(SEOUL), b.astimezone(SEOUL)
    total = timedelta(0)
    day = a.date()
    while day <= b.date():
        for begin, end in calendar.periods(day):
            overlap = min(end, b) - max(begin, a)
            if overlap > timedelta(0):
                total += overlap
        day += timedelta(days=1)
    return total


def working_minutes_between(a: datetime, b: datetime, calendar: WorkCalendar) -> int:
    """Whole minutes of working time between two instants."""
    return working_time_between(a, b, calendar) // timedelta(minutes=1)


def deadline_after_wait(
    due: datetime | None, wait_started: datetime, wait_ended: datetime, calendar: WorkCalendar
) -> datetime | None:
    """The deadline once a wait for the caller is over: pushed by the working time waited.

    A deadline that had already passed when the wait began stays where it was: waiting for the
    caller does not make a late case punctual.
    """
    if due is None or as_aware(wait_started) >= as_aware(due):
        return due
    waited = working_time_between(wait_started, wait_ended, calendar)
    return add_working_time(due, waited, calendar) if waited else due


def deadline(
    start: datetime,
    hours: int,
    calendar: WorkCalendar,
    waits: Iterable[tuple[datetime, datetime]] = (),
) -> datetime:
    """`hours` of working time from `start`, not counting the (finished) waits for the caller."""
    due = add_working_time(start, timedelta(hours=hours), calendar)
    for wait_started, wait_ended in sorted(waits):
        if as_aware(wait_ended) > as_aware(start):
            due = deadline_after_wait(
                due, max(as_aware(wait_started), as_aware(start)), wait_ended, calendar
            )
    return due


def is_overdue(
    *,
    status: str,
    now: datetime,
    response_due: datetime | None,
    responded_at: datetime | None,
    resolution_due: datetime | None,
    waiting_since: datetime | None = None,
) -> bool:
    """An open case past its first-response deadline (before the first response) or past its
    result deadline. While the case waits for the caller its clock stands still, so it is late
    only if it was late when the wait began. The lists compute the same in SQL
    (`selectors.overdue_q`)."""
    if status not in OPEN_STATUSES:
        return False
    at = waiting_since if status == WAITING_CALLER and waiting_since else now
    if responded_at is None and response_due is not None and at > response_due:
        return True
    return resolution_due is not None and at > resolution_due


# --- Numbers and phones ----------------------------------------------------------------------


def case_number(year: int, serial: int) -> str:
    """119-YYYY-NNNNNN: the office's serial within the year of receipt."""
    return f"119-{year:04d}-{serial:06d}"
